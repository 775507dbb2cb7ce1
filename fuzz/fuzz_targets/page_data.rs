//! Fuzzes reading the page's data: any script text or JSON must give a value or an error,
//! never a panic, and a parsed page must survive the whole review without one. A key's
//! secret must never show in `Debug` output. The typed one-pass reader must read every input
//! it accepts exactly as the walk over a `serde_json::Value` does, and `parse_page_data` must
//! answer as the walk does, errors included.

#![no_main]

use keyscope::{coverage, page};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let json = page::extract_initial_data(text).unwrap_or(text);
    let walked = page::parse_page_data_walked(json);
    if let Some(typed) = page::parse_page_data_typed(json) {
        assert_eq!(Ok(&typed), walked.as_ref(), "the typed reader disagrees with the walk");
    }
    assert_eq!(page::parse_page_data(json), walked);
    let Ok(page) = walked else {
        return;
    };
    let _ = page.summary().to_string();
    // No part of a secret shows in Debug output beyond its mask: with every secret swapped for
    // one that masks the same way and shares nothing else, the output stays the same. (Looking
    // for the plaintext in the output took a key's value repeated as another's description
    // for a leak.)
    let mut stand_ins = page.clone();
    for key in &mut stand_ins.api_keys {
        key.value = key.value.as_ref().map(|secret| match secret.masked().strip_prefix("oy2…") {
            Some(tail) => page::Secret::new(format!("{}{tail}", "\u{1}".repeat(8))),
            None => page::Secret::new("\u{1}"),
        });
    }
    assert_eq!(format!("{page:?}"), format!("{stand_ins:?}"), "a secret leaked into Debug output");
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
