//! Coverage, subjects and the guard's removal answer checked against a deliberately naive
//! implementation: backtracking matching on characters, every package × key × subject
//! compared one by one, no indexes, no bitsets, no pattern engine.

use std::collections::BTreeSet;

use keyscope::coverage::{self, left_uncovered_without};
use keyscope::page::{ApiKey, PackageOwner, PageData};
use keyscope::subjects::{submitted_subjects, EditDiff, OwnerIds, Subject};
use proptest::prelude::*;
use serde_json::{json, Value};

const DESCRIPTIONS: [&str; 6] = [
    "All",
    "Push new packages and package versions",
    "Push only new package versions",
    "Unlist or relist package versions",
    "Unlist, relist, or deprecate package versions",
    "Verify package ownership",
];

fn lower(text: &str) -> Vec<char> {
    text.chars().map(|c| c.to_ascii_lowercase()).collect()
}

/// `^escape(subject)$` with `*` → `.*`, ignoring case, by plain backtracking.
fn naive_match(subject: &[char], id: &[char]) -> bool {
    match subject.split_first() {
        None => id.is_empty(),
        Some(('*', rest)) => (0..=id.len()).any(|skip| naive_match(rest, &id[skip..])),
        Some((c, rest)) => id.first() == Some(c) && naive_match(rest, &id[1..]),
    }
}

fn naive_subjects(key: &ApiKey) -> Vec<String> {
    key.glob_pattern
        .iter()
        .chain(&key.packages)
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect()
}

fn naive_actions(key: &ApiKey) -> Vec<&'static str> {
    let has = |text: &str| key.scopes.iter().any(|s| s == text);
    if has("All") || (key.is_non_scoped && key.scopes.is_empty()) {
        return vec!["package:push", "package:pushversion", "package:unlist"];
    }
    let mut out = Vec::new();
    if has(DESCRIPTIONS[1]) {
        out.push("package:push");
    }
    if has(DESCRIPTIONS[2]) {
        out.push("package:pushversion");
    }
    if has(DESCRIPTIONS[3]) || has(DESCRIPTIONS[4]) {
        out.push("package:unlist");
    }
    out
}

fn naive_state(key: &ApiKey) -> &'static str {
    if key.revocation_source.is_some() {
        "revoked"
    } else if key.has_expired {
        "expired"
    } else if key.is_non_scoped {
        "legacy"
    } else {
        "live"
    }
}

fn naive_covers(key: &ApiKey, id: &str) -> bool {
    let usable = matches!(naive_state(key), "live" | "legacy") && !naive_actions(key).is_empty();
    usable
        && (key.is_non_scoped
            || naive_subjects(key)
                .iter()
                .any(|s| naive_match(&lower(s), &lower(id))))
}

fn distinct_ids(owner: &PackageOwner) -> Vec<String> {
    let mut seen = BTreeSet::new();
    owner
        .package_ids
        .iter()
        .filter(|id| seen.insert(id.to_ascii_lowercase()))
        .cloned()
        .collect()
}

fn listed<'a>(page: &'a PageData, owner: &PackageOwner) -> Vec<&'a ApiKey> {
    page.api_keys
        .iter()
        .filter(|k| {
            k.is_non_scoped
                || k.owner
                    .as_deref()
                    .is_some_and(|o| o.eq_ignore_ascii_case(&owner.owner))
        })
        .collect()
}

fn naive_report(page: &PageData) -> Value {
    let owners: Vec<Value> = page
        .package_owners
        .iter()
        .map(|owner| {
            let ids = distinct_ids(owner);
            let keys = listed(page, owner);
            let packages: Vec<Value> = ids
                .iter()
                .map(|id| {
                    let grants: Vec<Value> = keys
                        .iter()
                        .filter(|k| naive_covers(k, id))
                        .map(|k| json!({"key": k.key, "actions": naive_actions(k)}))
                        .collect();
                    json!({"id": id, "keys": grants})
                })
                .collect();
            let uncovered: Vec<&String> = ids
                .iter()
                .filter(|id| !keys.iter().any(|k| naive_covers(k, id)))
                .collect();
            let key_rows: Vec<Value> = keys
                .iter()
                .map(|k| {
                    let grants_all = k.is_non_scoped
                        || naive_subjects(k).iter().any(|s| s.chars().all(|c| c == '*'));
                    json!({
                        "key": k.key,
                        "description": k.description,
                        "state": naive_state(k),
                        "covers": ids.iter().filter(|id| naive_covers(k, id)).count(),
                        "grants_all": grants_all,
                    })
                })
                .collect();
            json!({"owner": owner.owner, "packages": packages, "uncovered": uncovered, "keys": key_rows})
        })
        .collect();
    json!({ "owners": owners })
}

fn id_strategy() -> impl Strategy<Value = String> {
    "[aAb][ab.-]{0,5}"
}

fn subject_strategy() -> impl Strategy<Value = String> {
    "[aAb.*? -]{0,6}"
}

fn key_strategy(number: i64) -> impl Strategy<Value = ApiKey> {
    (
        prop::option::of(prop::sample::select(vec![
            "alice", "ALICE", "contoso", "Contoso", "nobody",
        ])),
        prop::collection::vec(prop::sample::select(DESCRIPTIONS.to_vec()), 0..3),
        prop::option::of(subject_strategy()),
        prop::collection::vec(subject_strategy(), 0..3),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            move |(owner, scopes, glob, packages, legacy, expired, revoked)| ApiKey {
                key: number,
                description: format!("key {number}"),
                owner: owner.map(str::to_owned),
                scopes: scopes.into_iter().map(str::to_owned).collect(),
                glob_pattern: glob,
                packages,
                is_non_scoped: legacy,
                has_expired: expired,
                revocation_source: revoked.then(|| "User".to_string()),
                ..ApiKey::default()
            },
        )
}

