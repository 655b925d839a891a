//! `--format github`: workflow commands that the Actions runner reads back into exactly the
//! paths and messages lvlint meant, then the summary line.
#![allow(clippy::unwrap_used)] // a test that unwraps fails with the value it got

use std::sync::Arc;

use lvlint::diagnostic::{Diagnostic, Label, Severity};
use lvlint::report::github;
use pretty_assertions::assert_eq;

use crate::sarif::{finding, outcome, repo, source};
use crate::util::lvlint;

/// One workflow command as the runner reads it.
#[derive(Debug, PartialEq)]
struct Command {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

/// Undoes the runner's escapes in one pass, so that an escaped `%` never decodes twice.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let code = rest.get(at..at + 3).unwrap_or("");
        let decoded = match code {
            "%25" => '%',
            "%0D" => '\r',
            "%0A" => '\n',
            "%3A" => ':',
            "%2C" => ',',
            _ => panic!("stray `%` in {text:?}"),
        };
        out.push(decoded);
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

/// Parses `::name k=v,k=v::message`; the data may hold `::` and the properties may not.
fn parse(line: &str) -> Command {
    let body = line.strip_prefix("::").unwrap();
    let (head, message) = body.split_once("::").unwrap();
    let (name, props) = head.split_once(' ').unwrap();
    let properties = props
        .split(',')
        .map(|prop| {
            let (key, value) = prop.split_once('=').unwrap();
            (key.to_owned(), unescape(value))
        })
        .collect();
    Command { name: name.to_owned(), properties, message: unescape(message) }
}

fn print(diagnostics: Vec<Diagnostic>) -> String {
    let mut out = Vec::new();
    github::write(&outcome(diagnostics), &repo(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn props(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn messages_and_paths_with_percent_colon_comma_and_newlines_round_trip() {
    let path = "src/100%,a:b\nc.rs";
    let file = source(path, "fn f() {\n    let x = load(id);\n}\n");
    let mut diag =
        finding("eager-assign-new", &file, "load(id)", "50% of `a::b`, then\nthis\r\nend");
    diag.help = Some("use `|| load(id)`: it is lazy, cheap".to_owned());
    let text = print(vec![diag]);
    let lines: Vec<&str> = text.lines().collect();

    assert_eq!(lines.len(), 2, "{text}");
    assert!(!lines[0].contains('\r'));
    assert_eq!(
        parse(lines[0]),
        Command {
            name: "warning".to_owned(),
            properties: props(&[
                ("file", "app/src/100%,a:b\nc.rs"),
                ("line", "2"),
                ("col", "13"),
                ("endLine", "2"),
                ("endColumn", "21"),
                ("title", "lvlint(eager-assign-new)"),
            ]),
            message: "50% of `a::b`, then\nthis\r\nend\nhelp: use `|| load(id)`: it is lazy, cheap"
                .to_owned(),
        }
    );
    assert_eq!(
        lines[0],
        "::warning file=app/src/100%25%2Ca%3Ab%0Ac.rs,line=2,col=13,endLine=2,endColumn=21,\
         title=lvlint(eager-assign-new)::50%25 of `a::b`, then%0Athis%0D%0Aend%0A\
         help: use `|| load(id)`: it is lazy, cheap"
    );
    assert_eq!(lines[1], "0 errors, 1 warning in 1 file; 2 files checked");
}

#[test]
fn severity_picks_the_command_and_multi_line_spans_drop_columns() {
    let file = source("src/a.rs", "fn f() {\n    g(\n        x,\n    );\n}\n");
    let mut error = finding("mount-reads-request-assigns", &file, "g(\n        x,\n    )", "e");
    error.severity = Severity::Error;
    let mut note = finding("session-stores-struct", &file, "x", "n");
    note.severity = Severity::Note;
    note.labels = vec![Label { message: "unused here".to_owned(), file: None, span: note.span }];
    let other = source("src/b.rs", "");
    let mut unread = finding("io-error", &other, "", "could not read `src/b.rs`");
    unread.span = Default::default();
    unread.severity = Severity::Error;
    unread.file = Arc::clone(&other);

    assert_eq!(
        print(vec![error, note, unread]),
        "::error file=app/src/a.rs,line=2,endLine=4,title=lvlint(mount-reads-request-assigns)::e\n\
         ::notice file=app/src/a.rs,line=3,col=9,endLine=3,endColumn=10,\
         title=lvlint(session-stores-struct)::n\n\
         ::error file=app/src/b.rs,title=lvlint(io-error)::could not read `src/b.rs`\n\
         2 errors, 0 warnings, 1 note in 2 files; 2 files checked\n"
    );
}

#[test]
fn a_real_run_prints_commands_then_the_summary_and_keeps_the_exit_code() {
    let run = lvlint(&["--parse-all", "--format", "github", "tests/data/non_ascii.rs"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "::error file=tests/data/non_ascii.rs,line=2,col=20,endLine=2,endColumn=21,\
         title=lvlint(syntax-error)::could not parse `tests/data/non_ascii.rs`: \
         expected an expression\n\
         1 error, 0 warnings in 1 file; 1 file checked\n"
    );

    let clean = lvlint(&["--format", "github", "tests/data/clean.rs"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "no problems found; 1 file checked\n"));
}
