//! `keyscope match`, run as a program: ids in, matched ids out, in input order.

mod support;

use support::{as_program as keyscope, temp_file};

#[test]
fn prints_matching_ids_in_input_order() {
    let output = keyscope(
        &["match", "--pattern", "Contoso.*"],
        "Fabrikam\nContoso.Core\nContoso\ncontoso.DATA\n",
    );
    assert_eq!(output.code, Some(0));
    assert_eq!(output.stdout, "Contoso.Core\ncontoso.DATA\n");
}

#[test]
fn any_of_several_patterns_matches() {
    let output = keyscope(
        &["match", "--pattern", "*.Tests", "--pattern", "Fabrikam"],
        "Fabrikam\nContoso.Tests\nContoso\n",
    );
    assert_eq!(output.stdout, "Fabrikam\nContoso.Tests\n");
}

#[test]
fn trims_lines_and_skips_blank_ones() {
    let output = keyscope(&["match", "--pattern", "a*"], "  ab  \r\n\r\n\tac\n");
    assert_eq!(output.stdout, "ab\nac\n");
}

#[test]
fn reads_ids_from_a_file() {
    let path = temp_file("match-ids.txt", "Contoso\r\nContoso.Core\r\n");
    let file = path.to_string_lossy().into_owned();
    let output = keyscope(&["match", "--pattern", "contoso*", "--ids", &file], "");
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.stdout, "Contoso\nContoso.Core\n");
}

#[test]
fn matches_the_real_ids_like_nuget() {
    let output = keyscope(
        &[
            "match",
            "--pattern",
            "Newtonsoft.Json",
            "--ids",
            "tests/data/nuget-package-ids.txt",
        ],
        "",
    );
    assert_eq!(output.code, Some(0));
    assert_eq!(output.stdout, "Newtonsoft.Json\n");
}

#[test]
fn invalid_pattern_is_an_input_error() {
    let output = keyscope(&["match", "--pattern", "Contoso?"], "Contoso1\n");
    assert_eq!(output.code, Some(2));
    assert!(output.stdout.is_empty());
    assert!(output.stderr.contains("'?' is not a wildcard"));
}

#[test]
fn unreadable_file_is_an_input_error() {
    let output = keyscope(
        &["match", "--pattern", "a", "--ids", "/nonexistent/ids.txt"],
        "",
    );
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("cannot read ids"));
}

#[test]
fn missing_pattern_is_a_usage_error() {
    let output = keyscope(&["match"], "a\n");
    assert_eq!(output.code, Some(2));
}

#[test]
fn unknown_command_is_a_usage_error() {
    let output = keyscope(&["frobnicate"], "");
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("unknown command 'frobnicate'"));
}

#[test]
fn help_exits_zero() {
    let output = keyscope(&["--help"], "");
    assert_eq!(output.code, Some(0));
    assert!(output.stdout.contains("keyscope match --pattern P"));
}
