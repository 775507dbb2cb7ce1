//! The preview of a pending key: what a create or edit form will let the key do, before it
//! exists, recomputed on every change of owner, scopes, pattern and hand-ticked ids.
//!
//! A key is (owner, actions, subjects). The page only ticks checkboxes and prints "N of M
//! packages selected"; the preview says which ids the subjects cover (the pattern's matches
//! plus the ids ticked by hand, exactly what nuget.org's page submits), what each action
//! grants in plain words (push-new also grants ids that do not exist yet), and for an edit
//! form which ids the edit gains and loses.
//!
//! The answer is split into parts (counts, subjects, actions, diff, one window of the id
//! list) so the content script re-draws only what changed, and the list is virtual: the
//! content script asks for `count` rows from `offset` and keeps a spacer of the full height.
//! Matching is cached per (owner, pattern) and the last form state per form, so scrolling,
//! filtering and ticking never rematch the owner's ids, and a keystroke matches them once.
//!
//! The multi-pattern helper ([`multi`]) validates several patterns at once and names the ids
//! they match, which the content script ticks through the page's own checkboxes.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::engine::{glob_feedback, Loaded, Owner, Response};
use crate::i18n::{self, t, tn, Piece};
use crate::ids::fold_case;
use crate::lint::{self, Verdict, GRANTS_NEW_IDS};
use crate::page::{ApiKey, PackageOwner};
use crate::scope::Scope;
use crate::subjects::{submitted_subjects, EditDiff, OwnerIds, Subject};
use crate::ui::{self, el, text, Element, Node};

/// How many (owner, pattern) match results are kept.
const CACHED_PATTERNS: usize = 32;
/// The most rows one answer carries, whatever the content script asks.
const MAX_ROWS: usize = 200;
/// How many subjects are listed one by one before the rest are summed up.
const LISTED_SUBJECTS: usize = 100;
/// How many ids of an edit's gain or loss, or of an action, are named.
const NAMED_IDS: usize = 10;
/// nuget.org's page, measured: each row whose match changes makes it recount every row, at
/// about 0.25 µs per row visited (2,435 changes × 20,000 rows froze the tab 12 s or more).
const PAGE_SECONDS_PER_ROW_VISIT: f64 = 0.25e-6;
/// From this estimate on, "Apply to nuget.org" asks first.
const WARN_BUSY_SECONDS: f64 = 2.0;

/// Which of the two lists a window is taken from.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum List {
    /// The ids the key will cover.
    #[default]
    Matched,
    /// The owner's ids the key will not cover.
    Unmatched,
}

/// What the content script asks about one form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    /// 0 = the create form, N = the edit form of key N.
    pub form: i64,
    /// The owner chosen in the form; edit forms may leave it to the key's owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// The scope ids ticked in the form.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The pattern to preview (KeyScope's instant field).
    #[serde(default)]
    pub pattern: String,
    /// The text of the page's own glob field, when it differs from `pattern` the preview is
    /// of a pattern not applied yet.
    #[serde(default)]
    pub page_pattern: Option<String>,
    /// The ids ticked by hand in the form, in any order.
    #[serde(default)]
    pub ticked: Vec<String>,
    /// Only list ids containing this text (case ignored).
    #[serde(default)]
    pub filter: String,
    #[serde(default)]
    pub list: List,
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub count: usize,
}

/// The preview of one form, in parts the content script draws into their own containers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub form: i64,
    /// The pattern this answer is about.
    pub pattern: String,
    /// Whether nuget.org's page accepts the pattern.
    pub valid: bool,
    /// The owner's ids the key will cover, those it will not, and all of them.
    pub matched: usize,
    pub unmatched: usize,
    pub total: usize,
    /// The validation feedback for KeyScope's own pattern field.
    pub feedback: Vec<Node>,
    pub counts: Vec<Node>,
    pub subjects: Vec<Node>,
    pub actions: Vec<Node>,
    pub diff: Vec<Node>,
    /// The rows `offset..offset + rows.len()` of the chosen list after filtering, of `listTotal`.
    pub rows: Vec<Node>,
    pub list_total: usize,
    pub offset: usize,
    /// Whether "Apply to nuget.org" should ask first, and the words to ask with.
    pub apply_warning: Option<String>,
}

/// The multi-pattern helper's question.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiQuery {
    pub form: i64,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Patterns separated by new lines, `,`, `;` or spaces.
    #[serde(default)]
    pub text: String,
    /// Whether to list the matching ids (only when about to tick them).
    #[serde(default)]
    pub want_ids: bool,
}

/// The multi-pattern helper's answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MultiAnswer {
    pub form: i64,
    pub text: String,
    /// Whether every pattern is accepted (and there is at least one).
    pub valid: bool,
    /// How many of the owner's ids at least one pattern matches.
    pub matched: usize,
    pub view: Vec<Node>,
    /// The matching ids, when asked for.
    pub ids: Vec<String>,
    /// With the ids: the words to ask with first when ticking them all will keep nuget.org's
    /// page busy for long (each tick makes it recount every row, as "Apply to nuget.org" does).
    pub tick_warning: Option<String>,
}

/// What one pattern matches among one owner's ids.
struct Matches {
    owner: String,
    pattern: String,
    /// The positions (in the owner's order) of the ids it matches, ascending.
    positions: Vec<usize>,
}

/// The last state computed for one form. Every list is of positions in the owner's order,
/// ascending. A keystroke costs about as many steps as the ids it covers, not as the owner
/// has: the ids not covered (most of them, for an owner of 100,000) are listed only when
/// that list is shown.
#[derive(Default)]
struct FormCache {
    key: Option<(String, String, Vec<String>, String)>,
    /// The covered ids (the pattern's matches and the ids ticked by hand), unfiltered.
    covered_all: Vec<usize>,
    /// The covered ids the filter keeps.
    covered: Vec<usize>,
    /// The ids not covered that the filter keeps, once asked for.
    uncovered: Option<Vec<usize>>,
    /// The filter, ASCII-lowercased and trimmed ("" keeps every id).
    filter: String,
    /// The ids ticked by hand.
    ticked: Vec<usize>,
    by_pattern: usize,
}

impl FormCache {
    fn covered_total(&self) -> usize {
        self.covered_all.len()
    }

