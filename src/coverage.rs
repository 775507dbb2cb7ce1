//! Coverage: which keys can act on which packages, with which actions.
//!
//! The review a reviewer opens before creating a key (issue 4 §2) and the `keyscope coverage`
//! report (§5) are the same computation: for each owner, each package's usable keys with
//! their actions, the packages no key covers, and each key's state and reach. The guard's
//! Delete/Revoke warning ([`left_uncovered_without`]) reads its answer from it too.
//!
//! Shaped for the budget (50 keys × 20,000 ids in well under 50 ms): an owner's ids are
//! folded and sorted once ([`OwnerIds`]); each distinct subject is matched against them once
//! per owner, however many keys share it ([`SubjectSet::matching_cached`]: a binary search
//! for a literal, the prefix's range for `Contoso.*`, one scan for `*.Tests`), never
//! package × key; and each key's reach is kept as a bitset so overlaps are word-wise ANDs
//! rather than package × key × key loops.
//!
//! Rules (nuget.org's): a key acts only for its own owner (names compare without case); every
//! subject is a pattern; expired and revoked keys cover nothing; a legacy full-access key
//! covers every package of every owner with every action and is listed under every owner.
//! A key whose scopes grant none of the three package actions ("Verify package ownership")
//! covers nothing either: it can't push or unlist.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde::Serialize;

use crate::page::{KeyState, PageData};
use crate::scope::Scope;
use crate::subjects::{effective_subjects, OwnerIds, OwnerIdsCache, SubjectSet};

/// Keys expiring within this many days of `now` are flagged.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// The number the pending "what if" key goes by: the create form's own number on the page.
pub const PENDING_KEY: i64 = 0;

/// A key not created yet, added to the review as an extra column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PendingKey {
    /// The owner selected in the create form.
    pub owner: String,
    /// The scopes selected; none means every action, as nuget.org would grant.
    pub actions: Vec<Scope>,
    /// The subjects the form would submit; none means `*`, as nuget.org would store.
    pub subjects: Vec<String>,
}

/// The whole review. Serialises to exactly the `keyscope coverage --json` report:
/// `{"owners": [...]}`; the cross-owner findings are in [`Coverage::review`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// One entry per owner, in page order.
    pub owners: Vec<OwnerCoverage>,
    /// Findings across keys.
    #[serde(skip)]
    pub review: Review,
}

/// One owner's packages and keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OwnerCoverage {
    /// The owner's name as the page gives it.
    pub owner: String,
    /// Every package of the owner, in page order, with the keys that cover it.
    pub packages: Vec<PackageCoverage>,
    /// The packages no usable key covers, in page order.
    pub uncovered: Vec<String>,
    /// Every key made for this owner (any state) and every legacy key, in page order.
    pub keys: Vec<KeyCoverage>,
}

/// One package and the usable keys that can act on it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PackageCoverage {
    /// The package id.
    pub id: String,
    /// The keys, in page order (the pending key last).
    pub keys: Vec<Grant>,
}

/// A key's actions on one package.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The key's number.
    pub key: i64,
    /// Its actions, as scope ids when serialised; shared by every package the key covers
    /// (one key can cover tens of thousands).
    #[serde(serialize_with = "scope_list")]
    pub actions: Rc<[Scope]>,
}

fn scope_list<S: serde::Serializer>(
    actions: &Rc<[Scope]>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(actions.iter())
}

/// A key as listed under an owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyCoverage {
    /// The key's number.
    pub key: i64,
    /// The key's name.
    pub description: String,
    /// Its state at `now`.
    pub state: KeyState,
    /// How many of this owner's packages it covers.
    pub covers: usize,
    /// Whether it reaches every package there is or will be (a subject of only stars, or a
    /// legacy key), whatever its state.
    pub grants_all: bool,
}

/// Findings across keys, for the review's warnings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// Usable keys that reach every package (only-star subject, or legacy), in page order.
    pub grants_everything: Vec<i64>,
    /// Pairs of keys of one owner whose covered packages overlap.
    pub overlaps: Vec<Overlap>,
    /// Usable keys expiring within [`EXPIRY_WARNING_DAYS`] of `now`, in page order.
    pub expiring_soon: Vec<i64>,
}

/// Two keys covering some of the same packages of one owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// The owner.
    pub owner: String,
    /// The first key (earlier in page order).
    pub first: i64,
    /// The second key.
    pub second: i64,
    /// How many packages both cover.
    pub shared: usize,
}

impl Coverage {
    /// The entry for `owner` (without case).
    pub fn owner(&self, owner: &str) -> Option<&OwnerCoverage> {
        self.owners
            .iter()
            .find(|entry| entry.owner.trim().eq_ignore_ascii_case(owner.trim()))
    }
}

