//! `cargo lvlint`: package selection through `cargo metadata`, an index that spans the whole
//! workspace, and the cargo-facing flags, run on the real `cargo-lvlint` binary against a
//! temporary copy of `tests/data/ws-two` (members `a` and `b`; `b` stores `a::User`).

#![allow(clippy::unwrap_used)] // A test that meets the unexpected should stop right there.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A syntax error in a file no `mod` declares: cargo never compiles it, lvlint reads every
/// file under a target's directory, so each member gets one finding that shows it was linted.
const DRAFT: &str = "pub fn mount(socket: Socket) {\n    let x = ;\n}\n";

/// A temporary copy of the two-member workspace, with a draft in each member.
pub fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/data/ws-two"), dir.path());
    for member in ["a", "b"] {
        std::fs::write(dir.path().join(member).join("src/draft.rs"), DRAFT).unwrap();
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `cargo lvlint ARGS` as cargo runs it: `cargo-lvlint lvlint ARGS`.
pub fn cargo_lvlint(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = Command::cargo_bin("cargo-lvlint").unwrap();
    cmd.current_dir(dir).arg("lvlint").args(args);
    cmd.assert()
}

struct Report {
    code: i32,
    /// `(path, line, rule)` of every finding.
    findings: Vec<(String, u64, String)>,
    files: u64,
    parsed: u64,
}

fn report(dir: &Path, args: &[&str]) -> Report {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = cargo_lvlint(dir, &all).get_output().clone();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", output_text(&output.stdout), output_text(&output.stderr))
    });
    let findings = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().replace('\\', "/");
            (path, d["line"].as_u64().unwrap(), d["rule"].as_str().unwrap().to_owned())
        })
        .collect();
    Report {
        code: output.status.code().unwrap(),
        findings,
        files: doc["summary"]["files"].as_u64().unwrap(),
        parsed: doc["summary"]["parsed"].as_u64().unwrap(),
    }
}

fn output_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn draft(path: &str) -> (String, u64, String) {
    (path.to_owned(), 2, "syntax-error".to_owned())
}

/// b's handler stores the whole `a::User`: found only when a's struct is in the index.
fn stored(path: &str) -> (String, u64, String) {
    (path.to_owned(), 13, "session-stores-struct".to_owned())
}

#[test]
fn at_a_virtual_manifest_every_member_is_linted() {
    let ws = workspace();
    let run = report(ws.path(), &[]);
    assert_eq!(
        run.findings,
        [draft("a/src/draft.rs"), draft("b/src/draft.rs"), stored("b/src/lib.rs")]
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.files, 5);
}

#[test]
fn package_flag_lints_one_member_and_still_indexes_the_other() {
    let ws = workspace();
    let run = report(ws.path(), &["-p", "b"]);
    // The finding on b's handler needs `a::User` in the index: the index spans the workspace.
    assert_eq!(run.findings, [draft("b/src/draft.rs"), stored("b/src/lib.rs")]);
    assert_eq!(run.files, 2);
    // b's two files, a's draft (a candidate, parsed but not reported) and `a/src/lib.rs`,
    // parsed only because it defines `User`; `a/src/unrelated.rs` is read but never parsed.
    assert_eq!(run.parsed, 4);

    let run = report(ws.path(), &["--package", "a", "-p", "b"]);
    assert_eq!(
        run.findings,
        [draft("a/src/draft.rs"), draft("b/src/draft.rs"), stored("b/src/lib.rs")]
    );
}

#[test]
fn in_a_member_directory_that_member_is_linted() {
    let ws = workspace();
    let run = report(&ws.path().join("a"), &[]);
    assert_eq!(run.findings, [draft("src/draft.rs")]);
    assert_eq!(run.files, 3);
}

