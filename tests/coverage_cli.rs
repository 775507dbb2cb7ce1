//! `keyscope coverage` run as a user runs it, on the fixtures in `tests/fixtures/`.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-06-01T00:00:00Z";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn keyscope(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_keyscope"))
        .arg("coverage")
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(error) => panic!("cannot run keyscope: {error}"),
    }
}

fn json_report(name: &str) -> Value {
    let path = fixture(name);
    let output = keyscope(&[
        "--page-data",
        &path.to_string_lossy(),
        "--json",
        "--now",
        NOW,
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    match serde_json::from_slice(&output.stdout) {
        Ok(value) => value,
        Err(error) => panic!("--json printed something that is not JSON: {error}"),
    }
}

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
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
fn table_names_uncovered_packages_and_warnings() {
    let path = fixture("org.json");
    let output = keyscope(&["--page-data", &path.to_string_lossy(), "--now", NOW]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("uncovered: Widgets\n"), "{text}");
    assert!(text.contains("Keys reaching every package: #105"), "{text}");
    assert!(
        text.contains("Keys expiring within 14 days: #102"),
        "{text}"
    );
    assert!(
        text.contains("Contoso: #101 and #106 share 1 package"),
        "{text}"
    );
}

#[test]
fn script_assigning_initial_data_is_read_too() {
    let path = fixture("page-script.js");
    let output = keyscope(&[
        "--page-data",
        &path.to_string_lossy(),
        "--json",
        "--now",
        NOW,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert_eq!(
        report["owners"][0]["uncovered"],
        serde_json::json!(["A.Two"])
    );
}

#[test]
fn bad_json_is_a_clear_error_with_exit_2() {
    let path = fixture("not-json.json");
    let output = keyscope(&["--page-data", &path.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let message = stderr_of(&output);
    assert!(
        message.contains("not valid JSON (line 1, column"),
        "{message}"
    );
}

#[test]
fn wrong_field_type_names_the_field() {
    let path = fixture("wrong-type.json");
    let output = keyscope(&["--page-data", &path.to_string_lossy(), "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr_of(&output);
    assert!(
        message.contains("PackageOwners[2].PackageIds is not a list of strings"),
        "{message}"
    );
}

#[test]
fn missing_file_is_a_clear_error_with_exit_2() {
    let output = keyscope(&["--page-data", "/nonexistent/keyscope/page.json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("cannot read /nonexistent/keyscope/page.json"));
}

#[test]
fn missing_page_data_option_is_a_usage_error() {
    let output = keyscope(&["--json"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("--page-data FILE is required"));
}

#[test]
fn now_decides_what_has_expired() {
    let path = fixture("org.json");
    let later = keyscope(&[
        "--page-data",
        &path.to_string_lossy(),
        "--json",
        "--now",
        "2026-07-01T00:00:00Z",
    ]);
    let report: Value = serde_json::from_slice(&later.stdout).unwrap_or(Value::Null);
    assert_eq!(report["owners"][1]["keys"][1]["state"], "expired");
}
