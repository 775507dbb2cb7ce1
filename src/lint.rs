//! The verdict KeyScope shows for a glob pattern as the user types: nuget.org's errors, and
//! warnings about what nuget.org silently accepts but the user probably did not mean.
//!
//! [`check`] is the per-keystroke call, so it does everything in one pass over the owner's
//! ids at most a few times, and skips counting altogether when no valid id can match.
//! Every error and warning carries a stable `code` (the web layer and tests key on it), an
//! English `message`, and `params`: the values a translated message needs, by name, so
//! messages can be localised later without re-deriving anything.
//!
//! Codes: errors are [`crate::pattern::INVALID_CHAR`]; warnings are the `const`s below.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::ids::{fold_case, is_valid_id, IdIndex, MAX_ID_LEN};
use crate::pattern::{collapse_stars, parse, Pattern, Problem};
use crate::scope::Scope;

/// Only stars: every current and future package of the owner.
pub const GRANTS_ALL: &str = "grants-all";
/// Matches none of the owner's packages.
pub const MATCHES_NONE: &str = "matches-none";
/// A version, prerelease label or file name where an id was meant.
pub const LOOKS_LIKE_VERSION: &str = "looks-like-version";
/// `X.*` while the owner owns `X` itself.
pub const EXCLUDES_PARENT: &str = "excludes-parent";
/// `**` and longer runs, the same as `*`.
pub const REDUNDANT_STARS: &str = "redundant-stars";
/// No valid package id can ever match.
pub const IMPOSSIBLE: &str = "impossible";
/// With "Push new packages and package versions", the key can create new ids.
pub const GRANTS_NEW_IDS: &str = "grants-new-ids";

/// How many example ids a warning lists.
const MAX_EXAMPLES: usize = 3;

/// Words that fill a pattern's stars to show ids a key could create.
const FILLERS: [&str; 3] = ["Example", "Other", "New"];

/// Prerelease labels people put in patterns hoping to match versions.
const PRERELEASE_LABELS: [&str; 9] = [
    "alpha",
    "beta",
    "rc",
    "preview",
    "pre",
    "prerelease",
    "nightly",
    "snapshot",
    "canary",
];

/// Extensions of the files a package is pushed as.
const FILE_EXTENSIONS: [&str; 3] = ["nupkg", "snupkg", "nuspec"];

/// Something nuget.org accepts that the user probably did not mean.
///
/// `start`/`end` (characters of the pattern, end exclusive) mark the part it is about, when
/// there is one. `params` (by name, for translations): `grants-all` `total`;
/// `matches-none` `total`; `looks-like-version` `text`, `kind`
/// (`prerelease-label`/`version-number`/`file-name`); `excludes-parent` `parent`, `prefix`,
/// `count`; `redundant-stars` `text`; `impossible` `reason`
/// (`double-separator`/`leading-separator`/`trailing-separator`/`too-long`) and `text` or
/// `min_len`; `grants-new-ids` `strength` (`leading-star`/`normal`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
    pub suggestion: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<&'static str, String>,
}

impl Warning {
    fn new(code: &'static str, message: String) -> Warning {
        Warning {
            code,
            message,
            suggestion: None,
            examples: Vec::new(),
            start: None,
            end: None,
            params: BTreeMap::new(),
        }
    }

    fn span(mut self, start: usize, end: usize) -> Warning {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    fn param(mut self, name: &'static str, value: impl ToString) -> Warning {
        self.params.insert(name, value.to_string());
        self
    }
}

/// Everything KeyScope says about one pattern.
///
/// `matched`/`total` are present when the owner's ids were given: how many of them the
/// pattern matches (0 when nuget.org would refuse it) and how many there are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub pattern: String,
    pub valid: bool,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
}

/// Checks `text` as a glob pattern for a key of an owner with the ids `owned` (if known)
/// and the actions `scopes`. The empty text means "no pattern": valid, nothing to say.
pub fn check(text: &str, owned: Option<&IdIndex>, scopes: &[Scope]) -> Verdict {
    check_with(text, owned, scopes, None)
}

