//! The page data's two readers agree: the typed one-pass reader that well-formed page data
//! takes (`parse_page_data_typed`) and the walk over a `serde_json::Value` that everything
//! else falls back to (`parse_page_data_walked`, which names what is wrong).
//!
//! For every input the typed reader accepts, both give the same `PageData`; whatever it
//! refuses, `parse_page_data` answers exactly as the walk does, error included.

mod support;

use std::fs;
use std::path::Path;

use keyscope::page::{
    extract_initial_data, parse_page_data, parse_page_data_typed, parse_page_data_walked, PageData,
    MAX_PAGE_DATA_BYTES,
};
use support::random::Rng;

/// Checks the agreement on `json`; returns whether the typed reader accepted it.
fn agrees(json: &str) -> bool {
    let walked = parse_page_data_walked(json);
    assert_eq!(parse_page_data(json), walked, "parse_page_data on {json}");
    match parse_page_data_typed(json) {
        Some(typed) => {
            assert_eq!(Ok(typed), walked, "typed reader on {json}");
            true
        }
        None => false,
    }
}

fn typed(json: &str) -> PageData {
    assert!(agrees(json), "the typed reader refused {json}");
    parse_page_data_typed(json).unwrap_or_default()
}

fn falls_back(json: &str) {
    assert!(!agrees(json), "the typed reader accepted {json}");
}

#[test]
fn every_fixture_reads_the_same_on_both_paths() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut read = 0;
    for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let json = extract_initial_data(&text).unwrap_or(&text);
        agrees(json);
        read += 1;
    }
    assert!(read >= 7, "only {read} fixtures under {}", dir.display());
}

#[test]
fn well_formed_fixtures_take_the_typed_path() {
    for text in [
        include_str!("fixtures/org.json"),
        include_str!("fixtures/legacy.json"),
    ] {
        typed(text);
    }
    let script = include_str!("fixtures/page-script.js");
    typed(extract_initial_data(script).unwrap_or_default());
}

#[test]
fn unknown_fields_are_ignored_on_the_typed_path() {
    let page = typed(
        r#"{"ApiKeys": [{"Key": 1, "Extra": {"a": [1, 2.5, -3e-2, null, true, "x"]}}],
            "PackageOwners": [{"Owner": "alice", "PackageIds": ["A"], "Icon": "\u00e9"}],
            "PackagePushScope": "package:push", "ImageUrls": {"Nested": {"Deeper": []}},
            "apikeys": 5, "packageOwners": "not read: field names keep their case"}"#,
    );
    assert_eq!(page.api_keys.len(), 1);
    assert_eq!(page.package_owners[0].package_ids, vec!["A"]);
}

#[test]
fn nulls_and_missing_optional_fields_take_defaults_on_the_typed_path() {
    let page = typed(
        r#"{"ApiKeys": [{"Key": 3, "Type": null, "Value": null, "Description": null,
              "Expires": null, "HasExpired": null, "IsNonScopedApiKey": null,
              "RevocationSource": null, "Owner": null, "Scopes": null, "Packages": null,
              "GlobPattern": null}, {"Key": 4}],
            "PackageOwners": [{"Owner": "bob", "PackageIds": null, "CanPushNew": null}],
            "GenerateUrl": null}"#,
    );
    assert_eq!(page.api_keys[0].key, 3);
    assert_eq!(page.api_keys[0].kind, "");
    assert!(page.package_owners[0].package_ids.is_empty());
    assert_eq!(typed("{}"), PageData::default());
    assert_eq!(
        typed(r#"{"ApiKeys": null, "PackageOwners": null}"#),
        PageData::default()
    );
}

#[test]
fn blank_expiry_and_empty_value_are_read_as_absent_on_the_typed_path() {
    let page = typed(r#"{"ApiKeys": [{"Key": 1, "Expires": "  ", "Value": ""}]}"#);
    assert_eq!(page.api_keys[0].expires, None);
    assert_eq!(page.api_keys[0].value, None);
}

#[test]
fn ids_are_kept_as_given_on_the_typed_path() {
    let page = typed(
        r#"{"PackageOwners": [{"Owner": "Contoso", "PackageIds":
            ["Contoso.Core", "contoso.core", "CONTOSO.CORE", "Contoso.Core", "Cont\u006fso",
             "Соntoso", "Ünïcode.Id", "emoji.😀", "\ud83d\ude00", "tab\there", "quote\"d",
             "back\\slash", "", " padded "]}]}"#,
    );
    assert_eq!(
        page.package_owners[0].package_ids,
        vec![
            "Contoso.Core",
            "contoso.core",
            "CONTOSO.CORE",
            "Contoso.Core",
            "Contoso",
            "Соntoso",
            "Ünïcode.Id",
            "emoji.😀",
            "😀",
            "tab\there",
            "quote\"d",
            "back\\slash",
            "",
            " padded ",
        ]
    );
}

