//! The engine against an independent, straightforward implementation of nuget.org's rule,
//! over more than a million generated (pattern, id) pairs skewed toward the tricky cases:
//! stars anywhere and in runs, case differences, dots and hyphens, ids that almost match.
//!
//! The reference is the textbook dynamic-programming wildcard matcher: `*` matches any run
//! of characters, everything else one character equal ignoring ASCII case, whole id only.
//! A second oracle is globset configured the way issue 3 proposed (stars collapsed,
//! `literal_separator(false)`, lowercased case-sensitive glob over lowercased ids).

mod support;

use globset::{Candidate, GlobBuilder};
use keyscope::ids::{fold_case, IdIndex};
use keyscope::pattern::{collapse_stars, parse};
use support::random::Rng;

/// nuget.org's rule, written the obvious way: `dp[j]` = pattern[..i] matches id[..j].
fn reference_match(pattern: &str, id: &str) -> bool {
    let id: Vec<char> = id.chars().collect();
    let mut dp = vec![false; id.len() + 1];
    let mut next = vec![false; id.len() + 1];
    dp[0] = true;
    for p in pattern.chars() {
        if p == '*' {
            let mut any = false;
            for j in 0..=id.len() {
                any |= dp[j];
                next[j] = any;
            }
        } else {
            next[0] = false;
            for j in 1..=id.len() {
                next[j] = dp[j - 1] && p.eq_ignore_ascii_case(&id[j - 1]);
            }
        }
        std::mem::swap(&mut dp, &mut next);
    }
    dp[id.len()]
}

const WORDS: [&str; 10] = [
    "a", "ab", "Ba", "core", "Contoso", "x1", "_", "Tests", "aa", "b",
];
const SEPARATORS: [&str; 2] = [".", "-"];

/// A plausible id: words joined by separators, sometimes with odd characters thrown in.
fn random_id(rng: &mut Rng) -> String {
    let mut id = String::new();
    for index in 0..1 + rng.below(4) {
        if index > 0 {
            id.push_str(rng.pick(&SEPARATORS));
        }
        id.push_str(rng.pick(&WORDS));
    }
    if rng.chance(10) {
        let odd = rng.pick(&["..", "/", "é", "K", "\u{212a}", "", "."]);
        let at = rng.below(id.len() + 1);
        if id.is_char_boundary(at) {
            id.insert_str(at, odd);
        }
    }
    id
}

/// A pattern made from an id: parts replaced by stars or star runs, case flipped.
fn pattern_from(id: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    let mut pattern = String::new();
    let mut index = 0;
    while index < chars.len() {
        if rng.chance(20) {
            pattern.push_str(rng.pick(&["*", "*", "**", "***"]));
            index += rng.below(4);
            continue;
        }
        let c = chars[index];
        pattern.push(if rng.chance(30) {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        } else {
            c
        });
        index += 1;
    }
    if rng.chance(25) {
        pattern.push('*');
    }
    if rng.chance(25) {
        pattern.insert(0, '*');
    }
    pattern
}

/// An id that almost matches `pattern`: stars filled, then one character changed, dropped,
/// or added, or the id cut short.
fn near_miss(pattern: &str, rng: &mut Rng) -> String {
    let mut id = String::new();
    for c in pattern.chars() {
        if c == '*' {
            id.push_str(rng.pick(&["", "", "a", ".", "x.y", "-B"]));
        } else {
            id.push(c);
        }
    }
    let mut chars: Vec<char> = id.chars().collect();
    match rng.below(5) {
        0 if !chars.is_empty() => {
            let at = rng.below(chars.len());
            chars[at] = rng.pick(&['a', 'B', '.', '-', '_']);
        }
        1 if !chars.is_empty() => {
            chars.remove(rng.below(chars.len()));
        }
        2 => chars.insert(rng.below(chars.len() + 1), rng.pick(&['a', '.', '-'])),
        3 => chars.truncate(rng.below(chars.len() + 1)),
        _ => {}
    }
    chars.into_iter().collect()
}

/// A pattern and ids over a tiny alphabet, where accidental matches are frequent.
fn tiny(rng: &mut Rng, alphabet: &[char], max_len: usize) -> String {
    (0..rng.below(max_len + 1))
        .map(|_| rng.pick(alphabet))
        .collect()
}

fn cases(seed: u64, patterns: usize, ids_per_pattern: usize) -> Vec<(String, Vec<String>)> {
    let mut rng = Rng::new(seed);
    (0..patterns)
        .map(|n| {
            let pattern = if n % 3 == 0 {
                tiny(&mut rng, &['a', 'A', 'b', '.', '-', '*', '*'], 8)
            } else {
                let base = random_id(&mut rng);
                pattern_from(&base, &mut rng)
            };
            let ids = (0..ids_per_pattern)
                .map(|k| match k % 4 {
                    0 => random_id(&mut rng),
                    1 => tiny(&mut rng, &['a', 'A', 'b', '.', '-'], 8),
                    _ => near_miss(&pattern, &mut rng),
                })
                .collect();
            (pattern, ids)
        })
        .collect()
}

