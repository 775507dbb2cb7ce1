//! The API Keys page's data: the `initialData` object nuget.org renders into the page.
//!
//! This is the only module that knows the shape of that object (`ApiKeys`, `PackageOwners`,
//! the PascalCase field names, scopes given as human descriptions). Everything else in the
//! core works on the typed [`PageData`] it produces, so a change to nuget.org's markup or
//! data touches this file only.
//!
//! Why it is shaped this way:
//! - The object is walked by hand from a [`serde_json::Value`] rather than derived, so that a
//!   malformed page yields an error naming the exact field ("PackageOwners[2].PackageIds is
//!   not a list of strings"), unknown fields are ignored and optional ones may be missing or
//!   `null`. Input is bounded ([`MAX_PAGE_DATA_BYTES`]) and serde_json bounds nesting depth,
//!   so no input can make parsing panic or run away.
//! - Well-formed page data skips that walk: a typed reader takes it in one pass, straight
//!   into [`PageData`], and hands anything it is not sure of to the walk, which then gives
//!   today's answer and error. The page is read at start, in Firefox on the page's own thread.
//! - A key's one-time secret is a [`Secret`] that masks itself in `Debug` and `Display` and is
//!   never serialised: it can't leak into a log line or a JSON report by accident.
//! - There is no clock here: every time-dependent answer takes `now` (unix seconds) as a
//!   parameter, and [`parse_iso8601`] turns the page's dates into the same unit.

use std::collections::HashSet;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::scope::Scope;

/// The largest page data accepted, in bytes. The stress case (tens of thousands of ids, each
/// repeated in a few keys) stays far below it.
pub const MAX_PAGE_DATA_BYTES: usize = 64 * 1024 * 1024;

/// Seconds in a day, for "expires within N days".
const DAY_SECONDS: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Finding the object in the page's script
// ---------------------------------------------------------------------------------------------

/// Returns the JSON object literal assigned to `initialData` in an inline script's text.
///
/// Accepts `var initialData = {...}`, `let`/`const`, and `window.initialData = {...}`, with
/// any whitespace around `=`. The object ends at its balanced closing brace; braces inside
/// string literals (with escapes) do not count. Returns `None` when there is no such
/// assignment or the object is not closed.
pub fn extract_initial_data(script_text: &str) -> Option<&str> {
    const NAME: &str = "initialData";
    let bytes = script_text.as_bytes();
    let mut search_from = 0;
    while let Some(found) = script_text.get(search_from..)?.find(NAME) {
        let start = search_from + found;
        let after_name = start + NAME.len();
        search_from = after_name;
        if !is_declared_name(&script_text[..start]) || is_ident_byte(bytes.get(after_name)) {
            continue;
        }
        let rest = &script_text[after_name..];
        let rest_trimmed = rest.trim_start();
        let Some(after_eq) = rest_trimmed.strip_prefix('=') else {
            continue;
        };
        if after_eq.starts_with('=') {
            continue;
        }
        let value = after_eq.trim_start();
        if !value.starts_with('{') {
            continue;
        }
        return balanced_object(value);
    }
    None
}

/// Whether the text before `initialData` makes it a declaration or `window.` assignment.
fn is_declared_name(before: &str) -> bool {
    if let Some(prefix) = before.strip_suffix("window.") {
        return !is_ident_byte(prefix.as_bytes().last());
    }
    let trimmed = before.trim_end();
    if trimmed.len() == before.len() {
        // No whitespace between a keyword and the name: `varinitialData`, `x.initialData`.
        return false;
    }
    ["var", "let", "const"].iter().any(|keyword| {
        trimmed
            .strip_suffix(keyword)
            .is_some_and(|prefix| !is_ident_byte(prefix.as_bytes().last()))
    })
}

fn is_ident_byte(byte: Option<&u8>) -> bool {
    byte.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$')
}

/// The prefix of `text` (which starts with `{`) up to its balanced closing brace.
fn balanced_object(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&byte) = text.as_bytes().get(at) {
        match byte {
            b'"' | b'\'' => at = closing_quote(text, at)?,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return text.get(..=at);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Where the string literal whose opening quote is at `open` closes: the next same quote not
/// escaped, that is not after an odd run of backslashes. Searched for rather than stepped to
/// byte by byte: the page's script is mostly the text of 20,000 ids.
fn closing_quote(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(open)?;
    let mut from = open + 1;
    loop {
        let found = from + find_byte(bytes.get(from..)?, quote)?;
        let inside = bytes.get(open + 1..found)?;
        let backslashes = inside.iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return Some(found);
        }
        from = found + 1;
    }
}

/// The first position of `needle` in `haystack`, eight bytes at a time.
fn find_byte(haystack: &[u8], needle: u8) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let pattern = ONES * u64::from(needle);
    let mut chunks = haystack.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // A byte of `x` is zero where the needle is; the lowest flagged byte is the first such
        // (a borrow can only flag bytes above a zero one).
        let x = u64::from_le_bytes(word) ^ pattern;
        let zeros = x.wrapping_sub(ONES) & !x & HIGHS;
        if zeros != 0 {
            return Some(offset + (zeros.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    let rest = chunks.remainder().iter().position(|&byte| byte == needle)?;
    Some(offset + rest)
}

// ---------------------------------------------------------------------------------------------
// The typed model
// ---------------------------------------------------------------------------------------------

/// Everything KeyScope reads from the page's `initialData`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PageData {
    /// The keys listed on the page, in page order.
    pub api_keys: Vec<ApiKey>,
    /// The signed-in user first, then each organization they belong to.
    pub package_owners: Vec<PackageOwner>,
    /// Where the page posts a new key.
    pub generate_url: Option<String>,
    /// Where the page posts a regenerate request.
    pub regenerate_url: Option<String>,
    /// Where the page posts an edit of a key's subjects.
    pub edit_url: Option<String>,
    /// Where the page posts a delete request.
    pub remove_url: Option<String>,
    /// Where the page posts a revoke request.
    pub revoke_url: Option<String>,
}

/// One existing API key as the page describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApiKey {
    /// The key's number; the page builds element ids from it (`form-N`, `copy-N`).
    pub key: i64,
    /// The credential type, e.g. `apikey.v4`.
    #[serde(rename = "Type")]
    pub kind: String,
    /// The one-time secret, present only right after Generate or Regenerate.
    #[serde(skip)]
    pub value: Option<Secret>,
    /// The key's name as the user typed it.
    pub description: String,
    /// When the key expires, as the page wrote it (ISO-8601).
    pub expires: Option<String>,
    /// Set by nuget.org when the key expired (also for legacy keys unused for long).
    pub has_expired: bool,
    /// A legacy full-access key made before scoped keys existed.
    #[serde(rename = "IsNonScopedApiKey")]
    pub is_non_scoped: bool,
    /// Why the key was revoked, when it was.
    pub revocation_source: Option<String>,
    /// The owner the key acts for (`null` on a legacy key).
    pub owner: Option<String>,
    /// The key's scopes as the page describes them ("Push only new package versions", ...).
    pub scopes: Vec<String>,
    /// Every subject except [`ApiKey::glob_pattern`].
    pub packages: Vec<String>,
    /// The first subject that contains `*`.
    pub glob_pattern: Option<String>,
}

/// What a key can do right now, as far as the page data tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// A scoped key that works.
    Live,
    /// Past its expiry (or marked expired by nuget.org): it can do nothing.
    Expired,
    /// Revoked: it can do nothing.
    Revoked,
    /// A legacy full-access key that works: every action on every package of every owner.
    Legacy,
}

impl KeyState {
    /// The word used in reports: `live`, `expired`, `revoked` or `legacy`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Live => "live",
            KeyState::Expired => "expired",
            KeyState::Revoked => "revoked",
            KeyState::Legacy => "legacy",
        }
    }

    /// Whether a key in this state can still be used.
    pub fn is_usable(self) -> bool {
        matches!(self, KeyState::Live | KeyState::Legacy)
    }
}

impl fmt::Display for KeyState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ApiKey {
    /// Every subject of the key: the glob pattern, then the `Packages` entries, blanks and
    /// case-insensitive repeats left out.
    ///
    /// nuget.org treats every one of them as a pattern (a `Packages` entry with no `*` simply
    /// matches one id), so callers must match them all the same way.
    pub fn subjects(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.glob_pattern
            .iter()
            .chain(self.packages.iter())
            .filter(|subject| !subject.trim().is_empty())
            .filter(|subject| seen.insert(subject.to_ascii_lowercase()))
            .cloned()
            .collect()
    }