/// [`check`], given the positions of the `owned` ids the pattern matches when they are known
/// already (the preview keeps them per pattern), so the ids are not matched a second time.
/// `matched` must be what [`Pattern::matching`] answers for `text` over `owned`.
pub fn check_with(
    text: &str,
    owned: Option<&IdIndex>,
    scopes: &[Scope],
    matched: Option<&[usize]>,
) -> Verdict {
    let mut verdict = Verdict {
        pattern: text.to_owned(),
        valid: true,
        errors: Vec::new(),
        warnings: Vec::new(),
        matched: owned.map(|_| 0),
        total: owned.map(IdIndex::len),
    };
    let pattern = match parse(text) {
        Ok(pattern) => pattern,
        Err(errors) => {
            verdict.valid = false;
            verdict.errors = errors;
            return verdict;
        }
    };
    if pattern.is_empty() {
        return verdict;
    }
    let shortest = pattern.shortest_valid_match();
    let possible = shortest.as_ref().is_some_and(|id| id.len() <= MAX_ID_LEN);
    let matched: Cow<'_, [usize]> = match (matched, owned) {
        (Some(known), Some(_)) => Cow::Borrowed(known),
        (_, Some(ids)) => Cow::Owned(pattern.matching(ids)),
        (_, None) => Cow::Owned(Vec::new()),
    };
    let matched = matched.as_ref();
    verdict.matched = owned.map(|_| matched.len());

    let warnings = &mut verdict.warnings;
    if pattern.grants_all() {
        warnings.push(grants_all(owned));
    }
    if possible && scopes.iter().any(|scope| scope.pushes_new_ids()) {
        warnings.extend(grants_new_ids(&pattern, owned));
    }
    if !possible {
        warnings.push(impossible(&pattern, shortest.as_deref()));
    }
    if let Some(ids) = owned {
        if possible && matched.is_empty() && !ids.is_empty() {
            warnings.push(matches_none(&pattern, ids));
        }
        if possible {
            warnings.extend(excludes_parent(&pattern, ids, matched));
        }
    }
    warnings.extend(looks_like_version(&pattern, owned, matched));
    warnings.extend(redundant_stars(&pattern));
    verdict
}

fn grants_all(owned: Option<&IdIndex>) -> Warning {
    let now = match owned {
        Some(ids) => format!("all {} it has now", ids.len()),
        None => "every one it has now".to_owned(),
    };
    Warning::new(
        GRANTS_ALL,
        format!(
            "Only stars: this key covers every package of the owner, {now} and every one it \
             will ever have."
        ),
    )
    .param("total", owned.map_or(0, IdIndex::len))
}

fn grants_new_ids(pattern: &Pattern, owned: Option<&IdIndex>) -> Option<Warning> {
    if !pattern.has_wildcard() {
        return None;
    }
    let examples = new_id_examples(pattern, owned);
    if examples.is_empty() {
        return None;
    }
    let listed = quoted_list(&examples);
    let strong = pattern.text().starts_with('*');
    let message = if strong {
        format!(
            "This pattern starts with '*': with \u{201c}Push new packages and package \
             versions\u{201d} the key can publish brand-new packages under almost any name, \
             such as {listed}. Choose \u{201c}Push only new package versions\u{201d} unless \
             creating new ids is the point."
        )
    } else {
        format!(
            "With \u{201c}Push new packages and package versions\u{201d} the key can also \
             create packages that don't exist yet, such as {listed}."
        )
    };
    let mut warning = Warning::new(GRANTS_NEW_IDS, message)
        .param("strength", if strong { "leading-star" } else { "normal" });
    warning.examples = examples;
    Some(warning)
}

/// Two or three valid ids the pattern matches that the owner doesn't own: each star filled
/// in turn with a word, then all of them, then the shortest id the pattern can match.
fn new_id_examples(pattern: &Pattern, owned: Option<&IdIndex>) -> Vec<String> {
    let parts: Vec<&str> = pattern.collapsed().split('*').collect();
    let stars = parts.len().saturating_sub(1);
    let mut candidates = Vec::new();
    for filler in FILLERS {
        for star in 0..stars.min(4) {
            candidates.push(fill_stars(
                &parts,
                |index| {
                    if index == star {
                        filler
                    } else {
                        ""
                    }
                },
            ));
        }
        candidates.push(fill_stars(&parts, |_| filler));
    }
    candidates.extend(pattern.shortest_valid_match());
    let mut examples: Vec<String> = Vec::new();
    for candidate in candidates {
        let fresh = !examples
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&candidate));
        let owned_already = owned.is_some_and(|ids| ids.contains(&candidate));
        if fresh && !owned_already && is_valid_id(&candidate) && pattern.is_match(&candidate) {
            examples.push(candidate);
            if examples.len() == MAX_EXAMPLES {
                break;
            }
        }
    }
    examples
}

