//! The request guard: what KeyScope says before a request that changes a key leaves the page.
//!
//! nuget.org's server widens what it is not told (no subject becomes `*`, no scope becomes
//! every action), Regenerate breaks whatever uses the old value, and Delete/Revoke can leave
//! packages without any key. The decisions themselves are [`crate::subjects`]'
//! ([`decide_create`], [`decide_save`], [`decide_remove`]); this module turns them into the
//! guard's answer: `go`, `stop` or `confirm`, with the words and buttons to show. The content
//! script (`extension/request-guard.js`) only holds the request, asks, and obeys.
//!
//! A Create or Save a script posts without a submit event is never held; the backstop in
//! `extension/main-world.js` refuses it at the network when it is empty, by the rule of
//! [`decide_create`] and [`decide_save`] restated in a few lines of JavaScript (that world can't
//! reach the engine): no non-blank subject, or for Create no non-blank scope, "blank" being
//! Rust's white space. The request guard then asks [`submit`] with what the request carried (its
//! subjects as ticked ids), so the stop is worded here too. The tests
//! `backstop_cases_are_stopped_exactly_when_the_engine_stops_them` and
//! `backstop_blank_is_what_rust_trims` pin the two rules together.
//!
//! The page data describes the keys as they were when the page loaded. What happened since is
//! read back from the page's key rows by the content script: which keys are still listed and
//! which are revoked ([`KeyRow`]), and an edited key's current subjects. Keys created or
//! regenerated since load are not in the page data; the guard says so rather than guess.

use serde::{Deserialize, Serialize};

use crate::engine::Loaded;
use crate::i18n::t;
use crate::page::{KeyState, PageData};
use crate::scope::Scope;
use crate::subjects::{decide_create, decide_remove, decide_save, Decision, FormState, OwnerIds};
use crate::ui::{self, el, text, Element, Node};

/// How many ids a list in the guard shows before "and N more".
pub const LIST_CAP: usize = 25;

/// A create or edit form about to submit, as the content script read it from the page.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SubmitCheck {
    /// 0 = the create form, N = the edit form of key N.
    pub form: i64,
    /// The glob field's text.
    #[serde(default)]
    pub pattern: String,
    /// The ids ticked by hand (not the rows the pattern matched).
    #[serde(default)]
    pub ticked: Vec<String>,
    /// The scope ids selected.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The owner chosen in the form (edit forms: the key's owner).
    #[serde(default)]
    pub owner: Option<String>,
    /// Edit forms: the key's subjects as its row shows them now (after earlier edits).
    #[serde(default)]
    pub current: Option<Vec<String>>,
}

/// A key action the page asks `window.confirm` about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAction {
    Regenerate,
    Delete,
    Revoke,
}

/// One key row on the page right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct KeyRow {
    pub key: i64,
    #[serde(default)]
    pub revoked: bool,
}

/// Regenerate, Delete or Revoke of one key, with the key rows the page shows now.
#[derive(Clone, Debug, Deserialize)]
pub struct ActionCheck {
    pub action: KeyAction,
    pub key: i64,
    /// Milliseconds since the epoch (the content script's `Date.now()`).
    pub now: f64,
    /// Every key row on the page; empty when the page's rows could not be read.
    #[serde(default)]
    pub rows: Vec<KeyRow>,
}

/// The guard's answer: whether the request may go, and what to show when it may not yet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Answer {
    /// `"go"`, `"stop"` (never send) or `"confirm"` (send only once the user confirms).
    pub decision: &'static str,
    /// The guard's content (empty for `go`): words, lists, and the buttons
    /// `data-keyscope-action="confirm"` / `"cancel"`.
    pub view: Vec<Node>,
}

impl Answer {
    fn go() -> Answer {
        Answer {
            decision: "go",
            view: Vec::new(),
        }
    }
}

