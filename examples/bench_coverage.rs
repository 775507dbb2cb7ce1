//! Benchmark for the coverage review's budget (issue 4): 50 keys over one owner with 20,000
//! package ids, computed in ≤ 50 ms.
//!
//! The keys mix what real organizations hold: prefix globs (`Microsoft.*`), suffix and
//! infix globs (`*.Tests`, `*Core*`), hand-picked lists of literal ids, one `*` key, and a
//! few expired and revoked keys; a second owner and a legacy key make the review do its
//! cross-owner work too.
//!
//! Run with `cargo run --release --example bench_coverage`. Prints
//! `bench coverage_50x20k median_us=.. p95_us=.. keys=.. ids=..`.

use std::hint::black_box;
use std::time::Instant;

use keyscope::coverage;
use keyscope::page::{ApiKey, PackageOwner, PageData};

#[path = "../tests/support/random.rs"]
mod random;

use random::{grown_ids, Rng, ID_SUFFIXES};

const IDS: usize = 20_000;
const KEYS: usize = 50;
const RUNS: usize = 41;

fn key(number: i64, owner: &str, glob: Option<String>, packages: Vec<String>) -> ApiKey {
    ApiKey {
        key: number,
        kind: "apikey.v4".into(),
        description: format!("key {number}"),
        owner: Some(owner.into()),
        scopes: vec![
            "Push only new package versions".into(),
            "Unlist or relist package versions".into(),
        ],
        glob_pattern: glob,
        packages,
        ..ApiKey::default()
    }
}

fn page() -> PageData {
    let mut rng = Rng::new(0xC0FE_2024);
    // Without "Http": the ids this benchmark has always been measured on.
    let ids = grown_ids(IDS, &ID_SUFFIXES[..6], &mut rng);
    let mut keys = Vec::new();
    for number in 1..=KEYS as i64 {
        let base = rng.pick(&ids);
        let prefix = base.split('.').next().unwrap_or("Microsoft").to_string();
        let (glob, packages) = match number % 5 {
            0 => (Some(format!("{prefix}.*")), Vec::new()),
            1 => (None, (0..20).map(|_| rng.pick(&ids)).collect()),
            2 => (Some("*.Tests*".to_string()), vec![base.clone()]),
            3 => (Some(format!("*{prefix}*")), Vec::new()),
            _ => (
                Some(format!("{prefix}.*.Core*")),
                (0..5).map(|_| rng.pick(&ids)).collect(),
            ),
        };
        let mut api_key = key(number, "Contoso", glob, packages);
        api_key.has_expired = number % 17 == 0;
        if number % 19 == 0 {
            api_key.revocation_source = Some("User".into());
        }
        keys.push(api_key);
    }
    if let Some(everything) = keys.get_mut(7) {
        everything.glob_pattern = Some("*".into());
    }
    keys.push(ApiKey {
        key: 999,
        is_non_scoped: true,
        description: "legacy".into(),
        ..ApiKey::default()
    });
    PageData {
        api_keys: keys,
        package_owners: vec![
            PackageOwner {
                owner: "alice".into(),
                package_ids: ids.iter().take(50).cloned().collect(),
                ..PackageOwner::default()
            },
            PackageOwner {
                owner: "Contoso".into(),
                package_ids: ids,
                can_push_new: true,
                can_push_existing: true,
                can_unlist: true,
            },
        ],
        ..PageData::default()
    }
}

fn main() {
    let page = page();
    let mut samples: Vec<u128> = Vec::with_capacity(RUNS);
    for run in 0..RUNS + 3 {
        let start = Instant::now();
        let report = coverage::compute(black_box(&page), black_box(0));
        let elapsed = start.elapsed().as_micros();
        black_box(report);
        if run >= 3 {
            samples.push(elapsed);
        }
    }
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "bench coverage_50x20k median_us={} p95_us={} keys={} ids={}",
        at(0.5),
        at(0.95),
        KEYS,
        IDS
    );
}
