//! KeyScope's one application state: the page data it was given and the answers it computes.
//!
//! The content script sends [`Request`]s (page data once, then every change of a form) and
//! draws the [`Response`]s. Everything here is plain Rust so the whole conversation can be
//! replayed natively in tests; `web` only converts these types to and from JavaScript values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::guard::{self, Guard};
use crate::i18n::{self, t, Catalog};
use crate::ids::IdIndex;
use crate::lint::{self, Verdict, Warning};
use crate::page::{self, PageData};
use crate::pattern::Problem;
use crate::request_guard;
use crate::scope::Scope;
use crate::ui::{self, el, text, Node};

/// What the content script asks.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Request {
    /// The text of the page's inline script that assigns `initialData`, and the language to
    /// speak: a BCP 47 `locale` with the text of its `messages.json` (English when absent).
    Init {
        script: String,
        #[serde(default)]
        locale: Option<String>,
        #[serde(default)]
        messages: Option<String>,
    },
    /// The glob field of form `form` (0 = create form, N = edit form of key N) changed.
    Glob {
        form: i64,
        text: String,
        /// The owner chosen in the form; edit forms may leave it to the key's owner.
        #[serde(default)]
        owner: Option<String>,
        #[serde(default)]
        scopes: Vec<String>,
    },
    /// Something happened to a new key's one-time secret (never the secret itself).
    Guard { now: f64, event: guard::Event },
    /// Create or Save is about to submit form `form` (the request guard holds it meanwhile).
    SubmitCheck(request_guard::SubmitCheck),
    /// Regenerate, Delete or Revoke was clicked (the request guard holds it meanwhile).
    ActionCheck(request_guard::ActionCheck),
    /// The coverage review of the keys on the page, with the create form as a "what if".
    Review(crate::review::Query),
    /// The preview of a pending key for one form (see [`crate::preview`]).
    Preview(crate::preview::Query),
    /// The preview's matched or not-matched list as plain text, for "copy list".
    PreviewCopy(crate::preview::Query),
    /// The multi-pattern helper's field changed, or it is about to tick.
    MultiPattern(crate::preview::MultiQuery),
    /// A key was created, regenerated, edited, deleted or revoked since the page loaded:
    /// `change` is the JSON text `extension/main-world.js` reported (never with a secret; see
    /// [`page::parse_key_change`]).
    KeysChanged { change: String },
}

/// What KeyScope answers.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Response {
    /// KeyScope's state on this page, with the status line to show, and every message of the
    /// chosen language for the content scripts' own words (placeholders `$1`.. left in).
    Status {
        state: &'static str,
        reason: Option<String>,
        view: Vec<Node>,
        messages: BTreeMap<String, String>,
    },
    /// Feedback to show under the glob field of `form`.
    Feedback {
        form: i64,
        valid: bool,
        view: Vec<Node>,
    },
    /// Every secret-guard prompt to draw, and whether leaving the page must ask first.
    Guard(guard::Answer),
    /// The request guard's answer: go, stop, or confirm first, with what to show.
    RequestGuard(request_guard::Answer),
    /// The coverage review to draw.
    Review(crate::review::Answer),
    /// The preview of a pending key.
    Preview(Box<crate::preview::Answer>),
    /// A preview list, one id per line.
    PreviewCopy {
        form: i64,
        text: String,
        count: usize,
    },
    /// The multi-pattern helper's verdicts (and ids to tick, when asked).
    MultiPattern(crate::preview::MultiAnswer),
    /// A change to the keys was applied; `keys` is how many the page data now holds.
    KeysChanged { keys: usize },
    /// A request KeyScope could not answer (the page keeps working without it).
    Error { message: String },
}

/// One owner's packages, indexed once so every keystroke only matches.
pub struct Owner {
    pub name: String,
    pub ids: IdIndex,
}

