//! Benchmarks for the pattern engine's budgets (issue 3):
//! - one keystroke (parse, validate, lint, count) over 20,000 ids: median ≤ 1 ms;
//! - adversarial input (a 10,000-character paste, `*a*a*…*b` with 30 stars) over 100,000 ids
//!   of 100 characters: well under a 16 ms frame;
//! - matching throughput in ids per millisecond.
//!
//! Run with `cargo run --release --example bench_pattern`. Prints one machine-readable line
//! per measurement: `bench NAME median_us=.. p95_us=.. [extra=..]`.

use std::hint::black_box;
use std::time::Instant;

use keyscope::ids::IdIndex;
use keyscope::lint::check;
use keyscope::pattern::parse;
use keyscope::scope::Scope;

#[path = "../tests/support/random.rs"]
mod random;

use random::{grown_ids, Rng, ID_SUFFIXES};

/// The real ids plus deterministic valid variants of them, `count` in all.
fn twenty_thousand_ids(count: usize) -> Vec<String> {
    grown_ids(count, &ID_SUFFIXES, &mut Rng::new(0x05EE_D1D5))
}

/// 100,000 valid ids of exactly 100 characters over `a`/`b` with some dots, half ending
/// in `b`: the worst case for `*a*a*…*b`.
fn hundred_char_ids(count: usize) -> Vec<String> {
    let mut rng = Rng::new(0xADE5_A41A);
    (0..count)
        .map(|i| {
            let mut id = String::with_capacity(100);
            while id.len() < 99 {
                let c = match rng.below(10) {
                    0 if !id.is_empty() && !id.ends_with('.') && id.len() < 98 => '.',
                    1..=3 => 'b',
                    _ => 'a',
                };
                id.push(c);
            }
            id.push(if i % 2 == 0 { 'b' } else { 'a' });
            id
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples_us: Vec<f64>, extra: &str) {
    samples_us.sort_by(f64::total_cmp);
    println!(
        "bench {name} median_us={:.1} p95_us={:.1} max_us={:.1} samples={}{extra}",
        percentile(&samples_us, 0.5),
        percentile(&samples_us, 0.95),
        percentile(&samples_us, 1.0),
        samples_us.len()
    );
}

fn time_us(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1e6
}

fn main() {
    let ids = IdIndex::new(twenty_thousand_ids(20_000));
    let typed = [
        "Microsoft.AspNetCore.*",
        "*Tests*",
        "System.*.Core",
        "Newtonsoft.Json",
        "runtime.*-x64.*",
        "*",
    ];
    let scopes = [Scope::Push];
    let mut samples = Vec::new();
    for _round in 0..5 {
        for text in typed {
            for end in 1..=text.len() {
                let prefix = &text[..end];
                samples.push(time_us(|| {
                    black_box(check(black_box(prefix), Some(&ids), &scopes));
                }));
            }
        }
    }
    report("check_keystroke_20k", samples, "");

    let big = IdIndex::new(hundred_char_ids(100_000));
    let mut rng = Rng::new(0x0007_A57E);
    let allowed = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-*";
    let valid_paste: String = (0..10_000)
        .map(|_| allowed[rng.below(allowed.len())] as char)
        .collect();
    let garbage_paste: String = (0..10_000)
        .map(|i| ['a', ' ', '?', '\u{441}', '\u{200b}', 'é', '/', '*'][i % 8])
        .collect();
    let stars = format!("{}b", "*a".repeat(29) + "*");
    for (name, text) in [
        ("adversarial_paste_valid_10k_100k", valid_paste.as_str()),
        ("adversarial_paste_invalid_10k_100k", garbage_paste.as_str()),
        ("adversarial_30_stars_100k", stars.as_str()),
    ] {
        let mut samples = Vec::new();
        let mut matched = 0;
        for _ in 0..7 {
            samples.push(time_us(|| {
                matched = black_box(check(black_box(text), Some(&big), &scopes))
                    .matched
                    .unwrap_or(0);
            }));
        }
        report(name, samples, &format!(" matched={matched}"));
    }

    for text in [
        "microsoft.*",
        "*.tests",
        "*core*",
        "system.*.core*",
        "*a*e*i*o*u*",
    ] {
        let Ok(pattern) = parse(text) else { continue };
        let mut samples = Vec::new();
        let mut matched = 0;
        for _ in 0..21 {
            samples.push(time_us(|| {
                matched = black_box(pattern.count(black_box(&ids)))
            }));
        }
        samples.sort_by(f64::total_cmp);
        let median = percentile(&samples, 0.5);
        let per_ms = ids.len() as f64 / (median / 1000.0);
        report(
            &format!("match_throughput_20k[{text}]"),
            samples,
            &format!(" ids_per_ms={per_ms:.0} matched={matched}"),
        );
    }
}