fn page_strategy() -> impl Strategy<Value = PageData> {
    let owners = (
        prop::collection::vec(id_strategy(), 0..12),
        prop::collection::vec(id_strategy(), 0..12),
    )
        .prop_map(|(alice, contoso)| {
            vec![
                PackageOwner {
                    owner: "alice".into(),
                    package_ids: alice,
                    ..PackageOwner::default()
                },
                PackageOwner {
                    owner: "Contoso".into(),
                    package_ids: contoso,
                    ..PackageOwner::default()
                },
            ]
        });
    let keys = (0..5i64)
        .map(key_strategy)
        .collect::<Vec<_>>()
        .prop_map(|keys| {
            keys.into_iter()
                .enumerate()
                .map(|(at, key)| ApiKey {
                    key: at as i64 + 1,
                    ..key
                })
                .collect::<Vec<_>>()
        });
    (owners, keys).prop_map(|(package_owners, api_keys)| PageData {
        api_keys,
        package_owners,
        ..PageData::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn coverage_report_equals_the_naive_one(page in page_strategy()) {
        let report = serde_json::to_value(coverage::compute(&page, 0)).unwrap_or(Value::Null);
        prop_assert_eq!(report, naive_report(&page));
    }

    #[test]
    fn subject_matches_like_the_naive_rule(subject in subject_strategy(), id in id_strategy()) {
        prop_assert_eq!(
            Subject::new(&subject).is_match(&id),
            naive_match(&lower(&subject), &lower(&id))
        );
    }

    #[test]
    fn overlaps_count_shared_packages(page in page_strategy()) {
        let report = coverage::compute(&page, 0);
        let mut naive = Vec::new();
        for owner in &page.package_owners {
            let ids = distinct_ids(owner);
            let keys = listed(&page, owner);
            for (i, a) in keys.iter().enumerate() {
                for b in keys.iter().skip(i + 1) {
                    let shared = ids.iter().filter(|id| naive_covers(a, id) && naive_covers(b, id)).count();
                    if shared > 0 {
                        naive.push((owner.owner.clone(), a.key, b.key, shared));
                    }
                }
            }
        }
        let got: Vec<_> = report.review.overlaps.iter()
            .map(|o| (o.owner.clone(), o.first, o.second, o.shared)).collect();
        prop_assert_eq!(got, naive);
    }

    #[test]
    fn removal_leaves_exactly_the_packages_only_that_key_covered(page in page_strategy(), pick in 1i64..6) {
        let mut naive = Vec::new();
        for owner in &page.package_owners {
            let keys = listed(&page, owner);
            let lost: Vec<String> = distinct_ids(owner).into_iter().filter(|id| {
                let coverers: Vec<i64> = keys.iter().filter(|k| naive_covers(k, id)).map(|k| k.key).collect();
                coverers == vec![pick]
            }).collect();
            if !lost.is_empty() {
                naive.push((owner.owner.clone(), lost));
            }
        }
        prop_assert_eq!(left_uncovered_without(&page, pick, 0), naive);
    }

    #[test]
    fn submitted_subjects_follow_the_forms_rule(
        pattern in subject_strategy(),
        ticked in prop::collection::vec(id_strategy(), 0..8),
    ) {
        let mut naive: Vec<String> = Vec::new();
        if !pattern.trim().is_empty() {
            naive.push(pattern.clone());
        }
        let mut seen = BTreeSet::new();
        for id in &ticked {
            let matched = !pattern.trim().is_empty() && naive_match(&lower(&pattern), &lower(id));
            if !matched && seen.insert(id.to_ascii_lowercase()) {
                naive.push(id.clone());
            }
        }
        prop_assert_eq!(submitted_subjects(&pattern, &ticked), naive);
    }

    #[test]
    fn edit_diff_gains_and_loses_like_the_naive_sets(
        ids in prop::collection::vec(id_strategy(), 0..12),
        current in prop::collection::vec(subject_strategy(), 1..3),
        new in prop::collection::vec(subject_strategy(), 1..3),
    ) {
        let owner_ids = OwnerIds::new(&ids);
        let effective = |subjects: &[String]| -> Vec<String> {
            let given: Vec<String> = subjects.iter().filter(|s| !s.trim().is_empty()).cloned().collect();
            if given.is_empty() { vec!["*".to_string()] } else { given }
        };
        let (before, after) = (effective(&current), effective(&new));
        let hit = |subjects: &[String], id: &str| subjects.iter().any(|s| naive_match(&lower(s), &lower(id)));
        let diff = EditDiff::between(&current, &new, &owner_ids);
        let gained: Vec<String> = owner_ids.ids().iter().filter(|id| !hit(&before, id) && hit(&after, id)).cloned().collect();
        let lost: Vec<String> = owner_ids.ids().iter().filter(|id| hit(&before, id) && !hit(&after, id)).cloned().collect();
        prop_assert_eq!(&diff.gained, &gained);
        prop_assert_eq!(&diff.lost, &lost);
        prop_assert!(gained.is_empty() || diff.is_widening());
    }

    #[test]
    fn containment_is_never_wrong(outer in subject_strategy(), inner in subject_strategy(), id in id_strategy()) {
        let (a, b) = (Subject::new(&outer), Subject::new(&inner));
        if a.contains(&b) && b.is_match(&id) {
            prop_assert!(a.is_match(&id), "{outer:?} was said to contain {inner:?} but misses {id:?}");
        }
    }
}
