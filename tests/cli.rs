//! The command line: exit codes, formats, levels and explanations.

use crate::util::lvlint;

#[test]
fn missing_path_exits_2_and_names_it() {
    let run = lvlint(&["no/such/dir"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `no/such/dir` does not exist; pass files or directories that do\n"
    );
}

#[test]
fn unknown_rule_in_level_flag_exits_2() {
    let run = lvlint(&["-A", "no-such-rule", "fixtures"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: unknown rule `no-such-rule`; known rules: "));
}

#[test]
fn rules_lists_every_rule_with_its_level() {
    let run = lvlint(&["rules"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("mount-reads-request-assigns  deny "));
    assert!(lines[1].starts_with("eager-assign-new             warn "));
    assert!(lines[2].starts_with("session-stores-struct        warn "));
}

#[test]
fn explain_prints_the_rule_doc_and_rejects_unknown_rules() {
    let run = lvlint(&["explain", "eager_assign_new"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# eager-assign-new"));
    let run = lvlint(&["explain", "nope"]);
    assert_eq!(run.code, 2);
}

const STORE: &str = "tests/data/cli/store.rs";

#[test]
fn json_output_carries_every_field() {
    let run = lvlint(&["--format", "json", STORE]);
    assert_eq!(run.code, 0, "a warning alone does not fail the run");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid json");
    assert_eq!(doc["version"], 1);
    let diags = doc["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), 1);
    let diag = &diags[0];
    assert_eq!(diag["rule"], "session-stores-struct");
    assert_eq!(diag["severity"], "warning");
    assert_eq!(
        diag["message"],
        "session key `user` stores the whole `User` struct (2 fields) in the cookie"
    );
    assert_eq!(diag["path"], STORE);
    assert_eq!((diag["line"].as_u64(), diag["column"].as_u64()), (Some(7), Some(28)));
    assert_eq!((diag["end_line"].as_u64(), diag["end_column"].as_u64()), (Some(7), Some(33)));
    assert_eq!(diag["help"], "store `user.id` instead and load the `User` from it when needed");
    assert_eq!(diag["fix"], serde_json::Value::Null);
    let label = &diag["labels"][0];
    assert_eq!(label["message"], "`User` is defined here with 2 fields");
    assert_eq!((label["line"].as_u64(), label["column"].as_u64()), (Some(1), Some(12)));
    assert_eq!((label["end_line"].as_u64(), label["end_column"].as_u64()), (Some(1), Some(16)));
    let summary = &doc["summary"];
    assert_eq!(summary["files"], 1);
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 1);
    assert_eq!(summary["notes"], 0);
    assert_eq!(summary["parse_failures"], 0);
}

#[test]
fn short_output_is_one_line_per_finding_and_summary_goes_to_stderr() {
    let run = lvlint(&["--format", "short", STORE]);
    assert_eq!(
        run.stdout,
        "tests/data/cli/store.rs:7:28: warning[session-stores-struct]: session key `user` \
         stores the whole `User` struct (2 fields) in the cookie\n"
    );
    assert_eq!(run.stderr, "0 errors, 1 warning in 1 file; 1 file checked\n");
}

#[test]
fn human_output_shows_the_snippet_and_the_summary() {
    let run = lvlint(&["--color", "never", STORE]);
    assert!(run.stdout.contains("session key `user` stores the whole `User` struct"));
    assert!(run.stdout.contains(" 7 │     session.insert(\"user\", &user);"), "{}", run.stdout);
    assert!(run.stdout.contains("`User` is defined here with 2 fields"));
    assert!(run.stdout.ends_with("0 errors, 1 warning in 1 file; 1 file checked\n"));
    assert!(!run.stdout.contains('\u{1b}'), "no colour with --color never");
}

#[test]
fn colour_follows_the_flag() {
    let run = lvlint(&["--color", "always", STORE]);
    assert!(run.stdout.contains('\u{1b}'));
}

#[test]
fn levels_change_severity_and_exit_code() {
    let deny = lvlint(&["--format", "short", "-D", "session-stores-struct", STORE]);
    assert_eq!(deny.code, 1);
    assert!(deny.stdout.contains(": error[session-stores-struct]: "));

    let warnings = lvlint(&["--format", "short", "-D", "warnings", STORE]);
    assert_eq!(warnings.code, 1);

    let allowed = lvlint(&["--format", "short", "-A", "session-stores-struct", STORE]);
    assert_eq!((allowed.code, allowed.stdout.as_str()), (0, ""));

    let later_wins = lvlint(&[
        "--format",
        "short",
        "-D",
        "session_stores_struct",
        "-W",
        "session-stores-struct",
        STORE,
    ]);
    assert_eq!(later_wins.code, 0);
    assert!(later_wins.stdout.contains(": warning[session-stores-struct]: "));
}

#[test]
fn syntax_error_is_reported_at_its_place_and_fails_the_run() {
    // `--parse-all`: without it, a file with no candidate word is not parsed at all.
    let run = lvlint(&["--format", "short", "--parse-all", "tests/data/broken.rs", STORE]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "the other file is still checked: {}", run.stdout);
    assert!(
        lines[0].starts_with("tests/data/broken.rs:1:16: error[syntax-error]: could not parse")
    );
    assert!(lines[1].starts_with("tests/data/cli/store.rs:7:28: warning[session-stores-struct]"));
}

#[test]
fn non_utf8_file_is_an_io_error_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("latin1.rs");
    std::fs::write(&bad, b"fn caf\xe9() {}\n").expect("write");
    let bad_path = bad.to_string_lossy().into_owned();
    let run = lvlint(&["--format", "short", &bad_path, STORE]);
    assert_eq!(run.code, 1);
    let expected = format!(
        "{bad_path}:1:1: error[io-error]: `{bad_path}` is not UTF-8 text (invalid byte at offset \
         6); save it as UTF-8 or exclude it from the paths given to lvlint"
    );
    assert_eq!(run.stdout.lines().next(), Some(expected.as_str()));
}

#[test]
fn file_without_candidates_is_not_parsed_unless_parse_all() {
    let run = lvlint(&["--format", "json", "tests/data/broken.rs"]);
    assert_eq!(run.code, 0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid json");
    assert_eq!(doc["summary"]["files"], 1);
    assert_eq!(doc["summary"]["parsed"], 0);
    assert_eq!(doc["diagnostics"].as_array().map(Vec::len), Some(0));
}

#[test]
fn symlinked_files_are_linted_and_non_regular_files_reported_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("real.rs"), "fn mount(socket: Socket) { socket.private; }\n")
        .expect("write");
    std::fs::create_dir(root.join("d")).expect("mkdir");
    std::os::unix::fs::symlink("../real.rs", root.join("d/link.rs")).expect("symlink");
    std::os::unix::fs::symlink("nowhere.rs", root.join("d/dangling.rs")).expect("symlink");
    let fifo = std::process::Command::new("mkfifo").arg(root.join("d/fifo.rs")).status();
    assert!(fifo.expect("mkfifo").success());

    let d = root.join("d").to_string_lossy().into_owned();
    let run = lvlint(&["--format", "short", &d]);
    let lines: Vec<String> = run.stdout.lines().map(|l| l.replace(&d, "<d>")).collect();
    assert_eq!(
        lines,
        [
            "<d>/dangling.rs:1:1: error[io-error]: could not read `<d>/dangling.rs`: a symbolic \
             link that cannot be followed: No such file or directory (os error 2); lvlint \
             skipped it",
            "<d>/fifo.rs:1:1: error[io-error]: could not read `<d>/fifo.rs`: not a regular file \
             (lvlint does not read FIFOs, sockets or devices); lvlint skipped it",
            "<d>/link.rs:1:28: error[mount-reads-request-assigns]: `mount` reads \
             `socket.private`, which is empty on the connected render",
        ]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn argument_errors_are_plain_text_into_a_pipe() {
    let run = lvlint(&["--bogus"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: unexpected argument '--bogus' found"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'));
}

#[test]
fn text_from_the_linted_code_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evil.rs");
    std::fs::write(
        &file,
        concat!(
            "fn mount(socket: &mut Socket) {\n",
            "    socket.assign_new(\"\\x1b[2J\\u{202e}k\\n\", load());\n}\n",
        ),
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    for format in ["short", "human", "github"] {
        let run = lvlint(&["--format", format, "--color", "never", &path]);
        let raw = run.stdout.chars().find(|c| lvlint::diagnostic::is_unsafe_char(*c) && *c != '\n');
        assert_eq!(raw, None, "{format}: {}", run.stdout);
    }
    let run = lvlint(&["--format", "short", &path]);
    assert!(run.stdout.contains(r#"for "\u{1b}[2J\u{202e}k\u{a}" is given"#), "{}", run.stdout);
}

#[test]
fn a_huge_job_count_is_capped_not_obeyed() {
    let run = lvlint(&["-j", "100000", "--format", "short", STORE]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn only_report_refuses_what_is_not_a_file_and_warns_on_a_file_not_linted() {
    let run = lvlint(&["--format", "short", "--only-report", "typo.rs", STORE]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `--only-report typo.rs` is not a file (it does not exist); name the file whose \
         findings to report\n"
    );

    let run = lvlint(&["--format", "short", "--only-report", "tests/data", STORE]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("(it is a directory)"), "{}", run.stderr);

    let run = lvlint(&["--format", "short", "--only-report", "README.md", STORE]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.starts_with(
            "warning: `--only-report README.md` names no file that lvlint lints here; nothing \
             is reported for it\n"
        ),
        "{}",
        run.stderr
    );
}
