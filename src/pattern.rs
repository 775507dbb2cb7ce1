//! Glob patterns exactly as nuget.org reads and matches them.
//!
//! nuget.org accepts a pattern iff every character is an ASCII letter, digit, `_`, `.`, `-` or
//! `*` (the page's check is `^[\*\w_.-]*$`). It matches a package id iff the whole id matches,
//! ignoring case, where each `*` stands for any run of characters (empty included) and
//! everything else is literal: the server builds `^` + escape(subject) with `*` → `.*` + `$`.
//!
//! The shape follows from two needs:
//! - **Explain, don't just refuse.** [`parse`] returns either a [`Pattern`] or every
//!   offending character (or run of alike characters) as a [`Problem`] with a stable code, a
//!   character span and the parameters a translated message needs.
//! - **Match fast, exactly, and in bounded time.** A valid pattern is literal parts joined by
//!   `*`, so matching needs no regex engine: the first part must start the id, the last must
//!   end it, and the parts between are found leftmost, in order (leftmost is never worse,
//!   because `*` can absorb anything). That is exact, allocation-free, and takes at most the
//!   id's length times its longest literal part (≤ 100 for a pattern that can match a valid
//!   id), even for hostile patterns like `*a*a*…*b`. Ids are matched ASCII-lowercased (see
//!   [`crate::ids`]) against lowercased parts.
//!
//! Why not globset, as issue 3 first proposed: configured to agree with nuget.org (runs of
//! `*` collapsed, `literal_separator(false)`, lowercased case-sensitive globs), globset does
//! agree (the differential test checks it over a million pairs), but measured over real ids
//! it costs 60–100 ns per id even for `Prefix.*` (≈ 2 ms per keystroke over 20,000 ids,
//! twice the budget) and 300 ns per 100-character id for `*a*a*…*b` (≈ 30 ms over 100,000
//! ids, two frames), and it adds most of the WebAssembly module's size
//! (`examples/bench_pattern.rs` measures the engine).
//!
//! [`Pattern::shortest_valid_match`] decides exactly whether any valid package id can match
//! (a shortest-path search over the pattern × the id grammar), which the linter reports as
//! `impossible` and which lets counting skip patterns that can never match a real id.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::ids::{fold_case, is_word_byte, tally, IdIndex, Tally, MAX_ID_LEN};

/// The code of every [`Problem`]: a character nuget.org's page refuses.
pub const INVALID_CHAR: &str = "invalid-char";

/// At most this many problems are listed one by one; the rest are summed up in one more.
pub const MAX_LISTED_PROBLEMS: usize = 50;

/// Why nuget.org would refuse a pattern: one offending character or run of alike characters.
///
/// `start`/`end` count characters (not bytes) of the pattern, `end` exclusive. `params` holds
/// the values a translated message needs, by name: always `reason` (a stable key such as
/// `inner-whitespace`, `not-a-wildcard`, `list-separator`, `punctuation`, `look-alike`,
/// `non-ascii`, `invisible`, `more`), and depending on it `text` (the offending characters,
/// only when visible), `char` (`U+XXXX`), `name`, `looks_like`, `count`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: &'static str,
    pub message: String,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<&'static str, String>,
}

/// A pattern nuget.org accepts, ready to match ids.
#[derive(Clone, Debug)]
pub struct Pattern {
    text: String,
    /// `text` with runs of `*` collapsed to one, original case.
    collapsed: String,
    /// `collapsed` split at `*`, ASCII-lowercased: the literal parts, in order.
    segments: Vec<String>,
    /// Sum of the literal parts' lengths: no shorter id can match.
    literal_len: usize,
    /// The characters the literal parts need, as (tally slot, count): an id whose
    /// [`Tally`] has fewer cannot match.
    needs: Vec<(usize, u8)>,
    /// When every part between the first and the last is one character (`*a*b*c*`), those
    /// characters: matching is then one pass over the id looking for them in order.
    single_middle: Option<Vec<u8>>,
}

