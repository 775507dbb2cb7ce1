//! The words KeyScope shows, in the user's language: a catalog read from a locale's
//! `_locales/<locale>/messages.json` (Chrome's format, positional `$1`..`$9` placeholders),
//! plural forms picked by key suffix, and numbers grouped the locale's way.
//!
//! English is compiled in and is the fallback for every key a locale lacks, so a view never
//! shows a bare key. The engine frame hands the chosen locale's file to the engine at start
//! ([`crate::engine::Request::Init`]); from then on every view is drawn from that catalog.
//!
//! The catalog is the one piece of state views read without it being passed in: the language
//! is fixed for a page life, like a process locale, and threading it through every function
//! that builds a sentence would add a parameter to most of `preview`, `review`, `guard` and
//! `request_guard`. It is per thread (each test thread starts in English), and only
//! [`crate::engine::Engine`] changes it, at init. The CLI never changes it, so it stays English.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde::Deserialize;

/// The English messages, the fallback for every key.
const ENGLISH: &str = include_str!("../extension/_locales/en/messages.json");

/// One piece of a message: fixed words, or where argument `n` goes (`Arg(0)` is `$1`).
///
/// For a sentence whose arguments are not all plain text, such as a count the page contract
/// pins into its own element: the caller puts each piece where the message says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Arg(usize),
}

/// How a locale groups digits and picks plural forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    De,
}

impl Locale {
    /// The locale for a BCP 47 tag (`de`, `de-AT`, `en-US`); English for anything else.
    pub fn from_tag(tag: &str) -> Locale {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("de") {
            Locale::De
        } else {
            Locale::En
        }
    }

    fn group_separator(self) -> char {
        match self {
            Locale::En => ',',
            Locale::De => '.',
        }
    }

    /// CLDR's plural category for an integer; English and German share the rule.
    fn plural_suffix(self, value: usize) -> &'static str {
        match (self, value) {
            (Locale::En | Locale::De, 1) => "_one",
            _ => "_other",
        }
    }
}

#[derive(Deserialize)]
struct Entry {
    message: String,
}

/// One language's messages, English underneath.
#[derive(Clone, Debug)]
pub struct Catalog {
    locale: Locale,
    messages: BTreeMap<String, String>,
}

impl Catalog {
    /// The compiled-in English catalog.
    pub fn english() -> Catalog {
        Catalog {
            locale: Locale::En,
            messages: parse(ENGLISH).unwrap_or_default(),
        }
    }

    /// `locale`'s catalog from the text of its messages.json; keys it lacks stay English.
    pub fn from_json(locale: &str, json: &str) -> Result<Catalog, String> {
        let mut catalog = Catalog::english();
        catalog.locale = Locale::from_tag(locale);
        catalog.messages.extend(parse(json)?);
        Ok(catalog)
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Every message by key, placeholders left in (for the content scripts' own strings).
    pub fn messages(&self) -> &BTreeMap<String, String> {
        &self.messages
    }

    /// Message `key` with `$1`.. replaced by `args`; the key itself if it is unknown.
    pub fn get(&self, key: &str, args: &[&str]) -> String {
        match self.messages.get(key) {
            Some(message) => substitute(message, args),
            None => key.to_string(),
        }
    }

    /// Message `key` in pieces, its placeholders left for the caller; the key itself if it is
    /// unknown.
    pub fn pieces(&self, key: &str) -> Vec<Piece> {
        match self.messages.get(key) {
            Some(message) => pieces_of(message),
            None => vec![Piece::Text(key.to_string())],
        }
    }

    /// The key of `key`'s plural form for `value`: `key_one` or `key_other`.
    pub fn plural_key(&self, key: &str, value: usize) -> String {
        format!("{key}{}", self.locale.plural_suffix(value))
    }

    /// The plural form of `key` (`key_one`/`key_other`) for `value`: `$1` is `value` as the
    /// locale writes it, `args` follow as `$2`...
    pub fn plural(&self, key: &str, value: usize, args: &[&str]) -> String {
        let number = self.count(value);
        let mut all = vec![number.as_str()];
        all.extend_from_slice(args);
        self.get(&self.plural_key(key, value), &all)
    }

    /// `value` with the locale's thousands separator: en `2,434`, de `2.434`.
    pub fn count(&self, value: usize) -> String {
        let digits = value.to_string();
        let separator = self.locale.group_separator();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(separator);
            }
            out.push(digit);
        }
        out
    }
}

fn parse(json: &str) -> Result<BTreeMap<String, String>, String> {
    let entries: BTreeMap<String, Entry> =
        serde_json::from_str(json).map_err(|error| format!("messages.json: {error}"))?;
    Ok(entries
        .into_iter()
        .map(|(key, entry)| (key, entry.message))
        .collect())
}

/// Chrome's substitution: `$1`..`$9` from `args` (missing ones empty), `$$` a dollar sign.
fn substitute(message: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    for piece in pieces_of(message) {
        match piece {
            Piece::Text(words) => out.push_str(&words),
            Piece::Arg(index) => out.push_str(args.get(index).copied().unwrap_or_default()),
        }
    }
    out
}

/// Splits a message at its `$1`..`$9` placeholders, Chrome's way: `$$` is a dollar sign, a `$`
/// before anything else stays as it is.
fn pieces_of(message: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut words = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            words.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('$') => {
                chars.next();
                words.push('$');
            }
            Some(digit @ '1'..='9') => {
                chars.next();
                if !words.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut words)));
                }
                pieces.push(Piece::Arg(digit as usize - '1' as usize));
            }
            _ => words.push('$'),
        }
    }
    if !words.is_empty() {
        pieces.push(Piece::Text(words));
    }
    pieces
}