fn fill_stars<'a>(parts: &[&str], filler: impl Fn(usize) -> &'a str) -> String {
    let mut out = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push_str(filler(index - 1));
        }
        out.push_str(part);
    }
    out
}

fn impossible(pattern: &Pattern, shortest: Option<&str>) -> Warning {
    let text = pattern.text();
    let bytes = text.as_bytes();
    let is_separator = |b: &u8| *b == b'.' || *b == b'-';
    let double = bytes
        .windows(2)
        .position(|pair| pair.iter().all(is_separator));
    let base = "No valid package id can ever match this pattern";
    let warning = if let Some(at) = double {
        let pair = text.get(at..at + 2).unwrap_or_default();
        let fixed = format!(
            "{}{}",
            text.get(..at + 1).unwrap_or_default(),
            text.get(at + 2..).unwrap_or_default()
        );
        Warning::new(
            IMPOSSIBLE,
            format!(
                "{base}: '{pair}' never appears in a package id, where '.' and '-' stand \
                 alone between letters or digits."
            ),
        )
        .span(at, at + 2)
        .param("reason", "double-separator")
        .param("text", pair)
        .suggest_if_possible(fixed)
    } else if bytes.first().is_some_and(is_separator) {
        let first = text.get(..1).unwrap_or_default();
        Warning::new(
            IMPOSSIBLE,
            format!("{base}: package ids never start with '{first}'."),
        )
        .span(0, 1)
        .param("reason", "leading-separator")
        .param("text", first)
        .suggest_if_possible(format!("*{text}"))
    } else if bytes.last().is_some_and(is_separator) {
        let last = text.get(text.len() - 1..).unwrap_or_default();
        Warning::new(
            IMPOSSIBLE,
            format!("{base}: package ids never end with '{last}'."),
        )
        .span(text.len() - 1, text.len())
        .param("reason", "trailing-separator")
        .param("text", last)
        .suggest_if_possible(format!("{text}*"))
    } else if let Some(shortest) = shortest {
        Warning::new(
            IMPOSSIBLE,
            format!(
                "{base}: every id it matches has at least {} characters, and package ids \
                 have at most {MAX_ID_LEN}.",
                shortest.len()
            ),
        )
        .span(0, text.len())
        .param("reason", "too-long")
        .param("min_len", shortest.len())
    } else {
        Warning::new(IMPOSSIBLE, format!("{base}."))
    };
    warning
}

impl Warning {
    /// Offers `suggestion` (stars collapsed) only if some valid id can match it.
    fn suggest_if_possible(mut self, suggestion: String) -> Warning {
        let suggestion = collapse_stars(&suggestion);
        if parse(&suggestion).is_ok_and(|p| p.can_match_valid_id() && !p.grants_all()) {
            self.suggestion = Some(suggestion);
        }
        self
    }
}

fn matches_none(pattern: &Pattern, ids: &IdIndex) -> Warning {
    Warning::new(
        MATCHES_NONE,
        format!(
            "'{}' matches none of the owner's {} packages.",
            pattern.text(),
            ids.len()
        ),
    )
    .param("total", ids.len())
}

