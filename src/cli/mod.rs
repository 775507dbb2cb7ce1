//! The `keyscope` command-line tool: the same core the extension runs, for reviewers and CI.
//!
//! ```text
//! keyscope match --pattern P [--pattern P2 ...] [--ids FILE]
//! keyscope check --pattern P [--ids FILE] [--scope S]... [--json]
//! keyscope coverage ...                     (see `keyscope coverage --help`)
//! ```
//!
//! Exit codes: 0 the pattern is valid (or `match` ran), 1 nuget.org would reject the pattern
//! (`check`), 2 usage or input errors, always with one message on stderr and never a panic.
//! Arguments are parsed by hand: the grammar is a handful of flags, and every failure must
//! become exit code 2 with a precise message.

pub mod coverage;

use std::fmt::Write as _;
use std::io::{Read, Write};

use crate::ids::{ids_from_lines, IdIndex};
use crate::lint::{check, Verdict};
use crate::pattern::{parse, PatternSet};
use crate::scope::Scope;

/// The pattern is valid (or the command succeeded).
pub const EXIT_OK: i32 = 0;
/// nuget.org would reject the pattern.
pub const EXIT_REJECTED: i32 = 1;
/// Bad usage or unreadable input.
pub const EXIT_USAGE: i32 = 2;

const USAGE: &str = "usage:
  keyscope match --pattern P [--pattern P2 ...] [--ids FILE]
      Prints, in input order, each id matched by any pattern, exactly as nuget.org
      matches (whole id, ignoring case, '*' = any run of characters).
  keyscope check --pattern P [--ids FILE] [--scope SCOPE]... [--json]
      Prints KeyScope's verdict on P: nuget.org's errors and KeyScope's warnings.
      SCOPE is package:push, package:pushversion or package:unlist.
      Exit code 0 when nuget.org accepts P, 1 when it rejects it.
  keyscope coverage --page-data FILE [--json]
      Which API keys cover which packages (see keyscope coverage --help).

Ids are read one per line (surrounding whitespace trimmed, blank lines skipped) from FILE,
or for `match` from standard input when --ids is not given. Exit code 2 means a usage or
input error.
";

/// Runs the CLI with `args` (without the program name); returns the exit code.
pub fn main(args: &[String]) -> i32 {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    run(
        args,
        &mut std::io::stdin().lock(),
        &mut stdout.lock(),
        &mut stderr.lock(),
    )
}

/// Runs the CLI against the given streams (what `main` does, testable in process).
pub fn run(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some((command, rest)) = args.split_first() else {
        return usage_error(err, "missing command");
    };
    let result = match command.as_str() {
        "match" => run_match(rest, stdin, out),
        "check" => run_check(rest, out),
        // `coverage` words its own errors (its usage follows them), so it answers with the
        // exit code itself.
        "coverage" => return coverage::run(rest, out, err),
        "-h" | "--help" | "help" => write_out(out, USAGE).map(|()| EXIT_OK),
        other => Err(format!("unknown command '{other}'")),
    };
    match result {
        Ok(code) => code,
        Err(message) => usage_error(err, &message),
    }
}

fn usage_error(err: &mut dyn Write, message: &str) -> i32 {
    // Nothing better can be done if stderr itself is gone.
    let _ = writeln!(
        err,
        "keyscope: {message}\n(run `keyscope --help` for usage)"
    );
    EXIT_USAGE
}

/// The flags `match` and `check` understand, as given.
#[derive(Default)]
struct Options {
    patterns: Vec<String>,
    ids: Option<String>,
    scopes: Vec<Scope>,
    json: bool,
    help: bool,
}

/// One argument as a flag: `--flag=value` splits into name and inline value (only for
/// names starting with `--`, so a value like `a=b` stays whole).
struct Flag<'a> {
    /// The argument as given.
    arg: &'a str,
    /// The flag's name: the argument before `=`, or all of it.
    name: &'a str,
    /// The value after `=`, when there is one.
    inline: Option<&'a str>,
}

/// The arguments after the command, read one flag at a time; every command parses its
/// flags through this, so `--flag value` and `--flag=value` mean the same everywhere.
struct Flags<'a> {
    args: std::slice::Iter<'a, String>,
}

impl<'a> Flags<'a> {
    fn new(args: &'a [String]) -> Self {
        Flags { args: args.iter() }
    }

