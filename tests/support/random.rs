//! Deterministic inputs for KeyScope's tests and benchmarks: a small PRNG, and package ids
//! grown from the real ones in `tests/data/`, so every run sees the same cases.
//!
//! Tests reach it as `support::random`; the benchmarks in `examples/` include this file with
//! `#[path]`. Either way it stays out of the library, and so out of the extension's
//! WebAssembly.

// Every test file and benchmark compiles its own copy and uses only part of it.
#![allow(dead_code)]

use keyscope::ids::{ids_from_lines, is_valid_id};

/// Real package ids from nuget.org, one per line.
pub const REAL_IDS: &str = include_str!("../data/nuget-package-ids.txt");

/// xorshift64*: small, deterministic, good enough to spread the cases.
pub struct Rng(u64);

impl Rng {
    /// A generator whose every sequence follows from `seed` (which must not be 0).
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty.
    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// What [`grown_ids`] appends to real ids to make more of them.
pub const ID_SUFFIXES: [&str; 7] = [
    "Core",
    "Tests",
    "Abstractions",
    "Extensions",
    "Data",
    "Client",
    "Http",
];

/// The real ids, then valid variants `<real id>.<suffix><n>` of them until there are `count`.
pub fn grown_ids(count: usize, suffixes: &[&str], rng: &mut Rng) -> Vec<String> {
    let real = ids_from_lines(REAL_IDS);
    let mut ids = real.clone();
    let mut n = 0usize;
    while ids.len() < count {
        let base = rng.pick(&real);
        let suffix = rng.pick(suffixes);
        let candidate = format!("{base}.{suffix}{n}");
        n += 1;
        if is_valid_id(&candidate) {
            ids.push(candidate);
        }
    }
    ids
}
