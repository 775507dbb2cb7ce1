//! The coverage review: what the keys already on the page can do, for reviewers (issue 4 §2).
//!
//! The numbers are [`crate::coverage::compute_with`]'s; this module only chooses what to show
//! and draws it as view trees. Per owner: a compact table of which live keys cover each
//! package with which actions (capped, with a filter, so 20,000 ids never become 20,000 rows),
//! the packages no live key covers, the packages only a legacy full-access key still covers,
//! the keys (expired and revoked apart), plus the findings across keys: keys that cover
//! everything, overlapping keys, keys expiring within 14 days. The create form's pending key
//! is an extra "what if" column.
//!
//! The engine's page data follows every key created, regenerated, edited, deleted or revoked
//! since load ([`crate::page::PageData::apply`]); the content script also sends the key rows
//! the page shows now, so a deleted or revoked key drops out even if its change was missed
//! ([`crate::request_guard::as_shown`]). A row the page data does not know (its change was
//! missed) and a change that could not be applied are named: the review says it may be out
//! of date.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::coverage::{
    compute_cached, Coverage, Grant, KeyCoverage, OwnerCoverage, PendingKey, EXPIRY_WARNING_DAYS,
    PENDING_KEY,
};
use crate::engine::Loaded;
use crate::i18n::{t, tn};
use crate::page::{KeyState, PageData};
use crate::request_guard::{as_shown, KeyRow};
use crate::scope::Scope;
use crate::subjects::OwnerIdsCache;
use crate::subjects::{fold, submitted_subjects};
use crate::ui::{self, el, text, Element, Node};

/// Table rows shown per owner; the filter finds the others.
pub const TABLE_ROWS: usize = 100;
/// Ids shown per list (uncovered, legacy only) before "and N more".
pub const LIST_IDS: usize = 2_000;

/// The create form's state, for the "what if" column.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PendingForm {
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub pattern: String,
    #[serde(default)]
    pub ticked: Vec<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// What the content script asks for.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Query {
    /// Milliseconds since the epoch.
    pub now: f64,
    /// The create form, when an owner is chosen in it.
    #[serde(default)]
    pub pending: Option<PendingForm>,
    /// Only package ids containing this text (without case) are listed.
    #[serde(default)]
    pub filter: String,
    /// The key rows the page shows now; empty when they could not be read.
    #[serde(default)]
    pub rows: Vec<KeyRow>,
}

/// The review to draw.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    pub view: Vec<Node>,
}

/// Computes and draws the review; `indexed` keeps each owner's indexed ids between reviews.
pub fn review(loaded: &Loaded, query: &Query, indexed: &mut OwnerIdsCache) -> Answer {
    let now = (query.now.max(0.0) / 1000.0) as i64;
    let page = as_shown(&loaded.data, &query.rows);
    let pending = query.pending.as_ref().and_then(pending_key);
    let coverage = compute_cached(&page, now, pending.as_ref(), indexed);
    let unknown = query
        .rows
        .iter()
        .filter(|row| loaded.data.key(row.key).is_none())
        .count();
    Answer {
        view: draw(
            &page,
            &coverage,
            now,
            pending.as_ref(),
            &query.filter,
            Missed {
                rows: unknown,
                changes: loaded.unfollowed,
            },
        ),
    }
}

fn pending_key(form: &PendingForm) -> Option<PendingKey> {
    let owner = form.owner.as_deref()?.trim();
    if owner.is_empty() {
        return None;
    }
    Some(PendingKey {
        owner: owner.to_string(),
        actions: Scope::from_ids(&form.scopes),
        subjects: submitted_subjects(&form.pattern, &form.ticked),
    })
}

/// What the review could not take into account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Missed {
    /// Key rows on the page the page data does not know.
    pub rows: usize,
    /// Changes to the keys since load that could not be applied.
    pub changes: usize,
}

