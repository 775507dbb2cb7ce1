//! Fuzzes coverage matching: the indexed path (sorted ids, prefix ranges, answers shared
//! between keys) must agree with matching every id against every subject one by one, for
//! any ids and subjects, including ones the page's validator would reject.
//!
//! Input: the first line holds ids separated by spaces; each further line is one key's
//! subjects separated by `|`.

#![no_main]

use std::collections::HashMap;

use keyscope::subjects::{EditDiff, OwnerIds, Subject, SubjectSet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.lines();
    let ids = OwnerIds::new(lines.next().unwrap_or_default().split(' '));
    let keys: Vec<Vec<String>> = lines
        .take(16)
        .map(|line| line.split('|').map(str::to_owned).collect())
        .collect();
    let mut cache = HashMap::new();
    for subjects in &keys {
        let set = SubjectSet::new(subjects);
        let fast = set.matching_cached(&ids, &mut cache);
        let slow: Vec<usize> = ids
            .index()
            .folded()
            .iter()
            .enumerate()
            .filter(|(_, id)| set.subjects().iter().any(|s| s.is_match_folded(id)))
            .map(|(at, _)| at)
            .collect();
        assert_eq!(fast, slow, "subjects {subjects:?}");
    }
    if let [current, new, ..] = keys.as_slice() {
        let diff = EditDiff::between(current, new, &ids);
        assert!(diff.gained.is_empty() || diff.is_widening());
        for a in current {
            for b in new {
                let (outer, inner) = (Subject::new(a), Subject::new(b));
                if outer.contains(&inner) {
                    for id in ids.ids() {
                        assert!(!inner.is_match(id) || outer.is_match(id));
                    }
                }
            }
        }
    }
});