/// The page as KeyScope understood it; feature modules (preview, review, request guard) read
/// it through [`Loaded::owner`] and [`Loaded::form_owner`] rather than re-parsing anything.
///
/// `data` holds the keys as they are now: the page's `initialData` with every change to the
/// keys since load applied ([`Request::KeysChanged`]); `unfollowed` counts the changes that
/// could not be applied, so the review can say it may be out of date.
pub struct Loaded {
    pub data: PageData,
    pub owners: Vec<Owner>,
    pub unfollowed: usize,
}

impl Loaded {
    /// The owner called `name` (owner names compare without regard to case).
    pub fn owner(&self, name: &str) -> Option<&Owner> {
        self.owners
            .iter()
            .find(|owner| owner.name.eq_ignore_ascii_case(name))
    }

    /// The owner form `form` is about: the one chosen in it, else (edit forms) the key's owner.
    pub fn form_owner(&self, form: i64, chosen: Option<&str>) -> Option<&Owner> {
        let name = chosen
            .filter(|name| !name.trim().is_empty())
            .map(str::to_string)
            .or_else(|| key_owner(&self.data, form))?;
        self.owner(&name)
    }
}

/// KeyScope's state for one page life.
#[derive(Default)]
pub struct Engine {
    loaded: Option<Loaded>,
    guard: Guard,
    preview: crate::preview::Cache,
    /// Each owner's indexed ids for the coverage review.
    review_ids: crate::subjects::OwnerIdsCache,
}

impl Engine {
    pub fn new() -> Engine {
        Engine::default()
    }

    /// The page as KeyScope understood it, once `init` succeeded.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    /// Answers one request.
    pub fn handle(&mut self, request: Request) -> Response {
        match request {
            Request::Init {
                script,
                locale,
                messages,
            } => {
                i18n::use_catalog(catalog(locale.as_deref(), messages.as_deref()));
                self.init(&script)
            }
            Request::Glob {
                form,
                text,
                owner,
                scopes,
            } => self.glob(form, &text, owner.as_deref(), &scopes),
            Request::Guard { now, event } => {
                Response::Guard(self.guard.handle(now.max(0.0) as u64, event))
            }
            Request::Preview(query) => {
                crate::preview::respond(&mut self.preview, self.loaded.as_ref(), &query)
            }
            Request::PreviewCopy(query) => {
                crate::preview::respond_copy(&mut self.preview, self.loaded.as_ref(), &query)
            }
            Request::MultiPattern(query) => {
                crate::preview::respond_multi(self.loaded.as_ref(), &query)
            }
            Request::SubmitCheck(check) => match &self.loaded {
                Some(loaded) => Response::RequestGuard(request_guard::submit(loaded, &check)),
                None => not_loaded(),
            },
            Request::ActionCheck(check) => match &self.loaded {
                Some(loaded) => Response::RequestGuard(request_guard::action(loaded, &check)),
                None => not_loaded(),
            },
            Request::Review(query) => match &self.loaded {
                Some(loaded) => {
                    Response::Review(crate::review::review(loaded, &query, &mut self.review_ids))
                }
                None => not_loaded(),
            },
            Request::KeysChanged { change } => match &mut self.loaded {
                Some(loaded) => {
                    let answer = keys_changed(loaded, &change);
                    // An edit form's preview state goes with its key.
                    let data = &loaded.data;
                    self.preview
                        .keep_forms(|form| form == 0 || data.key(form).is_some());
                    answer
                }
                None => not_loaded(),
            },
        }
    }

