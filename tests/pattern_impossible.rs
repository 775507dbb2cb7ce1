//! `impossible` is decided exactly: for every pattern over a small alphabet, the engine's
//! shortest valid match agrees with brute force over every id up to a small length bound.
//!
//! One word character is enough for the alphabet: the id grammar only tells word characters
//! from separators, so `a`, `.`, `-` and `*` exercise every case the grammar has.

use keyscope::ids::is_valid_id;
use keyscope::pattern::parse;

const ID_BOUND: usize = 6;

fn all_strings(alphabet: &[char], max_len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut layer = vec![String::new()];
    for _ in 0..max_len {
        let mut next = Vec::new();
        for prefix in &layer {
            for &c in alphabet {
                let mut s = prefix.clone();
                s.push(c);
                next.push(s);
            }
        }
        all.extend(next.iter().cloned());
        layer = next;
    }
    all
}

#[test]
fn shortest_valid_match_agrees_with_brute_force() {
    let valid_ids: Vec<String> = all_strings(&['a', '.', '-'], ID_BOUND)
        .into_iter()
        .filter(|id| is_valid_id(id))
        .collect();
    for text in all_strings(&['a', '.', '-', '*'], 5) {
        let Ok(pattern) = parse(&text) else {
            panic!("{text:?} should parse");
        };
        let brute = valid_ids
            .iter()
            .filter(|id| pattern.is_match(id))
            .map(String::len)
            .min();
        let shortest = pattern.shortest_valid_match();
        match brute {
            Some(len) => assert_eq!(
                shortest.as_ref().map(String::len),
                Some(len),
                "pattern {text:?}"
            ),
            None => assert!(
                shortest.as_ref().is_none_or(|id| id.len() > ID_BOUND),
                "pattern {text:?}: engine found {shortest:?}, brute force none"
            ),
        }
        if let Some(witness) = shortest {
            assert!(
                is_valid_id(&witness) || witness.len() > 100,
                "{text:?}: {witness:?}"
            );
            assert!(pattern.is_match(&witness), "{text:?}: {witness:?}");
        }
    }
}

#[test]
fn hundred_character_bound_is_exact() {
    let at_limit = format!("{}*", "a".repeat(100));
    let over_limit = format!("{}.*", "a".repeat(99));
    assert!(parse(&at_limit).is_ok_and(|p| p.can_match_valid_id()));
    assert!(parse(&over_limit).is_ok_and(|p| !p.can_match_valid_id()));
}
