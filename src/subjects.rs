//! Subjects: what a key's form submits, how nuget.org's server matches each one, and the
//! request guard's decisions built on that.
//!
//! nuget.org matches a package id against a subject by building
//! `^` + escape(subject) with `*` → `.*` + `$`, case-insensitive. Every subject is matched
//! that way, whether it came from the glob field or a ticked checkbox, and whether or not the
//! page's validator would have accepted it. So [`Subject`] uses [`crate::pattern`] for the
//! subjects it accepts (the fast path, and one definition of matching for the whole core) and
//! a small matcher of the raw server rule for the rest, which keeps coverage exact for any
//! subject an API-created key may hold.
//!
//! The server also *widens* what it is not told: no subject becomes `*`, no scope becomes
//! every action. The decisions at the bottom ([`decide_create`], [`decide_save`],
//! [`decide_remove`]) are plain functions of the form state so the page-side guard only has
//! to ask and obey.

use std::collections::{HashMap, HashSet};

use crate::ids::IdIndex;
use crate::page::PageData;
use crate::pattern::{self, Pattern};
use crate::scope::Scope;

/// What nuget.org stores when a request carries no non-blank subject.
pub const ALL_PACKAGES: &str = "*";

/// Lower-cases like the server's case-insensitive match: ASCII directly, other characters by
/// their single-character Unicode lowercase (so the Kelvin sign `K` folds to `k`), characters
/// whose lowercase is longer kept as they are.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(single), None) => single,
                    _ => c,
                }
            }
        })
        .collect()
}

/// One subject of a key, ready to match ids the way nuget.org does.
#[derive(Clone, Debug)]
pub struct Subject {
    text: String,
    rule: Rule,
}

#[derive(Clone, Debug)]
enum Rule {
    /// No `*`: matches the one id equal to it without case (the folded text).
    Literal(String),
    /// A pattern KeyScope's validator accepts.
    Pattern(Pattern),
    /// Anything else with a `*`: the folded text split at each `*`.
    Raw(Vec<String>),
}

impl Subject {
    /// Prepares `text` (used exactly as given: nuget.org does not trim subjects).
    pub fn new(text: &str) -> Subject {
        let rule = if !text.contains('*') {
            Rule::Literal(fold(text))
        } else if let Ok(parsed) = pattern::parse(text) {
            Rule::Pattern(parsed)
        } else {
            Rule::Raw(fold(text).split('*').map(str::to_owned).collect())
        };
        Subject {
            text: text.to_string(),
            rule,
        }
    }

    /// The subject as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether nuget.org's server would let this subject act on `id`.
    pub fn is_match(&self, id: &str) -> bool {
        self.is_match_folded(&fold(id))
    }

    /// Like [`Subject::is_match`] for an id already folded (ASCII-lowercased, as
    /// [`IdIndex::folded`] holds them).
    pub fn is_match_folded(&self, folded: &str) -> bool {
        match &self.rule {
            Rule::Literal(literal) => literal == folded,
            Rule::Pattern(parsed) => parsed.is_match_folded(folded),
            Rule::Raw(parts) => raw_match(parts, folded),
        }
    }

    /// Whether the subject matches every id there is or will be (it is only stars).
    pub fn grants_all(&self) -> bool {
        !self.text.is_empty() && self.text.chars().all(|c| c == '*')
    }

    /// Whether the subject has a `*`, and so grants ids beyond the ones it names.
    pub fn is_pattern(&self) -> bool {
        !matches!(self.rule, Rule::Literal(_))
    }

    /// Whether every id `other` matches is also matched by `self`, for every id there could
    /// ever be (not only the owner's current ones).
    ///
    /// Decided by matching `self` against `other`'s text with each of `other`'s stars as a
    /// symbol only a star of `self` can consume: if that succeeds, any way of filling
    /// `other`'s stars is matched too. A `false` is a safe answer: it may only make the guard
    /// ask about an edit that did not really widen anything.
    pub fn contains(&self, other: &Subject) -> bool {
        let outer: Vec<char> = fold(&self.text).chars().collect();
        let inner: Vec<char> = fold(&other.text).chars().collect();
        // reachable[j]: `outer[..i]` can consume `inner[..j]`.
        let mut reachable = vec![false; inner.len() + 1];
        reachable[0] = true;
        for &p in &outer {
            let mut next = vec![false; inner.len() + 1];
            if p == '*' {
                let mut any = false;
                for (j, slot) in next.iter_mut().enumerate() {
                    any |= reachable[j];
                    *slot = any;
                }
            } else {
                for (j, &t) in inner.iter().enumerate() {
                    next[j + 1] = reachable[j] && t != '*' && t == p;
                }
            }
            reachable = next;
        }
        reachable[inner.len()]
    }
}