#[test]
fn wrong_types_fall_back_and_keep_their_errors() {
    for json in [
        "[1, 2]",
        "null",
        r#""initialData""#,
        r#"{"ApiKeys": {}}"#,
        r#"{"ApiKeys": [[1, "apikey.v4"]]}"#,
        r#"{"ApiKeys": [null]}"#,
        r#"{"ApiKeys": [{"Key": "1"}]}"#,
        r#"{"ApiKeys": [{"Key": 1.0}]}"#,
        r#"{"ApiKeys": [{"Key": 1e2}]}"#,
        r#"{"ApiKeys": [{"Key": 9223372036854775808}]}"#,
        r#"{"ApiKeys": [{"Key": 1, "Scopes": ["All", null]}]}"#,
        r#"{"ApiKeys": [{"Key": 1, "Packages": "A"}]}"#,
        r#"{"ApiKeys": [{"Key": 1, "HasExpired": 0}]}"#,
        r#"{"ApiKeys": [{"Key": 1, "Value": 5}]}"#,
        r#"{"PackageOwners": [{"PackageIds": ["A"]}]}"#,
        r#"{"PackageOwners": [{"Owner": "a", "PackageIds": ["A", 1]}]}"#,
        r#"{"PackageOwners": [{"Owner": "a", "CanUnlist": "yes"}]}"#,
        r#"{"PackageOwners": "alice"}"#,
        r#"{"GenerateUrl": 1}"#,
    ] {
        falls_back(json);
    }
    assert_eq!(
        parse_page_data(
            r#"{"PackageOwners": [{"Owner": "a"}, {"Owner": "b", "PackageIds": [1]}]}"#
        )
        .map_err(|error| error.to_string()),
        Err("PackageOwners[1].PackageIds is not a list of strings".to_string())
    );
}