/// The answer to Create or Save of `check.form`.
pub fn submit(loaded: &Loaded, check: &SubmitCheck) -> Answer {
    let scopes = Scope::from_ids(&check.scopes);
    let state = FormState {
        pattern: &check.pattern,
        ticked: &check.ticked,
        scopes: &scopes,
    };
    if check.form == 0 {
        return answer_for(&decide_create(&state), None, None);
    }
    let key = loaded.data.key(check.form);
    let current = check
        .current
        .clone()
        .or_else(|| key.map(|key| key.subjects()))
        .unwrap_or_default();
    let name = key.map(|key| key.description.as_str());
    match loaded.form_owner(check.form, check.owner.as_deref()) {
        Some(owner) => {
            let ids = OwnerIds::new(owner.ids.ids());
            answer_for(
                &decide_save(&current, &state, &ids),
                name,
                Some(&owner.name),
            )
        }
        None if state.subjects().is_empty() => answer_for(&decide_create(&state), name, None),
        // The key's owner is not one the page lists: KeyScope can't tell what the edit gains.
        None => Answer {
            decision: "confirm",
            view: vec![
                heading(t("rguard_save_unknown_heading", &[&quoted(name)])),
                para(t("rguard_save_unknown_text", &[])),
                buttons(&t("rguard_save_anyway", &[]), &t("rguard_cancel", &[])),
            ],
        },
    }
}

/// The answer to a create/save decision, for the key called `name` of `owner`.
pub fn answer_for(decision: &Decision, name: Option<&str>, owner: Option<&str>) -> Answer {
    match decision {
        Decision::Go => Answer::go(),
        Decision::Stop(reason) => Answer {
            decision: "stop",
            view: vec![
                heading(t("rguard_stopped", &[])),
                el("p")
                    .attr("data-keyscope", "stop-reason")
                    .child(text(t(
                        match reason {
                            crate::subjects::StopReason::NoSubjects => "rguard_stop_no_subjects",
                            crate::subjects::StopReason::NoScopes => "rguard_stop_no_scopes",
                        },
                        &[],
                    )))
                    .into(),
                para(t(
                    match reason {
                        crate::subjects::StopReason::NoSubjects => "rguard_fix_no_subjects",
                        crate::subjects::StopReason::NoScopes => "rguard_fix_no_scopes",
                    },
                    &[],
                )),
                el("div")
                    .class("keyscope-request-guard-actions")
                    .child(button("cancel", &t("rguard_back", &[])))
                    .into(),
            ],
        },
        Decision::Confirm(diff) => {
            let mut view = vec![heading(t("rguard_widens", &[&quoted(name)]))];
            if !diff.gained.is_empty() {
                let gained = ui::plural(diff.gained.len(), "n_packages");
                view.push(para(match owner {
                    Some(owner) => t("rguard_gains_of", &[&gained, owner]),
                    None => t("rguard_gains", &[&gained]),
                }));
                view.push(id_list(&diff.gained, "gained").into());
            }
            if !diff.lost.is_empty() {
                view.push(para(t(
                    "rguard_loses",
                    &[&ui::plural(diff.lost.len(), "n_packages")],
                )));
                view.push(id_list(&diff.lost, "lost").into());
            }
            if !diff.reaches_beyond.is_empty() {
                view.push(para(t("rguard_beyond", &[&diff.reaches_beyond.join(", ")])));
            }
            view.push(buttons(
                &t("rguard_save_anyway", &[]),
                &t("rguard_cancel", &[]),
            ));
            Answer {
                decision: "confirm",
                view,
            }
        }
    }
}