/// The review of `coverage` as view trees.
pub fn draw(
    page: &PageData,
    coverage: &Coverage,
    now: i64,
    pending: Option<&PendingKey>,
    filter: &str,
    missed: Missed,
) -> Vec<Node> {
    let name = |key: i64| key_name(page, key);
    let mut view = Vec::new();
    let legacy: HashSet<i64> = page
        .api_keys
        .iter()
        .filter(|key| key.is_non_scoped)
        .map(|key| key.key)
        .collect();
    if missed.rows > 0 {
        view.push(para(t(
            "review_not_counted",
            &[&ui::plural(missed.rows, "n_keys")],
        )));
    }
    if missed.changes > 0 {
        view.push(para(tn(
            "review_changes_unfollowed",
            missed.changes,
            &[&ui::count(missed.changes)],
        )));
    }
    let review = &coverage.review;
    let everything: Vec<i64> = review
        .grants_everything
        .iter()
        .copied()
        .filter(|&key| key != PENDING_KEY || pending.is_some())
        .collect();
    if !everything.is_empty() {
        view.push(para(t("review_grants_everything", &[])));
        view.push(key_list("grants-everything", &everything, &name));
    }
    if !review.expiring_soon.is_empty() {
        view.push(para(t(
            "review_expiring_soon",
            &[&EXPIRY_WARNING_DAYS.to_string()],
        )));
        view.push(key_list("expiring-soon", &review.expiring_soon, &name));
    }
    if !review.overlaps.is_empty() {
        view.push(para(t("review_overlaps", &[])));
        view.push(
            el("ul")
                .attr("data-keyscope", "overlaps")
                .children(review.overlaps.iter().map(|overlap| {
                    el("li")
                        .attr(
                            "data-keyscope-keys",
                            format!("{} {}", overlap.first, overlap.second),
                        )
                        .child(text(t(
                            "review_overlap",
                            &[
                                &name(overlap.first),
                                &name(overlap.second),
                                &ui::plural(overlap.shared, "n_packages"),
                                &overlap.owner,
                            ],
                        )))
                        .into()
                }))
                .into(),
        );
    }
    let needle = fold(filter.trim());
    for owner in &coverage.owners {
        view.push(owner_section(page, owner, now, pending, &needle, &legacy).into());
    }
    view
}