    /// The first few covered ids, unfiltered, to name as examples.
    fn examples(&self) -> &[usize] {
        self.covered_all.get(..3).unwrap_or(&self.covered_all)
    }

    /// The chosen list's positions.
    fn list(&mut self, owner: &Owner, list: List) -> &[usize] {
        match list {
            List::Matched => &self.covered,
            List::Unmatched => self
                .uncovered
                .get_or_insert_with(|| uncovered(owner, &self.covered_all, &self.filter)),
        }
    }
}

/// The owner's ids not in `covered` (ascending) that contain `filter`, ascending.
fn uncovered(owner: &Owner, covered: &[usize], filter: &str) -> Vec<usize> {
    let mut next = covered.iter().peekable();
    (0..owner.ids.len())
        .filter(|&at| {
            while next.next_if(|&&c| c < at).is_some() {}
            next.peek() != Some(&&at)
        })
        .filter(|&at| kept_by(owner, at, filter))
        .collect()
}

/// Whether the filter keeps the id at `at` (its folded text contains `filter`).
fn kept_by(owner: &Owner, at: usize, filter: &str) -> bool {
    filter.is_empty()
        || owner
            .ids
            .folded()
            .get(at)
            .is_some_and(|id| id.contains(filter))
}

/// Everything the preview remembers between requests: match results per (owner, pattern),
/// each owner's ids sorted for edit diffs, and the last answer's lists per form.
#[derive(Default)]
pub struct Cache {
    matches: Vec<Matches>,
    owner_ids: HashMap<String, OwnerIds>,
    forms: HashMap<i64, FormCache>,
}

/// Whether `pattern` matches each of `owner`'s ids, from `cache` or computed once; the entry
/// used last moves to the front.
fn cached_matches<'a>(cache: &'a mut Vec<Matches>, owner: &Owner, pattern: &str) -> &'a Matches {
    let found = cache
        .iter()
        .position(|m| m.owner == owner.name && m.pattern == pattern);
    let entry = match found {
        Some(at) => cache.remove(at),
        None => compute_matches(owner, pattern),
    };
    cache.insert(0, entry);
    cache.truncate(CACHED_PATTERNS);
    &cache[0]
}

impl Cache {
    /// Forgets the state of every form `keep` refuses (the edit form of a key that is gone).
    pub fn keep_forms(&mut self, keep: impl Fn(i64) -> bool) {
        self.forms.retain(|&form, _| keep(form));
    }

    /// How many forms' states are kept.
    pub fn forms(&self) -> usize {
        self.forms.len()
    }

    fn owner_ids(&mut self, owner: &Owner) -> &OwnerIds {
        self.owner_ids
            .entry(owner.name.clone())
            .or_insert_with(|| OwnerIds::new(owner.ids.ids()))
    }
}

fn compute_matches(owner: &Owner, pattern: &str) -> Matches {
    // A pattern the page accepts takes the glob verdict's fast paths (the ids starting with its
    // literal prefix, or per-id tallies over the contiguous folded ids); anything else is
    // matched by the server's rule, id by id.
    let positions = match crate::pattern::parse(pattern) {
        Ok(parsed) if !parsed.is_empty() => parsed.matching(&owner.ids),
        Ok(_) => Vec::new(),
        Err(_) => {
            let subject = Subject::new(pattern);
            (0..owner.ids.len())
                .filter(|&at| {
                    owner
                        .ids
                        .folded()
                        .get(at)
                        .is_some_and(|id| subject.is_match_folded(id))
                })
                .collect()
        }
    };
    Matches {
        owner: owner.name.clone(),
        pattern: pattern.to_string(),
        positions,
    }
}

/// Answers a preview request (the engine's `preview` request).
pub fn respond(cache: &mut Cache, loaded: Option<&Loaded>, query: &Query) -> Response {
    match loaded {
        Some(loaded) => Response::Preview(Box::new(answer(cache, loaded, query))),
        None => not_loaded(),
    }
}

/// Answers a copy-list request: the whole filtered list, one id per line.
pub fn respond_copy(cache: &mut Cache, loaded: Option<&Loaded>, query: &Query) -> Response {
    let Some(loaded) = loaded else {
        return not_loaded();
    };
    let Some(owner) = loaded.form_owner(query.form, query.owner.as_deref()) else {
        return Response::PreviewCopy {
            form: query.form,
            text: String::new(),
            count: 0,
        };
    };
    let positions = form_state(cache, owner, query).list(owner, query.list);
    let ids = owner.ids.ids();
    let lines: Vec<&str> = positions
        .iter()
        .filter_map(|&at| ids.get(at).map(String::as_str))
        .collect();
    Response::PreviewCopy {
        form: query.form,
        count: lines.len(),
        text: lines.iter().map(|id| format!("{id}\n")).collect(),
    }
}

/// Answers the multi-pattern helper.
pub fn respond_multi(loaded: Option<&Loaded>, query: &MultiQuery) -> Response {
    match loaded {
        Some(loaded) => Response::MultiPattern(multi(loaded, query)),
        None => not_loaded(),
    }
}

fn not_loaded() -> Response {
    Response::Error {
        message: t("error_not_loaded", &[]),
    }
}