#[test]
fn integer_keys_read_the_same_on_both_paths() {
    for key in ["0", "-1", "9223372036854775807", "-9223372036854775808"] {
        typed(&format!(r#"{{"ApiKeys": [{{"Key": {key}}}]}}"#));
    }
    // serde_json reads `-0` as a float, which no key number is.
    falls_back(r#"{"ApiKeys": [{"Key": -0}]}"#);
}

#[test]
fn unreadable_expiry_falls_back_and_names_the_field() {
    for date in ["next week", "2026-02-30", "2026-12-01T10"] {
        falls_back(&format!(
            r#"{{"ApiKeys": [{{"Key": 1, "Expires": "{date}"}}]}}"#
        ));
    }
}

#[test]
fn repeated_field_falls_back_and_the_last_one_counts() {
    falls_back(r#"{"PackageOwners": 5, "PackageOwners": [{"Owner": "a"}]}"#);
    let page = parse_page_data(r#"{"ApiKeys": [{"Key": 1, "Key": 2}]}"#).unwrap_or_default();
    assert_eq!(page.api_keys[0].key, 2);
    falls_back(r#"{"ApiKeys": [{"Key": 1, "Key": 2}]}"#);
    // Unknown fields may repeat on either path.
    typed(r#"{"X": 1, "X": [2]}"#);
}

#[test]
fn unknown_fields_the_walk_rejects_fall_back() {
    // Each is valid enough for a JSON skipper but not for serde_json::Value: too deep, a lone
    // surrogate, a number out of range.
    let deep = format!(r#"{{"X": {}{}}}"#, "[".repeat(200), "]".repeat(200));
    for json in [
        deep.as_str(),
        r#"{"X": "\ud800"}"#,
        r#"{"X": {"\udc00": 1}}"#,
        r#"{"X": 1e400}"#,
        r#"{"X": [-1e999]}"#,
    ] {
        falls_back(json);
    }
}

#[test]
fn nesting_allowed_by_the_walk_is_allowed_on_the_typed_path() {
    // The root is one level; serde_json's Value takes 128 in all.
    let at_limit = format!(r#"{{"X": {}{}}}"#, "[".repeat(126), "]".repeat(126));
    typed(&at_limit);
    let past_limit = format!(r#"{{"X": {}{}}}"#, "[".repeat(127), "]".repeat(127));
    falls_back(&past_limit);
}

#[test]
fn malformed_json_falls_back_and_reports_line_and_column() {
    for json in [
        "",
        "{",
        "{\n  \"ApiKeys\": [,]\n}",
        r#"{"ApiKeys": []} trailing"#,
        r#"{"ApiKeys": [],}"#,
        include_str!("fixtures/not-json.json"),
    ] {
        falls_back(json);
    }
}

#[test]
fn oversized_input_is_refused_by_both_paths() {
    let huge = format!("{{\"X\": \"{}\"}}", "x".repeat(MAX_PAGE_DATA_BYTES));
    assert_eq!(parse_page_data_typed(&huge), None);
    assert!(parse_page_data_walked(&huge).is_err());
    falls_back(&huge);
}

// ---------------------------------------------------------------------------------------------
// Generated page data
// ---------------------------------------------------------------------------------------------

/// Writes random page data with unknown fields, nulls, missing fields and odd ids; an `odd`
/// document also has repeated fields, wrong types, unreadable dates and values only a JSON
/// skipper would take.
struct Writer {
    rng: Rng,
    out: String,
    odd: bool,
}

const ID_PARTS: [&str; 16] = [
    "Contoso", "contoso", "CONTOSO", "Core", ".", "-", "_", "Tests", "9", "Ünï", "Сyr", "😀",
    "\\u00e9", "\\\"", "\\\\", " ",
];

/// A field's name and how its value is written.
type Field = (&'static str, fn(&mut Writer));

impl Writer {
    fn chance(&mut self, percent: usize) -> bool {
        self.rng.chance(percent)
    }

    /// Whether to write something wrong here (`percent` times in a hundred, in odd documents).
    fn wrong(&mut self, percent: usize) -> bool {
        self.odd && self.rng.chance(percent)
    }

    /// Which of `forms` ways to write a value; the first `wrong` of them are wrong ones,
    /// written only in odd documents.
    fn form(&mut self, forms: usize, wrong: usize) -> usize {
        if self.odd {
            self.rng.below(forms)
        } else {
            wrong + self.rng.below(forms - wrong)
        }
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn string(&mut self) {
        self.push("\"");
        for _ in 0..self.rng.below(5) {
            let part = self.rng.pick(&ID_PARTS);
            self.push(part);
        }
        if self.wrong(1) {
            self.push("\\ud800");
        }
        self.push("\"");
    }

    /// Any JSON value, up to `depth` levels of lists and objects.
    fn any(&mut self, depth: usize) {
        match self.rng.below(if depth == 0 { 6 } else { 8 }) {
            0 => self.push("null"),
            1 => {
                let flag = if self.chance(50) { "true" } else { "false" };
                self.push(flag);
            }
            2 => {
                let number = self.rng.pick(&[
                    "0",
                    "-0",
                    "1",
                    "-17",
                    "2.5",
                    "-3e-2",
                    "1E10",
                    "18446744073709551616",
                ]);
                let number = if self.wrong(5) { "1e400" } else { number };
                self.push(number);
            }
            3..=5 => self.string(),
            6 => {
                self.push("[");
                for at in 0..self.rng.below(4) {
                    if at > 0 {
                        self.push(",");
                    }
                    self.any(depth - 1);
                }
                self.push("]");
            }
            _ => {
                self.push("{");
                for at in 0..self.rng.below(4) {
                    if at > 0 {
                        self.push(",");
                    }
                    self.string();
                    self.push(":");
                    self.any(depth - 1);
                }
                self.push("}");
            }
        }
    }

    /// A value meant to be a string: usually one.
    fn text(&mut self) {
        match self.form(20, 1) {
            0 => self.any(1),
            1 => self.push("null"),
            _ => self.string(),
        }
    }

    fn flag(&mut self) {
        match self.form(20, 1) {
            0 => self.any(1),
            1 => self.push("null"),
            n => self.push(if n % 2 == 0 { "true" } else { "false" }),
        }
    }

    fn integer(&mut self) {
        match self.form(20, 2) {
            0 => self.any(1),
            1 => {
                let odd = self.rng.pick(&[
                    "null",
                    "1.0",
                    "1e2",
                    "-1",
                    "0",
                    "9223372036854775807",
                    "9223372036854775808",
                    "-9223372036854775809",
                    "\"7\"",
                ]);
                self.push(odd);
            }
            _ => {
                let number = (1 + self.rng.below(500)).to_string();
                self.push(&number);
            }
        }
    }

    fn date(&mut self) {
        match self.form(12, 3) {
            0 => self.any(1),
            1 => self.push("\"next week\""),
            2 => self.push("\"2026-02-30\""),
            3 => self.push("null"),
            4 => self.push("\"\""),
            5 => self.push("\"  \""),
            6 => self.push("\"2026-11-30T09:15:00.0000000Z\""),
            _ => self.push("\"2030-01-01T00:00:00+02:00\""),
        }
    }

    fn strings(&mut self) {
        match self.form(20, 1) {
            0 => self.any(2),
            1 => self.push("null"),
            _ => {
                self.push("[");
                for at in 0..self.rng.below(6) {
                    if at > 0 {
                        self.push(",");
                    }
                    if self.wrong(3) {
                        self.any(1);
                    } else {
                        self.string();
                    }
                }
                self.push("]");
            }
        }
    }

    /// An object with `fields` (name, writer) in random order, some left out (the first
    /// `required` only in odd documents) or repeated, and unknown ones added.
    fn object(&mut self, required: usize, fields: &[Field]) {
        let mut order: Vec<usize> = (0..fields.len())
            .filter(|&at| {
                if at < required {
                    !self.wrong(15)
                } else {
                    !self.chance(15)
                }
            })
            .collect();
        if self.wrong(3) && !fields.is_empty() {
            order.push(self.rng.below(fields.len()));
        }
        for at in (1..order.len()).rev() {
            let other = self.rng.below(at + 1);
            order.swap(at, other);
        }
        self.push("{");
        let mut first = true;
        let mut comma = |writer: &mut Writer| {
            if !first {
                writer.push(", ");
            }
            first = false;
        };
        for at in order {
            let (name, write) = fields[at];
            comma(self);
            self.push(&format!("\"{name}\": "));
            write(self);
            if self.chance(10) {
                comma(self);
                let unknown = self.rng.pick(&[
                    "\"ImageUrls\"",
                    "\"key\"",
                    "\"packageids\"",
                    "\"Packag\\u0065Ids\"",
                    "\"Extra\"",
                ]);
                self.push(&format!("{unknown}: "));
                self.any(3);
            }
        }
        self.push("}");
    }

    fn list_of(&mut self, item: fn(&mut Writer)) {
        match self.form(20, 1) {
            0 => self.any(2),
            1 => self.push("null"),
            _ => {
                self.push("[");
                for at in 0..self.rng.below(4) {
                    if at > 0 {
                        self.push(",");
                    }
                    if self.wrong(3) {
                        self.any(1);
                    } else {
                        item(self);
                    }
                }
                self.push("]");
            }
        }
    }

    fn key(&mut self) {
        self.object(
            1,
            &[
                ("Key", Writer::integer),
                ("Type", Writer::text),
                ("Value", Writer::text),
                ("Description", Writer::text),
                ("Expires", Writer::date),
                ("HasExpired", Writer::flag),
                ("IsNonScopedApiKey", Writer::flag),
                ("RevocationSource", Writer::text),
                ("Owner", Writer::text),
                ("Scopes", Writer::strings),
                ("Packages", Writer::strings),
                ("GlobPattern", Writer::text),
            ],
        );
    }

    fn owner(&mut self) {
        self.object(
            1,
            &[
                ("Owner", Writer::text),
                ("PackageIds", Writer::strings),
                ("CanPushNew", Writer::flag),
                ("CanPushExisting", Writer::flag),
                ("CanUnlist", Writer::flag),
            ],
        );
    }

    fn page(&mut self) {
        if self.wrong(5) {
            return self.any(2);
        }
        self.object(
            0,
            &[
                ("ApiKeys", |w| w.list_of(Writer::key)),
                ("PackageOwners", |w| w.list_of(Writer::owner)),
                ("GenerateUrl", Writer::text),
                ("RegenerateUrl", Writer::text),
                ("EditUrl", Writer::text),
                ("RemoveUrl", Writer::text),
                ("RevokeUrl", Writer::text),
                ("PackagePushScope", Writer::text),
                ("ImageUrls", |w| w.any(3)),
            ],
        );
    }
}

#[test]
fn generated_page_data_reads_the_same_on_both_paths() {
    let mut writer = Writer {
        rng: Rng::new(0x9A6E_DA7A),
        out: String::new(),
        odd: false,
    };
    let (mut accepted, mut refused, mut with_ids, mut with_keys) = (0, 0, 0, 0);
    for _ in 0..20_000 {
        writer.out.clear();
        writer.odd = writer.chance(50);
        writer.page();
        let json = std::mem::take(&mut writer.out);
        if agrees(&json) {
            accepted += 1;
            let page = parse_page_data_typed(&json).unwrap_or_default();
            with_ids += usize::from(
                page.package_owners
                    .iter()
                    .any(|o| !o.package_ids.is_empty()),
            );
            with_keys += usize::from(!page.api_keys.is_empty());
        } else {
            refused += 1;
        }
    }
    // Both paths must be exercised, on pages with something in them, for the comparison to
    // say anything.
    let seen = format!(
        "{accepted} accepted ({with_ids} with ids, {with_keys} with keys), {refused} refused"
    );
    println!("{seen}");
    assert!(accepted > 5_000 && refused > 5_000, "{seen}");
    assert!(with_ids > 2_000 && with_keys > 2_000, "{seen}");
}