/// `X.*` (or `X-*`) never matches `X` itself: warn when the owner owns ids that `X` matches
/// but the pattern doesn't.
fn excludes_parent(pattern: &Pattern, ids: &IdIndex, matched: &[usize]) -> Option<Warning> {
    let text = pattern.text();
    let without_stars = text.trim_end_matches('*');
    if without_stars.len() == text.len() {
        return None;
    }
    let prefix = without_stars
        .strip_suffix('.')
        .or_else(|| without_stars.strip_suffix('-'))?;
    let parent_pattern = parse(prefix).ok()?;
    if parent_pattern.is_empty() || prefix.bytes().all(|b| b == b'*') {
        return None;
    }
    let parents: Vec<usize> = parent_pattern
        .matching(ids)
        .into_iter()
        .filter(|position| matched.binary_search(position).is_err())
        .collect();
    let first = *parents.first()?;
    let parent = ids.ids().get(first)?.clone();
    let examples: Vec<String> = parents
        .iter()
        .take(MAX_EXAMPLES)
        .filter_map(|&position| ids.ids().get(position).cloned())
        .collect();
    let widened = collapse_stars(&format!("{prefix}*"));
    let message = if parents.len() == 1 {
        format!(
            "'{text}' does not match '{parent}' itself, which the owner owns: use '{widened}' \
             (which also matches any other id starting with '{prefix}'), or tick '{parent}' \
             as well."
        )
    } else {
        format!(
            "'{text}' does not match {} of the owner's ids that '{prefix}' matches, such as \
             '{parent}': use '{widened}' (which also matches any other id starting with \
             '{prefix}'), or tick them as well.",
            parents.len()
        )
    };
    let mut warning = Warning::new(EXCLUDES_PARENT, message)
        .span(prefix.len(), text.len())
        .param("parent", &parent)
        .param("prefix", prefix)
        .param("count", parents.len());
    warning.suggestion = Some(widened);
    warning.examples = examples;
    Some(warning)
}

/// The first part of the pattern that reads like a version, prerelease label or file name:
/// its byte range (= character range, the pattern is ASCII) and what it looks like.
fn version_fragment(text: &str) -> Option<(usize, usize, &'static str)> {
    let words = words(text);
    for (index, &(start, end)) in words.iter().enumerate() {
        let word = text.get(start..end)?.to_ascii_lowercase();
        let label = word.trim_end_matches(|c: char| c.is_ascii_digit());
        if PRERELEASE_LABELS.contains(&label) {
            return Some((start, end, "prerelease-label"));
        }
        let after_dot = start > 0 && text.as_bytes().get(start - 1) == Some(&b'.');
        if after_dot && FILE_EXTENSIONS.contains(&word.as_str()) {
            return Some((start - 1, end, "file-name"));
        }
        let number = word.strip_prefix('v').unwrap_or(&word);
        if is_number(number) {
            let mut last = end;
            for &(next_start, next_end) in words.get(index + 1..).unwrap_or_default() {
                let joined_by_dot = next_start == last + 1
                    && text.as_bytes().get(last) == Some(&b'.')
                    && text.get(next_start..next_end).is_some_and(is_number);
                if !joined_by_dot {
                    break;
                }
                last = next_end;
            }
            if last != end {
                return Some((start, last, "version-number"));
            }
        }
    }
    None
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The byte ranges of the runs between `.`, `-` and `*`.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        if matches!(byte, b'.' | b'-' | b'*') {
            if index > start {
                words.push((start, index));
            }
            start = index + 1;
        }
    }
    if text.len() > start {
        words.push((start, text.len()));
    }
    words
}

fn looks_like_version(
    pattern: &Pattern,
    owned: Option<&IdIndex>,
    matched: &[usize],
) -> Option<Warning> {
    let text = pattern.text();
    let (start, end, kind) = version_fragment(text)?;
    let fragment = text.get(start..end)?;
    let folded_fragment = fold_case(fragment);
    if let Some(ids) = owned {
        // The owner really has ids with this part: the pattern likely means them.
        let real = matched.iter().any(|&position| {
            ids.folded()
                .get(position)
                .is_some_and(|id| id.contains(folded_fragment.as_ref()))
        });
        if real {
            return None;
        }
    }
    let what = match kind {
        "prerelease-label" => "a prerelease label",
        "file-name" => "a package file name",
        _ => "a version number",
    };
    let bytes = text.as_bytes();
    let is_separator = |at: usize| matches!(bytes.get(at), Some(b'.' | b'-'));
    let (cut_start, cut_end) = if start > 0 && is_separator(start - 1) {
        (start - 1, end)
    } else if is_separator(end) {
        (start, end + 1)
    } else {
        (start, end)
    };
    let rest = format!(
        "{}{}",
        text.get(..cut_start).unwrap_or_default(),
        text.get(cut_end..).unwrap_or_default()
    );
    Some(
        Warning::new(
            LOOKS_LIKE_VERSION,
            format!(
                "'{fragment}' looks like {what}, but patterns match package ids only, never \
                 versions or files: a key covers every version of the ids its pattern matches."
            ),
        )
        .span(start, end)
        .param("text", fragment)
        .param("kind", kind)
        .suggest_if_possible(rest),
    )
}

