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
        let mut folded = Vec::with_capacity(ids.len());
        let mut tallies = Vec::with_capacity(ids.len());
        let mut blob = Vec::with_capacity(ids.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(ids.len());
        let mut all_valid = true;
        for id in &ids {
            let lower = id.to_ascii_lowercase();
            blob.extend_from_slice(lower.as_bytes());
            ends.push(blob.len());
            let (counts, valid) = tally_and_validity(lower.as_bytes());
            tallies.push(counts);
            all_valid &= valid;
            folded.push(lower);
        }
        let sorted = sorted_positions(&folded);
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

/// Each byte's [`tally_slot`], or [`NO_SLOT`].
const SLOTS: [u8; 256] = {
    let mut slots = [NO_SLOT; 256];
    let mut byte = 0;
    while byte < 256 {
        slots[byte] = match byte as u8 {
            b'a'..=b'z' => byte as u8 - b'a',
            b'0'..=b'9' => 26 + (byte as u8 - b'0'),
            b'_' => 36,
            b'.' => 37,
            b'-' => 38,
            _ => NO_SLOT,
        };
        byte += 1;
    }
    slots
};

/// The slot of a byte a tally does not count.
const NO_SLOT: u8 = TALLY_SLOTS as u8;

/// [`tally`] of a folded id and [`is_valid_id`] of it, in one pass over its bytes and a table
/// lookup per byte (indexing 20,000 ids at start read each byte twice, through a chain of
/// comparisons). Folding changes no id's validity: an upper-case letter is a word byte either
/// way.
fn tally_and_validity(folded: &[u8]) -> (Tally, bool) {
    // Indexed by a u8, so no bounds check; u32 counts can't overflow (no id comes near
    // 4 GiB) and are capped to a Tally's u8 at the end.
    let mut counts = [0u32; 256];
    // Valid: only word bytes and separators, no separator first, last or after another.
    let mut bad = false;
    let mut after_separator = true;
    for &byte in folded {
        let slot = SLOTS[usize::from(byte)];
        counts[usize::from(slot)] += 1;
        // Slots below 37 are letters, digits and `_`; 37 and 38 are `.` and `-`.
        let separator = slot == 37 || slot == 38;
        bad |= slot == NO_SLOT || (separator && after_separator);
        after_separator = separator;
    }
    let mut tally = [0u8; TALLY_SLOTS];
    for (count, &total) in tally.iter_mut().zip(counts.iter()) {
        *count = u8::try_from(total).unwrap_or(u8::MAX);
    }
    let valid = !bad && !after_separator && folded.len() <= MAX_ID_LEN;
    (tally, valid)
}

/// The positions of `folded` ordered by their bytes, equal ones by position.
///
/// Sorted by (first eight bytes as one number, all bytes, position): the number settles most
/// comparisons without a call to compare the ids' bytes, and since no two entries are equal
/// an unstable sort gives the one order a stable sort by bytes would. Zero-padding a short id
/// keeps the number's order that of the bytes: "ab" and "ab\0" tie on it, and their bytes
/// decide.
fn sorted_positions(folded: &[String]) -> Vec<u32> {
    let mut keys: Vec<(u64, &[u8], u32)> = folded
        .iter()
        .enumerate()
        // Page data is bounded far below u32::MAX ids (page::MAX_PAGE_DATA_BYTES).
        .map(|(at, id)| (head(id.as_bytes()), id.as_bytes(), at as u32))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, _, at)| at).collect()
}