    /// The package actions the key grants, in [`Scope::ALL`] order.
    ///
    /// "All" grants all three; so does a legacy key's empty scope list (the page shows it as
    /// "Scopes: All"). "Verify package ownership" and unknown descriptions grant none of them,
    /// and an empty list on a scoped key grants nothing (nuget.org stores "All" when a request
    /// asked for no scope, so an empty list never stands for it there).
    pub fn actions(&self) -> Vec<Scope> {
        let all = (self.is_non_scoped && self.scopes.iter().all(|s| s.trim().is_empty()))
            || self
                .scopes
                .iter()
                .any(|s| s.trim().eq_ignore_ascii_case("all"));
        Scope::ALL
            .into_iter()
            .filter(|scope| {
                all || self
                    .scopes
                    .iter()
                    .any(|text| Scope::from_description(text) == Some(*scope))
            })
            .collect()
    }

    /// When the key expires, in unix seconds; `None` when it has no expiry or the page's
    /// date can't be read ([`parse_page_data`] rejects such dates, so only hand-built keys
    /// get here).
    pub fn expires_at(&self) -> Option<i64> {
        self.expires
            .as_deref()
            .and_then(|text| parse_iso8601(text).ok())
    }

    /// The key's state at `now` (unix seconds).
    ///
    /// Precedence: revoked (a `RevocationSource` is set), then expired (`HasExpired`, or
    /// `Expires` not after `now`), then legacy (`IsNonScopedApiKey`), else live. So a legacy
    /// key nuget.org marked expired counts as expired: it can no longer be used.
    pub fn state(&self, now: i64) -> KeyState {
        let revoked = self
            .revocation_source
            .as_deref()
            .is_some_and(|source| !source.trim().is_empty());
        if revoked {
            KeyState::Revoked
        } else if self.has_expired || self.expires_at().is_some_and(|at| at <= now) {
            KeyState::Expired
        } else if self.is_non_scoped {
            KeyState::Legacy
        } else {
            KeyState::Live
        }
    }

    /// Whether the key is still valid at `now` but expires within `days` days of it.
    pub fn expires_within(&self, now: i64, days: i64) -> bool {
        self.state(now).is_usable()
            && self
                .expires_at()
                .is_some_and(|at| at > now && at - now <= days.saturating_mul(DAY_SECONDS))
    }

    /// Whether the key was made for `owner` (owner names compare without case).
    pub fn belongs_to(&self, owner: &str) -> bool {
        self.owner
            .as_deref()
            .is_some_and(|own| own.trim().eq_ignore_ascii_case(owner.trim()))
    }
}

/// An owner whose packages the user can make keys for, with what they may do there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PackageOwner {
    /// The user's or the organization's name.
    pub owner: String,
    /// The owner's package ids, in page order.
    pub package_ids: Vec<String>,
    /// Whether a key for this owner may push new package ids.
    pub can_push_new: bool,
    /// Whether a key for this owner may push versions of existing packages.
    pub can_push_existing: bool,
    /// Whether a key for this owner may unlist, relist and deprecate.
    pub can_unlist: bool,
}

impl PackageOwner {
    /// Whether the user may grant `scope` on this owner's packages.
    pub fn allows(&self, scope: Scope) -> bool {
        match scope {
            Scope::Push => self.can_push_new,
            Scope::PushVersion => self.can_push_existing,
            Scope::Unlist => self.can_unlist,
        }
    }
}

/// Counts for KeyScope's status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSummary {
    /// Distinct package ids across all owners (an id co-owned by two counts once).
    pub packages: usize,
    /// Number of owners.
    pub owners: usize,
}

impl fmt::Display for PageSummary {
    /// "2,434 packages across 3 owners".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} across {} {}",
            group_thousands(self.packages),
            if self.packages == 1 {
                "package"
            } else {
                "packages"
            },
            group_thousands(self.owners),
            if self.owners == 1 { "owner" } else { "owners" },
        )
    }
}

/// `2434` → `"2,434"`.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

impl PageData {
    /// Package and owner counts for the status line.
    pub fn summary(&self) -> PageSummary {
        let distinct: HashSet<String> = self
            .package_owners
            .iter()
            .flat_map(|owner| owner.package_ids.iter())
            .map(|id| id.to_ascii_lowercase())
            .collect();
        PageSummary {
            packages: distinct.len(),
            owners: self.package_owners.len(),
        }
    }

    /// The owner named `name` (without case).
    pub fn owner(&self, name: &str) -> Option<&PackageOwner> {
        self.package_owners
            .iter()
            .find(|owner| owner.owner.trim().eq_ignore_ascii_case(name.trim()))
    }

    /// The key numbered `key`.
    pub fn key(&self, key: i64) -> Option<&ApiKey> {
        self.api_keys.iter().find(|api_key| api_key.key == key)
    }
}

// ---------------------------------------------------------------------------------------------
// The secret
// ---------------------------------------------------------------------------------------------

/// A key's plaintext value. It never prints: `Debug` and `Display` show `oy2…` and the last
/// four characters, and it is skipped when page data is serialised. Nothing reads it back:
/// the plaintext goes to the clipboard and the password manager from `extension/guard.js`
/// alone, never through Rust (see SECURITY.md).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a plaintext key.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The masked form: `oy2…` and the last four characters (only `…` when the value is
    /// too short to show any of it safely).
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() < 12 {
            return "…".to_string();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("oy2…{tail}")
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// Why page data could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageDataError {
    /// The input is larger than [`MAX_PAGE_DATA_BYTES`].
    TooLarge {
        /// Its length in bytes.
        len: usize,
    },
    /// The input is not JSON.
    Json {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// serde_json's description.
        message: String,
    },
    /// A field (or the whole value, with an empty path) has the wrong type.
    Field {
        /// Where, e.g. `PackageOwners[2].PackageIds`.
        path: String,
        /// What it should be, e.g. `a list of strings`.
        expected: &'static str,
    },
    /// A required field is missing.
    Missing {
        /// Where, e.g. `ApiKeys[0].Key`.
        path: String,
    },
    /// A date field does not hold an ISO-8601 date.
    Date {
        /// Where, e.g. `ApiKeys[1].Expires`.
        path: String,
        /// Why it could not be read.
        error: TimeError,
    },
}

impl fmt::Display for PageDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageDataError::TooLarge { len } => write!(
                f,
                "page data is {len} bytes, more than the {MAX_PAGE_DATA_BYTES} accepted"
            ),
            PageDataError::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "page data is not valid JSON (line {line}, column {column}): {message}"
            ),
            PageDataError::Field { path, expected } if path.is_empty() => {
                write!(f, "page data is not {expected}")
            }
            PageDataError::Field { path, expected } => write!(f, "{path} is not {expected}"),
            PageDataError::Missing { path } => write!(f, "{path} is missing"),
            PageDataError::Date { path, error } => write!(f, "{path} is not a date: {error}"),
        }
    }
}

impl std::error::Error for PageDataError {}

/// `json` as a JSON value, or where and why it is not JSON.
fn json_value(json: &str) -> Result<Value, PageDataError> {
    serde_json::from_str(json).map_err(|error| PageDataError::Json {
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })
}

/// Parses the page's `initialData` JSON object.
///
/// Unknown fields are ignored; optional fields may be missing or `null` (lists default to
/// empty, flags to `false`). Required: the top level is an object, each key has a numeric
/// `Key`, each owner a string `Owner`. Errors name the offending field.
///
/// Well-formed page data is read in one pass ([`parse_page_data_typed`]); whatever that pass
/// refuses is read again by [`parse_page_data_walked`], which says what is wrong. Both give
/// the same [`PageData`] for every input the first accepts.
pub fn parse_page_data(json: &str) -> Result<PageData, PageDataError> {
    match parse_page_data_typed(json) {
        Some(page) => Ok(page),
        None => parse_page_data_walked(json),
    }
}

/// Reads page data in one pass, straight into [`PageData`], or `None` for anything
/// [`parse_page_data_walked`] would not read the same way: malformed JSON, a field of the
/// wrong type or missing, an unreadable date, a field given twice, too much input.
///
/// This is the path the page takes at start, in Firefox on the page's own thread: building a
/// `serde_json::Value` of 20,000 ids, walking it and dropping it again takes twice as long.
pub fn parse_page_data_typed(json: &str) -> Option<PageData> {
    if json.len() > MAX_PAGE_DATA_BYTES {
        return None;
    }
    typed::page_data(json)
}

