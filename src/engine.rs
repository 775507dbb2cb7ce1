//! KeyScope's one application state: the page data it was given and the answers it computes.
//!
//! The content script sends [`Request`]s (page data once, then every change of a form) and
//! draws the [`Response`]s. Everything here is plain Rust so the whole conversation can be
//! replayed natively in tests; `web` only converts these types to and from JavaScript values.

use serde::{Deserialize, Serialize};

use crate::guard::{self, Guard};
use crate::ids::IdIndex;
use crate::lint::{self, Verdict};
use crate::page::{self, PageData};
use crate::request_guard;
use crate::scope::Scope;
use crate::ui::{self, el, text, Node};

/// What the content script asks.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Request {
    /// The text of the page's inline script that assigns `initialData`.
    Init { script: String },
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
}

/// What KeyScope answers.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Response {
    /// KeyScope's state on this page, with the status line to show.
    Status {
        state: &'static str,
        reason: Option<String>,
        view: Vec<Node>,
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
pub struct Loaded {
    pub data: PageData,
    pub owners: Vec<Owner>,
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
            Request::Init { script } => self.init(&script),
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
                Some(loaded) => Response::Review(crate::review::review(loaded, &query)),
                None => not_loaded(),
            },
        }
    }

    fn init(&mut self, script: &str) -> Response {
        let Some(json) = page::extract_initial_data(script) else {
            return inactive("the page's initialData could not be found".to_string());
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
                let line = format!(
                    "KeyScope active · {} across {}",
                    ui::plural(packages, "package", "packages"),
                    ui::plural(owners.len(), "owner", "owners")
                );
                self.loaded = Some(Loaded { data, owners });
                Response::Status {
                    state: "ready",
                    reason: None,
                    view: vec![text(line)],
                }
            }
            Err(error) => inactive(format!("initialData is not what KeyScope expects: {error}")),
        }
    }

    fn glob(&self, form: i64, pattern: &str, owner: Option<&str>, scopes: &[String]) -> Response {
        let Some(loaded) = &self.loaded else {
            return Response::Error {
                message: "KeyScope has not read the page data yet".to_string(),
            };
        };
        let owner = loaded.form_owner(form, owner);
        let scopes: Vec<Scope> = scopes.iter().filter_map(|id| Scope::from_id(id)).collect();
        let verdict = lint::check(pattern, owner.map(|owner| &owner.ids), &scopes);
        Response::Feedback {
            form,
            valid: verdict.valid,
            view: glob_feedback(&verdict, owner.map(|owner| owner.name.as_str())),
        }
    }
}

fn not_loaded() -> Response {
    Response::Error {
        message: "KeyScope has not read the page data yet".to_string(),
    }
}

fn inactive(reason: String) -> Response {
    Response::Status {
        state: "inactive",
        view: vec![text(format!("KeyScope is inactive on this page: {reason}"))],
        reason: Some(reason),
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
                .child(text(error.message.clone()))
                .into(),
        );
    }
    for warning in &verdict.warnings {
        let mut item = el("li")
            .class("keyscope-warning")
            .attr("data-keyscope-code", warning.code)
            .child(text(warning.message.clone()));
        if let Some(suggestion) = &warning.suggestion {
            item = item.child(
                el("button")
                    .attr("type", "button")
                    .class("keyscope-suggestion")
                    .attr("data-keyscope-action", "use-suggestion")
                    .attr("data-keyscope-value", suggestion.clone())
                    .child(text(format!("Use {suggestion}"))),
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
                .child(text(format!(
                    "Matches {} of {} of {owner}.",
                    ui::count(matched),
                    ui::plural(total, "package", "packages")
                )))
                .into(),
        );
    }
    view
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
        c if c.is_control() || is_invisible(c) => format!("⟨U+{:04X}⟩", c as u32),
        c => c.to_string(),
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x2069 | 0xFEFF)
        || c.is_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(owners: &str) -> String {
        format!(
            "var initialData = {{\"ApiKeys\": [], \"PackageOwners\": [{owners}], \"PackagePushScope\": \"package:push\"}};"
        )
    }

    fn ready_engine() -> Engine {
        let mut engine = Engine::new();
        let owners = r#"{"Owner": "alice", "PackageIds": ["Alpha", "Alpha.Core", "Beta"], "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true},
                        {"Owner": "Contoso", "PackageIds": ["Contoso.Web"], "CanPushNew": false, "CanPushExisting": true, "CanUnlist": false}"#;
        engine.handle(Request::Init {
            script: script(owners),
        });
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
        view.iter()
            .flat_map(Node::elements)
            .filter_map(|element| element.get("data-keyscope-code"))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn status_counts_packages_across_owners() {
        let mut engine = Engine::new();
        let owners =
            r#"{"Owner": "a", "PackageIds": ["X", "Y"]}, {"Owner": "b", "PackageIds": ["Z"]}"#;
        match engine.handle(Request::Init {
            script: script(owners),
        }) {
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
        match engine.handle(Request::Init {
            script: "var somethingElse = 1;".to_string(),
        }) {
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
        match engine.handle(Request::Init {
            script: "var initialData = {\"ApiKeys\": 5};".to_string(),
        }) {
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
    fn invisible_characters_are_shown_by_code_point() {
        assert_eq!(visible('\u{200B}'), "⟨U+200B⟩");
        assert_eq!(visible(' '), "␣");
        assert_eq!(visible('a'), "a");
    }
}
