//! `keyscope check`, run as a program: the verdict, its JSON shape and its exit codes.

mod support;

use serde_json::Value;
use support::{as_program, temp_file, Ran};

fn keyscope(args: &[&str]) -> Ran {
    as_program(args, "")
}

fn json(output: &Ran) -> Value {
    serde_json::from_str(&output.stdout).expect("stdout is one JSON object")
}

#[test]
fn valid_pattern_exits_zero_with_json_verdict() {
    let path = temp_file("check-ids.txt", "Contoso\nContoso.Core\nFabrikam\n");
    let file = path.to_string_lossy().into_owned();
    let output = keyscope(&["check", "--pattern", "Contoso.*", "--ids", &file, "--json"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.code, Some(0));
    let verdict = json(&output);
    assert_eq!(verdict["pattern"], "Contoso.*");
    assert_eq!(verdict["valid"], true);
    assert_eq!(verdict["errors"], serde_json::json!([]));
    assert_eq!(verdict["matched"], 1);
    assert_eq!(verdict["total"], 3);
    assert_eq!(verdict["warnings"][0]["code"], "excludes-parent");
    assert_eq!(verdict["warnings"][0]["suggestion"], "Contoso*");
}

#[test]
fn rejected_pattern_exits_one_with_error_spans() {
    let output = keyscope(&["check", "--pattern", " Contoso?", "--json"]);
    assert_eq!(output.code, Some(1));
    let verdict = json(&output);
    assert_eq!(verdict["valid"], false);
    let errors = verdict["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0]["code"], "invalid-char");
    assert_eq!(
        (errors[0]["start"].as_u64(), errors[0]["end"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(
        (errors[1]["start"].as_u64(), errors[1]["end"].as_u64()),
        (Some(8), Some(9))
    );
    assert!(errors[1]["message"]
        .as_str()
        .is_some_and(|m| m.contains("only '*' is")));
}

#[test]
fn counts_are_absent_without_ids() {
    let verdict = json(&keyscope(&["check", "--pattern", "Contoso.*", "--json"]));
    assert!(verdict.get("matched").is_none());
    assert!(verdict.get("total").is_none());
}

#[test]
fn warnings_carry_null_suggestion_when_there_is_none() {
    let verdict = json(&keyscope(&["check", "--pattern", "*", "--json"]));
    assert_eq!(verdict["warnings"][0]["code"], "grants-all");
    assert_eq!(verdict["warnings"][0]["suggestion"], Value::Null);
}

#[test]
fn push_scope_adds_grants_new_ids() {
    let verdict = json(&keyscope(&[
        "check",
        "--pattern",
        "*Tests",
        "--scope",
        "package:push",
        "--json",
    ]));
    assert_eq!(verdict["warnings"][0]["code"], "grants-new-ids");
    assert!(verdict["warnings"][0]["examples"]
        .as_array()
        .is_some_and(|e| e.len() >= 2));
}

#[test]
fn readable_verdict_without_json() {
    let output = keyscope(&["check", "--pattern", "Foo."]);
    assert_eq!(output.code, Some(0));
    let text = output.stdout;
    assert!(text.starts_with("pattern 'Foo.': nuget.org accepts it\n"));
    assert!(text.contains("warning[impossible]"));
    assert!(text.contains("  suggestion: Foo.*"));
}

#[test]
fn invalid_scope_is_a_usage_error() {
    let output = keyscope(&["check", "--pattern", "a", "--scope", "package:delete"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("invalid scope"));
}

#[test]
fn missing_value_is_a_usage_error() {
    let output = keyscope(&["check", "--pattern"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("--pattern needs a value"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let output = keyscope(&["check", "--pattern", "a", "--verbose"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("unknown option '--verbose'"));
}

#[test]
fn unreadable_ids_file_is_an_input_error() {
    let output = keyscope(&["check", "--pattern", "a", "--ids", "/nonexistent/ids.txt"]);
    assert_eq!(output.code, Some(2));
}