/// Reads page data by walking a [`serde_json::Value`], naming the offending field in every
/// error. The reference for [`parse_page_data_typed`].
pub fn parse_page_data_walked(json: &str) -> Result<PageData, PageDataError> {
    if json.len() > MAX_PAGE_DATA_BYTES {
        return Err(PageDataError::TooLarge { len: json.len() });
    }
    let value = json_value(json)?;
    let root = Object::new(&value, String::new())?;
    let api_keys = root
        .list("ApiKeys")?
        .into_iter()
        .map(|(path, item)| parse_api_key(&Object::new(item, path)?))
        .collect::<Result<Vec<_>, _>>()?;
    let package_owners = root
        .list("PackageOwners")?
        .into_iter()
        .map(|(path, item)| parse_owner(&Object::new(item, path)?))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PageData {
        api_keys,
        package_owners,
        generate_url: root.optional_string("GenerateUrl")?,
        regenerate_url: root.optional_string("RegenerateUrl")?,
        edit_url: root.optional_string("EditUrl")?,
        remove_url: root.optional_string("RemoveUrl")?,
        revoke_url: root.optional_string("RevokeUrl")?,
    })
}

fn parse_api_key(object: &Object<'_>) -> Result<ApiKey, PageDataError> {
    let expires = object.optional_string("Expires")?;
    if let Some(text) = expires.as_deref().filter(|text| !text.trim().is_empty()) {
        parse_iso8601(text).map_err(|error| PageDataError::Date {
            path: object.path_of("Expires"),
            error,
        })?;
    }
    Ok(ApiKey {
        key: object.required_integer("Key")?,
        kind: object.optional_string("Type")?.unwrap_or_default(),
        value: object
            .optional_string("Value")?
            .filter(|value| !value.is_empty())
            .map(Secret),
        description: object.optional_string("Description")?.unwrap_or_default(),
        expires: expires.filter(|text| !text.trim().is_empty()),
        has_expired: object.flag("HasExpired")?,
        is_non_scoped: object.flag("IsNonScopedApiKey")?,
        revocation_source: object.optional_string("RevocationSource")?,
        owner: object.optional_string("Owner")?,
        scopes: object.strings("Scopes")?,
        packages: object.strings("Packages")?,
        glob_pattern: object.optional_string("GlobPattern")?,
    })
}

fn parse_owner(object: &Object<'_>) -> Result<PackageOwner, PageDataError> {
    Ok(PackageOwner {
        owner: object.required_string("Owner")?,
        package_ids: object.strings("PackageIds")?,
        can_push_new: object.flag("CanPushNew")?,
        can_push_existing: object.flag("CanPushExisting")?,
        can_unlist: object.flag("CanUnlist")?,
    })
}

/// A JSON object together with its path, so every error can name the field.
struct Object<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Object<'a> {
    fn new(value: &'a Value, path: String) -> Result<Object<'a>, PageDataError> {
        match value {
            Value::Object(map) => Ok(Object { map, path }),
            _ => Err(PageDataError::Field {
                path,
                expected: "an object",
            }),
        }
    }

    fn path_of(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// The field's value, treating `null` as missing.
    fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|value| !value.is_null())
    }

    fn wrong(&self, field: &str, expected: &'static str) -> PageDataError {
        PageDataError::Field {
            path: self.path_of(field),
            expected,
        }
    }

    fn optional_string(&self, field: &str) -> Result<Option<String>, PageDataError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.wrong(field, "a string")),
        }
    }

    fn required_string(&self, field: &str) -> Result<String, PageDataError> {
        self.optional_string(field)?
            .ok_or_else(|| PageDataError::Missing {
                path: self.path_of(field),
            })
    }

    fn required_integer(&self, field: &str) -> Result<i64, PageDataError> {
        match self.get(field) {
            None => Err(PageDataError::Missing {
                path: self.path_of(field),
            }),
            Some(value) => value
                .as_i64()
                .ok_or_else(|| self.wrong(field, "an integer")),
        }
    }

    fn flag(&self, field: &str) -> Result<bool, PageDataError> {
        match self.get(field) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(_) => Err(self.wrong(field, "true or false")),
        }
    }

    fn strings(&self, field: &str) -> Result<Vec<String>, PageDataError> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(text) => Ok(text.clone()),
                    _ => Err(self.wrong(field, "a list of strings")),
                })
                .collect(),
            Some(_) => Err(self.wrong(field, "a list of strings")),
        }
    }

    /// The items of a list field, each with its path (`ApiKeys[3]`).
    fn list(&self, field: &str) -> Result<Vec<(String, &'a Value)>, PageDataError> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items
                .iter()
                .enumerate()
                .map(|(index, item)| (format!("{}[{index}]", self.path_of(field)), item))
                .collect()),
            Some(_) => Err(self.wrong(field, "a list")),
        }
    }
}

/// The one-pass reader behind [`parse_page_data_typed`].
///
/// It reads with serde_json's own parser, as the walk does, and accepts exactly what the walk
/// reads the same way, so it can never give another answer, only none:
/// - Objects are read field by field by hand rather than derived: a derived struct would also
///   accept a JSON list (its fields by position) and would skip unknown fields with
///   serde_json's lenient skipper, which takes nesting deeper than `Value`'s limit, lone
///   surrogates and numbers out of range.
/// - Unknown fields are read as [`Skip`], through the same calls `Value` is built with, and
///   thrown away, so they fail exactly where `Value` fails.
/// - A known field given twice is refused, so which one counts (`Value` keeps the last) is
///   the walk's answer alone.
mod typed {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;

    use super::{parse_iso8601, ApiKey, PackageOwner, PageData, Secret};

    pub(super) fn page_data(json: &str) -> Option<PageData> {
        serde_json::from_str::<Object<PageData>>(json)
            .ok()
            .map(|object| object.0)
    }

    /// A type read from a JSON object's fields.
    trait FromFields: Sized {
        /// The field names it reads (at most 32); every other field is skipped.
        const FIELDS: &'static [&'static str];

