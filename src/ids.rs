//! What a nuget.org package id is, and an owner's ids prepared for fast matching.
//!
//! nuget.org compares ids without regard to ASCII case, and every keystroke in a glob field
//! matches one pattern against all of an owner's ids (tens of thousands for a large
//! organization). So the ids are lower-cased once, when the page data arrives, into an
//! [`IdIndex`]; the pattern engine then matches those folded copies with a case-sensitive
//! matcher, which is much faster than asking a matcher to ignore case for every id.
//!
//! Case folding is ASCII-only on purpose: the page's JavaScript `i` RegExp never folds a
//! non-ASCII character onto an ASCII one, and valid ids are ASCII anyway.

use std::borrow::Cow;

/// The longest package id nuget.org accepts, in characters.
pub const MAX_ID_LEN: usize = 100;

/// Whether `id` is a valid nuget.org package id: groups of ASCII letters, digits and `_`
/// joined by single `.` or `-` (`^\w+([.-]\w+)*$`), 1 to [`MAX_ID_LEN`] characters.
pub fn is_valid_id(id: &str) -> bool {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return false;
    }
    let mut previous_was_word = false;
    for byte in id.bytes() {
        if is_word_byte(byte) {
            previous_was_word = true;
        } else if (byte == b'.' || byte == b'-') && previous_was_word {
            previous_was_word = false;
        } else {
            return false;
        }
    }
    previous_was_word
}

/// Whether `byte` is a character of JavaScript's and .NET's ASCII `\w`: letter, digit or `_`.
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `text` with ASCII letters lower-cased; borrowed when nothing changes.
pub fn fold_case(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// Splits a list of ids given one per line: trims surrounding whitespace (and so the `\r`
/// of Windows line ends) and skips blank lines.
pub fn ids_from_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An owner's package ids with their ASCII-lowercased copies, built once per owner.
/// How many times each character a package id may hold appears in one (capped at 255), by
/// [`tally_slot`]. A pattern whose literal parts need more of some character than an id has
/// cannot match it: counting checks the tally first, which rules most ids out in a few
/// comparisons instead of a scan of the id (it matters for hostile patterns like `*a*a*…*b`).
pub type Tally = [u8; TALLY_SLOTS];

/// Letters, digits, `_`, `.` and `-`: the characters a tally counts.
pub const TALLY_SLOTS: usize = 39;

/// The tally slot of an ASCII-lowercased byte, if it is one a package id may hold.
pub fn tally_slot(byte: u8) -> Option<usize> {
    match byte {
        b'a'..=b'z' => Some(usize::from(byte - b'a')),
        b'0'..=b'9' => Some(26 + usize::from(byte - b'0')),
        b'_' => Some(36),
        b'.' => Some(37),
        b'-' => Some(38),
        _ => None,
    }
}

/// The tally of an ASCII-lowercased text (other characters are not counted).
pub fn tally(folded: &str) -> Tally {
    let mut counts = [0u8; TALLY_SLOTS];
    for slot in folded.bytes().filter_map(tally_slot) {
        if let Some(count) = counts.get_mut(slot) {
            *count = count.saturating_add(1);
        }
    }
    counts
}

#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    ids: Vec<String>,
    folded: Vec<String>,
    tallies: Vec<Tally>,
    /// Every folded id, back to back in one buffer (`ends[i]` is where id `i` ends): counting
    /// walks memory in order instead of chasing one allocation per id, which is what bounds a
    /// keystroke over 100,000 long ids.
    blob: Vec<u8>,
    ends: Vec<usize>,
    /// The positions of the ids ordered by their folded bytes (equal ones by position): the
    /// ids starting with some text are one run of it, found by binary search. Most patterns
    /// typed start with a literal part (`Contoso.*`, and every keystroke before the first
    /// `*`), so matching them looks at the ids of that run only, not at every id.
    sorted: Vec<u32>,
    all_valid: bool,
}