/// Parses `text` as nuget.org would: a [`Pattern`] if the page accepts it, otherwise every
/// offending character or run as a [`Problem`]. The empty text is the empty pattern ("no
/// pattern"), which matches nothing.
pub fn parse(text: &str) -> Result<Pattern, Vec<Problem>> {
    let problems = find_problems(text);
    if !problems.is_empty() {
        return Err(problems);
    }
    let collapsed = collapse_stars(text);
    let segments: Vec<String> = collapsed
        .split('*')
        .map(|segment| segment.to_ascii_lowercase())
        .collect();
    let literal_len = segments.iter().map(String::len).sum();
    let needs = tally(&segments.concat())
        .iter()
        .enumerate()
        .filter(|(_, &count)| count > 0)
        .map(|(slot, &count)| (slot, count))
        .collect();
    let middle = segments
        .get(1..segments.len().saturating_sub(1))
        .unwrap_or_default();
    let single_middle = middle
        .iter()
        .map(|part| match part.as_bytes() {
            &[byte] => Some(byte),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .filter(|bytes| bytes.len() > 1);
    Ok(Pattern {
        text: text.to_owned(),
        collapsed,
        segments,
        literal_len,
        needs,
        single_middle,
    })
}

/// `text` with every run of `*` replaced by a single `*` (which matches the same ids).
pub fn collapse_stars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous_star = false;
    for c in text.chars() {
        if c == '*' && previous_star {
            continue;
        }
        previous_star = c == '*';
        out.push(c);
    }
    out
}

impl Pattern {
    /// The pattern as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The pattern with runs of `*` collapsed, as typed otherwise.
    pub fn collapsed(&self) -> &str {
        &self.collapsed
    }

    /// Whether this is the empty pattern ("no pattern"), which matches nothing.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether the pattern has a `*`.
    pub fn has_wildcard(&self) -> bool {
        self.segments.len() > 1
    }

    /// Whether the pattern is only stars: it matches every id there is and ever will be.
    pub fn grants_all(&self) -> bool {
        !self.text.is_empty() && self.text.bytes().all(|b| b == b'*')
    }

    /// How many literal (non-`*`) characters the pattern has, after collapsing stars.
    pub fn literal_len(&self) -> usize {
        self.literal_len
    }

    /// Whether `id` matches, ignoring ASCII case.
    pub fn is_match(&self, id: &str) -> bool {
        self.is_match_folded(&fold_case(id))
    }

    /// Whether `folded_id`, already ASCII-lowercased, matches. The hot path.
    pub fn is_match_folded(&self, folded_id: &str) -> bool {
        self.is_match_bytes(folded_id.as_bytes())
    }

    /// [`Pattern::is_match_folded`] on the id's bytes.
    fn is_match_bytes(&self, id: &[u8]) -> bool {
        let Some((first, rest)) = self.segments.split_first() else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return !self.is_empty() && id == first.as_bytes();
        };
        if id.len() < self.literal_len
            || !same_bytes(id, first.as_bytes())
            || !same_bytes_at_end(id, last.as_bytes())
        {
            return false;
        }
        let mut rest = id
            .get(first.len()..id.len() - last.len())
            .unwrap_or_default();
        if let Some(wanted) = &self.single_middle {
            return contains_in_order(rest, wanted);
        }
        for part in middle {
            match find(rest, part.as_bytes()) {
                Some(found) => rest = rest.get(found + part.len()..).unwrap_or_default(),
                None => return false,
            }
        }
        true
    }

    /// How many of `ids` match.
    pub fn count(&self, ids: &IdIndex) -> usize {
        if self.skips(ids) {
            return 0;
        }
        match self.literal_prefix() {
            Some(prefix) => self.candidates(ids, prefix).count(),
            None => ids
                .folded_bytes()
                .zip(ids.tallies())
                .filter(|(id, tally)| self.fits(tally) && self.is_match_bytes(id))
                .count(),
        }
    }

    /// The positions in `ids` of the ids that match, in order.
    pub fn matching(&self, ids: &IdIndex) -> Vec<usize> {
        if self.skips(ids) {
            return Vec::new();
        }
        match self.literal_prefix() {
            Some(prefix) => {
                let mut found: Vec<usize> = self.candidates(ids, prefix).collect();
                found.sort_unstable();
                found
            }
            None => {
                matching_positions(ids, |id, tally| self.fits(tally) && self.is_match_bytes(id))
            }
        }
    }

    /// The literal part a matching id must start with, when there is one: the text before
    /// the first `*` (all of it without a `*`), lowercased.
    fn literal_prefix(&self) -> Option<&[u8]> {
        self.segments
            .first()
            .map(String::as_bytes)
            .filter(|prefix| !prefix.is_empty())
    }

    /// The positions of the ids that match among those starting with `prefix`, unordered.
    fn candidates<'a>(
        &'a self,
        ids: &'a IdIndex,
        prefix: &[u8],
    ) -> impl Iterator<Item = usize> + 'a {
        ids.starting_with(prefix)
            .iter()
            .map(|&at| at as usize)
            .filter(move |&at| {
                ids.tallies().get(at).is_some_and(|tally| self.fits(tally))
                    && self.is_match_bytes(ids.folded_at(at))
            })
    }

    /// Whether an id with this [`Tally`] holds every character the literal parts need
    /// (a quick necessary condition, checked before the exact match).
    #[inline]
    fn fits(&self, tally: &Tally) -> bool {
        self.needs
            .iter()
            .all(|&(slot, count)| tally.get(slot).is_some_and(|&has| has >= count))
    }

    /// The character ranges of `id` that the pattern's literal parts match (for
    /// highlighting), leftmost for each part; `None` when `id` does not match.
    pub fn literal_spans(&self, id: &str) -> Option<Vec<(usize, usize)>> {
        if self.is_empty() {
            return None;
        }
        let folded = fold_case(id);
        let byte_spans = self.match_segments(folded.as_bytes())?;
        Some(
            byte_spans
                .into_iter()
                .map(|(start, end)| (char_index(id, start), char_index(id, end)))
                .collect(),
        )
    }

    /// A shortest valid package id the pattern matches, of any length (compare it with
    /// [`MAX_ID_LEN`]); `None` when no valid id of any length can match. Letters keep the
    /// pattern's case; stars are filled with `X` where a character is needed.
    pub fn shortest_valid_match(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        shortest_valid_match(self.collapsed.as_bytes())
    }

    /// Whether some valid package id (at most [`MAX_ID_LEN`] characters) matches.
    pub fn can_match_valid_id(&self) -> bool {
        self.shortest_valid_match()
            .is_some_and(|id| id.len() <= MAX_ID_LEN)
    }

    /// Whether counting over `ids` can be skipped: they are all valid and none can match.
    fn skips(&self, ids: &IdIndex) -> bool {
        self.is_empty() || (ids.all_valid() && !self.can_match_valid_id())
    }

    /// [`Pattern::is_match_folded`], returning the byte spans the literal parts matched.
    fn match_segments(&self, id: &[u8]) -> Option<Vec<(usize, usize)>> {
        let mut spans = Vec::new();
        let (first, rest) = self.segments.split_first()?;
        let Some((last, middle)) = rest.split_last() else {
            if id != first.as_bytes() {
                return None;
            }
            if !id.is_empty() {
                spans.push((0, id.len()));
            }
            return Some(spans);
        };
        if id.len() < self.literal_len
            || !id.starts_with(first.as_bytes())
            || !id.ends_with(last.as_bytes())
        {
            return None;
        }
        if !first.is_empty() {
            spans.push((0, first.len()));
        }
        let mut position = first.len();
        let end = id.len() - last.len();
        for part in middle {
            let haystack = id.get(position..end)?;
            let found = find(haystack, part.as_bytes())?;
            spans.push((position + found, position + found + part.len()));
            position += found + part.len();
        }
        if !last.is_empty() {
            spans.push((end, id.len()));
        }
        Some(spans)
    }
}