/// The preview of one form.
pub fn answer(cache: &mut Cache, loaded: &Loaded, query: &Query) -> Answer {
    let scopes = Scope::from_ids(&query.scopes);
    let owner = loaded.form_owner(query.form, query.owner.as_deref());
    let verdict = match owner {
        Some(owner) => {
            let matches = cached_matches(&mut cache.matches, owner, &query.pattern);
            lint::check_with(
                &query.pattern,
                Some(&owner.ids),
                &scopes,
                Some(&matches.positions),
            )
        }
        None => lint::check(&query.pattern, None, &scopes),
    };
    let feedback = glob_feedback(&verdict, owner.map(|o| o.name.as_str()));
    let mut answer = Answer {
        form: query.form,
        pattern: query.pattern.clone(),
        valid: verdict.valid,
        matched: 0,
        unmatched: 0,
        total: 0,
        feedback,
        counts: Vec::new(),
        subjects: Vec::new(),
        actions: Vec::new(),
        diff: Vec::new(),
        rows: Vec::new(),
        list_total: 0,
        offset: 0,
        apply_warning: None,
    };
    let Some(owner) = owner else {
        answer.counts = vec![el("p")
            .class("keyscope-preview-note")
            .child(text(t("preview_choose_owner", &[])))
            .into()];
        return answer;
    };
    let owner_data = loaded.data.owner(&owner.name);
    let subjects = submitted_subjects(&query.pattern, &ordered_ticked(owner, &query.ticked));
    let page_pattern = query.page_pattern.as_deref();
    let changes = page_pattern
        .filter(|page| *page != query.pattern)
        .map(|page| match_changes(cache, owner, page, &query.pattern));
    let total = owner.ids.len();
    let state = form_state(cache, owner, query);
    let covered_total = state.covered_total();
    answer.total = total;
    answer.matched = covered_total;
    answer.unmatched = total - covered_total;
    answer.counts = counts_view(
        &owner.name,
        covered_total,
        total,
        state.by_pattern,
        covered_total - state.by_pattern,
        page_pattern.is_some_and(|page| page != query.pattern),
    );
    answer.subjects = subjects_view(&subjects);
    let examples = state.examples().to_vec();
    let ticked = state.ticked.clone();
    let positions = state.list(owner, query.list);
    answer.list_total = positions.len();
    answer.offset = query.offset.min(positions.len());
    let window = positions
        .get(answer.offset..)
        .unwrap_or_default()
        .iter()
        .take(query.count.min(MAX_ROWS));
    let pattern = crate::pattern::parse(&query.pattern).ok();
    answer.rows = window
        .filter_map(|&at| {
            let id = owner.ids.ids().get(at)?;
            Some(row(id, pattern.as_ref(), ticked.binary_search(&at).is_ok()))
        })
        .collect();
    answer.actions = actions_view(
        owner,
        owner_data,
        &scopes,
        &verdict,
        &query.pattern,
        (&examples, covered_total),
    );
    if query.form != 0 {
        if let Some(key) = loaded.data.key(query.form) {
            answer.diff = diff_view(key, &subjects, cache.owner_ids(owner));
        }
    }
    answer.apply_warning = changes.and_then(|changes| busy_warning(changes, total));
    answer
}

/// The hand-ticked ids in the owner's order, as the page submits them.
fn ordered_ticked(owner: &Owner, ticked: &[String]) -> Vec<String> {
    ticked_positions(owner, ticked)
        .into_iter()
        .filter_map(|at| owner.ids.ids().get(at).cloned())
        .collect()
}

/// The positions of the owner's ids that are ticked by hand (case ignored), ascending.
fn ticked_positions(owner: &Owner, ticked: &[String]) -> Vec<usize> {
    let mut positions: Vec<usize> = ticked
        .iter()
        .flat_map(|id| owner.ids.positions_of(id))
        .map(|&at| at as usize)
        .collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// The covered and uncovered ids of a form, filtered, from the cache when nothing changed.
fn form_state<'a>(cache: &'a mut Cache, owner: &Owner, query: &Query) -> &'a mut FormCache {
    let mut ticked_sorted = query.ticked.clone();
    ticked_sorted.sort_unstable();
    let key = (
        owner.name.clone(),
        query.pattern.clone(),
        ticked_sorted,
        query.filter.clone(),
    );
    let state = cache.forms.entry(query.form).or_default();
    if state.key.as_ref() != Some(&key) {
        let matches = cached_matches(&mut cache.matches, owner, &query.pattern);
        *state = compute_form(owner, matches, &query.ticked, &query.filter);
        state.key = Some(key);
    }
    state
}

fn compute_form(owner: &Owner, matches: &Matches, ticked: &[String], filter: &str) -> FormCache {
    let ticked = ticked_positions(owner, ticked);
    let covered_all = union(&matches.positions, &ticked);
    let filter = fold_case(filter.trim()).into_owned();
    let covered = covered_all
        .iter()
        .copied()
        .filter(|&at| kept_by(owner, at, &filter))
        .collect();
    FormCache {
        key: None,
        covered_all,
        covered,
        uncovered: None,
        filter,
        ticked,
        by_pattern: matches.positions.len(),
    }
}

/// The union of two ascending lists of positions, ascending, without repeats.
fn union(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(a.get(i..).unwrap_or_default());
    out.extend_from_slice(b.get(j..).unwrap_or_default());
    out
}

/// How many positions are in exactly one of two ascending lists without repeats.
fn differing(a: &[usize], b: &[usize]) -> usize {
    let (mut i, mut j, mut both) = (0, 0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    a.len() + b.len() - 2 * both
}

/// How many of the owner's ids change match state between the page's pattern and `new`: the
/// number of full recounts nuget.org's page does when the pattern is applied.
fn match_changes(cache: &mut Cache, owner: &Owner, old: &str, new: &str) -> usize {
    cached_matches(&mut cache.matches, owner, old);
    cached_matches(&mut cache.matches, owner, new);
    let positions = |pattern: &str| {
        cache
            .matches
            .iter()
            .find(|m| m.owner == owner.name && m.pattern == pattern)
            .map(|m| m.positions.as_slice())
            .unwrap_or_default()
    };
    differing(positions(old), positions(new))
}

/// How long nuget.org's page will be busy applying a pattern that changes `changes` rows of
/// `total`, in seconds (the page recounts every row for each changed row).
pub fn page_busy_seconds(changes: usize, total: usize) -> f64 {
    changes as f64 * total as f64 * PAGE_SECONDS_PER_ROW_VISIT
}

/// The words "Apply to nuget.org" asks with, when the page will be busy for long.
pub fn busy_warning(changes: usize, total: usize) -> Option<String> {
    busy_words(changes, total, "preview_busy_apply")
}

/// The words "Tick matching packages" asks with before ticking `ticks` of `total` rows, when
/// the page will be busy for long: each tick makes it recount every row too.
pub fn tick_warning(ticks: usize, total: usize) -> Option<String> {
    busy_words(ticks, total, "preview_busy_tick")
}

/// The busy warning, ending with message `question`.
fn busy_words(changes: usize, total: usize, question: &str) -> Option<String> {
    let seconds = page_busy_seconds(changes, total);
    (seconds >= WARN_BUSY_SECONDS).then(|| {
        t(
            "preview_busy",
            &[
                &duration(seconds),
                &ui::plural(changes, "n_rows"),
                &ui::plural(total, "n_packages"),
                &t(question, &[]),
            ],
        )
    })
}

fn duration(seconds: f64) -> String {
    if seconds < 90.0 {
        ui::plural(seconds.round() as usize, "preview_seconds")
    } else {
        ui::plural((seconds / 60.0).round() as usize, "preview_minutes")
    }
}

/// Message `key` as nodes, its `$1`.. filled with `args`: elements among them, such as the
/// counts the page contract pins to digits, stay elements.
fn sentence(key: &str, args: Vec<Node>) -> Vec<Node> {
    i18n::pieces(key)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Text(words) => Some(text(words)),
            Piece::Arg(at) => args.get(at).cloned(),
        })
        .collect()
}