    /// `flag`'s value: its inline value, or else the next argument (`None` when neither).
    fn value(&mut self, flag: &Flag<'a>) -> Option<String> {
        flag.inline
            .map(str::to_owned)
            .or_else(|| self.args.next().cloned())
    }
}

impl<'a> Iterator for Flags<'a> {
    type Item = Flag<'a>;

    fn next(&mut self) -> Option<Flag<'a>> {
        let arg = self.args.next()?.as_str();
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (arg, None),
        };
        Some(Flag { arg, name, inline })
    }
}

fn parse_options(args: &[String], allowed: &[&str]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next() {
        if !allowed.contains(&flag.name) && !matches!(flag.name, "-h" | "--help") {
            return Err(if flag.name.starts_with('-') {
                format!("unknown option '{}'", flag.name)
            } else {
                format!("unexpected argument '{}'", flag.arg)
            });
        }
        let mut value = || {
            flags
                .value(&flag)
                .ok_or_else(|| format!("{} needs a value", flag.name))
        };
        match flag.name {
            "--pattern" => options.patterns.push(value()?),
            "--ids" => {
                if options.ids.is_some() {
                    return Err("--ids may be given only once".to_owned());
                }
                options.ids = Some(value()?);
            }
            "--scope" => {
                let text = value()?;
                let scope = Scope::from_id(&text).ok_or_else(|| {
                    format!(
                        "invalid scope '{text}': use package:push, package:pushversion or \
                         package:unlist"
                    )
                })?;
                if !options.scopes.contains(&scope) {
                    options.scopes.push(scope);
                }
            }
            "--json" if flag.inline.is_none() => options.json = true,
            "--json" => return Err("--json takes no value".to_owned()),
            _ => options.help = true,
        }
    }
    Ok(options)
}

fn read_ids(path: &str) -> Result<IdIndex, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read ids from '{path}': {error}"))?;
    Ok(IdIndex::new(ids_from_lines(&text)))
}

fn run_match(args: &[String], stdin: &mut dyn Read, out: &mut dyn Write) -> Result<i32, String> {
    let options = parse_options(args, &["--pattern", "--ids"])?;
    if options.help {
        write_out(out, USAGE)?;
        return Ok(EXIT_OK);
    }
    if options.patterns.is_empty() {
        return Err("match needs at least one --pattern".to_owned());
    }
    let mut patterns = Vec::new();
    for text in &options.patterns {
        match parse(text) {
            Ok(pattern) => patterns.push(pattern),
            Err(problems) => {
                let reasons: Vec<String> = problems
                    .iter()
                    .map(|p| format!("  characters {}..{}: {}", p.start, p.end, p.message))
                    .collect();
                return Err(format!(
                    "nuget.org rejects the pattern '{}':\n{}",
                    printable(text),
                    reasons.join("\n")
                ));
            }
        }
    }
    let ids = match &options.ids {
        Some(path) => read_ids(path)?,
        None => {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|error| format!("cannot read ids from standard input: {error}"))?;
            IdIndex::new(ids_from_lines(&text))
        }
    };
    let set = PatternSet::new(&patterns);
    let mut listing = String::new();
    for position in set.matching(&ids) {
        if let Some(id) = ids.ids().get(position) {
            listing.push_str(id);
            listing.push('\n');
        }
    }
    write_out(out, &listing)?;
    Ok(EXIT_OK)
}

fn run_check(args: &[String], out: &mut dyn Write) -> Result<i32, String> {
    let options = parse_options(args, &["--pattern", "--ids", "--scope", "--json"])?;
    if options.help {
        write_out(out, USAGE)?;
        return Ok(EXIT_OK);
    }
    let text = match options.patterns.as_slice() {
        [one] => one,
        [] => return Err("check needs --pattern".to_owned()),
        _ => return Err("check takes exactly one --pattern".to_owned()),
    };
    let ids = options.ids.as_deref().map(read_ids).transpose()?;
    let verdict = check(text, ids.as_ref(), &options.scopes);
    let report = if options.json {
        let mut json = serde_json::to_string(&verdict)
            .map_err(|error| format!("cannot write the verdict as JSON: {error}"))?;
        json.push('\n');
        json
    } else {
        readable(&verdict)
    };
    write_out(out, &report)?;
    Ok(if verdict.valid {
        EXIT_OK
    } else {
        EXIT_REJECTED
    })
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), String> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|error| format!("cannot write output: {error}"))
}

