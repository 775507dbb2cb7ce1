//! Fuzzes reading the page's data: any script text or JSON must give a value or an error,
//! never a panic, and a parsed page must survive the whole review without one. A key's
//! secret must never show in `Debug` output.

#![no_main]

use keyscope::{coverage, page};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let json = page::extract_initial_data(text).unwrap_or(text);
    let Ok(page) = page::parse_page_data(json) else {
        return;
    };
    let _ = page.summary().to_string();
    let debug = format!("{page:?}");
    // The plaintext values, read from the input itself (KeyScope's Secret never hands it out).
    let values: Vec<String> = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|data| data.get("ApiKeys").and_then(|keys| keys.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|key| key.get("Value").and_then(|value| value.as_str()).map(str::to_owned))
        .collect();
    for plain in &values {
        if plain.chars().count() >= 12 {
            assert!(!debug.contains(plain.as_str()), "a secret leaked into Debug output");
        }
    }
    for key in &page.api_keys {
        let _ = (
            key.subjects(),
            key.actions(),
            key.state(0),
            key.expires_within(0, 14),
        );
    }
    let report = coverage::compute(&page, 0);
    let _ = format!("{report:?}");
    if let Some(first) = page.api_keys.first() {
        let _ = coverage::left_uncovered_without(&page, first.key, 0);
    }
    let _ = page::parse_timestamp(text);
});
