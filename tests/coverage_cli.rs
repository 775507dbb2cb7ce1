//! `keyscope coverage` on the fixtures in `tests/fixtures/`: run in process through
//! `keyscope::cli::run`, and as a program to show the two give the same bytes and exit codes.

mod support;

use serde_json::Value;
use support::{as_program, fixture, in_process, Ran};

const NOW: &str = "2026-06-01T00:00:00Z";

/// The usage `keyscope coverage` prints after a usage error and for `--help`.
const USAGE: &str =
    "usage: keyscope coverage --page-data FILE [--json] [--now ISO-8601|UNIX-SECONDS]

Shows which API keys cover which packages, per owner, from the API Keys page's
initialData JSON saved in FILE.

  --page-data FILE  the page's initialData object (or a script assigning it)
  --json            print the report as JSON
  --now TIME        judge expiry at TIME instead of the system clock
";

fn coverage(args: &[&str]) -> Ran {
    let args: Vec<&str> = std::iter::once("coverage")
        .chain(args.iter().copied())
        .collect();
    in_process(&args, "")
}

fn path_of(name: &str) -> String {
    fixture(name).to_string_lossy().into_owned()
}

fn json_report(name: &str) -> Value {
    let output = coverage(&["--page-data", &path_of(name), "--json", "--now", NOW]);
    assert_eq!(output.code, Some(0), "{output:?}");
    match serde_json::from_str(&output.stdout) {
        Ok(value) => value,
        Err(error) => panic!("--json printed something that is not JSON: {error}"),
    }
}

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[test]
fn json_report_of_an_organization_is_exact() {
    assert_eq!(json_report("org.json"), expected("org.expected.json"));
}

#[test]
fn json_report_lists_a_legacy_key_under_every_owner() {
    assert_eq!(json_report("legacy.json"), expected("legacy.expected.json"));
}

#[test]
fn json_report_is_pretty_and_ends_with_a_newline() {
    let output = coverage(&["--page-data", &path_of("org.json"), "--json", "--now", NOW]);
    assert!(
        output.stdout.starts_with("{\n  \"owners\": [\n"),
        "{output:?}"
    );
    assert!(output.stdout.ends_with("}\n"), "{output:?}");
    assert!(!output.stdout.ends_with("}\n\n"), "{output:?}");
    assert!(output.stderr.is_empty());
}

#[test]
fn table_names_uncovered_packages_and_warnings() {
    let output = coverage(&["--page-data", &path_of("org.json"), "--now", NOW]);
    assert_eq!(output.code, Some(0));
    let text = output.stdout;
    assert!(text.contains("uncovered: Widgets\n"), "{text}");
    assert!(text.contains("Keys reaching every package: #105"), "{text}");
    assert!(
        text.contains("Keys expiring within 14 days: #102"),
        "{text}"
    );
    assert!(
        text.contains("Contoso: #101 and #106 share 1 package\n"),
        "{text}"
    );
}

#[test]
fn table_of_a_page_without_owners_is_the_findings_alone() {
    let empty = support::temp_file("coverage-empty.json", "{}");
    let output = coverage(&["--page-data", &empty.to_string_lossy(), "--now", "0"]);
    let _ = std::fs::remove_file(&empty);
    assert_eq!(output.code, Some(0), "{output:?}");
    assert_eq!(
        output.stdout,
        "Keys reaching every package: none\n\
         Keys expiring within 14 days: none\n\
         Overlapping keys: none\n"
    );
}