fn digits(name: &'static str, value: usize) -> Element {
    el("strong")
        .attr("data-keyscope", name)
        .child(text(value.to_string()))
}

fn counts_view(
    owner: &str,
    covered: usize,
    total: usize,
    by_pattern: usize,
    by_hand: usize,
    pending: bool,
) -> Vec<Node> {
    // `$1` is the total, which the plural form agrees with; the counts stay bare digits.
    let mut view = vec![el("p")
        .class("keyscope-preview-counts")
        .children(sentence(
            &i18n::plural_key("preview_counts", total),
            vec![
                digits("total-count", total).into(),
                digits("matched-count", covered).into(),
                text(owner),
                digits("unmatched-count", total - covered).into(),
            ],
        ))
        .into()];
    view.push(
        el("p")
            .class("keyscope-preview-note")
            .child(text(t(
                "preview_by_pattern_and_hand",
                &[&ui::count(by_pattern), &ui::count(by_hand)],
            )))
            .into(),
    );
    if pending {
        view.push(
            el("p")
                .class("keyscope-preview-pending")
                .attr("data-keyscope", "pending")
                .child(text(t("preview_pending", &[&t("preview_apply", &[])])))
                .into(),
        );
    }
    view
}

fn subjects_view(subjects: &[String]) -> Vec<Node> {
    if subjects.is_empty() {
        return vec![el("p")
            .class("keyscope-error")
            .attr("data-keyscope", "subjects")
            .attr("data-keyscope-count", "0")
            .attr("data-keyscope-code", "empty-selection")
            .child(text(t("preview_no_subjects", &[])))
            .into()];
    }
    let mut items: Vec<Node> = subjects
        .iter()
        .take(LISTED_SUBJECTS)
        .map(|subject| {
            el("li")
                .attr("data-keyscope", "subject")
                .child(el("code").child(text(subject.clone())))
                .into()
        })
        .collect();
    if subjects.len() > LISTED_SUBJECTS {
        items.push(
            el("li")
                .class("keyscope-preview-note")
                .child(text(t(
                    "preview_and_more",
                    &[&ui::count(subjects.len() - LISTED_SUBJECTS)],
                )))
                .into(),
        );
    }
    vec![
        el("p")
            .class("keyscope-preview-label")
            .child(text(t(
                "preview_subjects_label",
                &[&ui::plural(subjects.len(), "n_subjects")],
            )))
            .into(),
        el("ul")
            .class("keyscope-subjects")
            .attr("data-keyscope", "subjects")
            .attr("data-keyscope-count", subjects.len().to_string())
            .children(items)
            .into(),
    ]
}

/// The scope's label as nuget.org's form shows it beside its checkbox.
fn scope_label(scope: Scope) -> String {
    t(
        match scope {
            Scope::Push => "preview_scope_push",
            Scope::PushVersion => "preview_scope_push_version",
            Scope::Unlist => "preview_scope_unlist",
        },
        &[],
    )
}

/// "A, B, C and 12 more".
fn named(ids: &[&str], total: usize) -> String {
    let listed = ids.join(", ");
    if total > ids.len() {
        t(
            "preview_named_more",
            &[&listed, &ui::count(total - ids.len())],
        )
    } else {
        listed
    }
}

fn actions_view(
    owner: &Owner,
    owner_data: Option<&PackageOwner>,
    scopes: &[Scope],
    verdict: &Verdict,
    pattern: &str,
    (examples, covered): (&[usize], usize),
) -> Vec<Node> {
    let examples: Vec<&str> = examples
        .iter()
        .filter_map(|&at| owner.ids.ids().get(at).map(String::as_str))
        .collect();
    let packages = ui::plural(covered, "n_existing_packages");
    let mut items = Vec::new();
    for scope in Scope::ALL {
        let permitted = owner_data.is_none_or(|data| data.allows(scope));
        let chosen = scopes.contains(&scope);
        let (state, words) = match (chosen, permitted) {
            (true, true) => (
                "granted",
                granted_words(scope, &packages, &examples, covered),
            ),
            (true, false) => (
                "not-permitted",
                t("preview_not_permitted_refused", &[&owner.name]),
            ),
            (false, false) => ("not-permitted", t("preview_not_permitted", &[&owner.name])),
            (false, true) => ("not-granted", t("preview_not_selected", &[])),
        };
        let mut item = el("li")
            .class("keyscope-action")
            .attr("data-keyscope-scope", scope.id())
            .attr("data-keyscope-state", state)
            .child(el("strong").child(text(t("preview_action_label", &[&scope_label(scope)]))))
            .child(text(words));
        if chosen && permitted && scope.pushes_new_ids() {
            if let Some(words) = new_ids_words(owner, verdict, pattern) {
                item = item.child(
                    el("p")
                        .class("keyscope-warning")
                        .attr("data-keyscope", "new-ids")
                        .child(text(words)),
                );
            }
        }
        items.push(item.into());
    }
    vec![el("ul")
        .class("keyscope-actions")
        .attr("data-keyscope", "actions")
        .children(items)
        .into()]
}

fn granted_words(scope: Scope, packages: &str, examples: &[&str], total: usize) -> String {
    let (bare, with_ids) = match scope {
        Scope::Push | Scope::PushVersion => ("preview_granted_push", "preview_granted_push_named"),
        Scope::Unlist => ("preview_granted_unlist", "preview_granted_unlist_named"),
    };
    if total == 0 {
        t(bare, &[packages])
    } else {
        t(with_ids, &[packages, &named(examples, total)])
    }
}