thread_local! {
    static CURRENT: RefCell<Rc<Catalog>> = RefCell::new(Rc::new(Catalog::english()));
}

/// Makes `catalog` the one views are drawn from on this thread.
pub fn use_catalog(catalog: Catalog) {
    CURRENT.with(|current| *current.borrow_mut() = Rc::new(catalog));
}

/// The catalog views are drawn from.
pub fn current() -> Rc<Catalog> {
    CURRENT.with(|current| Rc::clone(&current.borrow()))
}

/// Message `key` of the current catalog with `args` as `$1`...
pub fn t(key: &str, args: &[&str]) -> String {
    current().get(key, args)
}

/// The plural form of `key` for `value` in the current catalog (`$1` = the number).
pub fn tn(key: &str, value: usize, args: &[&str]) -> String {
    current().plural(key, value, args)
}

/// Message `key` of the current catalog in pieces, for a sentence with elements in it.
pub fn pieces(key: &str) -> Vec<Piece> {
    current().pieces(key)
}

/// The key of `key`'s plural form for `value` in the current locale.
pub fn plural_key(key: &str, value: usize) -> String {
    current().plural_key(key, value)
}

/// `value` grouped the current locale's way.
pub fn count(value: usize) -> String {
    current().count(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GERMAN: &str = include_str!("../extension/_locales/de/messages.json");

    fn placeholders(message: &str) -> Vec<char> {
        let mut found: Vec<char> = message
            .split('$')
            .skip(1)
            .filter_map(|rest| rest.chars().next())
            .filter(char::is_ascii_digit)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn german_has_every_english_key_with_the_same_placeholders() {
        let english = parse(ENGLISH).unwrap();
        let german = parse(GERMAN).unwrap();
        let missing: Vec<&String> = english
            .keys()
            .filter(|k| !german.contains_key(*k))
            .collect();
        let extra: Vec<&String> = german
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "missing in de: {missing:?}");
        assert!(extra.is_empty(), "only in de: {extra:?}");
        for (key, message) in &english {
            assert_eq!(
                placeholders(message),
                placeholders(&german[key]),
                "placeholders of {key}"
            );
        }
    }

    #[test]
    fn keys_are_valid_chrome_message_names() {
        for key in parse(ENGLISH).unwrap().keys() {
            assert!(
                key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{key}"
            );
        }
    }

    #[test]
    fn no_message_reads_as_a_named_placeholder() {
        // Chrome refuses to install an extension whose message holds `$word$` undefined.
        for json in [ENGLISH, GERMAN] {
            for (key, message) in parse(json).unwrap() {
                let named = message.split('$').skip(1).collect::<Vec<_>>();
                let bad = named.windows(2).any(|pair| {
                    !pair[0].is_empty()
                        && pair[0]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                assert!(!bad, "{key}: {message}");
            }
        }
    }

    #[test]
    fn german_groups_thousands_with_dots() {
        let german = Catalog::from_json("de", GERMAN).unwrap();
        assert_eq!(german.count(2434), "2.434");
        assert_eq!(german.count(1_234_567), "1.234.567");
        assert_eq!(Catalog::english().count(2434), "2,434");
    }

    #[test]
    fn plural_picks_one_and_other() {
        let german = Catalog::from_json("de-AT", GERMAN).unwrap();
        assert_eq!(german.plural("n_packages", 1, &[]), "1 Paket");
        assert_eq!(german.plural("n_packages", 2434, &[]), "2.434 Pakete");
        let english = Catalog::english();
        assert_eq!(english.plural("n_packages", 1, &[]), "1 package");
        assert_eq!(english.plural("n_packages", 0, &[]), "0 packages");
    }

    #[test]
    fn substitutes_positional_placeholders_and_dollars() {
        assert_eq!(substitute("$2 of $1 $$", &["a", "b"]), "b of a $");
        assert_eq!(substitute("$3!", &["a"]), "!");
    }

    #[test]
    fn pieces_leave_placeholders_in_their_place() {
        assert_eq!(
            pieces_of("cover $2 of $1; $$3"),
            vec![
                Piece::Text("cover ".to_string()),
                Piece::Arg(1),
                Piece::Text(" of ".to_string()),
                Piece::Arg(0),
                Piece::Text("; $3".to_string()),
            ]
        );
        assert_eq!(pieces_of("$1"), vec![Piece::Arg(0)]);
        assert_eq!(
            Catalog::english().pieces("no_such_key"),
            vec![Piece::Text("no_such_key".to_string())]
        );
    }

    #[test]
    fn plural_key_follows_the_locale_rule() {
        let german = Catalog::from_json("de", GERMAN).unwrap();
        assert_eq!(german.plural_key("n_packages", 1), "n_packages_one");
        assert_eq!(german.plural_key("n_packages", 0), "n_packages_other");
    }

    #[test]
    fn unknown_key_shows_the_key() {
        assert_eq!(Catalog::english().get("no_such_key", &[]), "no_such_key");
    }

    #[test]
    fn other_languages_fall_back_to_english() {
        assert_eq!(Locale::from_tag("fr-FR"), Locale::En);
        assert_eq!(Locale::from_tag("de_CH"), Locale::De);
        let partial =
            Catalog::from_json("de", r#"{"n_packages_one": {"message": "$1 Paket"}}"#).unwrap();
        assert_eq!(partial.plural("n_packages", 3, &[]), "3 packages");
    }
}