#[test]
fn workspace_with_exclude_leaves_a_member_out() {
    let ws = workspace();
    let run = report(&ws.path().join("a"), &["--workspace", "--exclude", "a"]);
    let b_draft = ws.path().join("b/src/draft.rs");
    let b_lib = ws.path().join("b/src/lib.rs");
    assert_eq!(run.findings, [draft(&b_draft.to_string_lossy()), stored(&b_lib.to_string_lossy())]);
    let run = report(ws.path(), &["--all", "--exclude", "b"]);
    assert_eq!(run.findings, [draft("a/src/draft.rs")]);

    let assert = cargo_lvlint(ws.path(), &["--exclude", "b"]).code(2);
    let stderr = output_text(&assert.get_output().stderr);
    assert!(stderr.contains("--workspace"), "{stderr}");
}

#[test]
fn manifest_path_works_from_another_directory() {
    let ws = workspace();
    let elsewhere = tempfile::tempdir().unwrap();
    let manifest = ws.path().join("Cargo.toml");
    let run = report(elsewhere.path(), &["--manifest-path", &manifest.to_string_lossy()]);
    let shown = |member: &str| ws.path().join(member).join("src/draft.rs");
    let b_lib = ws.path().join("b/src/lib.rs").to_string_lossy().into_owned();
    let mut expected: Vec<_> =
        ["a", "b"].iter().map(|m| draft(&shown(m).to_string_lossy())).collect();
    expected.push(stored(&b_lib));
    assert_eq!(run.findings, expected);

    let b_manifest = ws.path().join("b/Cargo.toml");
    let run = report(elsewhere.path(), &["--manifest-path", &b_manifest.to_string_lossy()]);
    assert_eq!(run.findings, [draft(&shown("b").to_string_lossy()), stored(&b_lib)]);
}

#[test]
fn an_unknown_package_is_an_error_naming_the_members() {
    let ws = workspace();
    let assert = cargo_lvlint(ws.path(), &["-p", "c"]).code(2);
    let stderr = output_text(&assert.get_output().stderr);
    let root = std::fs::canonicalize(ws.path()).unwrap();
    assert_eq!(
        stderr,
        format!(
            "error: package `c` is not a member of the workspace at `{}` (members: a, b)\n",
            root.display()
        )
    );
}

#[test]
fn a_manifest_cargo_cannot_read_exits_2_with_cargos_words() {
    let ws = workspace();
    std::fs::write(ws.path().join("b/Cargo.toml"), "[package\nname = ").unwrap();
    let assert = cargo_lvlint(ws.path(), &[]).code(2);
    let output = assert.get_output();
    let stderr = output_text(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("b/Cargo.toml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn explicit_paths_and_plain_lvlint_need_no_cargo_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/draft.rs"), DRAFT).unwrap();

    let mut cmd = Command::cargo_bin("lvlint").unwrap();
    let assert = cmd.current_dir(dir.path()).args(["--format", "short", "src/"]).assert();
    let stdout = output_text(&assert.code(1).get_output().stdout);
    assert!(stdout.starts_with("src/draft.rs:2:13: error[syntax-error]: "), "{stdout}");

    let mut cmd = Command::cargo_bin("lvlint").unwrap();
    let assert = cmd.current_dir(dir.path()).args(["--format", "short"]).assert();
    let plain = output_text(&assert.code(1).get_output().stdout);
    assert_eq!(plain, stdout);

    // `cargo lvlint` follows cargo: no manifest is an error in cargo's words.
    let assert = cargo_lvlint(dir.path(), &[]).code(2);
    let stderr = output_text(&assert.get_output().stderr);
    assert!(stderr.contains("could not find `Cargo.toml`"), "{stderr}");
}

#[test]
fn cargo_help_lvlint_prints_lvlints_help() {
    let bin: PathBuf = assert_cmd::cargo::cargo_bin("cargo-lvlint");
    let bin_dir = bin.parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    let assert = cmd.env("PATH", path).args(["help", "lvlint"]).assert().success();
    let stdout = output_text(&assert.get_output().stdout);
    assert!(stdout.contains("Usage: cargo lvlint [OPTIONS] [PATH]..."), "{stdout}");
    assert!(stdout.contains("--manifest-path <PATH>"), "{stdout}");
}