        fn from_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
    }

    /// `T` read from a JSON object, and from nothing else.
    struct Object<T>(T);

    impl<'de, T: FromFields> Deserialize<'de> for Object<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer
                .deserialize_map(ObjectVisitor(PhantomData))
                .map(Object)
        }
    }

    struct ObjectVisitor<T>(PhantomData<T>);

    impl<'de, T: FromFields> Visitor<'de> for ObjectVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_fields(map)
        }
    }

    /// Reads every field of `map`: `read` gets the index in `fields` of each known one (and
    /// must read its value), unknown ones are skipped, a known one given twice is refused.
    fn each_field<'de, A: MapAccess<'de>>(
        mut map: A,
        fields: &'static [&'static str],
        mut read: impl FnMut(usize, &mut A) -> Result<(), A::Error>,
    ) -> Result<(), A::Error> {
        let mut seen = 0u32;
        while let Some(field) = map.next_key_seed(FieldName(fields))? {
            match field {
                Some(index) if index < 32 => {
                    let bit = 1u32 << index;
                    if seen & bit != 0 {
                        return Err(de::Error::custom("a field given twice"));
                    }
                    seen |= bit;
                    read(index, &mut map)?;
                }
                _ => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(())
    }

    /// A field's name as its index among the known names (`None`: unknown).
    struct FieldName(&'static [&'static str]);

    impl<'de> DeserializeSeed<'de> for FieldName {
        type Value = Option<usize>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for FieldName {
        type Value = Option<usize>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
            Ok(self.0.iter().position(|known| *known == name))
        }
    }

    /// Any JSON value, read as `serde_json::Value` reads one and kept nowhere.
    struct Skip;

    impl<'de> Deserialize<'de> for Skip {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(Skip)
        }
    }

    impl<'de> Visitor<'de> for Skip {
        type Value = Skip;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
            Ok(Skip)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok(Skip)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
            while map.next_key::<Skip>()?.is_some() {
                map.next_value::<Skip>()?;
            }
            Ok(Skip)
        }
    }

    /// A list field's value: `null` is an empty list, every item must be a `T` object.
    fn objects<'de, A: MapAccess<'de>, T: FromFields>(map: &mut A) -> Result<Vec<T>, A::Error> {
        let items: Option<Vec<Object<T>>> = map.next_value()?;
        Ok(items
            .unwrap_or_default()
            .into_iter()
            .map(|item| item.0)
            .collect())
    }

    /// A list of strings (`null`: empty), a flag (`null`: false).
    fn strings<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Vec<String>, A::Error> {
        Ok(map.next_value::<Option<Vec<String>>>()?.unwrap_or_default())
    }

    fn flag<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
        Ok(map.next_value::<Option<bool>>()?.unwrap_or_default())
    }

    impl FromFields for PageData {
        const FIELDS: &'static [&'static str] = &[
            "ApiKeys",
            "PackageOwners",
            "GenerateUrl",
            "RegenerateUrl",
            "EditUrl",
            "RemoveUrl",
            "RevokeUrl",
        ];

        fn from_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut page = PageData::default();
            each_field(map, Self::FIELDS, |index, map| {
                match index {
                    0 => page.api_keys = objects(map)?,
                    1 => page.package_owners = objects(map)?,
                    2 => page.generate_url = map.next_value()?,
                    3 => page.regenerate_url = map.next_value()?,
                    4 => page.edit_url = map.next_value()?,
                    5 => page.remove_url = map.next_value()?,
                    _ => page.revoke_url = map.next_value()?,
                }
                Ok(())
            })?;
            Ok(page)
        }
    }

    impl FromFields for ApiKey {
        const FIELDS: &'static [&'static str] = &[
            "Key",
            "Type",
            "Value",
            "Description",
            "Expires",
            "HasExpired",
            "IsNonScopedApiKey",
            "RevocationSource",
            "Owner",
            "Scopes",
            "Packages",
            "GlobPattern",
        ];

        fn from_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut key = ApiKey::default();
            let mut number = None;
            each_field(map, Self::FIELDS, |index, map| {
                match index {
                    0 => number = map.next_value::<Option<i64>>()?,
                    1 => key.kind = map.next_value::<Option<String>>()?.unwrap_or_default(),
                    2 => {
                        key.value = map
                            .next_value::<Option<String>>()?
                            .filter(|value| !value.is_empty())
                            .map(Secret)
                    }
                    3 => key.description = map.next_value::<Option<String>>()?.unwrap_or_default(),
                    4 => key.expires = map.next_value()?,
                    5 => key.has_expired = flag(map)?,
                    6 => key.is_non_scoped = flag(map)?,
                    7 => key.revocation_source = map.next_value()?,
                    8 => key.owner = map.next_value()?,
                    9 => key.scopes = strings(map)?,
                    10 => key.packages = strings(map)?,
                    _ => key.glob_pattern = map.next_value()?,
                }
                Ok(())
            })?;
            key.key = number.ok_or_else(|| de::Error::missing_field("Key"))?;
            key.expires = key.expires.filter(|text| !text.trim().is_empty());
            if let Some(text) = key.expires.as_deref() {
                parse_iso8601(text).map_err(|_| de::Error::custom("Expires is not a date"))?;
            }
            Ok(key)
        }
    }

    impl FromFields for PackageOwner {
        const FIELDS: &'static [&'static str] = &[
            "Owner",
            "PackageIds",
            "CanPushNew",
            "CanPushExisting",
            "CanUnlist",
        ];

        fn from_fields<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            let mut owner = PackageOwner::default();
            let mut name = None;
            each_field(map, Self::FIELDS, |index, map| {
                match index {
                    0 => name = map.next_value::<Option<String>>()?,
                    1 => owner.package_ids = strings(map)?,
                    2 => owner.can_push_new = flag(map)?,
                    3 => owner.can_push_existing = flag(map)?,
                    _ => owner.can_unlist = flag(map)?,
                }
                Ok(())
            })?;
            owner.owner = name.ok_or_else(|| de::Error::missing_field("Owner"))?;
            Ok(owner)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Changes in this page life
// ---------------------------------------------------------------------------------------------

/// The largest change accepted, in bytes. A key holding every one of 20,000 hand-ticked ids
/// stays far below it.
pub const MAX_CHANGE_BYTES: usize = 4 * 1024 * 1024;

/// The most keys the page data may hold after a change.
pub const MAX_KEYS: usize = 10_000;

/// The most subjects an edit may carry.
pub const MAX_SUBJECTS: usize = 100_000;

/// A change to the keys since the page loaded: a request of the page's that succeeded, as
/// `extension/main-world.js` saw it. It never carries a key's secret ([`parse_key_change`]
/// refuses one that does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyChange {
    /// Generate answered this new key.
    Created(ApiKey),
    /// Regenerate replaced key `replaces` with `key` (nuget.org answers it under a new number).
    Regenerated { replaces: i64, key: ApiKey },
    /// Edit gave key `key` the subjects `subjects` (as posted); `answer` is the key as the
    /// server answered it, when the answer carried it.
    Edited {
        key: i64,
        subjects: Vec<String>,
        answer: Option<ApiKey>,
    },
    /// Delete removed key `key`.
    Removed { key: i64 },
    /// Revoke revoked key `key`; `answer` is the key as answered, when the answer carried it.
    Revoked { key: i64, answer: Option<ApiKey> },
}

/// Why a change was not applied. The page data is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeError {
    /// The change is larger than [`MAX_CHANGE_BYTES`].
    TooLarge { len: usize },
    /// The change is not JSON, or a field of it has the wrong type or is missing.
    Malformed(PageDataError),
    /// `kind` is none of `created`, `regenerated`, `edited`, `removed`, `revoked`.
    UnknownKind(String),
    /// A key number that no key can have (0 is the create form's).
    NotAKeyNumber(i64),
    /// The change is about a key the page data does not hold.
    UnknownKey(i64),
    /// A new key's number is held by another key already.
    DuplicateKey(i64),
    /// The answer describes another key than the one the request was about.
    Mismatch { request: i64, answer: i64 },
    /// A legacy full-access key has no subjects to edit.
    LegacyEdit(i64),
    /// The change carries a key's secret, which never travels to the engine.
    CarriesSecret,
    /// More keys or subjects than KeyScope accepts.
    TooMany { what: &'static str, limit: usize },
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::TooLarge { len } => write!(
                f,
                "the change is {len} bytes, more than the {MAX_CHANGE_BYTES} accepted"
            ),
            ChangeError::Malformed(PageDataError::Json {
                line,
                column,
                message,
            }) => write!(
                f,
                "the change is not valid JSON (line {line}, column {column}): {message}"
            ),
            ChangeError::Malformed(PageDataError::Field { path, expected }) if path.is_empty() => {
                write!(f, "the change is not {expected}")
            }
            ChangeError::Malformed(error) => write!(f, "in the change, {error}"),
            ChangeError::UnknownKind(kind) => write!(
                f,
                "the change's kind {kind:?} is none of created, regenerated, edited, removed, revoked"
            ),
            ChangeError::NotAKeyNumber(key) => write!(f, "{key} is not a key number"),
            ChangeError::UnknownKey(key) => write!(f, "there is no key #{key} on the page"),
            ChangeError::DuplicateKey(key) => write!(f, "key #{key} is on the page already"),
            ChangeError::Mismatch { request, answer } => write!(
                f,
                "the request was about key #{request}, the answer about key #{answer}"
            ),
            ChangeError::LegacyEdit(key) => {
                write!(f, "key #{key} is a legacy full-access key: it has no subjects to edit")
            }
            ChangeError::CarriesSecret => write!(
                f,
                "the change carries a key's secret, which KeyScope never passes on"
            ),
            ChangeError::TooMany { what, limit } => {
                write!(f, "the change makes more than {limit} {what}")
            }
        }
    }
}

impl std::error::Error for ChangeError {}

impl From<PageDataError> for ChangeError {
    fn from(error: PageDataError) -> ChangeError {
        ChangeError::Malformed(error)
    }
}