fn owner_section(
    page: &PageData,
    owner: &OwnerCoverage,
    now: i64,
    pending: Option<&PendingKey>,
    needle: &str,
    legacy: &HashSet<i64>,
) -> Element {
    let name = |key: i64| key_name(page, key);
    let shown = |id: &str| needle.is_empty() || fold(id).contains(needle);
    let has_pending = pending.is_some_and(|p| p.owner.trim().eq_ignore_ascii_case(&owner.owner));
    // Live columns: usable keys listed under this owner, then the pending key.
    let columns: Vec<i64> = owner
        .keys
        .iter()
        .filter(|key| key.state.is_usable() && key.key != PENDING_KEY)
        .map(|key| key.key)
        .chain(has_pending.then_some(PENDING_KEY))
        .collect();
    // Coverage as it is now: the pending key's grants left out.
    let now_grants = |grants: &[Grant]| grants.iter().filter(|g| g.key != PENDING_KEY).count();
    let uncovered: Vec<&str> = owner
        .packages
        .iter()
        .filter(|p| now_grants(&p.keys) == 0)
        .map(|p| p.id.as_str())
        .collect();
    let legacy_only: Vec<&str> = owner
        .packages
        .iter()
        .filter(|p| {
            now_grants(&p.keys) > 0
                && p.keys
                    .iter()
                    .all(|g| g.key == PENDING_KEY || legacy.contains(&g.key))
        })
        .map(|p| p.id.as_str())
        .collect();

    let mut section = el("div")
        .class("keyscope-review-owner")
        .attr("data-keyscope", "review-owner")
        .attr("data-keyscope-owner", owner.owner.clone())
        .child(el("h4").child(text(t(
            "review_owner_heading",
            &[
                &owner.owner,
                &ui::plural(owner.packages.len(), "n_packages"),
                &ui::count(uncovered.len()),
            ],
        ))));

    if has_pending {
        let pending_covers: Vec<&str> = owner
            .packages
            .iter()
            .filter(|p| p.keys.iter().any(|g| g.key == PENDING_KEY))
            .map(|p| p.id.as_str())
            .collect();
        let bare: HashSet<&str> = uncovered.iter().chain(&legacy_only).copied().collect();
        let newly = pending_covers
            .iter()
            .filter(|id| bare.contains(*id))
            .count();
        section = section.child(
            el("p")
                .attr("data-keyscope", "what-if")
                .attr("data-keyscope-covers", pending_covers.len().to_string())
                .child(text(t(
                    "review_what_if",
                    &[
                        &ui::plural(pending_covers.len(), "n_packages"),
                        &ui::count(newly),
                    ],
                ))),
        );
    }

    let uncovered_summary = if uncovered.is_empty() {
        t("review_uncovered_none", &[])
    } else {
        t("review_uncovered", &[&ui::count(uncovered.len())])
    };
    section = section.child(id_list(
        "uncovered",
        &owner.owner,
        &uncovered,
        &shown,
        uncovered_summary,
    ));
    if !legacy_only.is_empty() {
        section = section.child(id_list(
            "legacy-only",
            &owner.owner,
            &legacy_only,
            &shown,
            t("review_legacy_only", &[&ui::count(legacy_only.len())]),
        ));
    }

    // The table: one row per package (filtered, capped), one column per live key.
    let matching: Vec<_> = owner.packages.iter().filter(|p| shown(&p.id)).collect();
    let mut head = el("tr").child(el("th").child(text(t("review_column_package", &[]))));
    for &key in &columns {
        head = head.child(
            el("th")
                .attr("data-keyscope-key", key.to_string())
                .attr("title", name(key))
                .child(text(if key == PENDING_KEY {
                    t("review_column_what_if", &[])
                } else {
                    format!("#{key}")
                })),
        );
    }
    let mut body = el("tbody");
    for package in matching.iter().take(TABLE_ROWS) {
        let is_uncovered = now_grants(&package.keys) == 0;
        let mut row = el("tr").attr("data-keyscope-id", package.id.clone());
        if is_uncovered {
            row = row.class("keyscope-review-uncovered");
        }
        row = row.child(el("td").child(el("code").child(text(package.id.clone()))));
        for &key in &columns {
            let cell = package
                .keys
                .iter()
                .find(|g| g.key == key)
                .map(|g| actions_short(&g.actions))
                .unwrap_or_default();
            row = row.child(el("td").child(text(cell)));
        }
        body = body.child(row);
    }
    section = section.child(
        el("p")
            .attr("data-keyscope", "review-table-count")
            .child(text(tn(
                "review_table_count",
                matching.len(),
                &[
                    &ui::count(matching.len().min(TABLE_ROWS)),
                    &ui::plural(owner.packages.len(), "n_packages"),
                ],
            ))),
    );
    section = section.child(
        el("table")
            .class("keyscope-review-table")
            .attr("data-keyscope", "review-table")
            .child(el("thead").child(head))
            .child(body),
    );

    // The keys: live ones with what they cover, expired and revoked apart.
    let (live, inactive): (Vec<_>, Vec<_>) = owner
        .keys
        .iter()
        .filter(|key| key.key != PENDING_KEY)
        .partition(|key| key.state.is_usable());
    let describe = |key: &KeyCoverage| {
        let api_key = page.key(key.key);
        let mut words = t(
            "review_key_state",
            &[&name(key.key), &state_word(key.state)],
        );
        if key.state.is_usable() {
            let covers = ui::plural(key.covers, "n_packages");
            let actions = api_key
                .map(|api_key| actions_long(&api_key.actions()))
                .unwrap_or_default();
            words.push_str(&if actions.is_empty() {
                t("review_key_covers", &[&covers])
            } else {
                t("review_key_covers_actions", &[&covers, &actions])
            });
            if key.grants_all {
                words.push_str(&t("review_key_grants_all", &[]));
            }
            if api_key.is_some_and(|k| k.expires_within(now, EXPIRY_WARNING_DAYS)) {
                words.push_str(&t(
                    "review_key_expiring",
                    &[&EXPIRY_WARNING_DAYS.to_string()],
                ));
            }
        } else {
            words.push_str(&t("review_key_covers_nothing", &[]));
        }
        el("li")
            .attr("data-keyscope-key", key.key.to_string())
            .attr("data-keyscope-state", key.state.as_str())
            .child(text(words))
            .into()
    };
    section = section.child(para(t("review_keys", &[]))).child(
        el("ul")
            .attr("data-keyscope", "review-keys")
            .children(live.iter().map(|key| describe(key))),
    );
    if !inactive.is_empty() {
        section = section.child(para(t("review_inactive_keys", &[]))).child(
            el("ul")
                .attr("data-keyscope", "review-inactive-keys")
                .children(inactive.iter().map(|key| describe(key))),
        );
    }
    section
}