/// Several patterns; an id matches the set if any of them matches it (a key's subjects).
#[derive(Clone, Debug)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
}

impl PatternSet {
    /// A set of `patterns`; empty patterns match nothing and are left out.
    pub fn new(patterns: &[Pattern]) -> PatternSet {
        PatternSet {
            patterns: patterns.iter().filter(|p| !p.is_empty()).cloned().collect(),
        }
    }

    /// Whether `folded`, already ASCII-lowercased, matches any pattern.
    pub fn is_match_folded(&self, folded: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match_folded(folded))
    }

    /// How many of `ids` match any pattern.
    pub fn count(&self, ids: &IdIndex) -> usize {
        if self.skips(ids) {
            return 0;
        }
        ids.folded_bytes()
            .zip(ids.tallies())
            .filter(|(id, tally)| self.matches_tallied(id, tally))
            .count()
    }

    /// The positions in `ids` of the ids any pattern matches, in order.
    pub fn matching(&self, ids: &IdIndex) -> Vec<usize> {
        if self.skips(ids) {
            return Vec::new();
        }
        matching_positions(ids, |id, tally| self.matches_tallied(id, tally))
    }

    fn matches_tallied(&self, folded: &[u8], tally: &Tally) -> bool {
        self.patterns
            .iter()
            .any(|p| p.fits(tally) && p.is_match_bytes(folded))
    }

    fn skips(&self, ids: &IdIndex) -> bool {
        self.patterns.iter().all(|p| p.skips(ids))
    }
}

fn matching_positions(ids: &IdIndex, is_match: impl Fn(&[u8], &Tally) -> bool) -> Vec<usize> {
    ids.folded_bytes()
        .zip(ids.tallies())
        .enumerate()
        .filter(|(_, (id, tally))| is_match(id, tally))
        .map(|(position, _)| position)
        .collect()
}

/// The leftmost position of `needle` in `haystack`. Quadratic only in the needle's length,
/// at most 100 for a pattern that can match a valid id. Written as one plain loop with an
/// inline comparison: the size-optimised release build neither vectorises `windows()` nor
/// inlines `memcmp` for the one- to few-byte parts patterns are made of.
#[inline]
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&head, tail)) = needle.split_first() else {
        return Some(0);
    };
    let mut rest = haystack;
    let mut offset = 0;
    while rest.len() >= needle.len() {
        let (&byte, after) = rest.split_first()?;
        if byte == head && same_bytes(after, tail) {
            return Some(offset);
        }
        rest = after;
        offset += 1;
    }
    None
}

/// Whether `text` starts with `prefix`, compared byte by byte (see [`find`]).
#[inline]
fn same_bytes(text: &[u8], prefix: &[u8]) -> bool {
    text.len() >= prefix.len() && text.iter().zip(prefix).all(|(a, b)| a == b)
}

/// Whether `text` ends with `suffix`, compared byte by byte (see [`find`]).
#[inline]
fn same_bytes_at_end(text: &[u8], suffix: &[u8]) -> bool {
    text.len() >= suffix.len()
        && text
            .iter()
            .rev()
            .zip(suffix.iter().rev())
            .all(|(a, b)| a == b)
}

/// Whether `wanted` appears in `haystack` in order, not necessarily side by side: the leftmost
/// match of one-character parts, in a single pass with one comparison per byte.
fn contains_in_order(haystack: &[u8], wanted: &[u8]) -> bool {
    let mut wanted = wanted.iter();
    let mut next = wanted.next();
    for byte in haystack {
        match next {
            None => return true,
            Some(w) if w == byte => next = wanted.next(),
            Some(_) => {}
        }
    }
    next.is_none()
}

/// The character index of byte offset `byte` in `text` (ASCII folding keeps offsets).
fn char_index(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |prefix| prefix.chars().count())
}

/// Where the id grammar `\w+([.-]\w+)*` stands after some characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum IdState {
    Start,
    AfterWord,
    AfterSeparator,
}

impl IdState {
    fn index(self) -> usize {
        self as usize
    }

    /// The state after one more character, `None` if the id can no longer be valid.
    fn after(self, byte: u8) -> Option<IdState> {
        if is_word_byte(byte) {
            Some(IdState::AfterWord)
        } else if (byte == b'.' || byte == b'-') && self == IdState::AfterWord {
            Some(IdState::AfterSeparator)
        } else {
            None
        }
    }
}

/// Shortest valid id matched by `pattern` (collapsed, valid characters), by a 0-1 BFS over
/// (position in the pattern, state of the id grammar): a literal moves both forward by one
/// character; a `*` is either skipped (free) or emits one character and stays. Linear in the
/// pattern's length.
fn shortest_valid_match(pattern: &[u8]) -> Option<String> {
    let positions = pattern.len() + 1;
    let state_of = |position: usize, id: IdState| position * 3 + id.index();
    let mut distance = vec![usize::MAX; positions * 3];
    // How each state was first reached: the previous state and the character emitted.
    let mut previous: Vec<Option<(usize, Option<u8>)>> = vec![None; positions * 3];
    let mut queue = VecDeque::new();
    let start = state_of(0, IdState::Start);
    distance[start] = 0;
    queue.push_back((0usize, IdState::Start));
    let mut goal = None;
    while let Some((position, id)) = queue.pop_front() {
        let here = state_of(position, id);
        if position == pattern.len() && id == IdState::AfterWord {
            goal = Some(here);
            break;
        }
        let Some(&token) = pattern.get(position) else {
            continue;
        };
        let mut relax = |next_position: usize, next_id: IdState, emitted: Option<u8>| {
            let cost = usize::from(emitted.is_some());
            let next = state_of(next_position, next_id);
            if distance[here] + cost < distance[next] {
                distance[next] = distance[here] + cost;
                previous[next] = Some((here, emitted));
                if cost == 0 {
                    queue.push_front((next_position, next_id));
                } else {
                    queue.push_back((next_position, next_id));
                }
            }
        };
        if token == b'*' {
            relax(position + 1, id, None);
            for filler in [b'X', b'.'] {
                if let Some(next_id) = id.after(filler) {
                    relax(position, next_id, Some(filler));
                }
            }
        } else if let Some(next_id) = id.after(token) {
            relax(position + 1, next_id, Some(token));
        }
    }
    let mut state = goal?;
    let mut reversed = Vec::new();
    while let Some((before, emitted)) = previous[state] {
        reversed.extend(emitted);
        state = before;
    }
    reversed.reverse();
    String::from_utf8(reversed).ok()
}

