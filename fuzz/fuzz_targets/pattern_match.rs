//! Fuzzes matching: for any pattern nuget.org accepts and any ids, the engine agrees with a
//! plain dynamic-programming reading of nuget.org's rule, and highlights exactly the ids it
//! matches.
//!
//! Input: the first line is the pattern; every further line is an id.

#![no_main]

use keyscope::ids::{fold_case, IdIndex};
use keyscope::pattern::{parse, PatternSet};
use libfuzzer_sys::fuzz_target;

/// `^` + pattern with `*` → `.*` + `$`, ignoring ASCII case, decided cell by cell.
fn reference(pattern: &str, id: &str) -> bool {
    let id: Vec<char> = id.chars().collect();
    let mut row = vec![false; id.len() + 1];
    row[0] = true;
    for p in pattern.chars() {
        let mut next = vec![false; id.len() + 1];
        let mut any = false;
        for j in 0..=id.len() {
            next[j] = if p == '*' {
                any |= row[j];
                any
            } else {
                j > 0 && row[j - 1] && p.eq_ignore_ascii_case(&id[j - 1])
            };
        }
        row = next;
    }
    row[id.len()]
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let pattern_text = lines.next().unwrap_or_default();
    let Ok(pattern) = parse(pattern_text) else {
        return;
    };
    let ids: Vec<&str> = lines.collect();
    for id in &ids {
        let expected = !pattern_text.is_empty() && reference(pattern_text, id);
        assert_eq!(pattern.is_match(id), expected, "{pattern_text:?} vs {id:?}");
        assert_eq!(pattern.is_match_folded(&fold_case(id)), expected);
        assert_eq!(pattern.literal_spans(id).is_some(), expected);
    }
    let index = IdIndex::new(ids.iter().copied());
    let set = PatternSet::new(std::slice::from_ref(&pattern));
    let expected: Vec<usize> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !pattern_text.is_empty() && reference(pattern_text, id))
        .map(|(position, _)| position)
        .collect();
    assert_eq!(pattern.matching(&index), expected);
    assert_eq!(set.matching(&index), expected);
    assert_eq!(set.count(&index), expected.len());
});