/// Matches a folded id against a folded subject split at its stars: the first part is a
/// prefix, the last a suffix, the middle ones appear in order in between (leftmost first,
/// which is enough when the only wildcard is `*`).
fn raw_match(parts: &[String], folded: &str) -> bool {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return folded.is_empty();
    };
    if parts.len() == 1 {
        return first == folded;
    }
    if folded.len() < first.len() + last.len()
        || !folded.starts_with(first.as_str())
        || !folded.ends_with(last.as_str())
    {
        return false;
    }
    let Some(mut middle) = folded.get(first.len()..folded.len() - last.len()) else {
        return false;
    };
    for part in parts.iter().take(parts.len() - 1).skip(1) {
        match middle.find(part.as_str()) {
            Some(at) => middle = middle.get(at + part.len()..).unwrap_or_default(),
            None => return false,
        }
    }
    true
}

/// An owner's ids prepared for matching many subjects: case-insensitive repeats dropped (the
/// first spelling kept), and the folded ids in sorted order, so that a literal subject is one
/// binary search and a subject with a literal prefix (`Contoso.*`) only looks at the ids that
/// share it. Subjects that start with `*` scan every id once.
#[derive(Clone, Debug, Default)]
pub struct OwnerIds {
    index: IdIndex,
    /// Positions in `index`, sorted by folded id.
    sorted: Vec<usize>,
}

impl OwnerIds {
    /// Indexes `ids` in order.
    pub fn new<I, S>(ids: I) -> OwnerIds
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let given: Vec<String> = ids.into_iter().map(|id| id.as_ref().to_string()).collect();
        let index = IdIndex::new(given.iter().map(String::as_str));
        let sorted = sorted_positions(&index);
        let folded = index.folded();
        let repeats: HashSet<usize> = sorted
            .windows(2)
            .filter_map(|pair| match pair {
                [first, second] if folded.get(*first) == folded.get(*second) => Some(*second),
                _ => None,
            })
            .collect();
        if repeats.is_empty() {
            return OwnerIds { index, sorted };
        }
        // Rare: the owner's list repeats an id in another case; keep the first spelling.
        let unique: Vec<&String> = given
            .iter()
            .enumerate()
            .filter(|(at, _)| !repeats.contains(at))
            .map(|(_, id)| id)
            .collect();
        let index = IdIndex::new(unique);
        let sorted = sorted_positions(&index);
        OwnerIds { index, sorted }
    }

    /// The ids, in order, with their folded copies.
    pub fn index(&self) -> &IdIndex {
        &self.index
    }

    /// The ids as given.
    pub fn ids(&self) -> &[String] {
        self.index.ids()
    }

    /// How many distinct ids there are.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there is no id.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Where the id equal to `folded` sits.
    pub fn position(&self, folded: &str) -> Option<usize> {
        self.with_prefix(folded)
            .iter()
            .copied()
            .find(|&at| self.folded(at) == folded)
    }

    /// The positions of every id `subject` matches, ascending.
    pub fn matching(&self, subject: &Subject) -> Vec<usize> {
        if subject.grants_all() {
            return (0..self.len()).collect();
        }
        let mut positions: Vec<usize> = match &subject.rule {
            Rule::Literal(literal) => return self.position(literal).into_iter().collect(),
            // A pattern that starts with `*` looks at every id: the per-id tallies and the
            // contiguous folded ids of the glob verdict's fast path make that scan cheap.
            Rule::Pattern(parsed) if subject.text().starts_with('*') => {
                return parsed.matching(&self.index);
            }
            Rule::Pattern(_) | Rule::Raw(_) => {
                let folded = fold(subject.text());
                let prefix = folded.split('*').next().unwrap_or_default();
                self.with_prefix(prefix)
                    .iter()
                    .copied()
                    .filter(|&at| subject.is_match_folded(self.folded(at)))
                    .collect()
            }
        };
        positions.sort_unstable();
        positions
    }

    fn folded(&self, at: usize) -> &str {
        self.index.folded().get(at).map_or("", String::as_str)
    }

    /// The positions (in sorted order) of the ids starting with `prefix`.
    fn with_prefix(&self, prefix: &str) -> &[usize] {
        let start = self.sorted.partition_point(|&at| self.folded(at) < prefix);
        let rest = self.sorted.get(start..).unwrap_or_default();
        let len = rest.partition_point(|&at| self.folded(at).starts_with(prefix));
        rest.get(..len).unwrap_or_default()
    }
}