// ---------------------------------------------------------------------------------------
// Finding the characters nuget.org refuses.

/// What is wrong with one character; alike neighbours are reported as one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Offence {
    Whitespace(&'static str),
    NotAWildcard(char),
    ListSeparator(char),
    Punctuation(char),
    LookAlike(char, &'static str, char),
    NonAscii,
    Invisible(char, &'static str),
    Unprintable(char),
}

fn find_problems(text: &str) -> Vec<Problem> {
    let chars: Vec<char> = text.chars().collect();
    let mut problems = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        let Some(offence) = chars.get(index).and_then(|&c| classify(c)) else {
            index += 1;
            continue;
        };
        let mut end = index + 1;
        while chars.get(end).and_then(|&c| classify(c)) == Some(offence) {
            end += 1;
        }
        if problems.len() == MAX_LISTED_PROBLEMS {
            problems.push(more_problems(&chars, index));
            break;
        }
        let run = chars.get(index..end).unwrap_or_default();
        problems.push(describe(offence, run, index, end, chars.len()));
        index = end;
    }
    problems
}

/// Sums up every offending character from `start` on in one last problem.
fn more_problems(chars: &[char], start: usize) -> Problem {
    let rest = chars.get(start..).unwrap_or_default();
    let count = rest.iter().filter(|&&c| classify(c).is_some()).count();
    let mut params = BTreeMap::new();
    params.insert("reason", "more".to_owned());
    params.insert("count", count.to_string());
    Problem {
        code: INVALID_CHAR,
        message: format!(
            "{count} more characters from here on are not allowed: a pattern may only hold \
             ASCII letters, digits, '_', '.', '-' and '*'."
        ),
        start,
        end: chars.len(),
        params,
    }
}

/// Which offence `c` is, `None` if nuget.org accepts it in a pattern.
fn classify(c: char) -> Option<Offence> {
    if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '*') {
        return None;
    }
    if let Some(name) = whitespace_name(c) {
        return Some(Offence::Whitespace(name));
    }
    if let Some(name) = invisible_name(c) {
        return Some(Offence::Invisible(c, name));
    }
    Some(match c {
        '?' | '[' | ']' | '{' | '}' | '\\' => Offence::NotAWildcard(c),
        '/' | ',' | ';' | '|' => Offence::ListSeparator(c),
        _ if c.is_ascii() => Offence::Punctuation(c),
        _ => match look_alike(c) {
            Some((name, ascii)) => Offence::LookAlike(c, name, ascii),
            None if c.is_alphanumeric() => Offence::NonAscii,
            None => Offence::Unprintable(c),
        },
    })
}

