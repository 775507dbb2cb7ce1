//! Benchmarks for the engine as the extension drives it (issue 4): what one keystroke in
//! KeyScope's own pattern field costs (the `preview` request: validation, counts, subjects,
//! actions and the visible rows), what one keystroke in the page's own field costs (its glob
//! feedback and the preview following it), and reading the page data at start (`init`),
//! on one owner of 20,000 ids (the demo's `large`) and of 100,000 (`stress`).
//!
//! In Firefox the engine runs in the content script, on the page's own thread, so `init`
//! there is time the page cannot answer a click.
//!
//! Run with `cargo run --release --example bench_engine`. Prints one machine-readable line
//! per measurement: `bench NAME median_us=.. p95_us=.. max_us=.. samples=..`.

use std::hint::black_box;
use std::time::Instant;

use keyscope::engine::{Engine, Request};
use keyscope::preview::Query;

#[path = "../tests/support/random.rs"]
mod random;

use random::{grown_ids, Rng, ID_SUFFIXES};

/// What is typed, one character at a time: a prefix whose last keystroke (`*`) matches many.
const TYPED: &str = "Microsoft.Extensions.Logging*";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples_us: Vec<f64>) {
    samples_us.sort_by(f64::total_cmp);
    println!(
        "bench {name} median_us={:.1} p95_us={:.1} max_us={:.1} samples={}",
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

/// The page's inline script with one owner of `ids` and one key, shaped like nuget.org's.
fn page_script(ids: &[String]) -> String {
    let ids = ids
        .iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"var initialData = {{"ApiKeys":[{{"Key":1,"Type":"apikey.v4","Value":null,"Description":"ci","Expires":"2030-01-01T00:00:00Z","HasExpired":false,"IsNonScopedApiKey":false,"RevocationSource":null,"Owner":"big-org","Scopes":["Push only new package versions"],"Packages":[],"GlobPattern":"Microsoft.*"}}],"PackageOwners":[{{"Owner":"big-org","PackageIds":[{ids}],"CanPushNew":true,"CanPushExisting":true,"CanUnlist":true}}],"PackagePushScope":"package:push","PackagePushVersionScope":"package:pushversion","PackageUnlistScope":"package:unlist","GenerateUrl":"/account/GenerateApiKey","RegenerateUrl":"/account/RegenerateCredential","EditUrl":"/account/EditCredential","RemoveUrl":"/account/RemoveCredential","RevokeUrl":"/account/RevokeApiKey","ImageUrls":{{}}}};"#
    )
}

fn init(script: &str) -> Request {
    Request::Init {
        script: script.to_string(),
        locale: None,
        messages: None,
    }
}

fn preview(pattern: &str, page_pattern: &str) -> Request {
    Request::Preview(Query {
        form: 0,
        owner: Some("big-org".into()),
        scopes: vec!["package:push".into()],
        pattern: pattern.into(),
        page_pattern: Some(page_pattern.into()),
        count: 16,
        ..Query::default()
    })
}

fn glob(text: &str) -> Request {
    Request::Glob {
        form: 0,
        text: text.into(),
        owner: Some("big-org".into()),
        scopes: vec!["package:push".into()],
    }
}

fn main() {
    for (name, count) in [("20k", 20_000), ("100k", 100_000)] {
        let ids = grown_ids(count, &ID_SUFFIXES, &mut Rng::new(0x05EE_D1D5));
        let script = page_script(&ids);

        let mut samples = Vec::new();
        for _ in 0..9 {
            let mut engine = Engine::new();
            let request = init(&script);
            samples.push(time_us(|| {
                black_box(engine.handle(request));
            }));
        }
        report(&format!("init_{name}"), samples);

        let mut engine = Engine::new();
        engine.handle(init(&script));
        // KeyScope's own field: the pattern is pending (the page's field is still empty).
        let mut samples = Vec::new();
        for _round in 0..5 {
            for end in 1..=TYPED.len() {
                let request = preview(&TYPED[..end], "");
                samples.push(time_us(|| {
                    black_box(engine.handle(request));
                }));
            }
        }
        report(&format!("instant_keystroke_{name}"), samples);

        // The page's own field: its glob feedback, then the preview following it.
        let mut samples = Vec::new();
        for _round in 0..5 {
            for end in 1..=TYPED.len() {
                let text = &TYPED[..end];
                let (feedback, follow) = (glob(text), preview(text, text));
                samples.push(time_us(|| {
                    black_box(engine.handle(feedback));
                    black_box(engine.handle(follow));
                }));
            }
        }
        report(&format!("page_keystroke_{name}"), samples);
    }
}