/// One key's column of the review, before it is laid over an owner's packages.
struct Column {
    key: i64,
    description: String,
    state: KeyState,
    actions: Rc<[Scope]>,
    owner: Option<String>,
    legacy: bool,
    subjects: SubjectSet,
    grants_all: bool,
}

impl Column {
    fn listed_under(&self, owner: &str) -> bool {
        self.legacy
            || self
                .owner
                .as_deref()
                .is_some_and(|own| own.trim().eq_ignore_ascii_case(owner.trim()))
    }

    fn can_act(&self) -> bool {
        self.state.is_usable() && !self.actions.is_empty()
    }

    /// The positions of `ids` this key covers (`cache` shares subject answers between keys).
    fn covered(&self, ids: &OwnerIds, cache: &mut HashMap<String, Vec<usize>>) -> Vec<usize> {
        if !self.can_act() {
            Vec::new()
        } else if self.legacy {
            (0..ids.len()).collect()
        } else {
            self.subjects.matching_cached(ids, cache)
        }
    }
}

fn columns(page: &PageData, now: i64, pending: Option<&PendingKey>) -> Vec<Column> {
    let mut columns: Vec<Column> = page
        .api_keys
        .iter()
        .map(|api_key| {
            let subjects = SubjectSet::new(api_key.subjects());
            let legacy = api_key.is_non_scoped;
            Column {
                key: api_key.key,
                description: api_key.description.clone(),
                state: api_key.state(now),
                actions: api_key.actions().into(),
                owner: api_key.owner.clone(),
                legacy,
                grants_all: legacy || subjects.grants_all(),
                subjects,
            }
        })
        .collect();
    if let Some(pending) = pending {
        let subjects = SubjectSet::new(effective_subjects(&pending.subjects));
        let actions: Rc<[Scope]> = if pending.actions.is_empty() {
            Scope::ALL.into()
        } else {
            Scope::ALL
                .into_iter()
                .filter(|scope| pending.actions.contains(scope))
                .collect()
        };
        columns.push(Column {
            key: PENDING_KEY,
            description: "pending key".to_string(),
            state: KeyState::Live,
            actions,
            owner: Some(pending.owner.clone()),
            legacy: false,
            grants_all: subjects.grants_all(),
            subjects,
        });
    }
    columns
}

/// A fixed-size set of package positions.
struct Bits(Vec<u64>);

impl Bits {
    fn from_positions(positions: &[usize], len: usize) -> Bits {
        let mut words = vec![0u64; len.div_ceil(64)];
        for &at in positions {
            if let Some(word) = words.get_mut(at / 64) {
                *word |= 1 << (at % 64);
            }
        }
        Bits(words)
    }

