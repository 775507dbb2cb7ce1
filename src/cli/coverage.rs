//! `keyscope coverage`: the coverage review of a saved page, for reviewers and scripts.
//!
//! ```text
//! keyscope coverage --page-data FILE [--json] [--now ISO-8601|UNIX-SECONDS]
//! ```
//!
//! FILE holds the page's `initialData` JSON object (or a script assigning it). `--json` prints
//! exactly [`crate::coverage::Coverage`]'s report; without it a table is printed. The clock is
//! read here and nowhere in the core (`--now` overrides it), so the review itself stays a pure
//! function. Any failure is one line on stderr (followed by the usage when the command line
//! is at fault) and exit code 2; nothing the file holds can make this panic. It writes only to
//! the streams [`super::run`] was given, so it runs in process in tests like `match` and
//! `check`.

use std::fmt::Write as _;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Flags, EXIT_OK, EXIT_USAGE};
use crate::coverage::{self, Coverage, EXPIRY_WARNING_DAYS};
use crate::page::{self, PageData, MAX_PAGE_DATA_BYTES};

const USAGE: &str =
    "usage: keyscope coverage --page-data FILE [--json] [--now ISO-8601|UNIX-SECONDS]

Shows which API keys cover which packages, per owner, from the API Keys page's
initialData JSON saved in FILE.

  --page-data FILE  the page's initialData object (or a script assigning it)
  --json            print the report as JSON
  --now TIME        judge expiry at TIME instead of the system clock";

/// What the command line asked for.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    page_data: String,
    json: bool,
    now: Option<i64>,
}

/// Runs `keyscope coverage` with `args` (the arguments after `coverage`), writing to the
/// streams [`super::run`] was given; returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    run_at(args, system_now(), out, err)
}

/// The system clock in unix seconds (0 if it is set before 1970).
fn system_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// [`run`] with the clock given: `clock` is "now" unless `--now` says otherwise.
fn run_at(args: &[String], clock: i64, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let options = match parse_args(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            // Nothing useful can be done if stdout is gone.
            let _ = writeln!(out, "{USAGE}");
            return EXIT_OK;
        }
        Err(message) => {
            let _ = writeln!(err, "keyscope coverage: {message}\n\n{USAGE}");
            return EXIT_USAGE;
        }
    };
    let page = match load(&options.page_data) {
        Ok(page) => page,
        Err(message) => {
            let _ = writeln!(err, "keyscope coverage: {message}");
            return EXIT_USAGE;
        }
    };
    let now = options.now.unwrap_or(clock);
    let report = coverage::compute(&page, now);
    let text = if options.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => json,
            Err(error) => {
                let _ = writeln!(err, "keyscope coverage: cannot write JSON: {error}");
                return EXIT_USAGE;
            }
        }
    } else {
        table(&page, &report)
    };
    match writeln!(out, "{text}") {
        Ok(()) => EXIT_OK,
        Err(error) => {
            let _ = writeln!(err, "keyscope coverage: cannot write the report: {error}");
            EXIT_USAGE
        }
    }
}