/// The positions of `index`, sorted by folded id (equal ones in input order).
fn sorted_positions(index: &IdIndex) -> Vec<usize> {
    let folded = index.folded();
    let mut sorted: Vec<usize> = (0..folded.len()).collect();
    sorted.sort_by(|&a, &b| folded.get(a).cmp(&folded.get(b)));
    sorted
}

/// [`OwnerIds`] kept from one computation to the next, per owner: indexing 20,000 ids (fold,
/// tally, sort) costs several milliseconds, while the page's ids rarely change. An entry is
/// rebuilt when the owner's ids differ from those it was built from.
#[derive(Debug, Default)]
pub struct OwnerIdsCache {
    owners: HashMap<String, (Vec<String>, OwnerIds)>,
}

impl OwnerIdsCache {
    /// The index of `owner`'s `ids`, built now or kept from before.
    pub fn get(&mut self, owner: &str, ids: &[String]) -> &OwnerIds {
        let fresh = self
            .owners
            .get(owner)
            .is_some_and(|(given, _)| given.as_slice() == ids);
        if !fresh {
            self.owners
                .insert(owner.to_string(), (ids.to_vec(), OwnerIds::new(ids)));
        }
        match self.owners.get(owner) {
            Some((_, indexed)) => indexed,
            None => unreachable!("inserted above"),
        }
    }
}

/// All subjects of one key. Matching them over an owner's ids costs one look per subject
/// ([`OwnerIds::matching`]); [`SubjectSet::matching_cached`] shares those answers between
/// keys with the same subjects, which real organizations often have.
#[derive(Clone, Debug)]
pub struct SubjectSet {
    subjects: Vec<Subject>,
}

impl SubjectSet {
    /// Prepares the subjects, skipping blank ones (nuget.org ignores them).
    pub fn new<I, S>(texts: I) -> SubjectSet
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let subjects = texts
            .into_iter()
            .filter(|text| !text.as_ref().trim().is_empty())
            .map(|text| Subject::new(text.as_ref()))
            .collect();
        SubjectSet { subjects }
    }

    /// The subjects, blanks left out.
    pub fn subjects(&self) -> &[Subject] {
        &self.subjects
    }

    /// Whether no subject is left.
    pub fn is_empty(&self) -> bool {
        self.subjects.is_empty()
    }

    /// Whether some subject matches `id`.
    pub fn is_match(&self, id: &str) -> bool {
        let folded = fold(id);
        self.subjects.iter().any(|s| s.is_match_folded(&folded))
    }

    /// Whether some subject is only stars.
    pub fn grants_all(&self) -> bool {
        self.subjects.iter().any(Subject::grants_all)
    }

    /// The positions in `ids` of every id some subject matches, ascending.
    pub fn matching(&self, ids: &OwnerIds) -> Vec<usize> {
        self.matching_cached(ids, &mut HashMap::new())
    }

    /// Like [`SubjectSet::matching`], reusing and filling `cache` (subject text → positions;
    /// one cache per [`OwnerIds`]).
    pub fn matching_cached(
        &self,
        ids: &OwnerIds,
        cache: &mut HashMap<String, Vec<usize>>,
    ) -> Vec<usize> {
        let mut hit = vec![false; ids.len()];
        for subject in &self.subjects {
            let positions = cache
                .entry(subject.text().to_string())
                .or_insert_with(|| ids.matching(subject));
            for &at in positions.iter() {
                if let Some(slot) = hit.get_mut(at) {
                    *slot = true;
                }
            }
        }
        hit.iter()
            .enumerate()
            .filter_map(|(at, &is_hit)| is_hit.then_some(at))
            .collect()
    }
}