    fn shared(&self, other: &Bits) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

/// Computes the review of the page's keys at `now` (unix seconds).
pub fn compute(page: &PageData, now: i64) -> Coverage {
    compute_with(page, now, None)
}

/// Like [`compute`], with a pending key added as an extra column ([`PENDING_KEY`]).
pub fn compute_with(page: &PageData, now: i64, pending: Option<&PendingKey>) -> Coverage {
    compute_cached(page, now, pending, &mut OwnerIdsCache::default())
}

/// Like [`compute_with`], keeping each owner's indexed ids in `indexed` for the next call
/// (the engine recomputes the review as the page changes; the ids rarely do).
pub fn compute_cached(
    page: &PageData,
    now: i64,
    pending: Option<&PendingKey>,
    indexed: &mut OwnerIdsCache,
) -> Coverage {
    let columns = columns(page, now, pending);
    let mut overlaps = Vec::new();
    let owners = page
        .package_owners
        .iter()
        .map(|owner| {
            let ids: &OwnerIds = indexed.get(&owner.owner, &owner.package_ids);
            let listed: Vec<&Column> = columns
                .iter()
                .filter(|column| column.listed_under(&owner.owner))
                .collect();
            let mut cache = HashMap::new();
            let covered: Vec<Vec<usize>> = listed
                .iter()
                .map(|column| column.covered(ids, &mut cache))
                .collect();
            // Each package's list sized once: one key can cover tens of thousands of them.
            let mut counts = vec![0usize; ids.len()];
            for &at in covered.iter().flatten() {
                if let Some(count) = counts.get_mut(at) {
                    *count += 1;
                }
            }
            let mut grants: Vec<Vec<Grant>> = counts.into_iter().map(Vec::with_capacity).collect();
            for (column, positions) in listed.iter().zip(&covered) {
                for &at in positions {
                    if let Some(slot) = grants.get_mut(at) {
                        slot.push(Grant {
                            key: column.key,
                            actions: Rc::clone(&column.actions),
                        });
                    }
                }
            }
            overlaps.extend(owner_overlaps(&owner.owner, &listed, &covered, ids.len()));
            let packages: Vec<PackageCoverage> = ids
                .ids()
                .iter()
                .zip(grants)
                .map(|(id, keys)| PackageCoverage {
                    id: id.clone(),
                    keys,
                })
                .collect();
            OwnerCoverage {
                owner: owner.owner.clone(),
                uncovered: packages
                    .iter()
                    .filter(|package| package.keys.is_empty())
                    .map(|package| package.id.clone())
                    .collect(),
                packages,
                keys: listed
                    .iter()
                    .zip(&covered)
                    .map(|(column, positions)| KeyCoverage {
                        key: column.key,
                        description: column.description.clone(),
                        state: column.state,
                        covers: positions.len(),
                        grants_all: column.grants_all,
                    })
                    .collect(),
            }
        })
        .collect();
    let grants_everything = columns
        .iter()
        .filter(|column| column.grants_all && column.can_act())
        .map(|column| column.key)
        .collect();
    let mut expiring_soon: Vec<i64> = page
        .api_keys
        .iter()
        .filter(|api_key| api_key.expires_within(now, EXPIRY_WARNING_DAYS))
        .map(|api_key| api_key.key)
        .collect();
    let mut seen = HashSet::new();
    expiring_soon.retain(|key| seen.insert(*key));
    Coverage {
        owners,
        review: Review {
            grants_everything,
            overlaps,
            expiring_soon,
        },
    }
}

fn owner_overlaps(
    owner: &str,
    listed: &[&Column],
    covered: &[Vec<usize>],
    len: usize,
) -> Vec<Overlap> {
    let bits: Vec<Bits> = covered
        .iter()
        .map(|positions| Bits::from_positions(positions, len))
        .collect();
    let mut out = Vec::new();
    for (i, (first, first_bits)) in listed.iter().zip(&bits).enumerate() {
        for (second, second_bits) in listed.iter().zip(&bits).skip(i + 1) {
            let shared = first_bits.shared(second_bits);
            if shared > 0 {
                out.push(Overlap {
                    owner: owner.to_string(),
                    first: first.key,
                    second: second.key,
                    shared,
                });
            }
        }
    }
    out
}

/// For Delete or Revoke of `key`: per owner, the packages that `key` covers now and no other
/// usable key covers (owners losing nothing are left out). Empty when `key` can't act now.
pub fn left_uncovered_without(page: &PageData, key: i64, now: i64) -> Vec<(String, Vec<String>)> {
    compute(page, now)
        .owners
        .into_iter()
        .filter_map(|owner| {
            let lost: Vec<String> = owner
                .packages
                .into_iter()
                .filter(|package| matches!(package.keys.as_slice(), [only] if only.key == key))
                .map(|package| package.id)
                .collect();
            (!lost.is_empty()).then_some((owner.owner, lost))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{ApiKey, PackageOwner};

    fn owner(name: &str, ids: &[&str]) -> PackageOwner {
        PackageOwner {
            owner: name.into(),
            package_ids: ids.iter().map(|s| s.to_string()).collect(),
            can_push_new: true,
            can_push_existing: true,
            can_unlist: true,
        }
    }

    fn scoped(key: i64, owner: &str, glob: Option<&str>, packages: &[&str]) -> ApiKey {
        ApiKey {
            key,
            owner: Some(owner.into()),
            scopes: vec!["Push only new package versions".into()],
            glob_pattern: glob.map(str::to_owned),
            packages: packages.iter().map(|s| s.to_string()).collect(),
            description: format!("key {key}"),
            ..ApiKey::default()
        }
    }

    fn page(keys: Vec<ApiKey>) -> PageData {
        PageData {
            api_keys: keys,
            package_owners: vec![
                owner("alice", &["Alice.Tool"]),
                owner("Contoso", &["Contoso.Core", "Contoso.Web", "Fabrikam"]),
            ],
            ..PageData::default()
        }
    }

    fn keys_of(coverage: &Coverage, owner: &str, id: &str) -> Vec<i64> {
        coverage
            .owner(owner)
            .and_then(|o| o.packages.iter().find(|p| p.id == id))
            .map(|p| p.keys.iter().map(|g| g.key).collect())
            .unwrap_or_default()
    }

    #[test]
    fn key_covers_only_its_own_owner_without_case() {
        let c = compute(&page(vec![scoped(1, "contoso", Some("*"), &[])]), 0);
        assert_eq!(keys_of(&c, "Contoso", "Fabrikam"), vec![1]);
        assert!(keys_of(&c, "alice", "Alice.Tool").is_empty());
    }

    #[test]
    fn packages_entries_are_patterns_too() {
        let c = compute(&page(vec![scoped(1, "Contoso", None, &["contoso.*"])]), 0);
        assert_eq!(
            c.owner("contoso").map(|o| o.uncovered.clone()),
            Some(vec!["Fabrikam".to_string()])
        );
    }

    #[test]
    fn expired_and_revoked_keys_cover_nothing_but_are_listed() {
        let expired = ApiKey {
            has_expired: true,
            ..scoped(1, "Contoso", Some("*"), &[])
        };
        let revoked = ApiKey {
            revocation_source: Some("User".into()),
            ..scoped(2, "Contoso", Some("*"), &[])
        };
        let c = compute(&page(vec![expired, revoked]), 0);
        let contoso = c.owner("Contoso").cloned().unwrap_or_default();
        assert_eq!(contoso.uncovered.len(), 3);
        let states: Vec<_> = contoso.keys.iter().map(|k| (k.state, k.covers)).collect();
        assert_eq!(states, vec![(KeyState::Expired, 0), (KeyState::Revoked, 0)]);
        assert!(c.review.grants_everything.is_empty());
    }

    #[test]
    fn legacy_key_covers_every_owner_with_every_action() {
        let legacy = ApiKey {
            key: 9,
            is_non_scoped: true,
            ..ApiKey::default()
        };
        let c = compute(&page(vec![legacy]), 0);
        for entry in &c.owners {
            assert!(entry.uncovered.is_empty());
            assert_eq!(entry.keys.len(), 1);
            assert!(entry
                .keys
                .iter()
                .all(|k| k.grants_all && k.state == KeyState::Legacy));
            for package in &entry.packages {
                assert_eq!(&*package.keys[0].actions, &Scope::ALL[..]);
            }
        }
        assert_eq!(c.review.grants_everything, vec![9]);
    }

    #[test]
    fn verify_only_key_covers_nothing() {
        let verify = ApiKey {
            scopes: vec!["Verify package ownership".into()],
            ..scoped(1, "Contoso", Some("*"), &[])
        };
        let c = compute(&page(vec![verify]), 0);
        assert_eq!(c.owner("Contoso").map(|o| o.uncovered.len()), Some(3));
    }

    #[test]
    fn overlapping_keys_are_paired_with_counts() {
        let c = compute(
            &page(vec![
                scoped(1, "Contoso", Some("Contoso.*"), &[]),
                scoped(2, "Contoso", Some("*"), &[]),
                scoped(3, "Contoso", None, &["Fabrikam"]),
            ]),
            0,
        );
        let pairs: Vec<_> = c
            .review
            .overlaps
            .iter()
            .map(|o| (o.first, o.second, o.shared))
            .collect();
        assert_eq!(pairs, vec![(1, 2, 2), (2, 3, 1)]);
    }

    #[test]
    fn pending_key_is_an_extra_column() {
        let pending = PendingKey {
            owner: "contoso".into(),
            actions: vec![Scope::Unlist],
            subjects: vec!["Fabrikam".into()],
        };
        let c = compute_with(&page(vec![]), 0, Some(&pending));
        assert_eq!(keys_of(&c, "Contoso", "Fabrikam"), vec![PENDING_KEY]);
        assert_eq!(c.owner("Contoso").map(|o| o.uncovered.len()), Some(2));
    }

    #[test]
    fn pending_key_without_subjects_covers_everything_like_the_server_would() {
        let pending = PendingKey {
            owner: "Contoso".into(),
            ..PendingKey::default()
        };
        let c = compute_with(&page(vec![]), 0, Some(&pending));
        assert_eq!(c.review.grants_everything, vec![PENDING_KEY]);
        assert_eq!(c.owner("Contoso").map(|o| o.uncovered.len()), Some(0));
    }

    #[test]
    fn removing_the_only_key_of_a_package_leaves_it_uncovered() {
        let p = page(vec![
            scoped(1, "Contoso", Some("Contoso.*"), &["Fabrikam"]),
            scoped(2, "Contoso", None, &["Contoso.Core"]),
        ]);
        assert_eq!(
            left_uncovered_without(&p, 1, 0),
            vec![(
                "Contoso".to_string(),
                vec!["Contoso.Web".to_string(), "Fabrikam".to_string()]
            )]
        );
        assert!(left_uncovered_without(&p, 2, 0).is_empty());
    }

    #[test]
    fn expiring_keys_are_flagged() {
        let soon = ApiKey {
            expires: Some("1970-01-10T00:00:00Z".into()),
            ..scoped(1, "Contoso", Some("*"), &[])
        };
        let later = ApiKey {
            expires: Some("1970-03-01T00:00:00Z".into()),
            ..scoped(2, "Contoso", Some("*"), &[])
        };
        assert_eq!(
            compute(&page(vec![soon, later]), 0).review.expiring_soon,
            vec![1]
        );
    }
}
