//! Random input never panics, and time per input stays linear in its size.

use std::time::{Duration, Instant};

use keyscope::ids::IdIndex;
use keyscope::lint::check;
use keyscope::pattern::parse;
use keyscope::scope::Scope;
use proptest::prelude::*;

fn owner() -> IdIndex {
    IdIndex::new([
        "Contoso",
        "Contoso.Core",
        "Fabrikam-Tests",
        "a",
        "not valid",
    ])
}

/// Not a speed budget (those are measured by `./ks bench`): a bound generous enough for a
/// debug build on a machine running browsers on both cores, yet far below what a quadratic
/// blow-up would take on inputs of up to 24,000 characters over 20,000 ids.
fn budget(chars: usize) -> Duration {
    Duration::from_secs(2) + Duration::from_millis(1) * chars as u32
}

/// Text mostly from the characters that matter, with any Unicode mixed in.
fn pattern_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9_.*-]{0,40}",
        "[a.*-]{0,120}",
        "[a-z.*?\\[\\]{} ,;/\\\\\u{200b}\u{441}é\u{202e}\0-]{0,40}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn check_never_panics_and_is_consistent(text in pattern_text()) {
        let ids = owner();
        let verdict = check(&text, Some(&ids), &[Scope::Push, Scope::Unlist]);
        prop_assert_eq!(verdict.valid, verdict.errors.is_empty());
        prop_assert_eq!(verdict.valid, parse(&text).is_ok());
        let len = text.chars().count();
        for error in &verdict.errors {
            prop_assert!(error.start < error.end && error.end <= len);
        }
        for warning in &verdict.warnings {
            if let (Some(start), Some(end)) = (warning.start, warning.end) {
                prop_assert!(start < end && end <= len);
            }
            if let Some(suggestion) = &warning.suggestion {
                prop_assert!(parse(suggestion).is_ok());
            }
        }
        prop_assert!(serde_json::to_string(&verdict).is_ok());
    }

    #[test]
    fn matching_any_id_never_panics(text in "[a-zA-Z.*-]{0,20}", id in any::<String>()) {
        if let Ok(pattern) = parse(&text) {
            let matched = pattern.is_match(&id);
            let spans = pattern.literal_spans(&id);
            prop_assert_eq!(matched, spans.is_some());
        }
    }

    #[test]
    fn check_time_is_linear_in_input(unit in pattern_text(), repeat in 1usize..200) {
        let text = unit.repeat(repeat);
        let ids = owner();
        let start = Instant::now();
        let _ = check(&text, Some(&ids), &[Scope::Push]);
        let elapsed = start.elapsed();
        let chars = text.chars().count();
        prop_assert!(elapsed < budget(chars), "{chars} chars took {elapsed:?}");
    }
}

#[test]
fn ten_thousand_character_paste_is_fast() {
    let ids = owner();
    for text in [
        "a*".repeat(5_000),
        "a ?\u{200b}".repeat(2_500),
        "*".repeat(10_000),
    ] {
        let start = Instant::now();
        let _ = check(&text, Some(&ids), &[Scope::Push]);
        assert!(start.elapsed() < budget(10_000), "{:?}", start.elapsed());
    }
}