/// The subjects a create or edit form submits: the pattern (when not blank), then every
/// hand-ticked id the pattern does not already match (without case), in tick order, each once.
pub fn submitted_subjects(pattern: &str, ticked: &[String]) -> Vec<String> {
    let glob = (!pattern.trim().is_empty()).then(|| Subject::new(pattern));
    let mut seen = HashSet::new();
    let mut out: Vec<String> = glob.iter().map(|g| g.text().to_string()).collect();
    for id in ticked {
        let folded = fold(id);
        if id.trim().is_empty()
            || glob.as_ref().is_some_and(|g| g.is_match_folded(&folded))
            || !seen.insert(folded)
        {
            continue;
        }
        out.push(id.clone());
    }
    out
}

/// The subjects nuget.org will store for a request carrying `subjects`: the non-blank ones,
/// or `*` when there is none.
pub fn effective_subjects(subjects: &[String]) -> Vec<String> {
    let given: Vec<String> = subjects
        .iter()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    if given.is_empty() {
        vec![ALL_PACKAGES.to_string()]
    } else {
        given
    }
}

/// What an edit does to a key's reach over its owner's packages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditDiff {
    /// Existing ids the key will cover and does not now, in the owner's order.
    pub gained: Vec<String>,
    /// Existing ids the key covers now and will not, in the owner's order.
    pub lost: Vec<String>,
    /// New subjects that reach ids (existing or future) no current subject reaches, e.g. a
    /// new `*` pattern, or a literal naming a package that does not exist yet.
    pub reaches_beyond: Vec<String>,
}

impl EditDiff {
    /// Compares a key's `current` subjects with the `new` ones over `ids`. Both sides are
    /// taken as nuget.org will store them ([`effective_subjects`]).
    pub fn between(current: &[String], new: &[String], ids: &OwnerIds) -> EditDiff {
        let before = SubjectSet::new(effective_subjects(current));
        let after = SubjectSet::new(effective_subjects(new));
        let covered_before = positions_to_flags(before.matching(ids), ids.len());
        let covered_after = positions_to_flags(after.matching(ids), ids.len());
        let pick = |want_before: bool| {
            ids.ids()
                .iter()
                .zip(covered_before.iter().zip(&covered_after))
                .filter(|(_, (&b, &a))| b == want_before && a != want_before)
                .map(|(id, _)| id.clone())
                .collect()
        };
        let reaches_beyond = after
            .subjects()
            .iter()
            .filter(|new| !before.subjects().iter().any(|old| old.contains(new)))
            .map(|new| new.text().to_string())
            .collect();
        EditDiff {
            gained: pick(false),
            lost: pick(true),
            reaches_beyond,
        }
    }

    /// Whether the edit lets the key act on anything it could not act on before.
    pub fn is_widening(&self) -> bool {
        !self.gained.is_empty() || !self.reaches_beyond.is_empty()
    }
}

fn positions_to_flags(positions: Vec<usize>, len: usize) -> Vec<bool> {
    let mut flags = vec![false; len];
    for at in positions {
        if let Some(flag) = flags.get_mut(at) {
            *flag = true;
        }
    }
    flags
}

// ---------------------------------------------------------------------------------------------
// The request guard's decisions (issue 8)
// ---------------------------------------------------------------------------------------------

/// What a create or edit form is about to submit.
#[derive(Clone, Copy, Debug)]
pub struct FormState<'a> {
    /// The glob field's text.
    pub pattern: &'a str,
    /// The ids ticked by hand, in tick order.
    pub ticked: &'a [String],
    /// The scopes selected (an edit cannot change them; [`decide_save`] ignores them).
    pub scopes: &'a [Scope],
}

impl FormState<'_> {
    /// The subjects this form would submit.
    pub fn subjects(&self) -> Vec<String> {
        submitted_subjects(self.pattern, self.ticked)
    }
}