/// The first eight bytes of `bytes` as a big-endian number, zero-padded.
fn head(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    let len = bytes.len().min(8);
    word[..len].copy_from_slice(&bytes[..len]);
    u64::from_be_bytes(word)
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

    /// The positions of `ids` ordered as the index promises: by folded bytes, equal ones by
    /// position (a stable sort).
    fn reference_order(ids: &[&str]) -> Vec<u32> {
        let folded: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).collect();
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_by(|&a, &b| folded[a as usize].cmp(&folded[b as usize]));
        order
    }

    #[test]
    fn index_orders_ids_by_folded_bytes_then_position() {
        let ids = [
            "Microsoft.Extensions.Logging",
            "microsoft.extensions.logging",
            "Microsoft.Extensions",
            "Microsoft",
            "MICROSOFT.EXTENSIONS.LOGGING.Abstractions",
            "Microsof",
            "Microsoft.",
            "a",
            "a\0",
            "a\0\0",
            "",
            "A",
            "",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefgha",
            "ABCDEFGH",
            "Ünïcode",
            "ünïcode",
            "zz\u{7f}",
            "zz\u{80}",
            "Microsoft.Extensions.Logging",
        ];
        let index = IdIndex::new(ids);
        assert_eq!(index.starting_with(b""), reference_order(&ids).as_slice());
        assert_eq!(
            index.positions_of("MICROSOFT.extensions.logging"),
            &[0, 1, 21]
        );
        assert_eq!(index.positions_of(""), &[10, 12]);
        assert_eq!(index.positions_of("a\0"), &[8]);
    }

    #[test]
    fn index_of_many_ids_orders_them_by_folded_bytes_then_position() {
        // Ids sharing long prefixes and repeating in other cases, in no particular order.
        let ids: Vec<String> = (0..3_000u32)
            .map(|n| {
                let stem =
                    ["Contoso.Data.", "contoso.data.", "Contoso.", "Fabrikam"][n as usize % 4];
                format!("{stem}{}", n.wrapping_mul(2_654_435_761) % 500)
            })
            .collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let index = IdIndex::new(ids.iter().cloned());
        assert_eq!(index.starting_with(b""), reference_order(&refs).as_slice());
    }

    #[test]
    fn index_keeps_everything_it_derives_in_step_with_the_ids() {
        let long = "x".repeat(300);
        let ids = ["Zeta.Core", "", "a.A-b_9", "Ünï.X", long.as_str()];
        let index = IdIndex::new(ids);
        assert_eq!(index.ids(), ids);
        for (at, id) in ids.iter().enumerate() {
            let folded = id.to_ascii_lowercase();
            assert_eq!(index.folded()[at], folded);
            assert_eq!(index.folded_at(at), folded.as_bytes());
            assert_eq!(index.tallies()[at], tally(&folded));
        }
        assert_eq!(index.folded_bytes().count(), ids.len());
        assert!(!index.all_valid());
        assert!(IdIndex::new(Vec::<String>::new()).is_empty());
    }

    #[test]
    fn one_pass_tally_and_validity_agree_with_tally_and_is_valid_id() {
        let long = "a".repeat(MAX_ID_LEN);
        let longer = "a".repeat(MAX_ID_LEN + 1);
        let many = "a".repeat(300);
        let mut texts: Vec<String> = [
            "",
            "a",
            "_",
            ".",
            "-",
            "a.b",
            "a..b",
            "a.-b",
            ".a",
            "a.",
            "a-",
            "a_b-c.d9",
            "newtonsoft.json",
            "ünï",
            "a b",
            "a*",
            "a\0",
            "zz\u{7f}",
            &long,
            &longer,
            &many,
        ]
        .iter()
        .map(|text| text.to_string())
        .collect();
        // Every byte a page may put in an id, alone and between word bytes.
        for byte in 0..=127u8 {
            let c = char::from(byte);
            texts.push(c.to_string());
            texts.push(format!("a{c}b"));
            texts.push(format!("a{c}"));
        }
        for byte in 0..=u8::MAX {
            let slot = SLOTS[usize::from(byte)];
            assert_eq!(
                (slot != NO_SLOT).then_some(usize::from(slot)),
                tally_slot(byte)
            );
        }
        for text in &texts {
            let folded = text.to_ascii_lowercase();
            assert_eq!(
                tally_and_validity(folded.as_bytes()),
                (tally(&folded), is_valid_id(text)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn index_knows_whether_all_ids_are_valid() {
        assert!(IdIndex::new(["A", "B.C"]).all_valid());
        assert!(!IdIndex::new(["A", "not valid"]).all_valid());
    }
}