/// The verdict for people: one line per finding, suggestion and examples indented below.
fn readable(verdict: &Verdict) -> String {
    let mut text = String::new();
    let pattern = printable(&verdict.pattern);
    let state = if !verdict.valid {
        "nuget.org rejects it"
    } else if verdict.pattern.is_empty() {
        "no pattern"
    } else {
        "nuget.org accepts it"
    };
    let _ = writeln!(text, "pattern '{pattern}': {state}");
    if let (Some(matched), Some(total)) = (verdict.matched, verdict.total) {
        let _ = writeln!(text, "matches {matched} of {total} ids");
    }
    for error in &verdict.errors {
        let _ = writeln!(
            text,
            "error[{}] at characters {}..{}: {}",
            error.code, error.start, error.end, error.message
        );
    }
    for warning in &verdict.warnings {
        let _ = writeln!(text, "warning[{}]: {}", warning.code, warning.message);
        if let Some(suggestion) = &warning.suggestion {
            let _ = writeln!(text, "  suggestion: {suggestion}");
        }
        if !warning.examples.is_empty() {
            let _ = writeln!(text, "  examples: {}", warning.examples.join(", "));
        }
    }
    text
}

/// `text` with control and invisible characters written as `\u{…}`, so a verdict never
/// prints them raw to a terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c != ' ' && crate::pattern::is_hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(args: &[&str], stdin: &str) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run(&args, &mut stdin.as_bytes(), &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn match_reads_stdin_and_keeps_input_order() {
        let (code, out, _) = run_with(
            &["match", "--pattern", "b*", "--pattern", "*z"],
            "Bz\r\n a \nbee\n\nZZ\n",
        );
        assert_eq!(code, EXIT_OK);
        assert_eq!(out, "Bz\nbee\nZZ\n");
    }

    #[test]
    fn match_refuses_an_invalid_pattern() {
        let (code, out, err) = run_with(&["match", "--pattern", "a b"], "a b\n");
        assert_eq!(code, EXIT_USAGE);
        assert!(out.is_empty());
        assert!(err.contains("nuget.org rejects the pattern 'a b'"));
    }

    #[test]
    fn match_needs_a_pattern() {
        assert_eq!(run_with(&["match"], "").0, EXIT_USAGE);
    }

    #[test]
    fn check_exit_code_follows_validity() {
        assert_eq!(
            run_with(&["check", "--pattern", "Contoso.*"], "").0,
            EXIT_OK
        );
        assert_eq!(
            run_with(&["check", "--pattern", "Contoso?"], "").0,
            EXIT_REJECTED
        );
    }

    #[test]
    fn check_accepts_inline_values() {
        let (code, out, _) = run_with(&["check", "--pattern=*", "--scope=package:push"], "");
        assert_eq!(code, EXIT_OK);
        assert!(out.contains("warning[grants-all]"));
        assert!(out.contains("warning[grants-new-ids]"));
    }

    #[test]
    fn check_rejects_invalid_scope() {
        let (code, _, err) = run_with(&["check", "--pattern", "a", "--scope", "push"], "");
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("invalid scope 'push'"));
    }

    #[test]
    fn unknown_option_and_missing_value_are_usage_errors() {
        let (code, _, err) = run_with(&["check", "--pattern", "a", "--frob"], "");
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("unknown option '--frob'"));
        let (code, _, err) = run_with(&["check", "--pattern"], "");
        assert_eq!(code, EXIT_USAGE);
        assert!(err.contains("--pattern needs a value"));
    }

    #[test]
    fn help_prints_usage() {
        let (code, out, _) = run_with(&["--help"], "");
        assert_eq!(code, EXIT_OK);
        assert!(out.starts_with("usage:"));
        assert_eq!(run_with(&["check", "--help"], "").0, EXIT_OK);
    }

    #[test]
    fn readable_verdict_hides_invisible_characters() {
        let (_, out, _) = run_with(&["check", "--pattern", "a\u{200b}b"], "");
        assert!(out.starts_with("pattern 'a\\u{200b}b': nuget.org rejects it"));
        assert!(!out.contains('\u{200b}'));
    }
}