#[test]
fn script_assigning_initial_data_is_read_too() {
    let output = coverage(&[
        "--page-data",
        &path_of("page-script.js"),
        "--json",
        "--now",
        NOW,
    ]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let report: Value = serde_json::from_str(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(
        report["owners"][0]["uncovered"],
        serde_json::json!(["A.Two"])
    );
}

#[test]
fn bad_json_is_a_clear_error_with_exit_2() {
    let output = coverage(&["--page-data", &path_of("not-json.json")]);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        output.stderr.contains("not valid JSON (line 1, column"),
        "{}",
        output.stderr
    );
}

#[test]
fn wrong_field_type_names_the_field() {
    let output = coverage(&["--page-data", &path_of("wrong-type.json"), "--json"]);
    assert_eq!(output.code, Some(2));
    assert!(
        output
            .stderr
            .contains("PackageOwners[2].PackageIds is not a list of strings"),
        "{}",
        output.stderr
    );
}

#[test]
fn missing_file_is_one_line_on_stderr_with_exit_2() {
    let output = coverage(&["--page-data", "/nonexistent/keyscope/page.json"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert!(
        output
            .stderr
            .starts_with("keyscope coverage: cannot read /nonexistent/keyscope/page.json: "),
        "{}",
        output.stderr
    );
    assert_eq!(output.stderr.lines().count(), 1, "{}", output.stderr);
}

#[test]
fn missing_page_data_option_prints_the_message_then_the_usage() {
    let output = coverage(&["--json"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        output.stderr,
        format!("keyscope coverage: --page-data FILE is required\n\n{USAGE}")
    );
}

#[test]
fn unknown_argument_is_a_usage_error() {
    for (args, named) in [
        (&["--jsn"][..], "\"--jsn\""),
        (&["--json=yes"][..], "\"--json\""),
        (&["report.json"][..], "\"report.json\""),
    ] {
        let output = coverage(args);
        assert_eq!(output.code, Some(2), "{args:?}");
        assert!(
            output
                .stderr
                .starts_with(&format!("keyscope coverage: unknown argument {named}\n\n")),
            "{}",
            output.stderr
        );
    }
}

#[test]
fn flag_without_its_value_says_what_it_needs() {
    let output = coverage(&["--page-data"]);
    assert_eq!(output.code, Some(2));
    assert!(output
        .stderr
        .starts_with("keyscope coverage: --page-data needs a file\n"));
    let output = coverage(&["--page-data", &path_of("org.json"), "--now"]);
    assert_eq!(output.code, Some(2));
    assert!(output
        .stderr
        .starts_with("keyscope coverage: --now needs a time\n"));
}

#[test]
fn unreadable_now_is_a_usage_error() {
    let output = coverage(&["--page-data", &path_of("org.json"), "--now", "soon"]);
    assert_eq!(output.code, Some(2));
    assert!(
        output
            .stderr
            .starts_with("keyscope coverage: --now: \"soon\""),
        "{}",
        output.stderr
    );
}

#[test]
fn help_prints_the_usage_and_wins_over_what_follows() {
    for args in [&["--help"][..], &["-h"], &["--help", "--frob"]] {
        let output = coverage(args);
        assert_eq!(output.code, Some(0), "{args:?}");
        assert_eq!(output.stdout, USAGE);
        assert!(output.stderr.is_empty());
    }
}

#[test]
fn now_decides_what_has_expired() {
    let later = coverage(&[
        "--page-data",
        &path_of("org.json"),
        "--json",
        "--now",
        "2026-07-01T00:00:00Z",
    ]);
    let report: Value = serde_json::from_str(&later.stdout).unwrap_or(Value::Null);
    assert_eq!(report["owners"][1]["keys"][1]["state"], "expired");
}

#[test]
fn now_takes_unix_seconds_and_inline_values() {
    let seconds = coverage(&[
        &format!("--page-data={}", path_of("org.json")),
        "--json",
        "--now=1780272000",
    ]);
    assert_eq!(
        seconds,
        coverage(&["--page-data", &path_of("org.json"), "--json", "--now", NOW])
    );
}

#[test]
fn the_program_prints_the_same_bytes_and_exit_codes() {
    let org = path_of("org.json");
    for args in [
        vec!["coverage", "--page-data", &org, "--now", NOW],
        vec!["coverage", "--page-data", &org, "--json", "--now", NOW],
        vec!["coverage", "--help"],
        vec!["coverage", "--json"],
        vec!["coverage", "--page-data", "/nonexistent/keyscope/page.json"],
    ] {
        assert_eq!(as_program(&args, ""), in_process(&args, ""), "{args:?}");
    }
}