/// The answer to Regenerate, Delete or Revoke: always `confirm`, saying what the action does.
pub fn action(loaded: &Loaded, check: &ActionCheck) -> Answer {
    let now = (check.now.max(0.0) / 1000.0) as i64;
    let page = as_shown(&loaded.data, &check.rows);
    let key = page.key(check.key);
    let name = quoted(key.map(|key| key.description.as_str()));
    let mut view = Vec::new();
    match check.action {
        KeyAction::Regenerate => {
            view.push(heading(t("rguard_regenerate_heading", &[&name])));
            view.push(para(t("rguard_regenerate_stops", &[])));
            view.push(para(t("rguard_regenerate_then", &[])));
            view.push(buttons(
                &t("rguard_continue_regenerate", &[]),
                &t("rguard_cancel", &[]),
            ));
        }
        KeyAction::Delete | KeyAction::Revoke => {
            let verb = if check.action == KeyAction::Delete {
                "delete"
            } else {
                "revoke"
            };
            view.push(heading(t(&format!("rguard_{verb}_heading"), &[&name])));
            if check.action == KeyAction::Revoke {
                view.push(para(t("rguard_revoked_stops", &[])));
            }
            match key {
                None => view.push(para(t("rguard_unknown_key", &[]))),
                Some(api_key) if !api_key.state(now).is_usable() => view.push(para(t(
                    &format!("rguard_inactive_{}", api_key.state(now).as_str()),
                    &[],
                ))),
                Some(_) => {
                    let lost = decide_remove(&page, check.key, now);
                    if lost.is_empty() {
                        view.push(
                            el("p")
                                .attr("data-keyscope", "still-covered")
                                .child(text(t("rguard_still_covered", &[])))
                                .into(),
                        );
                    }
                    for (owner, ids) in &lost {
                        view.push(para(t(
                            "rguard_left_uncovered",
                            &[&ui::plural(ids.len(), "n_packages"), owner],
                        )));
                        view.push(
                            id_list(ids, "left-uncovered")
                                .attr("data-keyscope-owner", owner.clone())
                                .attr("data-keyscope-total", ids.len().to_string())
                                .into(),
                        );
                    }
                }
            }
            let unknown = check
                .rows
                .iter()
                .filter(|row| loaded.data.key(row.key).is_none() && row.key != check.key)
                .count();
            if unknown > 0 {
                view.push(para(t(
                    "rguard_not_counted",
                    &[&ui::plural(unknown, "n_keys")],
                )));
            }
            view.push(buttons(
                &t(&format!("rguard_continue_{verb}"), &[]),
                &t("rguard_cancel", &[]),
            ));
        }
    }
    Answer {
        decision: "confirm",
        view,
    }
}

/// The page data with the keys as the page lists them now: keys no longer listed left out,
/// keys revoked since load marked revoked. Unchanged when no row could be read.
pub fn as_shown(data: &PageData, rows: &[KeyRow]) -> PageData {
    let mut page = data.clone();
    if rows.is_empty() {
        return page;
    }
    page.api_keys
        .retain(|key| rows.iter().any(|row| row.key == key.key));
    for key in &mut page.api_keys {
        let revoked_now = rows.iter().any(|row| row.key == key.key && row.revoked);
        if revoked_now && key.state(0) != KeyState::Revoked {
            key.revocation_source = Some("User".to_string());
        }
    }
    page
}

/// A key's description in the language's quotes (en “…”, de „…“), or "this key" without one.
fn quoted(name: Option<&str>) -> String {
    match name {
        Some(name) if !name.trim().is_empty() => t("rguard_key_named", &[name.trim()]),
        _ => t("rguard_this_key", &[]),
    }
}

fn heading(words: impl Into<String>) -> Node {
    el("p")
        .class("keyscope-request-guard-title")
        .child(el("strong").child(text(words)))
        .into()
}

fn para(words: impl Into<String>) -> Node {
    el("p").child(text(words)).into()
}

fn button(action: &'static str, label: &str) -> Element {
    el("button")
        .attr("type", "button")
        .class("keyscope-request-guard-button")
        .attr("data-keyscope-action", action)
        .child(text(label))
}

fn buttons(confirm: &str, cancel: &str) -> Node {
    el("div")
        .class("keyscope-request-guard-actions")
        .child(button("confirm", confirm))
        .child(button("cancel", cancel))
        .into()
}