    fn init(&mut self, script: &str) -> Response {
        let Some(json) = page::extract_initial_data(script) else {
            return inactive(t("reason_no_initial_data", &[]));
        };
        match page::parse_page_data(json) {
            Ok(data) => {
                let owners = data
                    .package_owners
                    .iter()
                    .map(|owner| Owner {
                        name: owner.owner.clone(),
                        ids: IdIndex::new(owner.package_ids.iter().cloned()),
                    })
                    .collect::<Vec<_>>();
                let packages: usize = owners.iter().map(|owner| owner.ids.len()).sum();
                let line = t(
                    "status_ready",
                    &[
                        &ui::plural(packages, "n_packages"),
                        &ui::plural(owners.len(), "n_owners"),
                    ],
                );
                self.loaded = Some(Loaded {
                    data,
                    owners,
                    unfollowed: 0,
                });
                Response::Status {
                    state: "ready",
                    reason: None,
                    view: vec![text(line)],
                    messages: i18n::current().messages().clone(),
                }
            }
            Err(error) => inactive(t("reason_bad_initial_data", &[&error.to_string()])),
        }
    }

    fn glob(&self, form: i64, pattern: &str, owner: Option<&str>, scopes: &[String]) -> Response {
        let Some(loaded) = &self.loaded else {
            return not_loaded();
        };
        let owner = loaded.form_owner(form, owner);
        let scopes = Scope::from_ids(scopes);
        let verdict = lint::check(pattern, owner.map(|owner| &owner.ids), &scopes);
        Response::Feedback {
            form,
            valid: verdict.valid,
            view: glob_feedback(&verdict, owner.map(|owner| owner.name.as_str())),
        }
    }
}

/// Applies one change to the keys; a change that can't be read or applied leaves the page
/// data as it was, is counted as unfollowed and answered with why.
fn keys_changed(loaded: &mut Loaded, change: &str) -> Response {
    match page::parse_key_change(change).and_then(|change| loaded.data.apply(change)) {
        Ok(()) => Response::KeysChanged {
            keys: loaded.data.api_keys.len(),
        },
        Err(error) => {
            loaded.unfollowed = loaded.unfollowed.saturating_add(1);
            Response::Error {
                message: t("review_change_rejected", &[&error.to_string()]),
            }
        }
    }
}

fn not_loaded() -> Response {
    Response::Error {
        message: t("error_not_loaded", &[]),
    }
}

fn inactive(reason: String) -> Response {
    Response::Status {
        state: "inactive",
        view: vec![text(t("status_inactive", &[&reason]))],
        reason: Some(reason),
        messages: i18n::current().messages().clone(),
    }
}

/// The owner of existing key `form`, for its edit form.
fn key_owner(data: &PageData, form: i64) -> Option<String> {
    data.api_keys
        .iter()
        .find(|key| key.key == form)
        .and_then(|key| key.owner.clone())
}

/// The feedback under a glob field: the pattern with offending characters marked, every error
/// and warning with its code, and how many of the owner's packages the pattern matches.
pub fn glob_feedback(verdict: &Verdict, owner: Option<&str>) -> Vec<Node> {
    let mut view = Vec::new();
    if verdict.pattern.is_empty() {
        return view;
    }
    if !verdict.errors.is_empty() {
        view.push(marked_copy(&verdict.pattern, verdict).into());
    }
    let mut items = Vec::new();
    for error in &verdict.errors {
        items.push(
            el("li")
                .class("keyscope-error")
                .attr("data-keyscope-code", error.code)
                .child(text(problem_text(error)))
                .into(),
        );
    }
    for warning in &verdict.warnings {
        let mut item = el("li")
            .class("keyscope-warning")
            .attr("data-keyscope-code", warning.code)
            .child(text(warning_text(warning, &verdict.pattern, verdict.total)));
        if let Some(suggestion) = &warning.suggestion {
            item = item.child(
                el("button")
                    .attr("type", "button")
                    .class("keyscope-suggestion")
                    .attr("data-keyscope-action", "use-suggestion")
                    .attr("data-keyscope-value", suggestion.clone())
                    .child(text(t("glob_use_suggestion", &[suggestion]))),
            );
        }
        items.push(item.into());
    }
    if !items.is_empty() {
        view.push(el("ul").class("keyscope-problems").children(items).into());
    }
    if let (true, Some(matched), Some(total), Some(owner)) =
        (verdict.valid, verdict.matched, verdict.total, owner)
    {
        view.push(
            el("p")
                .class("keyscope-count")
                .attr("data-keyscope", "glob-count")
                .attr("data-keyscope-matched", matched.to_string())
                .attr("data-keyscope-total", total.to_string())
                .child(text(i18n::tn(
                    "glob_matches",
                    total,
                    &[&ui::count(matched), owner],
                )))
                .into(),
        );
    }
    view
}