/// Reads one change, the JSON object `extension/main-world.js` sends:
/// `{"kind", "key", "replaces"?, "subjects"?, "answer"?}`, where `answer` is a key object as
/// in `initialData.ApiKeys` (without `Value`).
///
/// `kind` is `created` and `regenerated` (each with the `answer` of key `key`;
/// `regenerated` with the number of the key it `replaces`), `edited` (the `subjects` posted,
/// the `answer` when there was one), `removed` or `revoked` (the `answer` when there was
/// one).
pub fn parse_key_change(json: &str) -> Result<KeyChange, ChangeError> {
    if json.len() > MAX_CHANGE_BYTES {
        return Err(ChangeError::TooLarge { len: json.len() });
    }
    let value = json_value(json)?;
    let root = Object::new(&value, String::new())?;
    let kind = root.required_string("kind")?;
    let key = key_number(root.required_integer("key")?)?;
    let answer = match root.get("answer") {
        None => None,
        Some(item) => Some(parse_answer(&Object::new(item, "answer".to_string())?)?),
    };
    let about_key = |answer: Option<ApiKey>| match answer {
        Some(answer) if answer.key != key => Err(ChangeError::Mismatch {
            request: key,
            answer: answer.key,
        }),
        answer => Ok(answer),
    };
    let required = |answer: Option<ApiKey>| {
        about_key(answer)?.ok_or_else(|| {
            ChangeError::Malformed(PageDataError::Missing {
                path: "answer".to_string(),
            })
        })
    };
    match kind.as_str() {
        "created" => Ok(KeyChange::Created(required(answer)?)),
        "regenerated" => Ok(KeyChange::Regenerated {
            replaces: key_number(root.required_integer("replaces")?)?,
            key: required(answer)?,
        }),
        "edited" => {
            let subjects = root.strings("subjects")?;
            if subjects.len() > MAX_SUBJECTS {
                return Err(ChangeError::TooMany {
                    what: "subjects",
                    limit: MAX_SUBJECTS,
                });
            }
            Ok(KeyChange::Edited {
                key,
                subjects,
                answer: about_key(answer)?,
            })
        }
        "removed" => Ok(KeyChange::Removed { key }),
        "revoked" => Ok(KeyChange::Revoked {
            key,
            answer: about_key(answer)?,
        }),
        _ => Err(ChangeError::UnknownKind(kind)),
    }
}

/// A key number as the page gives one: positive (0 is the create form's number).
fn key_number(key: i64) -> Result<i64, ChangeError> {
    if key > 0 {
        Ok(key)
    } else {
        Err(ChangeError::NotAKeyNumber(key))
    }
}

/// The key object of an answer, read as `initialData` keys are; one with a secret is refused.
fn parse_answer(object: &Object<'_>) -> Result<ApiKey, ChangeError> {
    if object.get("Value").is_some() {
        return Err(ChangeError::CarriesSecret);
    }
    let key = parse_api_key(object)?;
    key_number(key.key)?;
    let subjects = usize::from(key.glob_pattern.is_some()) + key.packages.len();
    if subjects > MAX_SUBJECTS {
        return Err(ChangeError::TooMany {
            what: "subjects",
            limit: MAX_SUBJECTS,
        });
    }
    Ok(key)
}

impl PageData {
    /// Applies `change` to the keys, or leaves them as they were and says why not.
    ///
    /// - Created: the key joins the list at the top, where the page shows it.
    /// - Regenerated: the new key takes the old one's place.
    /// - Edited: the key's subjects become those of the answer, or, when the answer carries
    ///   none, those posted as nuget.org stores them (no non-blank one stores `*`). Owner and
    ///   scopes can't change in an edit.
    /// - Removed: the key leaves the list.
    /// - Revoked: the key is revoked (by the answer's `RevocationSource`, else `User`).
    pub fn apply(&mut self, change: KeyChange) -> Result<(), ChangeError> {
        match change {
            KeyChange::Created(key) => {
                if self.key(key.key).is_some() {
                    return Err(ChangeError::DuplicateKey(key.key));
                }
                if self.api_keys.len() >= MAX_KEYS {
                    return Err(ChangeError::TooMany {
                        what: "keys",
                        limit: MAX_KEYS,
                    });
                }
                self.api_keys.insert(0, key);
            }
            KeyChange::Regenerated { replaces, key } => {
                let at = self.position(replaces)?;
                if key.key != replaces && self.key(key.key).is_some() {
                    return Err(ChangeError::DuplicateKey(key.key));
                }
                self.api_keys[at] = key;
            }
            KeyChange::Edited {
                key,
                subjects,
                answer,
            } => {
                let at = self.position(key)?;
                let edited = &mut self.api_keys[at];
                if edited.is_non_scoped {
                    return Err(ChangeError::LegacyEdit(key));
                }
                let stored = match answer.map(|answer| answer.subjects()) {
                    Some(answered) if !answered.is_empty() => answered,
                    _ => crate::subjects::effective_subjects(&subjects),
                };
                edited.set_subjects(stored);
            }
            KeyChange::Removed { key } => {
                let at = self.position(key)?;
                self.api_keys.remove(at);
            }
            KeyChange::Revoked { key, answer } => {
                let at = self.position(key)?;
                let revoked = &mut self.api_keys[at];
                let source = answer
                    .and_then(|answer| answer.revocation_source)
                    .filter(|source| !source.trim().is_empty())
                    .or_else(|| revoked.revocation_source.take())
                    .filter(|source| !source.trim().is_empty())
                    .unwrap_or_else(|| "User".to_string());
                revoked.revocation_source = Some(source);
                revoked.value = None;
            }
        }
        Ok(())
    }

    /// Where key `key` is in the list.
    fn position(&self, key: i64) -> Result<usize, ChangeError> {
        self.api_keys
            .iter()
            .position(|api_key| api_key.key == key)
            .ok_or(ChangeError::UnknownKey(key))
    }
}

impl ApiKey {
    /// Stores `subjects` the way the page describes a key: the first one with `*` as
    /// [`ApiKey::glob_pattern`], every other in [`ApiKey::packages`].
    fn set_subjects(&mut self, subjects: Vec<String>) {
        let glob = subjects.iter().position(|subject| subject.contains('*'));
        self.glob_pattern = glob.map(|at| subjects[at].clone());
        self.packages = subjects
            .into_iter()
            .enumerate()
            .filter(|(at, _)| Some(*at) != glob)
            .map(|(_, subject)| subject)
            .collect();
    }
}

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

/// Why a date could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeError {
    /// The text that was given.
    pub text: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an ISO-8601 date-time such as 2026-12-01T10:00:00Z: {}",
            self.text, self.reason
        )
    }
}

impl std::error::Error for TimeError {}

/// Reads a point in time given as unix seconds (`1764583200`) or ISO-8601 (see
/// [`parse_iso8601`]), for options such as the CLI's `--now`.
pub fn parse_timestamp(text: &str) -> Result<i64, TimeError> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix('-').unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return trimmed.parse().map_err(|_| TimeError {
            text: text.to_string(),
            reason: "the number of seconds is out of range",
        });
    }
    parse_iso8601(text)
}

