//! What KeyScope's Rust tests share: running the `keyscope` tool in process and as a
//! program, temporary input files, and [`random`]'s deterministic inputs.
//!
//! A test file uses it with `mod support;`.

// Every test file compiles its own copy and uses only part of it.
#![allow(dead_code)]

pub mod random;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What one run of `keyscope` left behind.
#[derive(Debug, PartialEq, Eq)]
pub struct Ran {
    /// The exit code (`None` if the program was killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `keyscope ARGS` in this process, through `keyscope::cli::run` with `stdin` as its
/// standard input: what the program does, without starting one.
pub fn in_process(args: &[&str], stdin: &str) -> Ran {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = keyscope::cli::run(&args, &mut stdin.as_bytes(), &mut out, &mut err);
    Ran {
        code: Some(code),
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Runs the `keyscope` program with `args`, writing `stdin` to its standard input.
pub fn as_program(args: &[&str], stdin: &str) -> Ran {
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
    let output = child.wait_with_output().expect("keyscope finishes");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A file in the temporary directory holding `text`, its name unique to this test process.
pub fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("keyscope-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("temp file is writable");
    path
}

/// The path of `tests/fixtures/NAME`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