/// What push-new adds beyond the existing ids: the ids the pattern grants that do not exist.
fn new_ids_words(owner: &Owner, verdict: &Verdict, pattern: &str) -> Option<String> {
    if !verdict.valid || pattern.is_empty() {
        return None;
    }
    if !pattern.contains('*') {
        return (!owner.ids.contains(pattern)).then(|| t("preview_new_id", &[pattern]));
    }
    let examples = verdict
        .warnings
        .iter()
        .find(|warning| warning.code == GRANTS_NEW_IDS)
        .map(|warning| warning.examples.clone())
        .unwrap_or_default();
    Some(if examples.is_empty() {
        t("preview_new_ids", &[pattern])
    } else {
        t("preview_new_ids_such_as", &[pattern, &examples.join(", ")])
    })
}

fn diff_view(key: &ApiKey, subjects: &[String], ids: &OwnerIds) -> Vec<Node> {
    let current = key.subjects();
    let diff = EditDiff::between(&current, subjects, ids);
    // `$1` is the count (bare digits), `$2` the ids named when there are any.
    let list = |name: &'static str, (bare, with_ids): (&str, &str), found: &[String]| -> Node {
        let shown: Vec<&str> = found.iter().take(NAMED_IDS).map(String::as_str).collect();
        let count = digits(name, found.len()).into();
        let words = if shown.is_empty() {
            sentence(bare, vec![count])
        } else {
            sentence(with_ids, vec![count, text(named(&shown, found.len()))])
        };
        el("li").children(words).into()
    };
    let mut items = vec![
        list(
            "gained-count",
            ("preview_gained", "preview_gained_named"),
            &diff.gained,
        ),
        list(
            "lost-count",
            ("preview_lost", "preview_lost_named"),
            &diff.lost,
        ),
    ];
    if !diff.reaches_beyond.is_empty() {
        items.push(
            el("li")
                .class("keyscope-warning")
                .child(text(t(
                    "preview_reaches_beyond",
                    &[&diff.reaches_beyond.join(", ")],
                )))
                .into(),
        );
    }
    vec![el("div")
        .class("keyscope-diff")
        .attr("data-keyscope", "edit-diff")
        .child(el("p").child(text(t("preview_compared", &[&current.join(", ")]))))
        .child(el("ul").children(items))
        .into()]
}

/// One row of the list: the id with the pattern's literal parts marked, and whether it was
/// ticked by hand.
fn row(id: &str, pattern: Option<&crate::pattern::Pattern>, ticked: bool) -> Node {
    let mut line = el("div")
        .class("keyscope-row")
        .attr("role", "listitem")
        .attr("data-keyscope", "row")
        .attr("data-keyscope-id", id);
    let spans = pattern
        .and_then(|p| p.literal_spans(id))
        .unwrap_or_default();
    let chars: Vec<char> = id.chars().collect();
    let mut at = 0;
    for (start, end) in spans {
        if start > at {
            line = line.child(text(
                chars
                    .get(at..start)
                    .unwrap_or_default()
                    .iter()
                    .collect::<String>(),
            ));
        }
        line = line.child(
            el("mark").child(text(
                chars
                    .get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .collect::<String>(),
            )),
        );
        at = end.max(at);
    }
    if at < chars.len() {
        line = line.child(text(
            chars
                .get(at..)
                .unwrap_or_default()
                .iter()
                .collect::<String>(),
        ));
    }
    if ticked {
        line = line.child(
            el("small")
                .class("keyscope-row-tag")
                .child(text(t("preview_row_ticked", &[]))),
        );
    }
    line.into()
}

/// Splits the helper's text into patterns: new lines, `,`, `;` and spaces separate them.
pub fn split_patterns(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|piece| !piece.is_empty())
        .filter(|piece| seen.insert(piece.to_string()))
        .map(str::to_string)
        .collect()
}