/// Why the guard stops a submission outright (`request_guard` words it for the user).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// No pattern and no ticked id: the server would store `*`.
    NoSubjects,
    /// No scope: the server would grant every action.
    NoScopes,
}

/// What the guard does with a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Let it go out.
    Go,
    /// Never let it go out.
    Stop(StopReason),
    /// Ask first, showing what changes.
    Confirm(EditDiff),
}

/// Create: stop when the request would carry no subject or no scope.
pub fn decide_create(form: &FormState<'_>) -> Decision {
    if form.subjects().is_empty() {
        Decision::Stop(StopReason::NoSubjects)
    } else if form.scopes.is_empty() {
        Decision::Stop(StopReason::NoScopes)
    } else {
        Decision::Go
    }
}

/// Save of an edit: stop when it would carry no subject; ask when it widens the key's reach
/// (with the diff); let a narrowing or unchanged edit go.
pub fn decide_save(current: &[String], form: &FormState<'_>, ids: &OwnerIds) -> Decision {
    let new = form.subjects();
    if new.is_empty() {
        return Decision::Stop(StopReason::NoSubjects);
    }
    let diff = EditDiff::between(current, &new, ids);
    if diff.is_widening() {
        Decision::Confirm(diff)
    } else {
        Decision::Go
    }
}