fn describe(offence: Offence, run: &[char], start: usize, end: usize, len: usize) -> Problem {
    let count = run.len();
    let text: String = run.iter().collect();
    let mut params = BTreeMap::new();
    let (reason, message) = match offence {
        Offence::Whitespace(name) => {
            let what = plural(count, name);
            params.insert("name", name.to_owned());
            params.insert("count", count.to_string());
            if start == 0 {
                (
                    "leading-whitespace",
                    format!(
                        "{} at the start: a pattern cannot contain whitespace; remove it.",
                        capitalize(&what)
                    ),
                )
            } else if end == len {
                (
                    "trailing-whitespace",
                    format!(
                        "{} at the end: a pattern cannot contain whitespace; remove it.",
                        capitalize(&what)
                    ),
                )
            } else {
                (
                    "inner-whitespace",
                    format!(
                        "{} inside the pattern: package ids contain no whitespace, and one \
                         key takes one pattern.",
                        capitalize(&what)
                    ),
                )
            }
        }
        Offence::NotAWildcard(c) => {
            params.insert("text", text.clone());
            let extra = match c {
                '{' | '}' => " Alternatives are not supported: one key takes one pattern.",
                '[' | ']' => " Character classes are not supported.",
                '\\' => " Nothing needs escaping.",
                _ => "",
            };
            (
                "not-a-wildcard",
                format!("'{text}' is not a wildcard on nuget.org: only '*' is.{extra}"),
            )
        }
        Offence::ListSeparator(_) => {
            params.insert("text", text.clone());
            (
                "list-separator",
                format!(
                    "'{text}' cannot separate several patterns: one key takes one pattern \
                     (create one key per pattern, or find one pattern that covers both)."
                ),
            )
        }
        Offence::Punctuation(_) => {
            params.insert("text", text.clone());
            (
                "punctuation",
                format!(
                    "'{text}' cannot appear in a package id: use ASCII letters, digits, '_', \
                     '.', '-' and the wildcard '*'."
                ),
            )
        }
        Offence::LookAlike(c, name, ascii) => {
            params.insert("text", text.clone());
            params.insert("char", code_point(c));
            params.insert("name", name.to_owned());
            params.insert("looks_like", ascii.to_string());
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            (
                "look-alike",
                format!(
                    "{} {name} looks like '{ascii}' but is not ASCII{times}: type '{ascii}' \
                     instead.",
                    code_point(c)
                ),
            )
        }
        Offence::NonAscii => {
            params.insert("text", text.clone());
            let first = run.first().copied().unwrap_or(' ');
            params.insert("char", code_point(first));
            let kind = if first.is_alphabetic() {
                "an ASCII letter"
            } else {
                "an ASCII digit"
            };
            let message = if count == 1 {
                format!(
                    "{} '{text}' is not {kind}: package ids use only ASCII letters, digits, \
                     '_', '.' and '-'.",
                    code_point(first)
                )
            } else {
                format!(
                    "'{text}' is not ASCII: package ids use only ASCII letters, digits, '_', \
                     '.' and '-'."
                )
            };
            ("non-ascii", message)
        }
        Offence::Invisible(c, name) => {
            params.insert("char", code_point(c));
            params.insert("name", name.to_owned());
            params.insert("count", count.to_string());
            (
                "invisible",
                format!(
                    "{} ({}): easy to paste by accident, and nuget.org refuses it; delete it.",
                    if count == 1 {
                        format!("An invisible {name}")
                    } else {
                        format!("{count} invisible {name}s")
                    },
                    code_point(c)
                ),
            )
        }
        Offence::Unprintable(c) => {
            params.insert("char", code_point(c));
            params.insert("count", count.to_string());
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            (
                "non-ascii",
                format!(
                    "{}{times} is not allowed: a pattern may only hold ASCII letters, digits, \
                     '_', '.', '-' and '*'.",
                    code_point(c)
                ),
            )
        }
    };
    params.insert("reason", reason.to_owned());
    Problem {
        code: INVALID_CHAR,
        message,
        start,
        end,
        params,
    }
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

fn plural(count: usize, name: &str) -> String {
    if count == 1 {
        format!("a {name}")
    } else {
        format!("{count} {name}s")
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn whitespace_name(c: char) -> Option<&'static str> {
    if !c.is_whitespace() {
        return None;
    }
    Some(match c {
        ' ' => "space",
        '\t' => "tab",
        '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => "line break",
        '\u{a0}' | '\u{202f}' => "no-break space",
        '\u{3000}' => "ideographic space",
        _ => "Unicode space",
    })
}

/// Whether `c` cannot be seen as itself when printed: whitespace, and every character
/// [`Problem`]s name as invisible (zero-width, bidi controls, combining marks, …). Whoever
/// shows a pattern (the page's marked copy, the CLI) shows these by code point instead.
pub fn is_hidden(c: char) -> bool {
    c.is_whitespace() || invisible_name(c).is_some()
}

fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "null character (NUL)",
        '\u{ad}' => "soft hyphen",
        '\u{34f}' => "combining grapheme joiner",
        '\u{61c}' => "Arabic letter mark",
        '\u{180e}' => "Mongolian vowel separator",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{206a}'..='\u{206f}' => "deprecated format character",
        '\u{feff}' => "byte order mark (zero-width no-break space)",
        '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}' => "variation selector",
        '\u{fff9}'..='\u{fffb}' => "interlinear annotation character",
        '\u{e0000}'..='\u{e007f}' => "tag character",
        '\u{300}'..='\u{36f}' => "combining mark",
        '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' => "Hangul filler",
        '\u{e000}'..='\u{f8ff}' | '\u{f0000}'..='\u{10ffff}' => "private-use character",
        _ if c.is_control() => "control character",
        _ => return None,
    })
}

/// Common characters that look like an allowed ASCII character: their name and the ASCII
/// character they pass for.
fn look_alike(c: char) -> Option<(&'static str, char)> {
    let found = LOOK_ALIKES
        .iter()
        .find(|(candidate, _, _)| *candidate == c)
        .map(|&(_, name, ascii)| (name, ascii));
    found.or_else(|| fullwidth(c))
}

/// Fullwidth forms (U+FF01..U+FF5E) sit at a fixed distance from their ASCII originals.
fn fullwidth(c: char) -> Option<(&'static str, char)> {
    let code = u32::from(c);
    if !(0xFF01..=0xFF5E).contains(&code) {
        return None;
    }
    let ascii = char::from_u32(code - 0xFEE0)?;
    let name = if ascii.is_ascii_uppercase() {
        "fullwidth Latin capital letter"
    } else if ascii.is_ascii_lowercase() {
        "fullwidth Latin small letter"
    } else if ascii.is_ascii_digit() {
        "fullwidth digit"
    } else {
        "fullwidth punctuation"
    };
    Some((name, ascii))
}