/// The catalog for `locale` from its messages.json text; English when either is missing or
/// the text does not parse (a broken translation must not stop KeyScope).
fn catalog(locale: Option<&str>, messages: Option<&str>) -> Catalog {
    match (locale, messages) {
        (Some(locale), Some(json)) => {
            Catalog::from_json(locale, json).unwrap_or_else(|_| Catalog::english())
        }
        _ => Catalog::english(),
    }
}

/// A warning in the reader's language, from its code and params (the English `message` is
/// the CLI's). `total` is the owner's package count when the owner is known.
fn warning_text(warning: &Warning, pattern: &str, total: Option<usize>) -> String {
    let param = |name: &str| warning.params.get(name).map_or("", String::as_str);
    let number = |name: &str| ui::count(param(name).parse().unwrap_or_default());
    let suggestion = warning.suggestion.as_deref().unwrap_or_default();
    match warning.code {
        lint::GRANTS_ALL => match total {
            Some(total) => t("warning_grants_all", &[&ui::count(total)]),
            None => t("warning_grants_all_unknown", &[]),
        },
        lint::GRANTS_NEW_IDS => {
            let listed = quoted_list(&warning.examples);
            match param("strength") {
                "leading-star" => t("warning_grants_new_ids_leading_star", &[&listed]),
                _ => t("warning_grants_new_ids", &[&listed]),
            }
        }
        lint::IMPOSSIBLE => match param("reason") {
            "double-separator" => t("warning_impossible_double_separator", &[param("text")]),
            "leading-separator" => t("warning_impossible_leading_separator", &[param("text")]),
            "trailing-separator" => t("warning_impossible_trailing_separator", &[param("text")]),
            "too-long" => t(
                "warning_impossible_too_long",
                &[&number("min_len"), &ui::count(crate::ids::MAX_ID_LEN)],
            ),
            _ => t("warning_impossible", &[]),
        },
        lint::MATCHES_NONE => t("warning_matches_none", &[pattern, &number("total")]),
        lint::EXCLUDES_PARENT => {
            let count: usize = param("count").parse().unwrap_or_default();
            if count == 1 {
                t(
                    "warning_excludes_parent_one",
                    &[pattern, param("parent"), suggestion, param("prefix")],
                )
            } else {
                t(
                    "warning_excludes_parent_other",
                    &[
                        pattern,
                        &ui::count(count),
                        param("prefix"),
                        param("parent"),
                        suggestion,
                    ],
                )
            }
        }
        lint::LOOKS_LIKE_VERSION => {
            let kind = match param("kind") {
                "prerelease-label" => t("kind_prerelease_label", &[]),
                "file-name" => t("kind_file_name", &[]),
                _ => t("kind_version_number", &[]),
            };
            t("warning_looks_like_version", &[param("text"), &kind])
        }
        lint::REDUNDANT_STARS => t("warning_redundant_stars", &[param("text")]),
        _ => warning.message.clone(),
    }
}