/// Delete or Revoke of `key`: for each owner, the packages no other usable key covers once it
/// is gone (only owners that lose something are listed). Empty when the key can't act now.
pub fn decide_remove(page: &PageData, key: i64, now: i64) -> Vec<(String, Vec<String>)> {
    crate::coverage::left_uncovered_without(page, key, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn owner_ids_cache_keeps_an_index_until_the_ids_change() {
        let mut cache = OwnerIdsCache::default();
        let first = strings(&["Contoso.Core", "Contoso.Web"]);
        assert_eq!(cache.get("Contoso", &first).ids(), first.as_slice());
        assert_eq!(cache.get("contoso-other", &first).len(), 2);
        let changed = strings(&["Contoso.Core", "Contoso.Web", "Contoso.Cli"]);
        let indexed = cache.get("Contoso", &changed);
        assert_eq!(indexed.ids(), changed.as_slice());
        let star = Subject::new("*.cli");
        assert_eq!(indexed.matching(&star), vec![2]);
    }

    #[test]
    fn star_matches_dots_and_nothing() {
        let s = Subject::new("Contoso.*");
        assert!(s.is_match("contoso.core.tests"));
        assert!(s.is_match("Contoso."));
        assert!(!s.is_match("Contoso"));
    }

    #[test]
    fn literal_subject_matches_one_id_without_case() {
        let s = Subject::new("Newtonsoft.Json");
        assert!(s.is_match("NEWTONSOFT.JSON"));
        assert!(!s.is_match("Newtonsoft.Json.Bson"));
    }

    #[test]
    fn subject_the_page_would_reject_still_matches_by_the_server_rule() {
        let s = Subject::new("a?b*");
        assert!(s.is_match("a?bc"));
        assert!(!s.is_match("axbc"));
        let spaced = Subject::new("Foo *");
        assert!(spaced.is_match("foo bar"));
        assert!(!spaced.is_match("foo.bar"));
    }

    #[test]
    fn raw_rule_anchors_both_ends_and_keeps_parts_in_order() {
        let s = Subject::new("a[*b*c]");
        assert!(s.is_match("a[xbyc]"));
        assert!(s.is_match("a[bc]"));
        assert!(!s.is_match("a[cb]"));
        assert!(!s.is_match("a[bc]x"));
        let overlap = Subject::new("ab?*?ba");
        assert!(!overlap.is_match("ab?ba"));
        assert!(overlap.is_match("ab??ba"));
    }

    #[test]
    fn kelvin_sign_folds_to_k() {
        assert!(Subject::new("\u{212A}ey*").is_match("key.core"));
    }

    #[test]
    fn only_stars_grant_all() {
        assert!(Subject::new("*").grants_all());
        assert!(Subject::new("**").grants_all());
        assert!(!Subject::new("*.*").grants_all());
    }

    #[test]
    fn containment_of_patterns() {
        let contains = |a: &str, b: &str| Subject::new(a).contains(&Subject::new(b));
        assert!(contains("*", "Contoso.*"));
        assert!(contains("Contoso.*", "Contoso.Core.*"));
        assert!(contains("contoso.*", "CONTOSO.CORE"));
        assert!(contains("*Tests*", "Contoso.*.Tests"));
        assert!(!contains("Contoso.*", "Contoso*"));
        assert!(!contains("Contoso.Core", "Contoso.*"));
        assert!(!contains("A.*", "B.*"));
    }

    #[test]
    fn submitted_subjects_are_pattern_plus_unmatched_ticks() {
        let ticked = strings(&["Contoso.Core", "Other", "other", "Fabrikam"]);
        assert_eq!(
            submitted_subjects("Contoso.*", &ticked),
            strings(&["Contoso.*", "Other", "Fabrikam"])
        );
    }

    #[test]
    fn blank_pattern_submits_only_ticks() {
        assert_eq!(
            submitted_subjects("  ", &strings(&["A", " "])),
            strings(&["A"])
        );
        assert!(submitted_subjects("", &[]).is_empty());
    }

    #[test]
    fn owner_ids_drop_case_repeats() {
        let ids = OwnerIds::new(["A", "b", "a"]);
        assert_eq!(ids.ids(), strings(&["A", "b"]).as_slice());
        assert_eq!(ids.position("b"), Some(1));
        assert_eq!(ids.position("c"), None);
    }

    #[test]
    fn create_without_subjects_is_stopped() {
        let form = FormState {
            pattern: " ",
            ticked: &[],
            scopes: &[Scope::Push],
        };
        assert_eq!(decide_create(&form), Decision::Stop(StopReason::NoSubjects));
    }

    #[test]
    fn create_without_scopes_is_stopped() {
        let form = FormState {
            pattern: "A.*",
            ticked: &[],
            scopes: &[],
        };
        assert_eq!(decide_create(&form), Decision::Stop(StopReason::NoScopes));
    }

    #[test]
    fn create_with_subjects_and_scopes_goes() {
        let ticked = strings(&["A"]);
        let form = FormState {
            pattern: "",
            ticked: &ticked,
            scopes: &[Scope::Unlist],
        };
        assert_eq!(decide_create(&form), Decision::Go);
    }

    #[test]
    fn save_that_narrows_goes() {
        let ids = OwnerIds::new(["A.One", "A.Two", "B"]);
        let ticked = strings(&["A.One"]);
        let form = FormState {
            pattern: "",
            ticked: &ticked,
            scopes: &[],
        };
        assert_eq!(decide_save(&strings(&["A.*"]), &form, &ids), Decision::Go);
    }

    #[test]
    fn save_that_gains_ids_asks_with_the_diff() {
        let ids = OwnerIds::new(["A.One", "A.Two", "B"]);
        let form = FormState {
            pattern: "*",
            ticked: &[],
            scopes: &[],
        };
        let Decision::Confirm(diff) = decide_save(&strings(&["A.One"]), &form, &ids) else {
            panic!("a widening edit must ask first");
        };
        assert_eq!(diff.gained, strings(&["A.Two", "B"]));
        assert!(diff.lost.is_empty());
        assert_eq!(diff.reaches_beyond, strings(&["*"]));
    }

    #[test]
    fn save_that_only_reaches_future_ids_asks() {
        let ids = OwnerIds::new(["A.One"]);
        let form = FormState {
            pattern: "C.*",
            ticked: &strings(&["A.One"]),
            scopes: &[],
        };
        let Decision::Confirm(diff) = decide_save(&strings(&["A.One"]), &form, &ids) else {
            panic!("a new pattern reaching future ids must ask first");
        };
        assert!(diff.gained.is_empty());
        assert_eq!(diff.reaches_beyond, strings(&["C.*"]));
    }

    #[test]
    fn save_without_subjects_is_stopped() {
        let ids = OwnerIds::new(["A"]);
        let form = FormState {
            pattern: "",
            ticked: &[],
            scopes: &[],
        };
        assert_eq!(
            decide_save(&strings(&["A"]), &form, &ids),
            Decision::Stop(StopReason::NoSubjects)
        );
    }
}
