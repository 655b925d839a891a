//! `--message-format json`: every line must parse as cargo's own message type, with the spans
//! rustc would give, so that rust-analyzer places lvlint's findings like compiler errors.

#![allow(clippy::unwrap_used)] // A test that meets the unexpected should stop right there.

use std::path::Path;

use assert_cmd::Command;
use cargo_metadata::Message;
use cargo_metadata::diagnostic::{Diagnostic, DiagnosticLevel};

use crate::cargo::workspace;

fn command(bin: &str, dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin(bin).unwrap();
    cmd.current_dir(dir);
    if bin == "cargo-lvlint" {
        cmd.arg("lvlint");
    }
    cmd.args(args);
    cmd
}

/// The stdout lines of a run, each parsed with cargo_metadata, and the raw lines.
fn messages(cmd: &mut Command) -> (Vec<Message>, Vec<serde_json::Value>) {
    let output = cmd.output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let parsed = stdout
        .lines()
        .map(|line| serde_json::from_str::<Message>(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let raw = stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    (parsed, raw)
}

/// The compiler messages of a run, and the `success` of its one final `build-finished`.
fn diagnostics(messages: &[Message]) -> (Vec<(String, Diagnostic)>, bool) {
    let (last, rest) = messages.split_last().unwrap();
    let Message::BuildFinished(finished) = last else { panic!("ends with {last:?}") };
    let mut found = Vec::new();
    for message in rest {
        match message {
            Message::CompilerMessage(msg) => {
                found.push((msg.package_id.repr.clone(), msg.message.clone()));
            }
            Message::BuildFinished(_) => panic!("a second build-finished"),
            _ => {}
        }
    }
    (found, finished.success)
}

#[test]
fn columns_count_characters_after_tabs_and_multibyte_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let text = "fn mount(socket: Socket) {\n\tlet é = \"😀\"; let x = ;\n}\n";
    std::fs::write(dir.path().join("src/ünï.rs"), text).unwrap();

    let (lines, _) = messages(&mut command("lvlint", dir.path(), &["--message-format", "json"]));
    let (found, success) = diagnostics(&lines);
    assert!(!success);
    assert_eq!(found.len(), 1);
    let (package_id, diag) = &found[0];
    assert!(package_id.ends_with("#lvlint-paths@0.0.0"), "{package_id}");
    assert_eq!(diag.level, DiagnosticLevel::Error);
    assert_eq!(diag.code.as_ref().unwrap().code, "lvlint::syntax_error");
    let span = &diag.spans[0];
    assert_eq!(span.file_name, "src/ünï.rs");
    assert_eq!((span.line_start, span.line_end), (2, 2));
    assert_eq!((span.column_start, span.column_end), (23, 24));
    assert_eq!((span.byte_start, span.byte_end), (53, 54));
    assert_eq!(&text[53..54], ";");
    assert!(span.is_primary);
    assert_eq!(span.text.len(), 1);
    assert_eq!(span.text[0].text, "\tlet é = \"😀\"; let x = ;");
    assert_eq!((span.text[0].highlight_start, span.text[0].highlight_end), (23, 24));
    assert!(span.expansion.is_none());
    let rendered = diag.rendered.as_deref().unwrap();
    assert!(rendered.starts_with("error[lvlint::syntax_error]: could not parse"), "{rendered}");
    assert!(rendered.contains("\n --> src/ünï.rs:2:23\n"), "{rendered}");
}

#[test]
fn workspace_messages_name_the_member_and_its_target() {
    let ws = workspace();
    let (lines, raw) =
        messages(&mut command("cargo-lvlint", ws.path(), &["--message-format=json"]));
    let (found, success) = diagnostics(&lines);
    assert!(!success);
    let names: Vec<_> = found.iter().map(|(_, d)| d.spans[0].file_name.as_str()).collect();
    assert_eq!(names, ["a/src/draft.rs", "b/src/draft.rs", "b/src/lib.rs"]);
    let Message::CompilerMessage(first) = &lines[0] else { panic!() };
    assert!(first.package_id.repr.ends_with("/a#0.1.0"), "{}", first.package_id.repr);
    assert_eq!(first.target.name, "a");
    assert!(first.target.is_lib());
    let manifest = raw[0]["manifest_path"].as_str().unwrap();
    assert_eq!(Path::new(manifest), ws.path().join("a/Cargo.toml"));
    assert_eq!(raw[0]["reason"], "compiler-message");
    assert_eq!(raw[0]["message"]["$message_type"], "diagnostic");
}

#[test]
fn only_report_keeps_one_files_findings() {
    let ws = workspace();
    let saved = ws.path().join("b/src/draft.rs");
    let args = ["--message-format=json", "--only-report", saved.to_str().unwrap()];
    let (lines, _) = messages(&mut command("cargo-lvlint", ws.path(), &args));
    let (found, _) = diagnostics(&lines);
    let names: Vec<_> = found.iter().map(|(_, d)| d.spans[0].file_name.as_str()).collect();
    assert_eq!(names, ["b/src/draft.rs"]);
}

#[test]
fn stdin_buffer_replaces_the_file_on_disk() {
    let ws = workspace();
    let buffer = "pub fn mount(socket: Socket) {}\n\npub fn broken( {}\n";
    let mut cmd = command(
        "cargo-lvlint",
        &ws.path().join("b"),
        &["--message-format=json", "--stdin-filename", "src/draft.rs"],
    );
    cmd.write_stdin(buffer);
    let (lines, _) = messages(&mut cmd);
    let (found, _) = diagnostics(&lines);
    // Only the buffer is reported (a's draft is not), at the buffer's line, not the disk's.
    let spans: Vec<_> =
        found.iter().map(|(_, d)| (d.spans[0].file_name.as_str(), d.spans[0].line_start)).collect();
    assert_eq!(spans, [("b/src/draft.rs", 3)]);

    let mut cmd =
        command("cargo-lvlint", ws.path(), &["--message-format=json", "--stdin-filename"]);
    cmd.arg(ws.path().join("b/src/draft.rs")).write_stdin("pub fn mount(socket: Socket) {}\n");
    let (lines, _) = messages(&mut cmd);
    let (found, success) = diagnostics(&lines);
    assert!(found.is_empty() && success);
}

#[test]
fn check_first_passes_cargo_through_then_adds_lvlint() {
    let ws = workspace();
    let args = [
        "--check-first",
        "check",
        "--message-format=json-diagnostic-rendered-ansi",
        "--",
        "--all-targets",
    ];
    let (lines, raw) = messages(&mut command("cargo-lvlint", ws.path(), &args));
    let (found, success) = diagnostics(&lines);
    assert!(!success);
    let codes: Vec<_> = found
        .iter()
        .map(|(_, d)| (d.code.as_ref().unwrap().code.as_str(), d.spans[0].file_name.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            // Once for the lib and once for its test target: `--all-targets` reached cargo.
            ("unused_variables", "b/src/lib.rs"),
            ("unused_variables", "b/src/lib.rs"),
            ("lvlint::syntax_error", "a/src/draft.rs"),
            ("lvlint::syntax_error", "b/src/draft.rs"),
            ("lvlint::session_stores_struct", "b/src/lib.rs"),
        ]
    );
    let artifacts = raw.iter().filter(|line| line["reason"] == "compiler-artifact").count();
    assert_eq!(artifacts, 4);
    let rendered = found[2].1.rendered.as_deref().unwrap();
    assert!(rendered.starts_with("\x1b[1;91merror[lvlint::syntax_error]\x1b[0m"), "{rendered}");
}
