//! `keyscope match`, run as a program: ids in, matched ids out, in input order.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn keyscope(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the keyscope binary runs");
    if let Some(mut input) = child.stdin.take() {
        // keyscope may rightly exit before reading its input (an invalid pattern is refused
        // first), closing the pipe: that is not the test's failure, its exit code says more.
        if let Err(error) = input.write_all(stdin.as_bytes()) {
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::BrokenPipe,
                "writing stdin: {error}"
            );
        }
    }
    child.wait_with_output().expect("keyscope finishes")
}

fn ids_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("keyscope-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("temp file is writable");
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn prints_matching_ids_in_input_order() {
    let output = keyscope(
        &["match", "--pattern", "Contoso.*"],
        "Fabrikam\nContoso.Core\nContoso\ncontoso.DATA\n",
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "Contoso.Core\ncontoso.DATA\n");
}

#[test]
fn any_of_several_patterns_matches() {
    let output = keyscope(
        &["match", "--pattern", "*.Tests", "--pattern", "Fabrikam"],
        "Fabrikam\nContoso.Tests\nContoso\n",
    );
    assert_eq!(stdout(&output), "Fabrikam\nContoso.Tests\n");
}

#[test]
fn trims_lines_and_skips_blank_ones() {
    let output = keyscope(&["match", "--pattern", "a*"], "  ab  \r\n\r\n\tac\n");
    assert_eq!(stdout(&output), "ab\nac\n");
}

#[test]
fn reads_ids_from_a_file() {
    let path = ids_file("match-ids.txt", "Contoso\r\nContoso.Core\r\n");
    let file = path.to_string_lossy().into_owned();
    let output = keyscope(&["match", "--pattern", "contoso*", "--ids", &file], "");
    let _ = std::fs::remove_file(&path);
    assert_eq!(stdout(&output), "Contoso\nContoso.Core\n");
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
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "Newtonsoft.Json\n");
}

#[test]
fn invalid_pattern_is_an_input_error() {
    let output = keyscope(&["match", "--pattern", "Contoso?"], "Contoso1\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("'?' is not a wildcard"));
}

#[test]
fn unreadable_file_is_an_input_error() {
    let output = keyscope(
        &["match", "--pattern", "a", "--ids", "/nonexistent/ids.txt"],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read ids"));
}

#[test]
fn missing_pattern_is_a_usage_error() {
    let output = keyscope(&["match"], "a\n");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn unknown_command_is_a_usage_error() {
    let output = keyscope(&["frobnicate"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown command 'frobnicate'"));
}

#[test]
fn help_exits_zero() {
    let output = keyscope(&["--help"], "");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("keyscope match --pattern P"));
}