/// The multi-pattern helper: each pattern validated like the main field, and the ids the
/// valid ones match together.
pub fn multi(loaded: &Loaded, query: &MultiQuery) -> MultiAnswer {
    let owner = loaded.form_owner(query.form, query.owner.as_deref());
    let scopes = Scope::from_ids(&query.scopes);
    let patterns = split_patterns(&query.text);
    let mut items = Vec::new();
    let mut parsed = Vec::new();
    let mut valid = !patterns.is_empty();
    for text_of in &patterns {
        let verdict = lint::check(text_of, owner.map(|o| &o.ids), &scopes);
        valid &= verdict.valid;
        if let Ok(pattern) = crate::pattern::parse(text_of) {
            parsed.push(pattern);
        }
        items.push(
            el("li")
                .class("keyscope-multi-item")
                .attr("data-keyscope", "multi-item")
                .attr("data-keyscope-for", text_of.clone())
                .attr("data-keyscope-valid", verdict.valid.to_string())
                .child(el("code").child(text(text_of.clone())))
                .children(glob_feedback(&verdict, owner.map(|o| o.name.as_str())))
                .into(),
        );
    }
    let set = crate::pattern::PatternSet::new(&parsed);
    let total = owner.map_or(0, |o| o.ids.len());
    let (matched, ids) = match owner {
        Some(owner) => {
            let positions = set.matching(&owner.ids);
            let ids = if query.want_ids && valid {
                positions
                    .iter()
                    .filter_map(|&at| owner.ids.ids().get(at).cloned())
                    .collect()
            } else {
                Vec::new()
            };
            (positions.len(), ids)
        }
        None => (0, Vec::new()),
    };
    let mut view = Vec::new();
    if !items.is_empty() {
        view.push(
            el("ul")
                .class("keyscope-multi-items")
                .children(items)
                .into(),
        );
        view.push(
            el("p")
                .class("keyscope-count")
                .attr("data-keyscope", "multi-count")
                .attr("data-keyscope-matched", matched.to_string())
                .child(text(tn(
                    "preview_multi_count",
                    total,
                    &[&ui::count(matched)],
                )))
                .into(),
        );
    }
    // An upper bound: rows already ticked or matched by the page's pattern are not clicked.
    let tick_warning = tick_warning(ids.len(), total);
    MultiAnswer {
        form: query.form,
        text: query.text.clone(),
        valid,
        matched,
        view,
        ids,
        tick_warning,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Engine, Request};
    use crate::ui::read;

    fn engine() -> Engine {
        engine_in(None, None)
    }

    /// alice (every action, five ids), Fabrikam (push-new and unlist not permitted) and Many
    /// (more ids than the subjects listed one by one), and key 1 of alice; the engine speaks
    /// `locale` from `messages` (English when `None`).
    fn engine_in(locale: Option<&str>, messages: Option<&str>) -> Engine {
        let many: Vec<String> = (0..LISTED_SUBJECTS + 21)
            .map(|i| format!("Many.P{i}"))
            .collect();
        let data = serde_json::json!({
            "ApiKeys": [
                {"Key": 1, "Type": "apikey.v4", "Description": "k", "Expires": null, "HasExpired": false,
                 "IsNonScopedApiKey": false, "RevocationSource": null, "Owner": "alice",
                 "Scopes": ["Push new packages and package versions"], "Packages": ["Beta"], "GlobPattern": "Alpha*"}],
            "PackageOwners": [
                {"Owner": "alice", "PackageIds": ["Alpha", "Alpha.Core", "Beta", "Gamma", "Contoso.Web"],
                 "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true},
                {"Owner": "Fabrikam", "PackageIds": ["System.A", "System.B", "runtime.x"],
                 "CanPushNew": false, "CanPushExisting": true, "CanUnlist": false},
                {"Owner": "Many", "PackageIds": many, "CanPushNew": true, "CanPushExisting": true, "CanUnlist": true}],
            "PackagePushScope": "package:push"
        });
        let mut engine = Engine::new();
        engine.handle(Request::Init {
            script: format!("var initialData = {data};"),
            locale: locale.map(str::to_string),
            messages: messages.map(str::to_string),
        });
        engine
    }

    fn query(pattern: &str) -> Query {
        Query {
            form: 0,
            owner: Some("alice".to_string()),
            scopes: vec!["package:push".to_string()],
            pattern: pattern.to_string(),
            count: 50,
            ..Query::default()
        }
    }

    fn ask(engine: &mut Engine, query: Query) -> Answer {
        match engine.handle(Request::Preview(query)) {
            Response::Preview(answer) => *answer,
            other => panic!("expected a preview, got {other:?}"),
        }
    }

    fn find<'a>(view: &'a [Node], name: &str) -> Vec<&'a Element> {
        read::marked(view, name)
    }

    fn row_ids(answer: &Answer) -> Vec<String> {
        read::values(&answer.rows, "data-keyscope-id")
    }

    const ENGLISH: &str = include_str!("../extension/_locales/en/messages.json");
    const GERMAN: &str = include_str!("../extension/_locales/de/messages.json");
    const EVERY_SCOPE: [&str; 3] = ["package:push", "package:pushversion", "package:unlist"];

    /// All text of a preview's parts and its busy warning.
    fn answer_text(answer: &Answer) -> String {
        [
            &answer.feedback,
            &answer.counts,
            &answer.subjects,
            &answer.actions,
            &answer.diff,
            &answer.rows,
        ]
        .iter()
        .flat_map(|part| part.iter().map(Node::text_content))
        .chain(answer.apply_warning.clone())
        .collect::<Vec<_>>()
        .join(" | ")
    }

    /// Every sentence the preview can say, in the language `engine` speaks: counts with a
    /// pending pattern and a ticked row, every action state, new ids (named and literal), no
    /// owner, no subject, more subjects than are listed, an edit's diff (with and without
    /// change), the multi-pattern helper, both busy warnings in seconds and minutes, and the
    /// answer before the page data is read.
    fn everything(engine: &mut Engine) -> String {
        let mut words = Vec::new();
        let mut q = query("Alpha.*");
        q.scopes = EVERY_SCOPE.map(str::to_string).to_vec();
        q.page_pattern = Some(String::new());
        q.ticked = vec![
            "Gamma".to_string(),
            "Beta".to_string(),
            "Contoso.Web".to_string(),
        ];
        words.push(answer_text(&ask(engine, q)));

        let mut q = query("Delta");
        q.scopes = EVERY_SCOPE.map(str::to_string).to_vec();
        words.push(answer_text(&ask(engine, q)));

        let mut q = query("System.*");
        q.owner = Some("Fabrikam".to_string());
        q.scopes = vec!["package:push".to_string()];
        words.push(answer_text(&ask(engine, q)));

        let mut q = query("Alpha*");
        q.owner = None;
        words.push(answer_text(&ask(engine, q)));

        words.push(answer_text(&ask(engine, query(""))));

        let mut q = query("Nothing.*");
        q.owner = Some("Many".to_string());
        q.ticked = (0..LISTED_SUBJECTS + 21)
            .map(|i| format!("Many.P{i}"))
            .collect();
        words.push(answer_text(&ask(engine, q)));

        for (pattern, ticked) in [("Gamma", "Beta"), ("Alpha*", "Beta")] {
            let mut q = query(pattern);
            q.form = 1;
            q.owner = None;
            q.ticked = vec![ticked.to_string()];
            words.push(answer_text(&ask(engine, q)));
        }

        let multi = engine.handle(Request::MultiPattern(MultiQuery {
            form: 0,
            owner: Some("alice".to_string()),
            text: "Alpha.*, Gamma".to_string(),
            ..MultiQuery::default()
        }));
        if let Response::MultiPattern(answer) = multi {
            words.extend(answer.view.iter().map(Node::text_content));
        }
        words.extend(busy_warning(2_435, 20_000));
        words.extend(busy_warning(20_000, 20_000));
        words.extend(tick_warning(2_435, 20_000));
        if let Response::Error { message } = respond(&mut Cache::default(), None, &query("A")) {
            words.push(message);
        }
        words.join(" | ")
    }

    #[test]
    fn every_preview_text_comes_from_the_catalog() {
        let all = everything(&mut engine());
        assert!(!all.contains("preview_"), "a key without a message: {all}");
        for english in [
            "The key will cover 4 of 5 packages of alice; 1 not covered.",
            "1 by the pattern, 3 ticked by hand.",
            "use “Apply to nuget.org” to submit it.",
            "Push new packages and package versions: can push new versions of 4 existing packages (Alpha.Core, Beta, Gamma and 1 more).",
            "can also create the package Delta, which does not exist yet.",
            "Fabrikam does not permit this action; nuget.org will refuse it.",
            "Choose a package owner",
            "Nothing selected:",
            "nuget.org will receive 122 subjects:",
            "and 22 more",
            "Packages gained: 1: Gamma",
            "Packages gained: 0",
            "Reaches beyond the key's current subjects: Gamma",
            "Compared with what the key covers now (Alpha*, Beta):",
            " ticked by hand",
            "Together the patterns match 2 of 5 packages.",
            "for about 12 seconds while it updates 2,435 rows of 20,000 packages",
            "for about 2 minutes",
            "Tick them anyway?",
            "KeyScope has not read the page data yet",
        ] {
            assert!(all.contains(english), "{english:?} missing in: {all}");
        }
    }

    #[test]
    fn german_preview_speaks_german_and_no_english_piece() {
        let mut engine = engine_in(Some("de"), Some(GERMAN));
        let all = everything(&mut engine);
        crate::i18n::use_catalog(crate::i18n::Catalog::english());

        assert!(!all.contains("preview_"), "a key without a message: {all}");
        for german in [
            "Der Schlüssel wird 4 von 5 Paketen von alice abdecken, 1 nicht.",
            "1 durch das Muster, 3 von Hand angehakt.",
            "Mit „Auf nuget.org übernehmen“ tragen Sie es dort ein.",
            "darf für 4 vorhandene Pakete (Alpha.Core, Beta, Gamma und 1 weitere) neue Versionen hochladen.",
            "darf auch das Paket Delta anlegen, das es noch nicht gibt.",
            "Fabrikam erlaubt diese Aktion nicht; nuget.org wird sie ablehnen.",
            "nuget.org erhält 122 Subjekte:",
            "und 22 weitere",
            "Neu abgedeckte Pakete: 1: Gamma",
            "Zusammen treffen die Muster 2 von 5 Paketen.",
            "etwa 12 Sekunden lang nicht, während sie 2.435 Zeilen aktualisiert",
            "zählt sie alle 20.000 Pakete neu. Trotzdem übernehmen?",
            "etwa 2 Minuten lang",
            "Trotzdem anhaken?",
        ] {
            assert!(all.contains(german), "{german:?} missing in: {all}");
        }
        // No piece of an English preview message (the words between its placeholders), once
        // nuget.org's own scope labels are left out: the German names them as the page shows
        // them, beside the page's English checkboxes.
        let english: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(ENGLISH).expect("en parses");
        let message = |key: &str| english[key]["message"].as_str().unwrap_or_default();
        let mut rest = all.clone();
        for label in [
            "preview_scope_push",
            "preview_scope_push_version",
            "preview_scope_unlist",
        ] {
            rest = rest.replace(message(label), "");
        }
        for key in english.keys().filter(|key| key.starts_with("preview_")) {
            for piece in message(key).split(|c: char| c == '$' || c.is_ascii_digit()) {
                let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
                if piece.chars().count() >= 4 {
                    assert!(
                        !rest.contains(piece),
                        "English {piece:?} ({key}) in: {rest}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_preview_key_the_code_names_has_a_message() {
        let english = catalog_keys(ENGLISH);
        let mut named = 0;
        for source in [
            include_str!("preview.rs"),
            include_str!("../extension/preview.js"),
        ] {
            for quote in ['"', '\''] {
                let opening = format!("{quote}preview_");
                for (at, _) in source.match_indices(&opening) {
                    let rest = &source[at + 1..];
                    let key = &rest[..rest.find(quote).unwrap_or(0)];
                    if key.len() <= "preview_".len()
                        || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        continue;
                    }
                    named += 1;
                    let plural = [format!("{key}_one"), format!("{key}_other")];
                    assert!(
                        english.contains(key) || plural.iter().all(|k| english.contains(k)),
                        "{key} has no message"
                    );
                }
            }
        }
        assert!(named > 40, "keys found in the code: {named}");
    }

    fn catalog_keys(json: &str) -> HashSet<String> {
        let entries: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).expect("a catalog parses");
        entries.keys().cloned().collect()
    }

    #[test]
    fn counts_cover_pattern_matches_and_ticked_ids() {
        let mut engine = engine();
        let mut q = query("alpha*");
        q.ticked = vec!["gamma".to_string(), "Alpha.Core".to_string()];
        let answer = ask(&mut engine, q);
        assert_eq!((answer.matched, answer.unmatched, answer.total), (3, 2, 5));
        let shown: Vec<String> = find(&answer.counts, "matched-count")
            .iter()
            .map(|e| Node::from((*e).clone()).text_content())
            .collect();
        assert_eq!(shown, vec!["3"]);
    }

    #[test]
    fn subjects_are_the_pattern_then_unmatched_ticked_ids_in_owner_order() {
        let mut engine = engine();
        let mut q = query("Alpha*");
        q.ticked = vec!["Gamma".to_string(), "Beta".to_string(), "Alpha".to_string()];
        let answer = ask(&mut engine, q);
        let subjects: Vec<String> = find(&answer.subjects, "subject")
            .iter()
            .map(|e| Node::from((*e).clone()).text_content())
            .collect();
        assert_eq!(subjects, vec!["Alpha*", "Beta", "Gamma"]);
    }

    #[test]
    fn empty_selection_is_called_out() {
        let mut engine = engine();
        let answer = ask(&mut engine, query(""));
        let empty = find(&answer.subjects, "subjects");
        assert_eq!(empty[0].get("data-keyscope-code"), Some("empty-selection"));
    }

    #[test]
    fn list_window_marks_literal_parts() {
        let mut engine = engine();
        let answer = ask(&mut engine, query("Alpha*"));
        assert_eq!(row_ids(&answer), vec!["Alpha", "Alpha.Core"]);
        let marks: Vec<String> = answer
            .rows
            .iter()
            .flat_map(Node::elements)
            .filter(|e| e.tag == "mark")
            .map(|e| Node::from(e.clone()).text_content())
            .collect();
        assert_eq!(marks, vec!["Alpha", "Alpha"]);
    }

    #[test]
    fn unmatched_list_with_filter_and_window() {
        let mut engine = engine();
        let mut q = query("Alpha*");
        q.list = List::Unmatched;
        q.filter = "A".to_string();
        q.offset = 1;
        q.count = 1;
        let answer = ask(&mut engine, q);
        assert_eq!(answer.list_total, 2, "Beta and Gamma contain an a");
        assert_eq!(row_ids(&answer), vec!["Gamma"]);
        assert_eq!(
            answer.matched, 2,
            "the filter narrows the list, not the counts"
        );
    }

    #[test]
    fn copy_list_is_one_id_per_line() {
        let mut engine = engine();
        match engine.handle(Request::PreviewCopy(query("*a*"))) {
            Response::PreviewCopy { text, count, .. } => {
                assert_eq!(text, "Alpha\nAlpha.Core\nBeta\nGamma\n");
                assert_eq!(count, 4);
            }
            other => panic!("expected a copy, got {other:?}"),
        }
    }

    #[test]
    fn push_new_names_ids_that_do_not_exist_yet() {
        let mut engine = engine();
        let answer = ask(&mut engine, query("Alpha.*"));
        let words = find(&answer.actions, "new-ids");
        assert_eq!(words.len(), 1);
        assert!(Node::from(words[0].clone())
            .text_content()
            .contains("Alpha.Example"));
    }

    #[test]
    fn actions_the_owner_does_not_permit_are_shown_as_such() {
        let mut engine = engine();
        let mut q = query("System.*");
        q.owner = Some("Fabrikam".to_string());
        q.scopes = vec!["package:pushversion".to_string()];
        let answer = ask(&mut engine, q);
        let states: Vec<(String, String)> = answer
            .actions
            .iter()
            .flat_map(Node::elements)
            .filter_map(|e| {
                Some((
                    e.get("data-keyscope-scope")?.to_string(),
                    e.get("data-keyscope-state")?.to_string(),
                ))
            })
            .collect();
        assert_eq!(
            states,
            vec![
                ("package:push".to_string(), "not-permitted".to_string()),
                ("package:pushversion".to_string(), "granted".to_string()),
                ("package:unlist".to_string(), "not-permitted".to_string()),
            ]
        );
        assert!(find(&answer.actions, "new-ids").is_empty());
    }

    #[test]
    fn edit_form_shows_ids_gained_and_lost() {
        let mut engine = engine();
        let mut q = query("Gamma");
        q.form = 1;
        q.owner = None;
        q.ticked = vec!["Beta".to_string()];
        let answer = ask(&mut engine, q);
        let count = |name| {
            find(&answer.diff, name)
                .first()
                .map(|e| Node::from((*e).clone()).text_content())
        };
        assert_eq!(count("gained-count").as_deref(), Some("1"));
        assert_eq!(count("lost-count").as_deref(), Some("2"));
    }

    #[test]
    fn no_owner_asks_for_one() {
        let mut engine = engine();
        let mut q = query("Alpha*");
        q.owner = None;
        let answer = ask(&mut engine, q);
        assert_eq!(answer.total, 0);
        assert!(Node::from(el("div").children(answer.counts))
            .text_content()
            .contains("Choose"));
    }

    #[test]
    fn pending_pattern_is_marked_and_large_changes_warn_before_apply() {
        let mut engine = engine();
        let mut q = query("Alpha*");
        q.page_pattern = Some(String::new());
        let answer = ask(&mut engine, q);
        assert_eq!(find(&answer.counts, "pending").len(), 1);
        assert_eq!(answer.apply_warning, None, "two rows of five are quick");
        assert!(busy_warning(2_435, 20_000).is_some_and(|w| w.contains("seconds")));
        assert!(busy_warning(20_000, 20_000).is_some_and(|w| w.contains("minutes")));
        assert_eq!(busy_warning(10, 20_000), None);
    }

    #[test]
    fn ticking_many_rows_asks_first_like_apply() {
        assert_eq!(tick_warning(10, 20_000), None);
        let words =
            tick_warning(2_435, 20_000).expect("2,435 ticks of 20,000 rows keep the page busy");
        assert!(
            words.contains("seconds") && words.ends_with("Tick them anyway?"),
            "{words}"
        );
    }

    #[test]
    fn invalid_pattern_matches_like_the_server_and_is_flagged() {
        let mut engine = engine();
        let answer = ask(&mut engine, query("Alpha Core"));
        assert!(!answer.valid);
        assert_eq!(answer.matched, 0);
    }

    #[test]
    fn splits_patterns_on_lines_commas_semicolons_and_spaces() {
        assert_eq!(
            split_patterns("Alpha*, Beta;Gamma\n  Delta.* Alpha*"),
            vec!["Alpha*", "Beta", "Gamma", "Delta.*"]
        );
    }

    #[test]
    fn multi_pattern_validates_each_and_lists_matching_ids() {
        let mut engine = engine();
        let ask_multi = |engine: &mut Engine, text: &str| match engine.handle(
            Request::MultiPattern(MultiQuery {
                form: 0,
                owner: Some("alice".to_string()),
                text: text.to_string(),
                want_ids: true,
                ..MultiQuery::default()
            }),
        ) {
            Response::MultiPattern(answer) => answer,
            other => panic!("expected multi, got {other:?}"),
        };
        let answer = ask_multi(&mut engine, "Alpha.*\nGamma, contoso.*");
        assert!(answer.valid);
        assert_eq!(answer.ids, vec!["Alpha.Core", "Gamma", "Contoso.Web"]);
        let answer = ask_multi(&mut engine, "Alpha.* Gam?a");
        assert!(!answer.valid);
        assert!(
            answer.ids.is_empty(),
            "nothing to tick while a pattern is refused"
        );
        let validity: Vec<&str> = find(&answer.view, "multi-item")
            .iter()
            .filter_map(|e| e.get("data-keyscope-valid"))
            .collect();
        assert_eq!(validity, vec!["true", "false"]);
    }

    #[test]
    fn repeated_keystrokes_reuse_cached_matches() {
        let mut engine = engine();
        ask(&mut engine, query("Alpha*"));
        let mut scrolled = query("Alpha*");
        scrolled.offset = 1;
        let answer = ask(&mut engine, scrolled);
        assert_eq!(row_ids(&answer), vec!["Alpha.Core"]);
    }
}