/// Parses an ISO-8601 date-time into unix seconds.
///
/// Accepts `2026-12-01`, `2026-12-01T10:00`, `2026-12-01T10:00:00`, a fraction of a second
/// of any length (`.1234567`, as .NET writes it; dropped), a space instead of `T`, and an
/// offset `Z`, `+02:00`, `+0200` or `+02`. Without an offset the time is taken as UTC, which
/// is how nuget.org's dates are meant.
pub fn parse_iso8601(text: &str) -> Result<i64, TimeError> {
    let fail = |reason| TimeError {
        text: text.to_string(),
        reason,
    };
    let mut cursor = Cursor {
        bytes: text.trim().as_bytes(),
        at: 0,
    };
    let year = cursor
        .digits(4)
        .ok_or_else(|| fail("expected a 4-digit year"))?;
    cursor
        .expect(b'-')
        .ok_or_else(|| fail("expected '-' after the year"))?;
    let month = cursor
        .digits(2)
        .ok_or_else(|| fail("expected a 2-digit month"))?;
    cursor
        .expect(b'-')
        .ok_or_else(|| fail("expected '-' after the month"))?;
    let day = cursor
        .digits(2)
        .ok_or_else(|| fail("expected a 2-digit day"))?;
    if !(1..=12).contains(&month) {
        return Err(fail("the month is not between 01 and 12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(fail("the day does not exist in that month"));
    }
    let mut seconds_of_day = 0;
    let mut offset = 0;
    if matches!(cursor.peek(), Some(b'T' | b't' | b' ')) {
        cursor.at += 1;
        let hour = cursor
            .digits(2)
            .ok_or_else(|| fail("expected a 2-digit hour"))?;
        cursor
            .expect(b':')
            .ok_or_else(|| fail("expected ':' after the hour"))?;
        let minute = cursor
            .digits(2)
            .ok_or_else(|| fail("expected 2-digit minutes"))?;
        let mut second = 0;
        if cursor.peek() == Some(b':') {
            cursor.at += 1;
            second = cursor
                .digits(2)
                .ok_or_else(|| fail("expected 2-digit seconds"))?;
            if matches!(cursor.peek(), Some(b'.' | b',')) {
                cursor.at += 1;
                if cursor.run_of_digits() == 0 {
                    return Err(fail("expected digits after the decimal point"));
                }
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(fail("the time of day is out of range"));
        }
        seconds_of_day = hour * 3600 + minute * 60 + second;
        offset = cursor
            .offset()
            .ok_or_else(|| fail("the offset is not Z or ±hh:mm"))?;
    }
    if cursor.at != cursor.bytes.len() {
        return Err(fail("unexpected text after the date"));
    }
    Ok(days_from_civil(year, month, day) * DAY_SECONDS + seconds_of_day - offset)
}

/// A forward-only reader over the bytes of a date.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    /// Exactly `count` ASCII digits as a number.
    fn digits(&mut self, count: usize) -> Option<i64> {
        let slice = self.bytes.get(self.at..self.at + count)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += count;
        Some(
            slice
                .iter()
                .fold(0, |n, digit| n * 10 + i64::from(digit - b'0')),
        )
    }

    /// Skips a run of digits, returning how many there were.
    fn run_of_digits(&mut self) -> usize {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        self.at - start
    }

    /// The offset from UTC in seconds: nothing or `Z` is 0, else `±hh[:mm]` / `±hhmm`.
    fn offset(&mut self) -> Option<i64> {
        let sign = match self.peek() {
            None => return Some(0),
            Some(b'Z' | b'z') => {
                self.at += 1;
                return Some(0);
            }
            Some(b'+') => 1,
            Some(b'-') => -1,
            Some(_) => return None,
        };
        self.at += 1;
        let hours = self.digits(2)?;
        let minutes = match self.peek() {
            None => 0,
            Some(b':') => {
                self.at += 1;
                self.digits(2)?
            }
            Some(_) => self.digits(2)?,
        };
        (hours <= 23 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(scopes: &[&str]) -> ApiKey {
        ApiKey {
            key: 1,
            owner: Some("alice".into()),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            ..ApiKey::default()
        }
    }

    const DEC_1_2026_10H: i64 = 1_796_119_200;

    #[test]
    fn iso_date_time_with_z_is_utc() {
        assert_eq!(parse_iso8601("2026-12-01T10:00:00Z"), Ok(DEC_1_2026_10H));
    }

    #[test]
    fn iso_without_offset_is_utc() {
        assert_eq!(parse_iso8601("2026-12-01T10:00:00"), Ok(DEC_1_2026_10H));
    }

    #[test]
    fn iso_fraction_is_dropped() {
        assert_eq!(
            parse_iso8601("2026-12-01T10:00:00.9999999Z"),
            Ok(DEC_1_2026_10H)
        );
    }

    #[test]
    fn iso_offset_is_subtracted() {
        assert_eq!(
            parse_iso8601("2026-12-01T12:00:00+02:00"),
            Ok(DEC_1_2026_10H)
        );
        assert_eq!(
            parse_iso8601("2026-12-01T05:30:00-0430"),
            Ok(DEC_1_2026_10H)
        );
        assert_eq!(parse_iso8601("2026-12-01T11:00:00+01"), Ok(DEC_1_2026_10H));
    }

    #[test]
    fn iso_date_only_is_midnight() {
        assert_eq!(parse_iso8601("1970-01-02"), Ok(86_400));
    }

    #[test]
    fn iso_handles_leap_days_and_the_epoch() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_iso8601("2024-02-29T00:00:00Z"), Ok(1_709_164_800));
        assert!(parse_iso8601("2023-02-29T00:00:00Z").is_err());
        assert_eq!(parse_iso8601("1969-12-31T23:59:59Z"), Ok(-1));
    }

    #[test]
    fn iso_rejects_garbage() {
        for text in [
            "",
            "tomorrow",
            "2026-13-01",
            "2026-12-01T25:00:00Z",
            "2026-12-01T10:00:00Q",
            "2026-12-01T10:00:00.Z",
            "2026-12-01T10",
            "2026-12-01x",
            "２０２６-12-01",
        ] {
            assert!(parse_iso8601(text).is_err(), "{text:?} should be rejected");
        }
    }

    #[test]
    fn timestamp_takes_unix_seconds_or_iso() {
        assert_eq!(parse_timestamp("1796119200"), Ok(DEC_1_2026_10H));
        assert_eq!(parse_timestamp("2026-12-01T10:00:00Z"), Ok(DEC_1_2026_10H));
    }

    #[test]
    fn extracts_var_initial_data() {
        let script = "var x = 1;\nvar initialData = {\"A\": {\"b\": \"}\"}};\nfoo();";
        assert_eq!(
            extract_initial_data(script),
            Some("{\"A\": {\"b\": \"}\"}}")
        );
    }

    #[test]
    fn extracts_window_initial_data_across_lines() {
        let script = "window.initialData\n  =\n  {\n\"A\": \"say \\\"}\\\" ok\"\n}\n;";
        assert_eq!(
            extract_initial_data(script),
            Some("{\n\"A\": \"say \\\"}\\\" ok\"\n}")
        );
    }

    #[test]
    fn ignores_other_names_and_comparisons() {
        assert_eq!(extract_initial_data("var initialDataX = {};"), None);
        assert_eq!(extract_initial_data("if (initialData == {}) {}"), None);
        assert_eq!(extract_initial_data("foo.initialData = {};"), None);
        assert_eq!(
            extract_initial_data("var initialDataX = {}; var initialData = {\"a\":1};"),
            Some("{\"a\":1}")
        );
    }

    #[test]
    fn quote_after_an_even_run_of_backslashes_closes_the_string() {
        assert_eq!(
            extract_initial_data(r#"var initialData = {"a": "x\\\\"} };"#),
            Some(r#"{"a": "x\\\\"}"#)
        );
        assert_eq!(
            extract_initial_data(r#"var initialData = {"a": '}\\'} };"#),
            Some(r#"{"a": '}\\'}"#)
        );
    }

    #[test]
    fn quote_after_an_odd_run_of_backslashes_stays_in_the_string() {
        assert_eq!(
            extract_initial_data(r#"var initialData = {"a": "x\\\"}", "b": 1};"#),
            Some(r#"{"a": "x\\\"}", "b": 1}"#)
        );
        assert_eq!(
            extract_initial_data(r#"var initialData = {"a": "\"}"#),
            None
        );
    }

    /// The object's end as a byte-by-byte walk finds it: what `balanced_object` must agree
    /// with.
    fn walked_object(text: &str) -> Option<&str> {
        let mut depth = 0usize;
        let mut quote: Option<u8> = None;
        let mut escaped = false;
        for (index, byte) in text.bytes().enumerate() {
            if let Some(open) = quote {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == open {
                    quote = None;
                }
                continue;
            }
            match byte {
                b'"' | b'\'' => quote = Some(byte),
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        return text.get(..=index);
                    }
                }
                _ => {}
            }
        }
        None
    }

    #[test]
    fn object_ends_where_a_byte_by_byte_walk_ends_it() {
        let alphabet = ['{', '}', '}', '"', '"', '\'', '\\', '\\', 'é'];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut closed = 0;
        for _ in 0..50_000 {
            let mut text = String::from("{");
            for _ in 0..next() % 64 {
                text.push(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            let walked = walked_object(&text);
            assert_eq!(balanced_object(&text), walked, "{text:?}");
            closed += usize::from(walked.is_some());
        }
        assert!(closed > 10_000, "only {closed} texts held a whole object");
    }

    #[test]
    fn find_byte_finds_the_first_occurrence_at_any_offset() {
        for len in 0..40 {
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b'"';
                if at + 3 < len {
                    text[at + 3] = b'"';
                }
                assert_eq!(find_byte(&text, b'"'), Some(at), "{len} {at}");
                // Bytes next to the needle's value must not count.
                assert_eq!(find_byte(&text, b'#'), None);
                assert_eq!(find_byte(&text, b'!'), None);
            }
            assert_eq!(find_byte(&vec![0x80; len], 0), None);
            assert_eq!(find_byte(&vec![0; len], 0), (len > 0).then_some(0));
        }
    }

    #[test]
    fn unbalanced_object_is_not_extracted() {
        assert_eq!(extract_initial_data("var initialData = {\"a\": {1}"), None);
    }

    #[test]
    fn secret_never_prints() {
        let secret = Secret::new("oy2abcdefghijklmnopqrstuvwxyz0123456789abcdwxyz");
        assert_eq!(secret.to_string(), "oy2…wxyz");
        assert_eq!(format!("{secret:?}"), "Secret(oy2…wxyz)");
        assert!(!format!("{:?}", Some(&secret)).contains("abcdefgh"));
        assert_eq!(Secret::new("short").to_string(), "…");
    }

    #[test]
    fn all_scope_grants_every_action() {
        assert_eq!(key(&["All"]).actions(), Scope::ALL.to_vec());
    }

    #[test]
    fn legacy_key_without_scopes_grants_every_action() {
        let legacy = ApiKey {
            is_non_scoped: true,
            owner: None,
            ..key(&[])
        };
        assert_eq!(legacy.actions(), Scope::ALL.to_vec());
    }

    #[test]
    fn scoped_key_without_scopes_grants_nothing() {
        assert_eq!(key(&[]).actions(), Vec::<Scope>::new());
    }

    #[test]
    fn verify_ownership_grants_no_package_action() {
        assert_eq!(
            key(&["Verify package ownership"]).actions(),
            Vec::<Scope>::new()
        );
    }

    #[test]
    fn descriptions_map_to_scopes() {
        let mixed = key(&[
            "Unlist, relist, or deprecate package versions",
            "Push only new package versions",
        ]);
        assert_eq!(mixed.actions(), vec![Scope::PushVersion, Scope::Unlist]);
    }

    #[test]
    fn subjects_are_glob_then_packages_without_blanks_or_repeats() {
        let k = ApiKey {
            glob_pattern: Some("Contoso.*".into()),
            packages: vec!["Other".into(), " ".into(), "other".into(), "Third".into()],
            ..key(&["All"])
        };
        assert_eq!(k.subjects(), vec!["Contoso.*", "Other", "Third"]);
    }

    #[test]
    fn revoked_wins_over_expired_and_legacy() {
        let k = ApiKey {
            revocation_source: Some("User".into()),
            has_expired: true,
            is_non_scoped: true,
            ..key(&[])
        };
        assert_eq!(k.state(0), KeyState::Revoked);
    }

    #[test]
    fn expired_legacy_key_is_expired() {
        let k = ApiKey {
            has_expired: true,
            is_non_scoped: true,
            ..key(&[])
        };
        assert_eq!(k.state(0), KeyState::Expired);
    }

    #[test]
    fn key_past_its_expiry_is_expired_even_if_not_flagged() {
        let k = ApiKey {
            expires: Some("2026-12-01T10:00:00Z".into()),
            ..key(&["All"])
        };
        assert_eq!(k.state(DEC_1_2026_10H - 1), KeyState::Live);
        assert_eq!(k.state(DEC_1_2026_10H), KeyState::Expired);
    }

    #[test]
    fn expires_within_counts_only_future_expiry() {
        let k = ApiKey {
            expires: Some("2026-12-01T10:00:00Z".into()),
            ..key(&["All"])
        };
        assert!(k.expires_within(DEC_1_2026_10H - 14 * DAY_SECONDS, 14));
        assert!(!k.expires_within(DEC_1_2026_10H - 15 * DAY_SECONDS, 14));
        assert!(!k.expires_within(DEC_1_2026_10H + 1, 14));
        assert!(!key(&["All"]).expires_within(0, 14));
    }

    #[test]
    fn summary_counts_distinct_ids_and_owners() {
        let owner = |name: &str, ids: &[&str]| PackageOwner {
            owner: name.into(),
            package_ids: ids.iter().map(|s| s.to_string()).collect(),
            ..PackageOwner::default()
        };
        let page = PageData {
            package_owners: vec![
                owner("alice", &["A", "B"]),
                owner("contoso", &["b", "C"]),
                owner("empty", &[]),
            ],
            ..PageData::default()
        };
        assert_eq!(page.summary().to_string(), "3 packages across 3 owners");
        let big = PageSummary {
            packages: 2434,
            owners: 1,
        };
        assert_eq!(big.to_string(), "2,434 packages across 1 owner");
    }

    /// Two keys of alice: 1 a glob key, 2 a package key; 3 a legacy full-access key.
    fn page_with_keys() -> PageData {
        parse_page_data(
            r#"{"ApiKeys": [
                {"Key": 1, "Type": "apikey.v4", "Description": "Alpha CI", "Owner": "alice",
                 "Scopes": ["Push new packages and package versions"], "GlobPattern": "Alpha.*"},
                {"Key": 2, "Type": "apikey.v4", "Description": "Beta", "Owner": "alice",
                 "Scopes": ["Push only new package versions"], "Packages": ["Beta"]},
                {"Key": 3, "Type": "apikey.v1", "Description": "Legacy", "IsNonScopedApiKey": true}
              ],
              "PackageOwners": [{"Owner": "alice", "PackageIds": ["Alpha.Core", "Beta", "Gamma"]}]}"#,
        )
        .unwrap_or_default()
    }

    /// The key object of an answer, as main-world.js reports it (no `Value`).
    fn answer(key: i64, subjects: &str) -> String {
        format!(
            r#"{{"Key": {key}, "Type": "apikey.v4", "Description": "New", "Expires": "2031-01-01T00:00:00Z",
                "HasExpired": false, "IsNonScopedApiKey": false, "RevocationSource": null, "Owner": "alice",
                "Scopes": ["Push new packages and package versions"], {subjects}}}"#
        )
    }

    fn applied(page: &mut PageData, json: &str) -> Result<(), ChangeError> {
        parse_key_change(json).and_then(|change| page.apply(change))
    }

    fn numbers(page: &PageData) -> Vec<i64> {
        page.api_keys.iter().map(|key| key.key).collect()
    }

    #[test]
    fn created_key_joins_the_top_of_the_list_as_live() {
        let mut page = page_with_keys();
        let change = format!(
            r#"{{"kind": "created", "key": 7, "answer": {}}}"#,
            answer(7, r#""GlobPattern": null, "Packages": ["Gamma"]"#)
        );
        assert_eq!(applied(&mut page, &change), Ok(()));
        assert_eq!(numbers(&page), vec![7, 1, 2, 3]);
        let created = page.key(7).cloned().unwrap_or_default();
        assert_eq!(created.state(0), KeyState::Live);
        assert_eq!(created.subjects(), vec!["Gamma"]);
        assert_eq!(created.actions(), vec![Scope::Push]);
        assert_eq!(created.value, None);
    }

    #[test]
    fn regenerated_key_takes_the_old_ones_place_with_its_subjects() {
        let mut page = page_with_keys();
        let change = format!(
            r#"{{"kind": "regenerated", "key": 8, "replaces": 1, "answer": {}}}"#,
            answer(8, r#""GlobPattern": "Alpha.*""#)
        );
        assert_eq!(applied(&mut page, &change), Ok(()));
        assert_eq!(numbers(&page), vec![8, 2, 3]);
        assert_eq!(
            page.key(8).map(ApiKey::subjects),
            Some(vec!["Alpha.*".to_string()])
        );
    }

    #[test]
    fn regenerated_key_may_keep_its_number() {
        let mut page = page_with_keys();
        let change = format!(
            r#"{{"kind": "regenerated", "key": 2, "replaces": 2, "answer": {}}}"#,
            answer(2, r#""Packages": ["Beta"]"#)
        );
        assert_eq!(applied(&mut page, &change), Ok(()));
        assert_eq!(numbers(&page), vec![1, 2, 3]);
    }

    #[test]
    fn edited_key_takes_the_subjects_of_the_answer() {
        let mut page = page_with_keys();
        let change = format!(
            r#"{{"kind": "edited", "key": 2, "subjects": ["ignored"], "answer": {}}}"#,
            answer(
                2,
                r#""GlobPattern": "G*", "Packages": ["Beta", "Alpha.Core"]"#
            )
        );
        assert_eq!(applied(&mut page, &change), Ok(()));
        let edited = page.key(2).cloned().unwrap_or_default();
        assert_eq!(edited.glob_pattern.as_deref(), Some("G*"));
        assert_eq!(edited.packages, vec!["Beta", "Alpha.Core"]);
        // Owner, scopes and name can't change in an edit: they stay as the page had them.
        assert_eq!(edited.description, "Beta");
        assert_eq!(edited.actions(), vec![Scope::PushVersion]);
    }

    #[test]
    fn edited_key_without_an_answer_takes_the_posted_subjects_as_nuget_stores_them() {
        let mut page = page_with_keys();
        let change = r#"{"kind": "edited", "key": 2, "subjects": ["Gamma", " ", "Al*"]}"#;
        assert_eq!(applied(&mut page, change), Ok(()));
        let edited = page.key(2).cloned().unwrap_or_default();
        assert_eq!(edited.glob_pattern.as_deref(), Some("Al*"));
        assert_eq!(edited.packages, vec!["Gamma"]);

        // No non-blank subject: nuget.org stores `*`.
        let widened = r#"{"kind": "edited", "key": 2, "subjects": ["", "  "]}"#;
        assert_eq!(applied(&mut page, widened), Ok(()));
        assert_eq!(
            page.key(2).map(ApiKey::subjects),
            Some(vec!["*".to_string()])
        );
    }

    #[test]
    fn removed_key_leaves_the_list() {
        let mut page = page_with_keys();
        assert_eq!(
            applied(&mut page, r#"{"kind": "removed", "key": 1}"#),
            Ok(())
        );
        assert_eq!(numbers(&page), vec![2, 3]);
    }

    #[test]
    fn revoked_key_is_revoked_by_the_answers_source_or_by_the_user() {
        let mut page = page_with_keys();
        assert_eq!(
            applied(&mut page, r#"{"kind": "revoked", "key": 1}"#),
            Ok(())
        );
        let revoked = page.key(1).cloned().unwrap_or_default();
        assert_eq!(revoked.state(0), KeyState::Revoked);
        assert_eq!(revoked.revocation_source.as_deref(), Some("User"));

        let change = format!(
            r#"{{"kind": "revoked", "key": 2, "answer": {}}}"#,
            answer(2, r#""Packages": ["Beta"]"#).replace(
                r#""RevocationSource": null"#,
                r#""RevocationSource": "GitHub""#
            )
        );
        assert_eq!(applied(&mut page, &change), Ok(()));
        assert_eq!(
            page.key(2).and_then(|key| key.revocation_source.clone()),
            Some("GitHub".to_string())
        );
    }

    #[test]
    fn change_about_an_unknown_key_is_rejected_and_changes_nothing() {
        let before = page_with_keys();
        for change in [
            r#"{"kind": "removed", "key": 99}"#.to_string(),
            r#"{"kind": "revoked", "key": 99}"#.to_string(),
            r#"{"kind": "edited", "key": 99, "subjects": ["Beta"]}"#.to_string(),
            format!(
                r#"{{"kind": "regenerated", "key": 8, "replaces": 99, "answer": {}}}"#,
                answer(8, r#""Packages": ["Beta"]"#)
            ),
        ] {
            let mut page = before.clone();
            let error = applied(&mut page, &change);
            assert_eq!(error, Err(ChangeError::UnknownKey(99)), "{change}");
            assert_eq!(page, before, "{change}");
        }
        assert_eq!(
            ChangeError::UnknownKey(99).to_string(),
            "there is no key #99 on the page"
        );
    }

    #[test]
    fn new_key_under_a_number_the_page_holds_is_rejected() {
        let mut page = page_with_keys();
        let created = format!(
            r#"{{"kind": "created", "key": 2, "answer": {}}}"#,
            answer(2, r#""Packages": ["Gamma"]"#)
        );
        assert_eq!(
            applied(&mut page, &created),
            Err(ChangeError::DuplicateKey(2))
        );
        let regenerated = format!(
            r#"{{"kind": "regenerated", "key": 2, "replaces": 1, "answer": {}}}"#,
            answer(2, r#""Packages": ["Gamma"]"#)
        );
        assert_eq!(
            applied(&mut page, &regenerated),
            Err(ChangeError::DuplicateKey(2))
        );
        assert_eq!(page, page_with_keys());
    }

    #[test]
    fn legacy_key_edit_is_rejected() {
        let mut page = page_with_keys();
        let change = r#"{"kind": "edited", "key": 3, "subjects": ["Beta"]}"#;
        assert_eq!(applied(&mut page, change), Err(ChangeError::LegacyEdit(3)));
    }

    #[test]
    fn change_carrying_a_secret_is_refused_without_repeating_it() {
        let value = "oy2abcdefghijklmnopqrstuvwxyz0123456789abcdwxyz";
        let change = format!(
            r#"{{"kind": "created", "key": 7, "answer": {}}}"#,
            answer(7, &format!(r#""Packages": ["Gamma"], "Value": "{value}""#))
        );
        let error = parse_key_change(&change).map(|_| ()).unwrap_err();
        assert_eq!(error, ChangeError::CarriesSecret);
        assert!(!error.to_string().contains("abcdefgh"), "{error}");
        // A null Value (the page's own "no secret") is fine.
        let null = change.replace(&format!(r#""{value}""#), "null");
        assert!(parse_key_change(&null).is_ok(), "{null}");
    }

    #[test]
    fn malformed_changes_are_rejected_naming_what_is_wrong() {
        let cases = [
            (
                "not json",
                "the change is not valid JSON (line 1, column 2)",
            ),
            ("[1]", "the change is not an object"),
            (r#"{"key": 1}"#, "in the change, kind is missing"),
            (r#"{"kind": "removed"}"#, "in the change, key is missing"),
            (
                r#"{"kind": "removed", "key": "1"}"#,
                "in the change, key is not an integer",
            ),
            (
                r#"{"kind": "removed", "key": 1.5}"#,
                "in the change, key is not an integer",
            ),
            (r#"{"kind": "removed", "key": 0}"#, "0 is not a key number"),
            (
                r#"{"kind": "removed", "key": -4}"#,
                "-4 is not a key number",
            ),
            (
                r#"{"kind": "renamed", "key": 1}"#,
                r#"the change's kind "renamed" is none of"#,
            ),
            (
                r#"{"kind": "created", "key": 7}"#,
                "in the change, answer is missing",
            ),
            (
                r#"{"kind": "created", "key": 7, "answer": 5}"#,
                "in the change, answer is not an object",
            ),
            (
                r#"{"kind": "created", "key": 7, "answer": {"Key": 7, "Expires": "soon"}}"#,
                "in the change, answer.Expires is not a date",
            ),
            (
                r#"{"kind": "created", "key": 7, "answer": {"Key": 8}}"#,
                "the request was about key #7, the answer about key #8",
            ),
            (
                r#"{"kind": "regenerated", "key": 7, "answer": {"Key": 7}}"#,
                "in the change, replaces is missing",
            ),
            (
                r#"{"kind": "edited", "key": 1, "subjects": [1]}"#,
                "in the change, subjects is not a list of strings",
            ),
        ];
        for (json, expected) in cases {
            match parse_key_change(json) {
                Ok(change) => panic!("{json} was read as {change:?}"),
                Err(error) => assert!(
                    error.to_string().starts_with(expected),
                    "{json}: {error} (expected {expected:?})"
                ),
            }
        }
    }

    #[test]
    fn oversized_change_is_rejected_before_it_is_read() {
        let huge = format!(
            r#"{{"kind": "removed", "key": 1, "pad": "{}"}}"#,
            "x".repeat(MAX_CHANGE_BYTES)
        );
        assert!(matches!(
            parse_key_change(&huge),
            Err(ChangeError::TooLarge { .. })
        ));
        let subjects = vec!["\"A\""; MAX_SUBJECTS + 1].join(",");
        let many = format!(r#"{{"kind": "edited", "key": 1, "subjects": [{subjects}]}}"#);
        assert_eq!(
            parse_key_change(&many),
            Err(ChangeError::TooMany {
                what: "subjects",
                limit: MAX_SUBJECTS
            })
        );
    }

    #[test]
    fn page_holds_at_most_max_keys() {
        let mut page = PageData {
            api_keys: (1..=MAX_KEYS as i64)
                .map(|key| ApiKey {
                    key,
                    ..ApiKey::default()
                })
                .collect(),
            ..PageData::default()
        };
        let key = MAX_KEYS as i64 + 1;
        let change = format!(
            r#"{{"kind": "created", "key": {key}, "answer": {}}}"#,
            answer(key, r#""Packages": ["Gamma"]"#)
        );
        assert!(matches!(
            applied(&mut page, &change),
            Err(ChangeError::TooMany { what: "keys", .. })
        ));
        assert_eq!(page.api_keys.len(), MAX_KEYS);
    }
}