/// Up to [`LIST_CAP`] ids, then "and N more".
fn id_list(ids: &[String], name: &'static str) -> Element {
    let mut list = el("ul")
        .class("keyscope-request-guard-ids")
        .attr("data-keyscope", name);
    for id in ids.iter().take(LIST_CAP) {
        list = list.child(
            el("li")
                .attr("data-keyscope-id", id.clone())
                .child(el("code").child(text(id.clone()))),
        );
    }
    if ids.len() > LIST_CAP {
        list = list.child(el("li").child(text(t(
            "rguard_and_more",
            &[&ui::count(ids.len() - LIST_CAP)],
        ))));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, Request};
    use crate::page::ApiKey;
    use crate::ui::read;

    const DAY_MS: f64 = 86_400_000.0;
    /// 2030-01-01T00:00:00Z.
    const NOW_MS: f64 = 1_893_456_000_000.0;

    fn engine() -> Engine {
        engine_in(None, None)
    }

    /// The engine on the tests' page data, speaking `locale` from `messages` (English when
    /// `None`).
    fn engine_in(locale: Option<&str>, messages: Option<&str>) -> Engine {
        let script = r#"var initialData = {
          "ApiKeys": [
            {"Key": 1, "Type": "apikey.v4", "Description": "Alpha CI", "Expires": "2030-06-01T00:00:00Z",
             "HasExpired": false, "IsNonScopedApiKey": false, "Owner": "alice",
             "Scopes": ["Push new packages and package versions"], "Packages": [], "GlobPattern": "Alpha.*"},
            {"Key": 2, "Type": "apikey.v4", "Description": "Beta", "Expires": "2030-06-01T00:00:00Z",
             "HasExpired": false, "IsNonScopedApiKey": false, "Owner": "alice",
             "Scopes": ["Push only new package versions"], "Packages": ["Beta", "Alpha.Core"], "GlobPattern": null},
            {"Key": 3, "Type": "apikey.v4", "Description": "Old", "Expires": "2029-06-01T00:00:00Z",
             "HasExpired": true, "IsNonScopedApiKey": false, "Owner": "alice",
             "Scopes": ["Push only new package versions"], "Packages": ["Gamma"], "GlobPattern": null}
          ],
          "PackageOwners": [{"Owner": "alice", "PackageIds": ["Alpha.Core", "Alpha.Web", "Beta", "Gamma"],
                             "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true}]
        };"#;
        let mut engine = Engine::new();
        engine.handle(Request::Init {
            script: script.to_string(),
            locale: locale.map(str::to_string),
            messages: messages.map(str::to_string),
        });
        engine
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn create(pattern: &str, ticked: &[&str], scopes: &[&str]) -> SubmitCheck {
        SubmitCheck {
            form: 0,
            pattern: pattern.to_string(),
            ticked: strings(ticked),
            scopes: strings(scopes),
            owner: Some("alice".to_string()),
            current: None,
        }
    }

    fn edit(key: i64, pattern: &str, ticked: &[&str]) -> SubmitCheck {
        SubmitCheck {
            form: key,
            pattern: pattern.to_string(),
            ticked: strings(ticked),
            ..SubmitCheck::default()
        }
    }

    fn remove(key: i64, rows: &[(i64, bool)]) -> ActionCheck {
        ActionCheck {
            action: KeyAction::Delete,
            key,
            now: NOW_MS,
            rows: rows
                .iter()
                .map(|&(key, revoked)| KeyRow { key, revoked })
                .collect(),
        }
    }

    fn all_text(answer: &Answer) -> String {
        read::text(&answer.view)
    }

    fn actions(answer: &Answer) -> Vec<String> {
        read::values(&answer.view, "data-keyscope-action")
    }

    /// The ids listed under `data-keyscope=name`, each from its `data-keyscope-id`.
    fn listed(answer: &Answer, name: &str) -> Vec<String> {
        answer
            .view
            .iter()
            .flat_map(Node::elements)
            .filter(|element| element.get("data-keyscope") == Some(name))
            .flat_map(|list| {
                list.children.iter().filter_map(|child| match child {
                    Node::Element(item) => item.get("data-keyscope-id").map(str::to_string),
                    Node::Text(_) => None,
                })
            })
            .collect()
    }

    /// The independent rule: nuget.org matches `^escaped$` with `*` → `.*`, ignoring case.
    fn server_matches(subject: &str, id: &str) -> bool {
        fn go(p: &[char], s: &[char]) -> bool {
            match p.split_first() {
                None => s.is_empty(),
                Some(('*', rest)) => (0..=s.len()).any(|at| go(rest, &s[at..])),
                Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
            }
        }
        let p: Vec<char> = subject.to_lowercase().chars().collect();
        let s: Vec<char> = id.to_lowercase().chars().collect();
        go(&p, &s)
    }

    fn loaded(engine: &Engine) -> &Loaded {
        engine.loaded().expect("the test page data loads")
    }

    #[test]
    fn create_with_empty_selection_is_stopped_with_the_widening_explained() {
        let engine = engine();
        let answer = submit(loaded(&engine), &create("  ", &[], &["package:push"]));
        assert_eq!(answer.decision, "stop");
        assert!(all_text(&answer).contains("every current and future package"));
        assert_eq!(actions(&answer), strings(&["cancel"]));
    }

    #[test]
    fn create_without_scopes_is_stopped() {
        let engine = engine();
        let answer = submit(loaded(&engine), &create("Alpha.*", &[], &[]));
        assert_eq!(answer.decision, "stop");
        assert!(all_text(&answer).contains("every action"));
    }

    #[test]
    fn create_with_unknown_scope_ids_only_is_stopped() {
        let engine = engine();
        let answer = submit(loaded(&engine), &create("Alpha.*", &[], &["package:all"]));
        assert_eq!(answer.decision, "stop");
    }

    #[test]
    fn create_with_a_ticked_id_goes() {
        let engine = engine();
        let answer = submit(loaded(&engine), &create("", &["Beta"], &["package:unlist"]));
        assert_eq!(answer, Answer::go());
    }

    #[test]
    fn save_that_widens_asks_with_ids_gained_and_lost() {
        let engine = engine();
        // Key 2 holds Beta and Alpha.Core; the edit keeps Alpha.* and drops Beta.
        let answer = submit(loaded(&engine), &edit(2, "Alpha.*", &[]));
        assert_eq!(answer.decision, "confirm");
        let ids = ["Alpha.Core", "Alpha.Web", "Beta", "Gamma"];
        let covered = |subjects: &[&str], id: &str| subjects.iter().any(|s| server_matches(s, id));
        let gained: Vec<String> = ids
            .iter()
            .filter(|id| covered(&["Alpha.*"], id) && !covered(&["Beta", "Alpha.Core"], id))
            .map(|id| id.to_string())
            .collect();
        let lost: Vec<String> = ids
            .iter()
            .filter(|id| !covered(&["Alpha.*"], id) && covered(&["Beta", "Alpha.Core"], id))
            .map(|id| id.to_string())
            .collect();
        assert_eq!(listed(&answer, "gained"), gained);
        assert_eq!(listed(&answer, "lost"), lost);
        assert!(all_text(&answer).contains("don't exist yet: Alpha.*"));
        assert_eq!(actions(&answer), strings(&["confirm", "cancel"]));
    }

    #[test]
    fn save_that_narrows_goes_without_asking() {
        let engine = engine();
        let answer = submit(loaded(&engine), &edit(2, "", &["Beta"]));
        assert_eq!(answer, Answer::go());
    }

    #[test]
    fn save_compares_with_the_subjects_the_row_shows_now() {
        let engine = engine();
        let mut check = edit(2, "", &["Beta", "Gamma"]);
        check.current = Some(strings(&["Beta", "Gamma", "Alpha.Web"]));
        assert_eq!(submit(loaded(&engine), &check), Answer::go());
    }

    #[test]
    fn save_with_empty_selection_is_stopped() {
        let engine = engine();
        let answer = submit(loaded(&engine), &edit(1, "", &[]));
        assert_eq!(answer.decision, "stop");
    }

    #[test]
    fn delete_names_the_packages_only_that_key_covers() {
        let engine = engine();
        let answer = action(
            loaded(&engine),
            &remove(1, &[(1, false), (2, false), (3, false)]),
        );
        assert_eq!(answer.decision, "confirm");
        // Independently: ids key 1 matches that no other live key (key 2) matches.
        let expected: Vec<String> = ["Alpha.Core", "Alpha.Web", "Beta", "Gamma"]
            .iter()
            .filter(|id| server_matches("Alpha.*", id))
            .filter(|id| !["Beta", "Alpha.Core"].iter().any(|s| server_matches(s, id)))
            .map(|id| id.to_string())
            .collect();
        assert_eq!(listed(&answer, "left-uncovered"), expected);
        assert_eq!(actions(&answer), strings(&["confirm", "cancel"]));
    }

    #[test]
    fn delete_counts_keys_removed_since_load_as_gone() {
        let engine = engine();
        // Key 2 was deleted on the page already: key 1 is now the only key for Alpha.Core.
        let answer = action(loaded(&engine), &remove(1, &[(1, false), (3, false)]));
        assert_eq!(
            listed(&answer, "left-uncovered"),
            strings(&["Alpha.Core", "Alpha.Web"])
        );
    }

    #[test]
    fn delete_counts_keys_revoked_since_load_as_covering_nothing() {
        let engine = engine();
        let answer = action(loaded(&engine), &remove(1, &[(1, false), (2, true)]));
        assert_eq!(
            listed(&answer, "left-uncovered"),
            strings(&["Alpha.Core", "Alpha.Web"])
        );
    }

    #[test]
    fn delete_of_a_key_covered_elsewhere_says_so() {
        let engine = engine();
        let answer = action(loaded(&engine), &remove(2, &[(1, false), (2, false)]));
        assert!(listed(&answer, "left-uncovered").contains(&"Beta".to_string()));
        let answer = action(
            loaded(&engine),
            &ActionCheck {
                action: KeyAction::Revoke,
                key: 3,
                now: NOW_MS,
                rows: Vec::new(),
            },
        );
        assert!(all_text(&answer).contains("It is expired and covers no package now."));
    }

    #[test]
    fn delete_of_a_key_unknown_to_the_page_data_says_reload() {
        let engine = engine();
        let answer = action(loaded(&engine), &remove(99, &[(1, false), (99, false)]));
        assert!(all_text(&answer).contains("refreshes on reload"));
    }

    #[test]
    fn keys_created_since_load_are_named_as_not_counted() {
        let engine = engine();
        let answer = action(
            loaded(&engine),
            &remove(1, &[(1, false), (2, false), (7, false)]),
        );
        assert!(all_text(&answer).contains("Not counted: 1 key created or regenerated"));
    }

    #[test]
    fn regenerate_says_the_old_value_stops_working() {
        let engine = engine();
        let answer = action(
            loaded(&engine),
            &ActionCheck {
                action: KeyAction::Regenerate,
                key: 1,
                now: NOW_MS + DAY_MS,
                rows: Vec::new(),
            },
        );
        assert_eq!(answer.decision, "confirm");
        let words = all_text(&answer);
        assert!(words.contains("Regenerate “Alpha CI”?"), "{words}");
        assert!(words.contains("current value stops working"));
        assert!(words.contains("secret guard"));
    }

    #[test]
    fn german_names_a_key_in_german_quotes() {
        let engine = engine_in(
            Some("de"),
            Some(include_str!("../extension/_locales/de/messages.json")),
        );
        let answer = action(
            loaded(&engine),
            &ActionCheck {
                action: KeyAction::Regenerate,
                key: 1,
                now: NOW_MS + DAY_MS,
                rows: Vec::new(),
            },
        );
        crate::i18n::use_catalog(crate::i18n::Catalog::english());
        let words = all_text(&answer);
        assert!(words.contains("„Alpha CI“ neu generieren?"), "{words}");
        assert!(!words.contains('”'), "no English closing quote: {words}");
    }

    #[test]
    fn long_lists_are_capped() {
        let ids: Vec<String> = (0..LIST_CAP + 3).map(|i| format!("P{i}")).collect();
        let node: Node = id_list(&ids, "gained").into();
        assert!(node.text_content().ends_with("and 3 more"));
    }

    #[test]
    fn as_shown_without_rows_keeps_the_page_data() {
        let data = PageData {
            api_keys: vec![ApiKey {
                key: 5,
                ..ApiKey::default()
            }],
            ..PageData::default()
        };
        assert_eq!(as_shown(&data, &[]), data);
    }

    /// One case of `tests/fixtures/backstop-requests.json`, which the browser tests replay
    /// against the backstop in `extension/main-world.js`.
    #[derive(Deserialize)]
    struct BackstopCase {
        name: String,
        kind: String,
        #[serde(default)]
        key: Option<i64>,
        subjects: Vec<String>,
        scopes: Vec<String>,
        stopped: bool,
    }

    #[derive(Deserialize)]
    struct BackstopCases {
        cases: Vec<BackstopCase>,
    }

    fn repo_file(path: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    #[test]
    fn backstop_cases_are_stopped_exactly_when_the_engine_stops_them() {
        let engine = engine();
        let BackstopCases { cases } =
            serde_json::from_str(&repo_file("tests/fixtures/backstop-requests.json"))
                .expect("the backstop cases parse");
        assert!(cases.iter().any(|case| case.stopped) && cases.iter().any(|case| !case.stopped));
        for case in &cases {
            // What request-guard.js asks about a request the backstop refused.
            let check = SubmitCheck {
                form: match case.kind.as_str() {
                    "create" => 0,
                    "save" => case.key.expect("a save case names its key"),
                    other => panic!("{}: unknown kind {other}", case.name),
                },
                pattern: String::new(),
                ticked: case.subjects.clone(),
                scopes: case.scopes.clone(),
                owner: None,
                current: None,
            };
            let answer = submit(loaded(&engine), &check);
            assert_eq!(answer.decision == "stop", case.stopped, "{}", case.name);
        }
    }

    /// The characters `keep` accepts, written as the body of a JavaScript character class:
    /// `\uXXXX` each, runs as `\uXXXX-\uYYYY`.
    fn js_class(keep: fn(char) -> bool) -> String {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for c in (char::MIN..=char::MAX).filter(|&c| keep(c)) {
            let code = u32::from(c);
            match runs.last_mut() {
                Some((_, end)) if *end + 1 == code => *end = code,
                _ => runs.push((code, code)),
            }
        }
        runs.iter()
            .map(|&(start, end)| match end - start {
                0 => format!("\\u{start:04x}"),
                _ => format!("\\u{start:04x}-\\u{end:04x}"),
            })
            .collect()
    }

    #[test]
    fn backstop_blank_is_what_rust_trims() {
        let script = repo_file("extension/main-world.js");
        let opening = "const BLANK = /^[";
        let start = script.find(opening).expect("main-world.js defines BLANK") + opening.len();
        let class = &script[start..];
        let class = &class[..class.find("]*$/;").expect("BLANK is one class")];
        assert_eq!(class, js_class(char::is_whitespace));
        assert!(" \t\u{85}\u{3000}".trim().is_empty() && !"\u{feff}".trim().is_empty());
    }

    #[test]
    fn requests_round_trip_through_the_engine() {
        let mut engine = engine();
        let request: Request = serde_json::from_str(
            r#"{"type": "submit-check", "form": 0, "pattern": "", "ticked": [], "scopes": ["package:push"], "owner": "alice"}"#,
        )
        .expect("a submit check parses");
        let response = serde_json::to_value(engine.handle(request)).expect("serialises");
        assert_eq!(response["type"], "request-guard");
        assert_eq!(response["decision"], "stop");
        let request: Request = serde_json::from_str(
            r#"{"type": "action-check", "action": "delete", "key": 1, "now": 1893456000000, "rows": [{"key": 1, "revoked": false}]}"#,
        )
        .expect("an action check parses");
        let response = serde_json::to_value(engine.handle(request)).expect("serialises");
        assert_eq!(response["decision"], "confirm");
    }
}
