//! Fuzzes the per-keystroke verdict: any text gives a verdict, never a panic; the verdict is
//! consistent (valid iff no errors, spans inside the pattern, suggestions nuget.org accepts)
//! and serialises to JSON.

#![no_main]

use keyscope::ids::IdIndex;
use keyscope::lint::check;
use keyscope::pattern::parse;
use keyscope::scope::Scope;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let ids = IdIndex::new(["Contoso", "Contoso.Core", "Fabrikam-Tests", "x", "not valid"]);
    let scopes: &[Scope] = match data.first().map(|b| b % 3) {
        Some(0) => &[Scope::Push],
        Some(1) => &[Scope::PushVersion, Scope::Unlist],
        _ => &[],
    };
    let verdict = check(&text, Some(&ids), scopes);
    assert_eq!(verdict.valid, verdict.errors.is_empty());
    let len = text.chars().count();
    for error in &verdict.errors {
        assert!(error.start < error.end && error.end <= len);
    }
    for warning in &verdict.warnings {
        if let (Some(start), Some(end)) = (warning.start, warning.end) {
            assert!(start < end && end <= len);
        }
        if let Some(suggestion) = &warning.suggestion {
            assert!(parse(suggestion).is_ok());
        }
    }
    assert!(verdict.matched <= verdict.total);
    assert!(serde_json::to_string(&verdict).is_ok());
});