const LOOK_ALIKES: &[(char, &str, char)] = &[
    ('\u{430}', "Cyrillic small letter a", 'a'),
    ('\u{435}', "Cyrillic small letter ie", 'e'),
    ('\u{43e}', "Cyrillic small letter o", 'o'),
    ('\u{440}', "Cyrillic small letter er", 'p'),
    ('\u{441}', "Cyrillic small letter es", 'c'),
    ('\u{443}', "Cyrillic small letter u", 'y'),
    ('\u{445}', "Cyrillic small letter ha", 'x'),
    ('\u{455}', "Cyrillic small letter dze", 's'),
    (
        '\u{456}',
        "Cyrillic small letter byelorussian-ukrainian i",
        'i',
    ),
    ('\u{458}', "Cyrillic small letter je", 'j'),
    ('\u{4bb}', "Cyrillic small letter shha", 'h'),
    ('\u{4cf}', "Cyrillic small letter palochka", 'l'),
    ('\u{501}', "Cyrillic small letter komi de", 'd'),
    ('\u{51b}', "Cyrillic small letter qa", 'q'),
    ('\u{51d}', "Cyrillic small letter we", 'w'),
    ('\u{410}', "Cyrillic capital letter a", 'A'),
    ('\u{412}', "Cyrillic capital letter ve", 'B'),
    ('\u{415}', "Cyrillic capital letter ie", 'E'),
    ('\u{41a}', "Cyrillic capital letter ka", 'K'),
    ('\u{41c}', "Cyrillic capital letter em", 'M'),
    ('\u{41d}', "Cyrillic capital letter en", 'H'),
    ('\u{41e}', "Cyrillic capital letter o", 'O'),
    ('\u{420}', "Cyrillic capital letter er", 'P'),
    ('\u{421}', "Cyrillic capital letter es", 'C'),
    ('\u{422}', "Cyrillic capital letter te", 'T'),
    ('\u{423}', "Cyrillic capital letter u", 'Y'),
    ('\u{425}', "Cyrillic capital letter ha", 'X'),
    ('\u{405}', "Cyrillic capital letter dze", 'S'),
    (
        '\u{406}',
        "Cyrillic capital letter byelorussian-ukrainian i",
        'I',
    ),
    ('\u{408}', "Cyrillic capital letter je", 'J'),
    ('\u{391}', "Greek capital letter alpha", 'A'),
    ('\u{392}', "Greek capital letter beta", 'B'),
    ('\u{395}', "Greek capital letter epsilon", 'E'),
    ('\u{396}', "Greek capital letter zeta", 'Z'),
    ('\u{397}', "Greek capital letter eta", 'H'),
    ('\u{399}', "Greek capital letter iota", 'I'),
    ('\u{39a}', "Greek capital letter kappa", 'K'),
    ('\u{39c}', "Greek capital letter mu", 'M'),
    ('\u{39d}', "Greek capital letter nu", 'N'),
    ('\u{39f}', "Greek capital letter omicron", 'O'),
    ('\u{3a1}', "Greek capital letter rho", 'P'),
    ('\u{3a4}', "Greek capital letter tau", 'T'),
    ('\u{3a5}', "Greek capital letter upsilon", 'Y'),
    ('\u{3a7}', "Greek capital letter chi", 'X'),
    ('\u{3b1}', "Greek small letter alpha", 'a'),
    ('\u{3b9}', "Greek small letter iota", 'i'),
    ('\u{3ba}', "Greek small letter kappa", 'k'),
    ('\u{3bd}', "Greek small letter nu", 'v'),
    ('\u{3bf}', "Greek small letter omicron", 'o'),
    ('\u{3c1}', "Greek small letter rho", 'p'),
    ('\u{3c5}', "Greek small letter upsilon", 'u'),
    ('\u{131}', "Latin small letter dotless i", 'i'),
    ('\u{2010}', "hyphen", '-'),
    ('\u{2011}', "non-breaking hyphen", '-'),
    ('\u{2012}', "figure dash", '-'),
    ('\u{2013}', "en dash", '-'),
    ('\u{2014}', "em dash", '-'),
    ('\u{2212}', "minus sign", '-'),
    ('\u{2217}', "asterisk operator", '*'),
    ('\u{204e}', "low asterisk", '*'),
    ('\u{2731}', "heavy asterisk", '*'),
    ('\u{fe61}', "small asterisk", '*'),
    ('\u{2024}', "one dot leader", '.'),
    ('\u{3002}', "ideographic full stop", '.'),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> Pattern {
        match parse(text) {
            Ok(pattern) => pattern,
            Err(problems) => panic!("{text:?} should parse: {problems:?}"),
        }
    }

    fn problems(text: &str) -> Vec<Problem> {
        match parse(text) {
            Ok(_) => panic!("{text:?} should be refused"),
            Err(problems) => problems,
        }
    }

    fn only_problem(text: &str) -> Problem {
        let mut all = problems(text);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    fn reason(problem: &Problem) -> &str {
        problem.params.get("reason").map_or("", String::as_str)
    }

    // Matching.

    #[test]
    fn star_matches_dots() {
        assert!(pattern("Contoso.*").is_match("Contoso.Core.Tests"));
    }

    #[test]
    fn star_matches_empty_run() {
        assert!(pattern("Contoso*").is_match("Contoso"));
    }

    #[test]
    fn dot_star_does_not_match_parent() {
        assert!(!pattern("Alpha.*").is_match("Alpha"));
    }

    #[test]
    fn matching_ignores_ascii_case() {
        assert!(pattern("CONTOSO.*").is_match("contoso.core"));
        assert!(pattern("contoso.*").is_match("CONTOSO.CORE"));
    }

    #[test]
    fn matching_is_anchored() {
        assert!(!pattern("Core").is_match("Contoso.Core"));
        assert!(!pattern("Contoso").is_match("Contoso.Core"));
    }

    #[test]
    fn star_may_stand_anywhere() {
        assert!(pattern("Contoso.*.Core").is_match("Contoso.Data.Core"));
        assert!(pattern("*Tests*").is_match("Contoso.Tests.Unit"));
        assert!(pattern("a**b").is_match("aXYb"));
    }

    #[test]
    fn dot_is_literal() {
        assert!(!pattern("a.b").is_match("axb"));
    }

    #[test]
    fn star_matches_slash_like_nugets_regex() {
        assert!(pattern("a*").is_match("a/b"));
        assert!(pattern("*.").is_match(".."));
        assert!(pattern("a*.").is_match("a/.."));
    }

    #[test]
    fn non_ascii_is_never_folded_onto_ascii() {
        assert!(!pattern("k").is_match("\u{212a}"));
        assert!(pattern("*").is_match("\u{212a}"));
    }

    #[test]
    fn empty_pattern_matches_nothing() {
        let empty = pattern("");
        assert!(empty.is_empty());
        assert!(!empty.is_match(""));
        assert!(!empty.is_match("a"));
        assert!(!empty.grants_all());
    }

    #[test]
    fn only_stars_grant_all() {
        assert!(pattern("*").grants_all());
        assert!(pattern("***").grants_all());
        assert!(!pattern("*.*").grants_all());
    }

    #[test]
    fn collapses_runs_of_stars() {
        assert_eq!(pattern("a***b**").collapsed(), "a*b*");
    }

    #[test]
    fn literal_spans_are_leftmost_char_ranges() {
        let p = pattern("Contoso.*Core*");
        assert_eq!(
            p.literal_spans("contoso.Data.Core.Core"),
            Some(vec![(0, 8), (13, 17)])
        );
        assert_eq!(p.literal_spans("Fabrikam"), None);
        assert_eq!(pattern("*").literal_spans("x"), Some(vec![]));
    }

    #[test]
    fn literal_spans_count_characters_not_bytes() {
        assert_eq!(pattern("*b").literal_spans("éb"), Some(vec![(1, 2)]));
    }

    #[test]
    fn counts_and_lists_matching_ids() {
        let ids = IdIndex::new(["Contoso", "Contoso.Core", "Fabrikam", "contoso.data"]);
        let p = pattern("Contoso.*");
        assert_eq!(p.count(&ids), 2);
        assert_eq!(p.matching(&ids), vec![1, 3]);
    }

    #[test]
    fn one_character_parts_match_in_order() {
        let p = pattern("x*a*b*c*y");
        assert!(p.is_match("xabcy"));
        assert!(p.is_match("x-a.b_c9y"));
        assert!(!p.is_match("xacby"));
        assert!(!p.is_match("xabc"));
        assert!(pattern("*a*a*b").is_match("aab"));
        assert!(!pattern("*a*a*b").is_match("ab"));
    }

    #[test]
    fn counting_with_tallies_agrees_with_matching_each_id() {
        let ids = IdIndex::new(crate::ids::ids_from_lines(include_str!(
            "../tests/data/nuget-package-ids.txt"
        )));
        for text in [
            "*",
            "a*",
            "*a*a*a*",
            "*ss*",
            "microsoft.*.*",
            "*.e*e*e*",
            "*z*z*",
            "*.-*",
            "*_*",
            "serilog",
            "*1*0*",
            "aa*",
            "*oo*o*",
            "n*t",
        ] {
            let p = pattern(text);
            let one_by_one = ids.ids().iter().filter(|id| p.is_match(id)).count();
            assert_eq!(p.count(&ids), one_by_one, "{text}");
            assert_eq!(p.matching(&ids).len(), one_by_one, "{text}");
            assert_eq!(PatternSet::new(&[p]).count(&ids), one_by_one, "{text}");
        }
    }

    #[test]
    fn pattern_set_matches_if_any_pattern_does() {
        let ids = IdIndex::new(["A.One", "B.Two", "C.Three"]);
        let set = PatternSet::new(&[pattern("a.*"), pattern("*three"), pattern("")]);
        assert_eq!(set.count(&ids), 2);
        assert_eq!(set.matching(&ids), vec![0, 2]);
        assert!(set.is_match_folded("b.three"));
    }

    #[test]
    fn empty_pattern_set_matches_nothing() {
        let set = PatternSet::new(&[]);
        assert!(!set.is_match_folded("a"));
    }

    // Impossibility.

    #[test]
    fn shortest_valid_match_fills_stars_minimally() {
        assert_eq!(
            pattern("Foo.*").shortest_valid_match().as_deref(),
            Some("Foo.X")
        );
        assert_eq!(pattern("*").shortest_valid_match().as_deref(), Some("X"));
        assert_eq!(pattern("a*b").shortest_valid_match().as_deref(), Some("ab"));
        assert_eq!(
            pattern("*.*").shortest_valid_match().as_deref(),
            Some("X.X")
        );
    }

    #[test]
    fn no_valid_id_ends_with_a_separator() {
        assert_eq!(pattern("Foo.").shortest_valid_match(), None);
        assert_eq!(pattern("Foo*-").shortest_valid_match(), None);
    }

    #[test]
    fn no_valid_id_starts_with_a_separator() {
        assert_eq!(pattern(".Foo*").shortest_valid_match(), None);
    }

    #[test]
    fn no_valid_id_has_two_separators_in_a_row() {
        assert_eq!(pattern("Foo..*").shortest_valid_match(), None);
        assert_eq!(pattern("Foo-.*").shortest_valid_match(), None);
    }

    #[test]
    fn a_star_between_separators_needs_a_character() {
        assert_eq!(
            pattern("a.*.b").shortest_valid_match().as_deref(),
            Some("a.X.b")
        );
    }

    #[test]
    fn more_than_one_hundred_literals_cannot_match() {
        assert!(pattern(&"a".repeat(100)).can_match_valid_id());
        assert!(!pattern(&"a".repeat(101)).can_match_valid_id());
        assert!(!pattern(&format!("{}.*", "a".repeat(99))).can_match_valid_id());
    }

    #[test]
    fn impossible_pattern_counts_zero_over_valid_ids() {
        let ids = IdIndex::new(["Foo", "Foo.Bar"]);
        assert_eq!(pattern("Foo..*").count(&ids), 0);
    }

    #[test]
    fn impossible_pattern_still_matches_invalid_ids() {
        let ids = IdIndex::new(["Foo..x"]);
        assert_eq!(pattern("Foo..*").count(&ids), 1);
    }

    // Errors.

    #[test]
    fn accepts_every_allowed_character() {
        assert!(parse("Az09_.-*").is_ok());
    }

    #[test]
    fn rejects_space_inside_pattern() {
        let problem = only_problem("Contoso Core");
        assert_eq!(problem.code, INVALID_CHAR);
        assert_eq!((problem.start, problem.end), (7, 8));
        assert_eq!(reason(&problem), "inner-whitespace");
        assert!(problem.message.starts_with("A space inside the pattern"));
    }

    #[test]
    fn rejects_leading_spaces_as_one_run() {
        let problem = only_problem("  Contoso");
        assert_eq!((problem.start, problem.end), (0, 2));
        assert_eq!(reason(&problem), "leading-whitespace");
        assert!(problem.message.starts_with("2 spaces at the start"));
    }

    #[test]
    fn rejects_trailing_tab() {
        let problem = only_problem("Contoso\t");
        assert_eq!((problem.start, problem.end), (7, 8));
        assert_eq!(reason(&problem), "trailing-whitespace");
        assert!(problem.message.starts_with("A tab at the end"));
    }

    #[test]
    fn rejects_question_mark_as_wildcard() {
        let problem = only_problem("Contoso.?ore");
        assert_eq!((problem.start, problem.end), (8, 9));
        assert_eq!(reason(&problem), "not-a-wildcard");
        assert_eq!(
            problem.message,
            "'?' is not a wildcard on nuget.org: only '*' is."
        );
    }

    #[test]
    fn rejects_brackets_braces_and_backslash() {
        let all = problems("[a]{b}\\");
        let spans: Vec<(usize, usize)> = all.iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(spans, vec![(0, 1), (2, 3), (3, 4), (5, 6), (6, 7)]);
        assert!(all.iter().all(|p| reason(p) == "not-a-wildcard"));
        assert!(all[2].message.contains("one key takes one pattern"));
    }

    #[test]
    fn rejects_comma_as_list_separator() {
        let problem = only_problem("Contoso.*,Fabrikam.*");
        assert_eq!((problem.start, problem.end), (9, 10));
        assert_eq!(reason(&problem), "list-separator");
        assert!(problem.message.contains("one key takes one pattern"));
    }

    #[test]
    fn rejects_slash_and_semicolon_as_list_separators() {
        assert_eq!(reason(&only_problem("a/b")), "list-separator");
        assert_eq!(reason(&only_problem("a;b")), "list-separator");
    }

    #[test]
    fn rejects_other_punctuation_as_one_run() {
        let problem = only_problem("Contoso@@Core");
        assert_eq!((problem.start, problem.end), (7, 9));
        assert_eq!(reason(&problem), "punctuation");
        assert!(problem
            .message
            .starts_with("'@@' cannot appear in a package id"));
    }

    #[test]
    fn names_cyrillic_look_alike() {
        let problem = only_problem("\u{441}ontoso");
        assert_eq!((problem.start, problem.end), (0, 1));
        assert_eq!(reason(&problem), "look-alike");
        assert_eq!(
            problem.message,
            "U+0441 Cyrillic small letter es looks like 'c' but is not ASCII: type 'c' instead."
        );
        assert_eq!(
            problem.params.get("looks_like").map(String::as_str),
            Some("c")
        );
    }

    #[test]
    fn names_greek_and_fullwidth_look_alikes() {
        assert!(only_problem("\u{39f}wl")
            .message
            .contains("Greek capital letter omicron looks like 'O'"));
        assert!(only_problem("a\u{ff0a}")
            .message
            .contains("fullwidth punctuation looks like '*'"));
        assert!(only_problem("a\u{2013}b")
            .message
            .contains("en dash looks like '-'"));
    }

    #[test]
    fn names_non_ascii_letter_by_code_point() {
        let problem = only_problem("Caf\u{e9}");
        assert_eq!((problem.start, problem.end), (3, 4));
        assert_eq!(
            problem.message,
            "U+00E9 'é' is not an ASCII letter: package ids use only ASCII letters, digits, \
             '_', '.' and '-'."
        );
    }

    #[test]
    fn names_invisible_characters_without_echoing_them() {
        let problem = only_problem("Contoso\u{200b}.Core");
        assert_eq!((problem.start, problem.end), (7, 8));
        assert_eq!(reason(&problem), "invisible");
        assert!(problem
            .message
            .starts_with("An invisible zero-width space (U+200B)"));
        assert!(!problem.message.contains('\u{200b}'));
    }

    #[test]
    fn names_bidi_controls_bom_and_nul() {
        assert!(only_problem("a\u{202e}b")
            .message
            .contains("right-to-left override"));
        assert!(only_problem("\u{feff}a")
            .message
            .contains("byte order mark"));
        assert!(only_problem("a\0").message.contains("null character (NUL)"));
        assert!(only_problem("a\u{ad}b").message.contains("soft hyphen"));
    }

    #[test]
    fn never_echoes_symbols_it_cannot_name() {
        let problem = only_problem("a\u{2603}");
        assert_eq!(problem.message.chars().next(), Some('U'));
        assert!(!problem.message.contains('\u{2603}'));
    }

    #[test]
    fn reports_each_run_separately() {
        let all = problems(" a?b ");
        let reasons: Vec<&str> = all.iter().map(reason).collect();
        assert_eq!(
            reasons,
            vec![
                "leading-whitespace",
                "not-a-wildcard",
                "trailing-whitespace"
            ]
        );
    }

    #[test]
    fn caps_the_number_of_listed_problems() {
        let text = "a?".repeat(200);
        let all = problems(&text);
        assert_eq!(all.len(), MAX_LISTED_PROBLEMS + 1);
        let last = &all[MAX_LISTED_PROBLEMS];
        assert_eq!(reason(last), "more");
        assert_eq!((last.start, last.end), (101, 400));
        assert_eq!(last.params.get("count").map(String::as_str), Some("150"));
    }

    #[test]
    fn problem_serializes_code_message_and_char_span() {
        let problem = only_problem("a b");
        let json = serde_json::to_value(&problem).unwrap_or_default();
        assert_eq!(json["code"], "invalid-char");
        assert_eq!(json["start"], 1);
        assert_eq!(json["end"], 2);
        assert_eq!(json["params"]["reason"], "inner-whitespace");
    }
}