#[test]
fn engine_agrees_with_reference_on_a_million_pairs() {
    let mut pairs = 0usize;
    let mut matches = 0usize;
    for (text, ids) in cases(0x00C0_FFEE, 50_000, 21) {
        let pattern = match parse(&text) {
            Ok(pattern) => pattern,
            Err(problems) => panic!("generated pattern {text:?} refused: {problems:?}"),
        };
        for id in &ids {
            let expected = !text.is_empty() && reference_match(&text, id);
            assert_eq!(
                pattern.is_match(id),
                expected,
                "pattern {text:?} vs id {id:?}"
            );
            assert_eq!(
                pattern.is_match_folded(&fold_case(id)),
                expected,
                "folded: pattern {text:?} vs id {id:?}"
            );
            pairs += 1;
            matches += usize::from(expected);
        }
    }
    assert!(pairs >= 1_000_000, "only {pairs} pairs");
    // The generator must really be skewed toward matches, not only misses.
    assert!(matches > pairs / 10, "only {matches} matches of {pairs}");
}

/// Counting and listing over an owner's ids take the ids starting with the pattern's literal
/// prefix from a sorted index, or walk every id when the pattern starts with `*`: either way
/// the positions must be exactly those the reference matches, ascending, duplicates and
/// case variants included.
#[test]
fn indexed_matching_lists_exactly_the_ids_the_reference_matches() {
    let mut listed = 0usize;
    for (seed, (text, ids)) in cases(0x1D5E_ED00, 4_000, 60).into_iter().enumerate() {
        let Ok(pattern) = parse(&text) else { continue };
        let mut ids = ids;
        // Duplicates and case variants of a few ids, as page data may hold them.
        let copies: Vec<String> = ids
            .iter()
            .step_by(7)
            .map(|id| id.to_ascii_uppercase())
            .collect();
        ids.extend(copies);
        let turn = seed % ids.len().max(1);
        ids.rotate_left(turn);
        let index = IdIndex::new(ids.iter().cloned());
        let expected: Vec<usize> = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| !text.is_empty() && reference_match(&text, id))
            .map(|(at, _)| at)
            .collect();
        assert_eq!(
            pattern.matching(&index),
            expected,
            "pattern {text:?} over {ids:?}"
        );
        assert_eq!(pattern.count(&index), expected.len(), "count of {text:?}");
        listed += expected.len();
    }
    assert!(listed > 10_000, "only {listed} matches listed");
}

#[test]
fn literal_spans_exist_exactly_when_the_id_matches() {
    for (text, ids) in cases(0xBEEF, 5_000, 8) {
        let Ok(pattern) = parse(&text) else { continue };
        for id in &ids {
            let spans = pattern.literal_spans(id);
            assert_eq!(spans.is_some(), pattern.is_match(id), "{text:?} vs {id:?}");
            let len = id.chars().count();
            let mut previous_end = 0;
            for (start, end) in spans.unwrap_or_default() {
                assert!(
                    previous_end <= start && start < end && end <= len,
                    "{text:?} {id:?}"
                );
                previous_end = end;
            }
        }
    }
}

#[test]
fn globset_configured_as_nuget_agrees_with_reference() {
    for (text, ids) in cases(0x0006_1055, 2_000, 12) {
        if text.is_empty() {
            continue;
        }
        let glob = GlobBuilder::new(&collapse_stars(&text).to_ascii_lowercase())
            .literal_separator(false)
            .case_insensitive(false)
            .backslash_escape(false)
            .build();
        let matcher = match glob {
            Ok(glob) => glob.compile_matcher(),
            Err(error) => panic!("globset refused {text:?}: {error}"),
        };
        for id in &ids {
            let folded = id.to_ascii_lowercase();
            assert_eq!(
                matcher.is_match_candidate(&Candidate::from_bytes(folded.as_bytes())),
                reference_match(&text, id),
                "globset: pattern {text:?} vs id {id:?}"
            );
        }
    }
}

#[test]
fn reference_matcher_follows_nuget_rule() {
    assert!(reference_match("Contoso.*", "contoso.core"));
    assert!(!reference_match("Contoso.*", "Contoso"));
    assert!(reference_match("a**b", "ab"));
    assert!(!reference_match("a", "ab"));
    assert!(reference_match("*", ""));
}