impl IdIndex {
    /// Indexes `ids`, keeping their order and spelling.
    pub fn new<I, S>(ids: I) -> IdIndex
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        let folded: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).collect();
        // Page data is bounded far below u32::MAX ids (page::MAX_PAGE_DATA_BYTES).
        let mut sorted: Vec<u32> = (0..folded.len()).map(|at| at as u32).collect();
        sorted.sort_by(|&a, &b| folded[a as usize].cmp(&folded[b as usize]));
        let all_valid = ids.iter().all(|id| is_valid_id(id));
        let tallies = folded.iter().map(|id| tally(id)).collect();
        let blob: Vec<u8> = folded.iter().flat_map(|id| id.bytes()).collect();
        let ends = folded
            .iter()
            .scan(0, |end, id| {
                *end += id.len();
                Some(*end)
            })
            .collect();
        IdIndex {
            ids,
            folded,
            tallies,
            blob,
            ends,
            sorted,
            all_valid,
        }
    }

    /// How many ids the index holds (duplicates included).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the index holds no id.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids as given, in input order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The ids ASCII-lowercased, in the same order as [`IdIndex::ids`].
    pub fn folded(&self) -> &[String] {
        &self.folded
    }

    /// The folded ids as bytes, in order, read from one contiguous buffer (the hot path of
    /// counting; same ids as [`IdIndex::folded`]).
    pub fn folded_bytes(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let id = self.blob.get(start..end).unwrap_or_default();
            start = end;
            id
        })
    }

    /// The [`Tally`] of each folded id, in the same order as [`IdIndex::ids`].
    pub fn tallies(&self) -> &[Tally] {
        &self.tallies
    }

    /// The folded bytes of the id at `position` (empty past the end).
    pub fn folded_at(&self, position: usize) -> &[u8] {
        let start = match position {
            0 => 0,
            _ => self
                .ends
                .get(position - 1)
                .copied()
                .unwrap_or(self.blob.len()),
        };
        let end = self.ends.get(position).copied().unwrap_or(start);
        self.blob.get(start..end).unwrap_or_default()
    }

    /// The positions of the ids whose folded text starts with `folded_prefix`, in the order of
    /// their folded bytes (not ascending).
    pub fn starting_with(&self, folded_prefix: &[u8]) -> &[u32] {
        let start = self
            .sorted
            .partition_point(|&at| self.folded_at(at as usize) < folded_prefix);
        let rest = self.sorted.get(start..).unwrap_or_default();
        let len =
            rest.partition_point(|&at| self.folded_at(at as usize).starts_with(folded_prefix));
        rest.get(..len).unwrap_or_default()
    }

    /// The positions of the ids equal to `id` when both are ASCII-lowercased, ascending.
    pub fn positions_of(&self, id: &str) -> &[u32] {
        let folded = fold_case(id);
        let wanted = folded.as_bytes();
        let start = self
            .sorted
            .partition_point(|&at| self.folded_at(at as usize) < wanted);
        let rest = self.sorted.get(start..).unwrap_or_default();
        let len = rest.partition_point(|&at| self.folded_at(at as usize) == wanted);
        rest.get(..len).unwrap_or_default()
    }

    /// Whether the index holds `id`, ignoring ASCII case.
    pub fn contains(&self, id: &str) -> bool {
        !self.positions_of(id).is_empty()
    }

    /// Whether every id is a valid package id; then a pattern no valid id can match
    /// matches none of them, and counting can be skipped.
    pub fn all_valid(&self) -> bool {
        self.all_valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dotted_and_hyphenated_ids() {
        assert!(is_valid_id("Newtonsoft.Json"));
        assert!(is_valid_id("libtorch-cuda-12.8-linux-x64"));
        assert!(is_valid_id("_"));
        assert!(is_valid_id("a"));
    }

    #[test]
    fn tally_counts_each_character_an_id_holds() {
        let counts = tally("a.a-b_9");
        assert_eq!(counts[0], 2);
        assert_eq!(counts[1], 1);
        assert_eq!(counts[35], 1);
        assert_eq!(counts[36], 1);
        assert_eq!(counts[37], 1);
        assert_eq!(counts[38], 1);
        assert_eq!(counts.iter().map(|&c| usize::from(c)).sum::<usize>(), 7);
    }

    #[test]
    fn folded_bytes_are_the_folded_ids() {
        let index = IdIndex::new(["Alpha", "", "beta.CORE"]);
        let bytes: Vec<&[u8]> = index.folded_bytes().collect();
        let folded: Vec<&[u8]> = index.folded().iter().map(|id| id.as_bytes()).collect();
        assert_eq!(bytes, folded);
    }

    #[test]
    fn tally_saturates_instead_of_overflowing() {
        assert_eq!(tally(&"a".repeat(300))[0], 255);
    }

    #[test]
    fn rejects_empty_id() {
        assert!(!is_valid_id(""));
    }

    #[test]
    fn rejects_leading_or_trailing_separator() {
        assert!(!is_valid_id(".Foo"));
        assert!(!is_valid_id("Foo."));
        assert!(!is_valid_id("-Foo"));
        assert!(!is_valid_id("Foo-"));
    }

    #[test]
    fn rejects_two_separators_in_a_row() {
        assert!(!is_valid_id("Foo..Bar"));
        assert!(!is_valid_id("Foo.-Bar"));
    }

    #[test]
    fn rejects_other_characters() {
        assert!(!is_valid_id("Foo Bar"));
        assert!(!is_valid_id("Foo*"));
        assert!(!is_valid_id("Fóo"));
        assert!(!is_valid_id("Foo/Bar"));
    }

    #[test]
    fn accepts_exactly_one_hundred_characters() {
        assert!(is_valid_id(&"a".repeat(MAX_ID_LEN)));
        assert!(!is_valid_id(&"a".repeat(MAX_ID_LEN + 1)));
    }

    #[test]
    fn folds_ascii_only() {
        assert_eq!(fold_case("Foo.BAR"), "foo.bar");
        assert_eq!(fold_case("ÄÖ.X"), "ÄÖ.x");
        assert!(matches!(fold_case("already.lower"), Cow::Borrowed(_)));
    }

    #[test]
    fn id_lines_are_trimmed_and_blank_lines_skipped() {
        assert_eq!(
            ids_from_lines("A\r\n  B  \n\n\t\nC"),
            vec!["A".to_string(), "B".to_string(), "C".to_string()]
        );
    }

    #[test]
    fn index_keeps_order_and_spelling() {
        let index = IdIndex::new(["Zeta", "alpha.Core"]);
        assert_eq!(index.ids(), ["Zeta", "alpha.Core"]);
        assert_eq!(index.folded(), ["zeta", "alpha.core"]);
        assert_eq!(index.len(), 2);
        assert!(!index.is_empty());
    }

    #[test]
    fn index_contains_ignores_case() {
        let index = IdIndex::new(["Newtonsoft.Json"]);
        assert!(index.contains("NEWTONSOFT.json"));
        assert!(!index.contains("Newtonsoft"));
    }

    #[test]
    fn index_finds_the_ids_starting_with_a_prefix() {
        let index = IdIndex::new([
            "Contoso.Core",
            "Fabrikam",
            "contoso",
            "Contoso.Data",
            "Cont",
        ]);
        let mut found: Vec<u32> = index.starting_with(b"contoso").to_vec();
        found.sort_unstable();
        assert_eq!(found, vec![0, 2, 3]);
        assert_eq!(index.starting_with(b"contoso.d"), &[3]);
        assert!(index.starting_with(b"northwind").is_empty());
        assert_eq!(index.starting_with(b"").len(), 5);
    }

    #[test]
    fn index_positions_of_an_id_ignore_case_and_keep_duplicates_in_order() {
        let index = IdIndex::new(["B", "a", "A", "b.c", "a"]);
        assert_eq!(index.positions_of("a"), &[1, 2, 4]);
        assert_eq!(index.positions_of("B"), &[0]);
        assert!(index.positions_of("c").is_empty());
    }

    #[test]
    fn folded_at_reads_one_id_and_nothing_past_the_end() {
        let index = IdIndex::new(["Alpha", "", "beta.CORE"]);
        assert_eq!(index.folded_at(0), b"alpha");
        assert_eq!(index.folded_at(1), b"");
        assert_eq!(index.folded_at(2), b"beta.core");
        assert_eq!(index.folded_at(3), b"");
    }

    #[test]
    fn index_knows_whether_all_ids_are_valid() {
        assert!(IdIndex::new(["A", "B.C"]).all_valid());
        assert!(!IdIndex::new(["A", "not valid"]).all_valid());
    }
}