fn redundant_stars(pattern: &Pattern) -> Option<Warning> {
    let text = pattern.text();
    let start = text.find("**")?;
    let run = text
        .get(start..)?
        .bytes()
        .take_while(|&b| b == b'*')
        .count();
    let stars = text.get(start..start + run)?;
    let mut warning = Warning::new(
        REDUNDANT_STARS,
        format!("'{stars}' matches exactly what '*' matches: one star is enough."),
    )
    .span(start, start + run)
    .param("text", stars);
    warning.suggestion = Some(pattern.collapsed().to_owned());
    Some(warning)
}

fn quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("'{item}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> IdIndex {
        IdIndex::new([
            "Contoso",
            "Contoso.Core",
            "Contoso.Data",
            "Fabrikam.Tests",
            "libtorch-cuda-12.8-linux-x64",
        ])
    }

    fn codes(verdict: &Verdict) -> Vec<&'static str> {
        verdict.warnings.iter().map(|w| w.code).collect()
    }

    fn warning(text: &str, owned: Option<&IdIndex>, scopes: &[Scope], code: &str) -> Warning {
        let verdict = check(text, owned, scopes);
        match verdict.warnings.into_iter().find(|w| w.code == code) {
            Some(found) => found,
            None => panic!("{text:?} should warn {code}"),
        }
    }

    #[test]
    fn empty_pattern_is_valid_without_warnings() {
        let ids = owner();
        let verdict = check("", Some(&ids), &[Scope::Push]);
        assert!(verdict.valid);
        assert!(verdict.errors.is_empty());
        assert!(verdict.warnings.is_empty());
        assert_eq!(verdict.matched, Some(0));
        assert_eq!(verdict.total, Some(5));
    }

    #[test]
    fn plain_pattern_is_valid_and_counted() {
        let ids = owner();
        let verdict = check("Contoso*", Some(&ids), &[Scope::PushVersion]);
        assert!(verdict.valid);
        assert!(verdict.warnings.is_empty(), "{:?}", verdict.warnings);
        assert_eq!(verdict.matched, Some(3));
    }

    #[test]
    fn invalid_pattern_lists_errors_and_matches_nothing() {
        let ids = owner();
        let verdict = check("Contoso ?", Some(&ids), &[]);
        assert!(!verdict.valid);
        assert_eq!(verdict.errors.len(), 2);
        assert_eq!(verdict.matched, Some(0));
        assert!(verdict.warnings.is_empty());
    }

    #[test]
    fn counts_are_absent_without_owned_ids() {
        let verdict = check("Contoso*", None, &[]);
        assert_eq!(verdict.matched, None);
        assert_eq!(verdict.total, None);
    }

    #[test]
    fn only_stars_grant_all() {
        let ids = owner();
        let found = warning("*", Some(&ids), &[], GRANTS_ALL);
        assert_eq!(found.suggestion, None);
        assert!(found.message.contains("all 5 it has now"));
    }

    #[test]
    fn matches_none_of_the_owners_packages() {
        let ids = owner();
        let found = warning("Northwind.*", Some(&ids), &[], MATCHES_NONE);
        assert_eq!(found.suggestion, None);
        assert_eq!(
            found.message,
            "'Northwind.*' matches none of the owner's 5 packages."
        );
    }

    #[test]
    fn matches_none_needs_owned_ids() {
        assert!(check("Northwind.*", None, &[]).warnings.is_empty());
    }

    #[test]
    fn dot_star_excludes_owned_parent() {
        let ids = owner();
        let found = warning("Contoso.*", Some(&ids), &[], EXCLUDES_PARENT);
        assert_eq!(found.suggestion.as_deref(), Some("Contoso*"));
        assert_eq!((found.start, found.end), (Some(7), Some(9)));
        assert_eq!(found.examples, vec!["Contoso".to_string()]);
        assert!(found
            .message
            .starts_with("'Contoso.*' does not match 'Contoso' itself, which the owner owns"));
    }

    #[test]
    fn excludes_parent_needs_the_parent_owned() {
        let ids = IdIndex::new(["Contoso.Core"]);
        assert!(!codes(&check("Contoso.*", Some(&ids), &[])).contains(&EXCLUDES_PARENT));
        assert!(!codes(&check("Contoso.*", None, &[])).contains(&EXCLUDES_PARENT));
    }

    #[test]
    fn excludes_parent_with_hyphen_and_star_run() {
        let ids = IdIndex::new(["Fabrikam", "Fabrikam-Core"]);
        let found = warning("Fabrikam-**", Some(&ids), &[], EXCLUDES_PARENT);
        assert_eq!(found.suggestion.as_deref(), Some("Fabrikam*"));
        assert_eq!((found.start, found.end), (Some(8), Some(11)));
    }

    #[test]
    fn redundant_stars_collapse() {
        let found = warning("Contoso.***.Core**", None, &[], REDUNDANT_STARS);
        assert_eq!(found.suggestion.as_deref(), Some("Contoso.*.Core*"));
        assert_eq!((found.start, found.end), (Some(8), Some(11)));
        assert_eq!(
            found.message,
            "'***' matches exactly what '*' matches: one star is enough."
        );
    }

    #[test]
    fn prerelease_label_looks_like_version() {
        let found = warning("*alpha*", None, &[], LOOKS_LIKE_VERSION);
        assert_eq!((found.start, found.end), (Some(1), Some(6)));
        assert_eq!(found.suggestion, None);
        assert_eq!(
            found.params.get("kind").map(String::as_str),
            Some("prerelease-label")
        );
    }

    #[test]
    fn version_suffix_is_suggested_away() {
        let found = warning("Contoso.*-beta2", None, &[], LOOKS_LIKE_VERSION);
        assert_eq!((found.start, found.end), (Some(10), Some(15)));
        assert_eq!(found.suggestion.as_deref(), Some("Contoso.*"));
    }

    #[test]
    fn version_number_looks_like_version() {
        let found = warning("Contoso.1.0.*", None, &[], LOOKS_LIKE_VERSION);
        assert_eq!((found.start, found.end), (Some(8), Some(11)));
        assert_eq!(found.suggestion.as_deref(), Some("Contoso.*"));
        assert_eq!(
            found.params.get("kind").map(String::as_str),
            Some("version-number")
        );
    }

    #[test]
    fn package_file_name_looks_like_version() {
        let found = warning("Contoso*.nupkg", None, &[], LOOKS_LIKE_VERSION);
        assert_eq!((found.start, found.end), (Some(8), Some(14)));
        assert_eq!(found.suggestion.as_deref(), Some("Contoso*"));
    }

    #[test]
    fn version_like_part_of_a_real_owned_id_is_fine() {
        let ids = owner();
        let verdict = check("libtorch-cuda-12.8*", Some(&ids), &[]);
        assert!(!codes(&verdict).contains(&LOOKS_LIKE_VERSION));
    }

    #[test]
    fn ordinary_words_do_not_look_like_versions() {
        assert!(check("Prefix.Release*", None, &[]).warnings.is_empty());
        assert!(check("Contoso.V2*", None, &[]).warnings.is_empty());
    }

    #[test]
    fn trailing_separator_is_impossible() {
        let found = warning("Foo.", None, &[], IMPOSSIBLE);
        assert_eq!((found.start, found.end), (Some(3), Some(4)));
        assert_eq!(found.suggestion.as_deref(), Some("Foo.*"));
        assert_eq!(
            found.message,
            "No valid package id can ever match this pattern: package ids never end with '.'."
        );
    }

    #[test]
    fn leading_separator_is_impossible() {
        let found = warning(".Foo*", None, &[], IMPOSSIBLE);
        assert_eq!((found.start, found.end), (Some(0), Some(1)));
        assert_eq!(found.suggestion.as_deref(), Some("*.Foo*"));
    }

    #[test]
    fn double_separator_is_impossible() {
        let found = warning("Foo..*", None, &[], IMPOSSIBLE);
        assert_eq!((found.start, found.end), (Some(3), Some(5)));
        assert_eq!(found.suggestion.as_deref(), Some("Foo.*"));
        let found = warning("Foo-.*", None, &[], IMPOSSIBLE);
        assert_eq!((found.start, found.end), (Some(3), Some(5)));
        assert_eq!(found.suggestion.as_deref(), Some("Foo-*"));
    }

    #[test]
    fn too_many_literals_are_impossible() {
        let text = format!("{}*", "a".repeat(101));
        let found = warning(&text, None, &[], IMPOSSIBLE);
        assert_eq!((found.start, found.end), (Some(0), Some(102)));
        assert_eq!(found.suggestion, None);
        assert_eq!(found.params.get("min_len").map(String::as_str), Some("101"));
    }

    #[test]
    fn impossible_pattern_says_nothing_else() {
        let ids = owner();
        let verdict = check("Contoso..*", Some(&ids), &[Scope::Push]);
        assert_eq!(codes(&verdict), vec![IMPOSSIBLE]);
        assert_eq!(verdict.matched, Some(0));
    }

    #[test]
    fn push_scope_grants_new_ids_with_examples() {
        let ids = owner();
        let found = warning("Contoso.*", Some(&ids), &[Scope::Push], GRANTS_NEW_IDS);
        assert_eq!(
            found.examples,
            vec!["Contoso.Example", "Contoso.Other", "Contoso.New"]
        );
        assert_eq!(
            found.params.get("strength").map(String::as_str),
            Some("normal")
        );
        assert!(found.message.starts_with("With \u{201c}Push new packages"));
    }

    #[test]
    fn leading_star_grants_new_ids_strongly() {
        let found = warning("*Tests*", None, &[Scope::Push], GRANTS_NEW_IDS);
        assert_eq!(
            found.examples,
            vec!["ExampleTests", "TestsExample", "ExampleTestsExample"]
        );
        assert_eq!(
            found.params.get("strength").map(String::as_str),
            Some("leading-star")
        );
        assert!(found.message.starts_with("This pattern starts with '*'"));
    }

    #[test]
    fn new_id_examples_skip_owned_ids() {
        let ids = IdIndex::new(["Contoso.Example"]);
        let found = warning("Contoso.*", Some(&ids), &[Scope::Push], GRANTS_NEW_IDS);
        assert_eq!(
            found.examples,
            vec!["Contoso.Other", "Contoso.New", "Contoso.X"]
        );
    }

    #[test]
    fn new_id_examples_fall_back_to_shortest_match() {
        let text = format!("{}*", "a".repeat(99));
        let found = warning(&text, None, &[Scope::Push], GRANTS_NEW_IDS);
        assert_eq!(found.examples, vec![format!("{}", "a".repeat(99))]);
    }

    #[test]
    fn push_version_scope_grants_no_new_ids() {
        let verdict = check("Contoso.*", None, &[Scope::PushVersion, Scope::Unlist]);
        assert!(!codes(&verdict).contains(&GRANTS_NEW_IDS));
    }

    #[test]
    fn literal_pattern_grants_no_new_ids() {
        assert!(check("Contoso.New", None, &[Scope::Push])
            .warnings
            .is_empty());
    }

    #[test]
    fn verdict_serializes_to_the_cli_shape() {
        let ids = owner();
        let verdict = check("Contoso.*", Some(&ids), &[]);
        let json = serde_json::to_value(&verdict).unwrap_or_default();
        assert_eq!(json["pattern"], "Contoso.*");
        assert_eq!(json["valid"], true);
        assert_eq!(json["errors"], serde_json::json!([]));
        assert_eq!(json["warnings"][0]["code"], "excludes-parent");
        assert_eq!(json["warnings"][0]["suggestion"], "Contoso*");
        assert_eq!(json["matched"], 2);
        assert_eq!(json["total"], 5);
        let bare = serde_json::to_value(check("Contoso", None, &[])).unwrap_or_default();
        assert!(bare.get("matched").is_none());
        assert!(bare.get("total").is_none());
    }
}