/// `Ok(None)` for `--help`, which wins over anything after it.
fn parse_args(args: &[String]) -> Result<Option<Options>, String> {
    let mut page_data = None;
    let mut json = false;
    let mut now = None;
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next() {
        let mut value = |what: &str| {
            flags
                .value(&flag)
                .ok_or_else(|| format!("{} needs {what}", flag.name))
        };
        match flag.name {
            "-h" | "--help" => return Ok(None),
            "--json" if flag.inline.is_none() => json = true,
            "--page-data" => page_data = Some(value("a file")?),
            "--now" => {
                let text = value("a time")?;
                now = Some(page::parse_timestamp(&text).map_err(|e| format!("--now: {e}"))?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let page_data = page_data.ok_or("--page-data FILE is required")?;
    Ok(Some(Options {
        page_data,
        json,
        now,
    }))
}

/// Reads and parses the page data in `path`.
fn load(path: &str) -> Result<PageData, String> {
    let size = std::fs::metadata(path)
        .map_err(|error| format!("cannot read {path}: {error}"))?
        .len();
    if size > MAX_PAGE_DATA_BYTES as u64 {
        return Err(format!(
            "{path} is {size} bytes, more than the {MAX_PAGE_DATA_BYTES} accepted"
        ));
    }
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))?;
    let json = if text.trim_start().starts_with('{') {
        text.as_str()
    } else {
        page::extract_initial_data(&text).ok_or_else(|| {
            format!("{path} holds neither a JSON object nor a script assigning initialData")
        })?
    };
    page::parse_page_data(json).map_err(|error| format!("{path}: {error}"))
}

/// The human-readable report.
fn table(page: &PageData, report: &Coverage) -> String {
    let mut out = String::new();
    for owner in &report.owners {
        let total = owner.packages.len();
        let _ = writeln!(
            out,
            "{} · {} · {}",
            owner.owner,
            plural(total, "package"),
            plural(owner.keys.len(), "key")
        );
        if !owner.keys.is_empty() {
            let _ = writeln!(
                out,
                "  {:>8}  {:<8}  {:>13}  {:<3}  NAME",
                "KEY", "STATE", "COVERS", "ALL"
            );
            for key in &owner.keys {
                let _ = writeln!(
                    out,
                    "  {:>8}  {:<8}  {:>13}  {:<3}  {}",
                    format!("#{}", key.key),
                    key.state.as_str(),
                    format!("{}/{}", key.covers, total),
                    if key.grants_all { "yes" } else { "" },
                    key.description
                );
            }
        }
        let width = owner
            .packages
            .iter()
            .map(|package| package.id.chars().count())
            .max()
            .unwrap_or(0)
            .max("PACKAGE".len());
        if total > 0 {
            let _ = writeln!(out, "  {:<width$}  KEYS (ACTIONS)", "PACKAGE");
        }
        for package in &owner.packages {
            let keys = if package.keys.is_empty() {
                "uncovered".to_string()
            } else {
                package
                    .keys
                    .iter()
                    .map(|grant| {
                        let actions: Vec<&str> = grant.actions.iter().map(|a| a.id()).collect();
                        format!("#{} ({})", grant.key, actions.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let _ = writeln!(out, "  {:<width$}  {keys}", package.id);
        }
        let _ = writeln!(
            out,
            "  uncovered: {}\n",
            if owner.uncovered.is_empty() {
                "none".to_string()
            } else {
                owner.uncovered.join(", ")
            }
        );
    }
    let review = &report.review;
    let keys = |list: &[i64]| {
        if list.is_empty() {
            "none".to_string()
        } else {
            list.iter()
                .map(|key| format!("#{key}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(
        out,
        "Keys reaching every package: {}",
        keys(&review.grants_everything)
    );
    let expiring: Vec<String> = review
        .expiring_soon
        .iter()
        .map(|key| {
            let when = page
                .key(*key)
                .and_then(|api_key| api_key.expires.clone())
                .unwrap_or_default();
            format!("#{key} ({when})")
        })
        .collect();
    let _ = writeln!(
        out,
        "Keys expiring within {EXPIRY_WARNING_DAYS} days: {}",
        if expiring.is_empty() {
            "none".to_string()
        } else {
            expiring.join(", ")
        }
    );
    if review.overlaps.is_empty() {
        let _ = write!(out, "Overlapping keys: none");
    } else {
        let _ = write!(out, "Overlapping keys:");
        for overlap in &review.overlaps {
            let _ = write!(
                out,
                "\n  {}: #{} and #{} share {}",
                overlap.owner,
                overlap.first,
                overlap.second,
                plural(overlap.shared, "package")
            );
        }
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn page_data_is_required() {
        assert!(parse_args(&args(&["--json"])).is_err());
    }

    #[test]
    fn options_take_separate_or_inline_values() {
        let parsed = parse_args(&args(&["--page-data=a.json", "--json", "--now", "86400"]));
        assert_eq!(
            parsed,
            Ok(Some(Options {
                page_data: "a.json".into(),
                json: true,
                now: Some(86_400),
            }))
        );
    }

    #[test]
    fn bad_now_is_an_error() {
        let parsed = parse_args(&args(&["--page-data", "a", "--now", "soon"]));
        assert!(parsed.is_err_and(|message| message.starts_with("--now:")));
    }

    #[test]
    fn unknown_argument_is_an_error() {
        assert!(parse_args(&args(&["--page-data", "a", "--jsn"])).is_err());
    }

    #[test]
    fn clock_is_now_unless_now_is_given() {
        let page = format!("{}/tests/fixtures/org.json", env!("CARGO_MANIFEST_DIR"));
        let report = |extra: &[&str], clock: i64| {
            let mut all = args(&["--page-data", &page, "--json"]);
            all.extend(args(extra));
            let mut out = Vec::new();
            let mut err = Vec::new();
            assert_eq!(run_at(&all, clock, &mut out, &mut err), EXIT_OK);
            String::from_utf8_lossy(&out).into_owned()
        };
        let june = 1_780_272_000;
        assert_eq!(report(&[], june), report(&["--now", "1780272000"], 0));
        assert_ne!(report(&[], june), report(&[], june + 40 * 86_400));
    }

    #[test]
    fn help_prints_usage() {
        let mut out = Vec::new();
        let mut err = Vec::new();
        assert_eq!(run_at(&args(&["--help"]), 0, &mut out, &mut err), EXIT_OK);
        assert_eq!(String::from_utf8_lossy(&out), format!("{USAGE}\n"));
        assert!(err.is_empty());
    }
}