fn id_list(
    name: &'static str,
    owner: &str,
    ids: &[&str],
    shown: &dyn Fn(&str) -> bool,
    summary: String,
) -> Element {
    let visible: Vec<&&str> = ids.iter().filter(|id| shown(id)).collect();
    let mut list = el("ul")
        .class("keyscope-review-ids")
        .attr("data-keyscope", name)
        .attr("data-keyscope-owner", owner.to_string())
        .attr("data-keyscope-total", ids.len().to_string());
    for id in visible.iter().take(LIST_IDS) {
        list = list.child(
            el("li")
                .attr("data-keyscope-id", id.to_string())
                .child(text(id.to_string())),
        );
    }
    if visible.len() > LIST_IDS {
        list = list.child(el("li").child(text(t(
            "review_and_more",
            &[&ui::count(visible.len() - LIST_IDS)],
        ))));
    }
    el("div").child(para(summary)).child(list)
}

fn key_list(name: &'static str, keys: &[i64], label: &dyn Fn(i64) -> String) -> Node {
    el("ul")
        .attr("data-keyscope", name)
        .children(keys.iter().map(|&key| {
            el("li")
                .attr("data-keyscope-key", key.to_string())
                .child(text(label(key)))
                .into()
        }))
        .into()
}

fn key_name(page: &PageData, key: i64) -> String {
    if key == PENDING_KEY {
        return t("review_pending_key", &[]);
    }
    match page.key(key) {
        Some(api_key) if !api_key.description.trim().is_empty() => t(
            "review_key_named",
            &[api_key.description.trim(), &key.to_string()],
        ),
        _ => t("review_key_number", &[&key.to_string()]),
    }
}

/// A key's state in words (the `data-keyscope-state` attribute keeps the stable English id).
fn state_word(state: KeyState) -> String {
    t(
        match state {
            KeyState::Live => "review_state_live",
            KeyState::Expired => "review_state_expired",
            KeyState::Revoked => "review_state_revoked",
            KeyState::Legacy => "review_state_legacy",
        },
        &[],
    )
}