/// `'A'`, `'A' or 'B'`, `'A', 'B' or 'C'` in the reader's language.
fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => t("list_or", &[&rest.join(", "), last]),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// An error in the reader's language, from its code and params.
fn problem_text(problem: &Problem) -> String {
    let param = |name: &str| problem.params.get(name).map_or("", String::as_str);
    let count: usize = param("count").parse().unwrap_or(1);
    let times = if count > 1 {
        t("error_times", &[&ui::count(count)])
    } else {
        String::new()
    };
    match param("reason") {
        reason @ ("leading-whitespace" | "trailing-whitespace" | "inner-whitespace") => {
            let noun = format!("ws_{}", param("name").replace([' ', '-'], "_"));
            let what = capitalize(&i18n::tn(&noun, count, &[]));
            t(
                &format!("error_invalid_char_{}", reason.replace('-', "_")),
                &[&what],
            )
        }
        "not-a-wildcard" => {
            let extra = match param("text").chars().next() {
                Some('{' | '}') => t("error_not_a_wildcard_braces", &[]),
                Some('[' | ']') => t("error_not_a_wildcard_brackets", &[]),
                Some('\\') => t("error_not_a_wildcard_backslash", &[]),
                _ => String::new(),
            };
            t("error_invalid_char_not_a_wildcard", &[param("text")]) + &extra
        }
        "list-separator" => t("error_invalid_char_list_separator", &[param("text")]),
        "punctuation" => t("error_invalid_char_punctuation", &[param("text")]),
        "look-alike" => {
            let times = match param("text").chars().count() {
                n if n > 1 => t("error_times", &[&ui::count(n)]),
                _ => String::new(),
            };
            t(
                "error_invalid_char_look_alike",
                &[param("char"), param("name"), param("looks_like"), &times],
            )
        }
        "non-ascii" if problem.params.contains_key("text") => {
            let text = param("text");
            if text.chars().count() == 1 {
                let key = if text.chars().all(char::is_alphabetic) {
                    "error_invalid_char_non_ascii_letter"
                } else {
                    "error_invalid_char_non_ascii_digit"
                };
                t(key, &[param("char"), text])
            } else {
                t("error_invalid_char_non_ascii_text", &[text])
            }
        }
        "non-ascii" => t(
            "error_invalid_char_unprintable",
            &[&format!("{}{times}", param("char"))],
        ),
        "invisible" => i18n::tn(
            "error_invalid_char_invisible",
            count,
            &[param("name"), param("char")],
        ),
        "more" => t("error_invalid_char_more", &[&ui::count(count)]),
        _ => problem.message.clone(),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A copy of the pattern with every character an error points at wrapped in a `mark`;
/// invisible and space characters are shown by name so the reader can see them.
fn marked_copy(pattern: &str, verdict: &Verdict) -> ui::Element {
    let chars: Vec<char> = pattern.chars().collect();
    let bad = |index: usize| {
        verdict
            .errors
            .iter()
            .any(|error| error.start <= index && index < error.end)
    };
    let mut copy = el("p")
        .class("keyscope-pattern-copy")
        .attr("data-keyscope", "pattern-copy");
    let mut run = String::new();
    let mut index = 0;
    while index < chars.len() {
        if !bad(index) {
            run.extend(chars.get(index));
            index += 1;
            continue;
        }
        if !run.is_empty() {
            copy = copy.child(text(std::mem::take(&mut run)));
        }
        let start = index;
        while index < chars.len() && bad(index) {
            index += 1;
        }
        let shown: String = chars
            .get(start..index)
            .unwrap_or_default()
            .iter()
            .map(|&c| visible(c))
            .collect();
        copy = copy.child(
            el("mark")
                .attr("data-keyscope", "bad-char")
                .child(text(shown)),
        );
    }
    if !run.is_empty() {
        copy = copy.child(text(run));
    }
    copy
}

/// How a character is shown in the marked copy: spaces and invisible characters by a symbol.
fn visible(c: char) -> String {
    match c {
        ' ' => "␣".to_string(),
        '\t' => "⇥".to_string(),
        c if crate::pattern::is_hidden(c) => format!("⟨U+{:04X}⟩", c as u32),
        c => c.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::read;

    fn script(owners: &str) -> String {
        format!(
            "var initialData = {{\"ApiKeys\": [], \"PackageOwners\": [{owners}], \"PackagePushScope\": \"package:push\"}};"
        )
    }

    fn init(script: String) -> Request {
        Request::Init {
            script,
            locale: None,
            messages: None,
        }
    }

    fn ready_engine() -> Engine {
        let mut engine = Engine::new();
        let owners = r#"{"Owner": "alice", "PackageIds": ["Alpha", "Alpha.Core", "Beta"], "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true},
                        {"Owner": "Contoso", "PackageIds": ["Contoso.Web"], "CanPushNew": false, "CanPushExisting": true, "CanUnlist": false}"#;
        engine.handle(init(script(owners)));
        engine
    }

    fn feedback(engine: &mut Engine, pattern: &str, owner: &str) -> (bool, Vec<Node>) {
        match engine.handle(Request::Glob {
            form: 0,
            text: pattern.to_string(),
            owner: Some(owner.to_string()),
            scopes: vec!["package:push".to_string()],
        }) {
            Response::Feedback { valid, view, .. } => (valid, view),
            other => panic!("expected feedback, got {other:?}"),
        }
    }

    fn codes(view: &[Node]) -> Vec<String> {
        read::values(view, "data-keyscope-code")
    }

    #[test]
    fn status_counts_packages_across_owners() {
        let mut engine = Engine::new();
        let owners =
            r#"{"Owner": "a", "PackageIds": ["X", "Y"]}, {"Owner": "b", "PackageIds": ["Z"]}"#;
        match engine.handle(init(script(owners))) {
            Response::Status { state, view, .. } => {
                assert_eq!(state, "ready");
                assert_eq!(
                    view[0].text_content(),
                    "KeyScope active · 3 packages across 2 owners"
                );
            }
            other => panic!("expected status, got {other:?}"),
        }
    }

    #[test]
    fn missing_initial_data_makes_keyscope_inactive() {
        let mut engine = Engine::new();
        match engine.handle(init("var somethingElse = 1;".to_string())) {
            Response::Status { state, reason, .. } => {
                assert_eq!(state, "inactive");
                assert!(reason.unwrap_or_default().contains("initialData"));
            }
            other => panic!("expected status, got {other:?}"),
        }
    }

    #[test]
    fn malformed_initial_data_makes_keyscope_inactive() {
        let mut engine = Engine::new();
        match engine.handle(init("var initialData = {\"ApiKeys\": 5};".to_string())) {
            Response::Status { state, .. } => assert_eq!(state, "inactive"),
            other => panic!("expected status, got {other:?}"),
        }
    }

    #[test]
    fn glob_before_init_is_an_error_not_a_panic() {
        let mut engine = Engine::new();
        let response = engine.handle(Request::Glob {
            form: 0,
            text: "*".to_string(),
            owner: None,
            scopes: Vec::new(),
        });
        assert!(matches!(response, Response::Error { .. }));
    }

    #[test]
    fn feedback_counts_matches_of_the_chosen_owner() {
        let mut engine = ready_engine();
        let (valid, view) = feedback(&mut engine, "alpha*", "alice");
        assert!(valid);
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(all.contains("Matches 2 of 3 packages of alice."), "{all}");
    }

    #[test]
    fn feedback_marks_the_offending_character() {
        let mut engine = ready_engine();
        let (valid, view) = feedback(&mut engine, "Alpha Core", "alice");
        assert!(!valid);
        assert!(codes(&view).contains(&"invalid-char".to_string()));
        let marks: Vec<String> = view
            .iter()
            .flat_map(Node::elements)
            .filter(|element| element.get("data-keyscope") == Some("bad-char"))
            .map(|element| Node::from(element.clone()).text_content())
            .collect();
        assert_eq!(marks, vec!["␣".to_string()]);
    }

    #[test]
    fn star_alone_warns_grants_all() {
        let mut engine = ready_engine();
        let (_, view) = feedback(&mut engine, "*", "alice");
        assert!(codes(&view).contains(&"grants-all".to_string()));
    }

    #[test]
    fn empty_pattern_shows_nothing() {
        let mut engine = ready_engine();
        let (valid, view) = feedback(&mut engine, "", "alice");
        assert!(valid);
        assert!(view.is_empty());
    }

    #[test]
    fn english_feedback_says_what_the_cli_says() {
        let ids = IdIndex::new(
            ["Contoso", "Contoso.Core", "Contoso.Web"]
                .iter()
                .map(|id| id.to_string()),
        );
        let patterns = [
            "*",
            "Contoso.*",
            "Foo..Bar",
            ".Foo",
            "Foo-",
            "Contoso.1.2",
            "Foo.nupkg*",
            "Foo**",
            "Nope",
            "A B",
            " A",
            "A ",
            "A\t",
            "Foo?",
            "A{B}",
            "A\\B",
            "A,B",
            "A@B",
            "\u{0435}x",
            "ü",
            "ææ",
            "A\u{200B}",
            "A\u{200B}\u{200B}B",
            "A\u{7}",
            "Foo*Bar*",
            "a?b?c?d?e?f?g?h?i?j?k?l?m?",
        ];
        let long = format!("{}*", "a".repeat(99)) + "b.c";
        for pattern in patterns.iter().copied().chain([long.as_str()]) {
            for scopes in [vec![], vec![Scope::Push]] {
                let verdict = lint::check(pattern, Some(&ids), &scopes);
                for error in &verdict.errors {
                    assert_eq!(problem_text(error), error.message, "{pattern:?}");
                }
                for warning in &verdict.warnings {
                    assert_eq!(
                        warning_text(warning, &verdict.pattern, verdict.total),
                        warning.message,
                        "{pattern:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn german_catalog_speaks_german_everywhere_it_draws() {
        let mut engine = Engine::new();
        let owners =
            r#"{"Owner": "a", "PackageIds": ["X", "Y"]}, {"Owner": "b", "PackageIds": ["Z"]}"#;
        let answer = engine.handle(Request::Init {
            script: script(owners),
            locale: Some("de-DE".to_string()),
            messages: Some(include_str!("../extension/_locales/de/messages.json").to_string()),
        });
        match answer {
            Response::Status { view, .. } => assert_eq!(
                view[0].text_content(),
                "KeyScope aktiv · 3 Pakete von 2 Besitzern"
            ),
            other => panic!("expected status, got {other:?}"),
        }
        let (_, view) = feedback(&mut engine, "A B", "a");
        let all: String = view.iter().map(Node::text_content).collect();
        assert!(all.contains("Ein Leerzeichen im Muster"), "{all}");
        i18n::use_catalog(Catalog::english());
    }

    /// A key object as Generate or Regenerate answers it, without its `Value`.
    fn key_json(key: i64) -> String {
        format!(
            r#"{{"Key": {key}, "Type": "apikey.v4", "Description": "Soak key", "Expires": "2031-01-01T00:00:00Z",
                "HasExpired": false, "IsNonScopedApiKey": false, "RevocationSource": null, "Owner": "alice",
                "Scopes": ["Push new packages and package versions"], "GlobPattern": "Alpha*", "Packages": []}}"#
        )
    }

    fn guard_event(engine: &mut Engine, now: u64, json: &str) -> guard::Answer {
        let event = serde_json::from_str(json).expect("guard event");
        match engine.handle(Request::Guard {
            now: now as f64,
            event,
        }) {
            Response::Guard(answer) => answer,
            other => panic!("expected a guard answer, got {other:?}"),
        }
    }

    fn keys_changed_to(engine: &mut Engine, change: String) -> usize {
        match engine.handle(Request::KeysChanged { change }) {
            Response::KeysChanged { keys } => keys,
            other => panic!("expected the change applied, got {other:?}"),
        }
    }

    #[test]
    fn a_long_page_life_of_create_regenerate_delete_leaves_the_engine_as_it_started() {
        // The soak's cycle, as the content scripts tell the engine: the page creates a key
        // (shown, its row seen), regenerates it (a new number: the old row goes, the new key
        // is shown), then deletes it (its row goes).
        let mut engine = ready_engine();
        let t0: u64 = 1_700_000_000_000;
        let shown = |key: i64| {
            format!(
                r#"{{"type":"shown","key":{key},"origin":"created","name":"Soak key","masked":"oy2…abcd"}}"#
            )
        };
        let page = |key: i64, row: bool| {
            format!(r#"{{"type":"page","key":{key},"row":{row},"copy":{row}}}"#)
        };
        let mut last = None;
        for cycle in 0..1_000_i64 {
            let (created, regenerated) = (1_000 + 2 * cycle, 1_001 + 2 * cycle);
            let now = t0 + cycle as u64 * 10_000;
            let created_json = format!(
                r#"{{"kind": "created", "key": {created}, "answer": {}}}"#,
                key_json(created)
            );
            assert_eq!(keys_changed_to(&mut engine, created_json), 1);
            guard_event(&mut engine, now, &shown(created));
            guard_event(&mut engine, now, &page(created, true));
            let regenerated_json = format!(
                r#"{{"kind": "regenerated", "key": {regenerated}, "replaces": {created}, "answer": {}}}"#,
                key_json(regenerated)
            );
            assert_eq!(keys_changed_to(&mut engine, regenerated_json), 1);
            guard_event(&mut engine, now + 1_000, &shown(regenerated));
            guard_event(&mut engine, now + 1_000, &page(created, false));
            guard_event(&mut engine, now + 1_000, &page(regenerated, true));
            let removed = format!(r#"{{"kind": "removed", "key": {regenerated}}}"#);
            assert_eq!(keys_changed_to(&mut engine, removed), 0);
            last = Some(guard_event(
                &mut engine,
                now + 2_000,
                &page(regenerated, false),
            ));
        }
        let loaded = engine.loaded().expect("loaded");
        assert!(loaded.data.api_keys.is_empty());
        assert_eq!(loaded.unfollowed, 0);
        // The last deleted key is said to be closed once; after that the guard has nothing to say.
        let last = last.expect("an answer");
        assert_eq!(last.prompts.len(), 1);
        assert!(last.prompts.iter().all(|prompt| prompt.view.is_empty()));
        let answer = guard_event(&mut engine, t0 + 20_000_000, r#"{"type":"tick"}"#);
        assert!(answer.prompts.is_empty());
        assert!(!answer.hold_page);
    }

    #[test]
    fn an_edit_forms_preview_state_goes_with_its_key() {
        let mut engine = ready_engine();
        let created = format!(
            r#"{{"kind": "created", "key": 7, "answer": {}}}"#,
            key_json(7)
        );
        keys_changed_to(&mut engine, created);
        for form in [0, 7] {
            engine.handle(Request::Preview(crate::preview::Query {
                form,
                owner: Some("alice".into()),
                pattern: "Alpha*".into(),
                ..crate::preview::Query::default()
            }));
        }
        assert_eq!(engine.preview.forms(), 2);
        keys_changed_to(&mut engine, r#"{"kind": "removed", "key": 7}"#.to_string());
        assert_eq!(
            engine.preview.forms(),
            1,
            "only the create form's state is left"
        );
    }

    #[test]
    fn invisible_characters_are_shown_by_code_point() {
        assert_eq!(visible('\u{200B}'), "⟨U+200B⟩");
        assert_eq!(visible(' '), "␣");
        assert_eq!(visible('a'), "a");
        assert_eq!(visible('\u{FE0F}'), "⟨U+FE0F⟩");
        assert_eq!(visible('\u{E0041}'), "⟨U+E0041⟩");
    }
}