/// A table cell: the actions in a few letters each.
fn actions_short(actions: &[Scope]) -> String {
    actions
        .iter()
        .map(|scope| {
            t(
                match scope {
                    Scope::Push => "review_cell_push",
                    Scope::PushVersion => "review_cell_push_version",
                    Scope::Unlist => "review_cell_unlist",
                },
                &[],
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn actions_long(actions: &[Scope]) -> String {
    actions
        .iter()
        .map(|scope| {
            t(
                match scope {
                    Scope::Push => "review_action_push",
                    Scope::PushVersion => "review_action_push_version",
                    Scope::Unlist => "review_action_unlist",
                },
                &[],
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn para(words: impl Into<String>) -> Node {
    el("p").child(text(words)).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, Request};

    /// 2030-01-01T00:00:00Z.
    const NOW_MS: f64 = 1_893_456_000_000.0;

    /// Four keys of alice (scoped, scoped and expiring, expired, legacy) over two owners.
    const SCRIPT: &str = r#"var initialData = {
          "ApiKeys": [
            {"Key": 1, "Type": "apikey.v4", "Description": "Alpha CI", "Expires": "2030-06-01T00:00:00Z",
             "Owner": "alice", "Scopes": ["Push new packages and package versions"], "GlobPattern": "Alpha.*"},
            {"Key": 2, "Type": "apikey.v4", "Description": "Beta soon", "Expires": "2030-01-05T00:00:00Z",
             "Owner": "alice", "Scopes": ["Push only new package versions", "Unlist or relist package versions"],
             "Packages": ["Beta", "Alpha.Core"]},
            {"Key": 3, "Type": "apikey.v4", "Description": "Old", "Expires": "2029-06-01T00:00:00Z", "HasExpired": true,
             "Owner": "alice", "Scopes": ["Push only new package versions"], "Packages": ["Gamma"]},
            {"Key": 4, "Type": "apikey.v1", "Description": "Legacy", "Expires": "2031-01-01T00:00:00Z",
             "IsNonScopedApiKey": true, "Owner": null, "Scopes": []}
          ],
          "PackageOwners": [
            {"Owner": "alice", "PackageIds": ["Alpha.Core", "Alpha.Web", "Beta", "Gamma", "Delta"],
             "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true},
            {"Owner": "Contoso", "PackageIds": ["Contoso.Web"], "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true}]
        };"#;

    fn engine() -> Engine {
        engine_in(None, None)
    }

    /// The engine speaking `locale` from `messages` (English when `None`).
    fn engine_in(locale: Option<&str>, messages: Option<&str>) -> Engine {
        let mut engine = Engine::new();
        engine.handle(Request::Init {
            script: SCRIPT.to_string(),
            locale: locale.map(str::to_string),
            messages: messages.map(str::to_string),
        });
        engine
    }

    fn query() -> Query {
        Query {
            now: NOW_MS,
            ..Query::default()
        }
    }

    use crate::ui::read::elements;

    /// The ids in list `name` of `owner`.
    fn list(view: &[Node], name: &str, owner: &str) -> Vec<String> {
        elements(view)
            .into_iter()
            .filter(|e| e.get("data-keyscope") == Some(name))
            .filter(|e| e.get("data-keyscope-owner") == Some(owner))
            .flat_map(|e| {
                e.children.iter().filter_map(|child| match child {
                    Node::Element(li) => li.get("data-keyscope-id").map(str::to_string),
                    Node::Text(_) => None,
                })
            })
            .collect()
    }

    fn keys_in(view: &[Node], name: &str) -> Vec<String> {
        elements(view)
            .into_iter()
            .filter(|e| e.get("data-keyscope") == Some(name))
            .flat_map(|e| e.children.iter())
            .filter_map(|child| match child {
                Node::Element(li) => li.get("data-keyscope-key").map(str::to_string),
                Node::Text(_) => None,
            })
            .collect()
    }

    fn run(engine: &Engine, query: &Query) -> Vec<Node> {
        review(
            engine.loaded().expect("loads"),
            query,
            &mut OwnerIdsCache::default(),
        )
        .view
    }

    #[test]
    fn legacy_key_leaves_nothing_uncovered_but_is_named_as_the_only_cover() {
        let engine = engine();
        let view = run(&engine, &query());
        assert!(list(&view, "uncovered", "alice").is_empty());
        assert_eq!(list(&view, "legacy-only", "alice"), vec!["Gamma", "Delta"]);
        assert_eq!(list(&view, "legacy-only", "Contoso"), vec!["Contoso.Web"]);
    }

    #[test]
    fn without_the_legacy_key_its_packages_are_uncovered() {
        let engine = engine();
        let mut q = query();
        q.rows = [1, 2, 3]
            .iter()
            .map(|&key| KeyRow {
                key,
                revoked: false,
            })
            .collect();
        let view = run(&engine, &q);
        assert_eq!(list(&view, "uncovered", "alice"), vec!["Gamma", "Delta"]);
        assert_eq!(list(&view, "uncovered", "Contoso"), vec!["Contoso.Web"]);
        assert!(list(&view, "legacy-only", "alice").is_empty());
    }

    #[test]
    fn findings_name_everything_keys_expiring_keys_and_overlaps() {
        let engine = engine();
        let view = run(&engine, &query());
        assert_eq!(keys_in(&view, "grants-everything"), vec!["4"]);
        assert_eq!(keys_in(&view, "expiring-soon"), vec!["2"]);
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(all.contains("“Alpha CI” (#1) and “Beta soon” (#2) both cover 1 package of alice"));
    }

    #[test]
    fn expired_keys_are_listed_apart() {
        let engine = engine();
        let view = run(&engine, &query());
        assert_eq!(keys_in(&view, "review-inactive-keys"), vec!["3"]);
        assert!(!keys_in(&view, "review-keys").contains(&"3".to_string()));
    }

    #[test]
    fn table_cells_name_the_actions() {
        let engine = engine();
        let view = run(&engine, &query());
        let row = elements(&view)
            .into_iter()
            .find(|e| e.tag == "tr" && e.get("data-keyscope-id") == Some("Alpha.Core"))
            .map(|e| Node::from(e.clone()).text_content())
            .unwrap_or_default();
        assert_eq!(row, "Alpha.Corepushversions unlistpush versions unlist");
    }

    #[test]
    fn filter_narrows_table_and_lists() {
        let engine = engine();
        let mut q = query();
        q.filter = "DEL".to_string();
        let view = run(&engine, &q);
        assert_eq!(list(&view, "legacy-only", "alice"), vec!["Delta"]);
        let rows: Vec<_> = elements(&view)
            .into_iter()
            .filter(|e| e.tag == "tr" && e.get("data-keyscope-id").is_some())
            .collect();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn pending_key_is_a_what_if_column() {
        let engine = engine();
        let mut q = query();
        q.pending = Some(PendingForm {
            owner: Some("alice".to_string()),
            pattern: "*ta".to_string(),
            ticked: vec!["Gamma".to_string()],
            scopes: vec!["package:unlist".to_string()],
        });
        let view = run(&engine, &q);
        let what_if = elements(&view)
            .into_iter()
            .find(|e| e.get("data-keyscope") == Some("what-if"))
            .map(|e| {
                (
                    e.get("data-keyscope-covers").map(str::to_string),
                    Node::from(e.clone()).text_content(),
                )
            });
        let (covers, words) = what_if.expect("a what-if line");
        assert_eq!(covers.as_deref(), Some("3"));
        assert!(
            words.contains("2 of them covered by no live scoped key now"),
            "{words}"
        );
        assert!(elements(&view)
            .iter()
            .any(|e| e.tag == "th" && e.get("data-keyscope-key") == Some("0")));
    }

    #[test]
    fn large_owner_table_is_capped() {
        let ids: Vec<String> = (0..TABLE_ROWS + 10).map(|i| format!("P{i}")).collect();
        let page = PageData {
            package_owners: vec![crate::page::PackageOwner {
                owner: "big".to_string(),
                package_ids: ids,
                ..Default::default()
            }],
            ..PageData::default()
        };
        let coverage = crate::coverage::compute(&page, 0);
        let view = draw(&page, &coverage, 0, None, "", Missed::default());
        let rows = elements(&view)
            .into_iter()
            .filter(|e| e.tag == "tr" && e.get("data-keyscope-id").is_some())
            .count();
        assert_eq!(rows, TABLE_ROWS);
    }

    #[test]
    fn keys_unknown_to_the_page_data_are_named() {
        let engine = engine();
        let mut q = query();
        q.rows = vec![
            KeyRow {
                key: 1,
                revoked: false,
            },
            KeyRow {
                key: 9,
                revoked: false,
            },
        ];
        let view = run(&engine, &q);
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(all.contains("Not in this review: 1 key created or regenerated"));
    }

    /// A review with every part: the pending key, a key unknown to the page data, legacy,
    /// expired, expiring and overlapping keys.
    fn everything(engine: &Engine) -> String {
        let mut q = query();
        q.rows = [1, 2, 3, 4, 9]
            .iter()
            .map(|&key| KeyRow {
                key,
                revoked: false,
            })
            .collect();
        q.pending = Some(PendingForm {
            owner: Some("alice".to_string()),
            pattern: "*ta".to_string(),
            ticked: vec![],
            scopes: vec!["package:push".to_string()],
        });
        let view = run(engine, &q);
        let mut words: Vec<String> = view.iter().map(Node::text_content).collect();
        words.extend(
            elements(&view)
                .into_iter()
                .filter_map(|e| e.get("title").map(str::to_string)),
        );
        words.join(" | ")
    }

    #[test]
    fn every_review_text_comes_from_the_catalog() {
        let all = everything(&engine());
        assert!(!all.contains("review_"), "a key without a message: {all}");
        assert!(all.contains("Keys expiring within 14 days:"), "{all}");
        assert!(
            all.contains("“Legacy” (#4) (legacy), covers 5 packages"),
            "{all}"
        );
    }

    #[test]
    fn german_review_speaks_german_and_no_english_sentence() {
        const ENGLISH: &str = include_str!("../extension/_locales/en/messages.json");
        let engine = engine_in(
            Some("de"),
            Some(include_str!("../extension/_locales/de/messages.json")),
        );
        let all = everything(&engine);
        crate::i18n::use_catalog(crate::i18n::Catalog::english());

        assert!(!all.contains("review_"), "a key without a message: {all}");
        for german in [
            "„Alpha CI“ (#1) und „Beta soon“ (#2) decken beide 1 Paket von alice ab",
            "Schlüssel, die innerhalb von 14 Tagen ablaufen:",
            "Nicht in dieser Übersicht: 1 Schlüssel",
            "„Legacy“ (#4) (alter Vollzugriffsschlüssel), deckt 5 Pakete ab",
            "Was wäre, wenn: Der geplante Schlüssel würde 2 Pakete abdecken",
        ] {
            assert!(all.contains(german), "{german:?} missing in: {all}");
        }
        // No piece of an English review sentence (the words between its placeholders).
        let english: serde_json::Value = serde_json::from_str(ENGLISH).expect("en parses");
        let english = english.as_object().expect("an object");
        for (key, entry) in english.iter().filter(|(key, _)| key.starts_with("review_")) {
            let message = entry["message"].as_str().unwrap_or_default();
            for piece in message.split(|c: char| c == '$' || c.is_ascii_digit()) {
                let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                if piece.chars().count() >= 4 {
                    assert!(!all.contains(piece), "English {piece:?} ({key}) in: {all}");
                }
            }
        }
    }

    #[test]
    fn query_round_trips_through_the_engine() {
        let mut engine = engine();
        let request: Request =
            serde_json::from_str(r#"{"type": "review", "now": 1893456000000, "filter": ""}"#)
                .expect("parses");
        let response = serde_json::to_value(engine.handle(request)).expect("serialises");
        assert_eq!(response["type"], "review");
        assert!(response["view"].is_array());
    }

    /// Sends one change to the keys, as review.js forwards it.
    fn change(engine: &mut Engine, json: &str) -> crate::engine::Response {
        engine.handle(Request::KeysChanged {
            change: json.to_string(),
        })
    }

    /// A key object of alice as Generate or Regenerate answers it, without its `Value`.
    fn key_object(key: i64, name: &str, subjects: &str) -> String {
        format!(
            r#"{{"Key": {key}, "Type": "apikey.v4", "Description": "{name}", "Expires": "2031-01-01T00:00:00Z",
                "HasExpired": false, "IsNonScopedApiKey": false, "RevocationSource": null, "Owner": "alice",
                "Scopes": ["Push new packages and package versions"], {subjects}}}"#
        )
    }

    /// The table cell of key `key` in package `id`'s row (None without such a column).
    fn cell(view: &[Node], id: &str, key: i64) -> Option<String> {
        let at = elements(view)
            .into_iter()
            .filter(|e| e.tag == "th" && e.get("data-keyscope-key").is_some())
            .position(|e| e.get("data-keyscope-key") == Some(key.to_string().as_str()))?;
        let row = elements(view)
            .into_iter()
            .find(|e| e.tag == "tr" && e.get("data-keyscope-id") == Some(id))?;
        let cells: Vec<&Node> = row.children.iter().skip(1).collect();
        cells.get(at).map(|cell| cell.text_content())
    }

    fn applied(response: crate::engine::Response) -> usize {
        match response {
            crate::engine::Response::KeysChanged { keys } => keys,
            other => panic!("expected the change applied, got {other:?}"),
        }
    }

    #[test]
    fn created_key_appears_as_live_and_covers_its_subjects() {
        let mut engine = engine();
        let before = run(&engine, &query());
        assert_eq!(
            list(&before, "legacy-only", "alice"),
            vec!["Gamma", "Delta"]
        );

        let created = format!(
            r#"{{"kind": "created", "key": 7, "answer": {}}}"#,
            key_object(7, "Delta CI", r#""GlobPattern": "Del*", "Packages": []"#)
        );
        assert_eq!(applied(change(&mut engine, &created)), 5);
        let view = run(&engine, &query());
        assert!(keys_in(&view, "review-keys").contains(&"7".to_string()));
        assert_eq!(list(&view, "legacy-only", "alice"), vec!["Gamma"]);
        assert_eq!(cell(&view, "Delta", 7).as_deref(), Some("push"));
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(
            all.contains(
                "“Delta CI” (#7) (live), covers 1 package: push new packages and versions"
            ),
            "{all}"
        );
        assert!(!all.contains("Not in this review"), "{all}");
    }

    #[test]
    fn regenerated_key_keeps_its_coverage() {
        let mut engine = engine();
        let before = run(&engine, &query());
        let regenerated = format!(
            r#"{{"kind": "regenerated", "key": 8, "replaces": 1, "answer": {}}}"#,
            key_object(8, "Alpha CI", r#""GlobPattern": "Alpha.*""#)
        );
        applied(change(&mut engine, &regenerated));
        let view = run(&engine, &query());
        let keys = keys_in(&view, "review-keys");
        assert!(
            keys.contains(&"8".to_string()) && !keys.contains(&"1".to_string()),
            "{keys:?}"
        );
        for id in ["Alpha.Core", "Alpha.Web"] {
            assert_eq!(cell(&view, id, 8), cell(&before, id, 1), "{id}");
            assert_eq!(cell(&view, id, 8).as_deref(), Some("push"), "{id}");
        }
        assert_eq!(
            list(&view, "legacy-only", "alice"),
            list(&before, "legacy-only", "alice")
        );
    }

    #[test]
    fn deleted_key_disappears() {
        let mut engine = engine();
        applied(change(&mut engine, r#"{"kind": "removed", "key": 4}"#));
        let view = run(&engine, &query());
        for name in ["review-keys", "review-inactive-keys", "grants-everything"] {
            assert!(!keys_in(&view, name).contains(&"4".to_string()), "{name}");
        }
        // Without the legacy key, what only it covered is uncovered.
        assert_eq!(list(&view, "uncovered", "alice"), vec!["Gamma", "Delta"]);
        assert_eq!(list(&view, "uncovered", "Contoso"), vec!["Contoso.Web"]);
    }

    #[test]
    fn revoked_key_moves_to_revoked_and_covers_nothing() {
        let mut engine = engine();
        applied(change(&mut engine, r#"{"kind": "revoked", "key": 1}"#));
        let view = run(&engine, &query());
        assert!(!keys_in(&view, "review-keys").contains(&"1".to_string()));
        assert!(keys_in(&view, "review-inactive-keys").contains(&"1".to_string()));
        assert_eq!(
            cell(&view, "Alpha.Web", 1),
            None,
            "no column for a revoked key"
        );
        assert_eq!(
            list(&view, "legacy-only", "alice"),
            vec!["Alpha.Web", "Gamma", "Delta"]
        );
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(
            all.contains("“Alpha CI” (#1) (revoked), covers nothing"),
            "{all}"
        );
    }

    #[test]
    fn edited_key_coverage_follows_the_new_subjects() {
        let mut engine = engine();
        // Key 2 covered Beta and Alpha.Core; now it covers Delta alone.
        applied(change(
            &mut engine,
            r#"{"kind": "edited", "key": 2, "subjects": ["Delta"], "answer": null}"#,
        ));
        let view = run(&engine, &query());
        assert_eq!(cell(&view, "Delta", 2).as_deref(), Some("versions unlist"));
        assert_eq!(cell(&view, "Beta", 2).as_deref(), Some(""));
        assert_eq!(list(&view, "legacy-only", "alice"), vec!["Beta", "Gamma"]);
    }

    #[test]
    fn unknown_key_numbers_and_malformed_changes_are_rejected_and_named_in_the_review() {
        let mut engine = engine();
        let before = run(&engine, &query());
        for (json, expected) in [
            (
                r#"{"kind": "removed", "key": 99}"#,
                "KeyScope could not follow a change to the keys: there is no key #99 on the page",
            ),
            (
                "{\"kind\": \"removed\", \"key\":",
                "KeyScope could not follow a change to the keys: the change is not valid JSON",
            ),
        ] {
            match change(&mut engine, json) {
                crate::engine::Response::Error { message } => {
                    assert!(message.starts_with(expected), "{message}")
                }
                other => panic!("{json}: expected an error, got {other:?}"),
            }
        }
        let view = run(&engine, &query());
        assert_eq!(
            keys_in(&view, "review-keys"),
            keys_in(&before, "review-keys")
        );
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(
            all.contains("KeyScope could not follow 2 changes to the keys since the page loaded"),
            "{all}"
        );
    }

    #[test]
    fn german_review_says_in_german_that_a_change_was_not_followed() {
        let mut engine = engine_in(
            Some("de"),
            Some(include_str!("../extension/_locales/de/messages.json")),
        );
        let response = change(&mut engine, r#"{"kind": "revoked", "key": 99}"#);
        let view = run(&engine, &query());
        crate::i18n::use_catalog(crate::i18n::Catalog::english());
        match response {
            crate::engine::Response::Error { message } => assert!(
                message
                    .starts_with("KeyScope konnte einer Änderung an den Schlüsseln nicht folgen: "),
                "{message}"
            ),
            other => panic!("expected an error, got {other:?}"),
        }
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(
            all.contains("KeyScope konnte 1 Änderung an den Schlüsseln seit dem Laden der Seite nicht folgen"),
            "{all}"
        );
    }

    #[test]
    fn change_before_the_page_data_is_read_is_an_error() {
        let mut engine = Engine::new();
        let response = change(&mut engine, r#"{"kind": "removed", "key": 1}"#);
        assert!(matches!(response, crate::engine::Response::Error { .. }));
    }

    #[test]
    fn keys_changed_round_trips_through_the_engine() {
        let mut engine = engine();
        let request: Request = serde_json::from_str(
            r#"{"type": "keys-changed", "change": "{\"kind\": \"removed\", \"key\": 3}"}"#,
        )
        .expect("parses");
        let response = serde_json::to_value(engine.handle(request)).expect("serialises");
        assert_eq!(response["type"], "keys-changed");
        assert_eq!(response["keys"], 3);
    }
}
