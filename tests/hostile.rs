//! Hostile inputs. Each case is a directory holding the hostile file and a witness file that
//! is always parsed and always reported, so every expected report also shows that the run
//! went on for the other files. Large inputs are generated into a temporary directory.

#![allow(clippy::unwrap_used)] // a test that cannot read its own inputs should fail loudly

use std::path::Path;

use tempfile::TempDir;

use crate::util::lvlint;

/// Always parsed (it names `mount`) and always reported: a syntax error at 2:13.
const WITNESS: &[u8] = b"fn mount(socket: Socket) {\n    let x = ;\n}\n";

/// The short report of [`WITNESS`].
const WITNESS_REPORT: &str = "<dir>/witness.rs:2:13: error[syntax-error]: could not parse \
                              `<dir>/witness.rs`: expected an expression\n";

/// Writes `files` (relative path, content) and the witness into a new temporary directory.
fn case(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    std::fs::write(dir.path().join("witness.rs"), WITNESS).unwrap();
    dir
}

/// A run of lvlint on `dir`, with the directory's path shown as `<dir>`.
struct Seen {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_on(dir: &Path, args: &[&str]) -> Seen {
    let root = dir.to_string_lossy().into_owned();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&root);
    let run = lvlint(&all);
    Seen {
        code: run.code,
        stdout: run.stdout.replace(&root, "<dir>"),
        stderr: run.stderr.replace(&root, "<dir>"),
    }
}

/// Checks the `--format short` report, with and without `--parse-all`, and the exit code.
fn assert_short(dir: &Path, expected: &str, code: i32) {
    for extra in [&[][..], &["--parse-all"][..]] {
        let mut args = vec!["--format", "short"];
        args.extend_from_slice(extra);
        let seen = run_on(dir, &args);
        assert_eq!(seen.stdout, expected, "{extra:?}");
        assert_eq!(seen.code, code, "{extra:?}: {}", seen.stderr);
    }
}

/// The `files`/`parsed` counts of the JSON summary.
fn counts(dir: &Path, extra: &[&str]) -> (u64, u64) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let seen = run_on(dir, &args);
    let doc: serde_json::Value = serde_json::from_str(&seen.stdout).unwrap();
    let summary = &doc["summary"];
    (summary["files"].as_u64().unwrap(), summary["parsed"].as_u64().unwrap())
}

#[test]
fn expression_nested_ten_thousand_deep_is_too_deeply_nested() {
    let mut text = String::from("fn mount(socket: Socket) {\n    let x = ");
    text.push_str(&"(".repeat(10_000));
    text.push('1');
    text.push_str(&")".repeat(10_000));
    text.push_str(";\n}\n");
    let dir = case(&[("nested.rs", text.as_bytes())]);
    let expected = format!(
        "<dir>/nested.rs:2:512: error[too-deeply-nested]: `<dir>/nested.rs` nests brackets \
         more than 500 deep here; lvlint does not analyse it (split the expression or exclude \
         the generated file)\n{WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn operator_runs_past_the_limit_are_too_deeply_nested() {
    let mut unary = String::from("fn mount(socket: Socket) {\n    let x = ");
    unary.push_str(&"!".repeat(1_000_000));
    unary.push_str("true;\n}\n");
    let mut closures = String::from("fn mount(socket: Socket) {\n    let f = ");
    closures.push_str(&"|x| ".repeat(150_000));
    closures.push_str("1;\n}\n");
    let dir = case(&[("closures.rs", closures.as_bytes()), ("unary.rs", unary.as_bytes())]);
    let expected = format!(
        "<dir>/closures.rs:2:80011: error[too-deeply-nested]: `<dir>/closures.rs` chains more \
         than 40000 operators without brackets here; lvlint does not analyse it (split the \
         expression or exclude the generated file)\n\
         <dir>/unary.rs:2:40012: error[too-deeply-nested]: `<dir>/unary.rs` chains more than \
         40000 operators without brackets here; lvlint does not analyse it (split the \
         expression or exclude the generated file)\n{WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn method_chain_twenty_thousand_long_is_parsed_and_checked() {
    let mut text = String::from("fn mount(socket: Socket) {\n    let x = socket");
    text.push_str(&".touch()".repeat(20_000));
    text.push_str(";\n}\n");
    let dir = case(&[("chain.rs", text.as_bytes())]);
    assert_short(dir.path(), WITNESS_REPORT, 1);
    assert_eq!(counts(dir.path(), &[]), (2, 2));
}

#[test]
fn fifty_megabyte_generated_file_is_read_and_skipped_unless_asked() {
    let mut text = String::with_capacity(51 << 20);
    let mut idx = 0u64;
    while text.len() < 50 << 20 {
        text.push_str(&format!("pub fn generated_{idx}() -> u64 {{ {idx} }}\n"));
        idx += 1;
    }
    let dir = case(&[("generated.rs", text.as_bytes())]);
    let seen = run_on(dir.path(), &["--format", "short"]);
    assert_eq!(seen.stdout, WITNESS_REPORT);
    assert_eq!(seen.code, 1);
    assert_eq!(counts(dir.path(), &[]), (2, 1));
}

#[test]
fn single_ten_megabyte_line_reports_the_right_column_and_clips_the_snippet() {
    let mut text = String::from("fn mount(socket: Socket) { let s = \"");
    text.push_str(&"a".repeat(10 << 20));
    text.push_str("\"; let y = ; }\n");
    let dir = case(&[("line.rs", text.as_bytes())]);
    let column = text.find("; }").unwrap() + 1;
    let expected = format!(
        "<dir>/line.rs:1:{column}: error[syntax-error]: could not parse `<dir>/line.rs`: \
         expected an expression\n{WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);

    let seen = run_on(dir.path(), &["--color", "never"]);
    let head = seen.stdout.get(..seen.stdout.len().min(600)).unwrap_or_default();
    assert!(seen.stdout.contains(&format!("[<dir>/line.rs:1:{column}]")), "{head}");
    let window = format!(" 1 │ …{}\"; let y = ; }}\n", "a".repeat(49));
    assert!(seen.stdout.contains(&window), "{head}");
    assert!(seen.stdout.len() < 2000, "the snippet is not clipped: {} bytes", seen.stdout.len());
}

#[test]
fn non_utf8_file_is_an_io_error() {
    let dir = case(&[("latin1.rs", b"fn mount() { let caf\xe9 = 1; }\n")]);
    let expected = format!(
        "<dir>/latin1.rs:1:1: error[io-error]: `<dir>/latin1.rs` is not UTF-8 text (invalid \
         byte at offset 20); save it as UTF-8 or exclude it from the paths given to lvlint\n\
         {WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn binary_file_named_rs_is_an_io_error() {
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    bytes.extend((0..4096u32).map(|n| (n % 97) as u8));
    let dir = case(&[("program.rs", &bytes)]);
    let expected = format!(
        "<dir>/program.rs:1:1: error[io-error]: `<dir>/program.rs` looks like a binary file \
         (NUL byte at offset 7), not Rust source; exclude it from the paths given to lvlint\n\
         {WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn bom_crlf_tabs_and_wide_characters_keep_columns_right() {
    let dir = case(&[
        ("bom.rs", "\u{feff}fn mount(socket: Socket) {\n    let x = ;\n}\n".as_bytes()),
        ("crlf.rs", b"fn mount(socket: Socket) {\r\n    let x = ;\r\n}\r\n"),
        ("wide.rs", "fn mount(socket: Socket) {\n\tlet s = \"日本😀\"; let y = ;\n}\n".as_bytes()),
    ]);
    let expected = format!(
        "<dir>/bom.rs:2:13: error[syntax-error]: could not parse `<dir>/bom.rs`: expected an \
         expression\n\
         <dir>/crlf.rs:2:13: error[syntax-error]: could not parse `<dir>/crlf.rs`: expected an \
         expression\n\
         <dir>/wide.rs:2:25: error[syntax-error]: could not parse `<dir>/wide.rs`: expected an \
         expression\n{WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn empty_file_is_counted_and_quiet() {
    let dir = case(&[("empty.rs", b"")]);
    assert_short(dir.path(), WITNESS_REPORT, 1);
    assert_eq!(counts(dir.path(), &[]), (2, 1));
    assert_eq!(counts(dir.path(), &["--parse-all"]), (2, 2));
}

#[test]
fn directory_symlink_loop_is_not_followed() {
    let dir = case(&[("app/page.rs", b"pub struct Page;\n")]);
    std::os::unix::fs::symlink("..", dir.path().join("app/up")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("app"), dir.path().join("app/again")).unwrap();
    assert_short(dir.path(), WITNESS_REPORT, 1);
    assert_eq!(counts(dir.path(), &[]), (2, 1));
}

/// Root reads any directory whatever its mode, so the case that fails for root too is a
/// directory whose path is longer than the system allows (`ENAMETOOLONG`). When the tests run
/// as another user, a directory without permissions is checked as well.
#[test]
fn unreadable_directory_is_reported_and_skipped() {
    let dir = case(&[]);
    let segment = "d".repeat(200);
    let parent = (0..20).fold(dir.path().to_path_buf(), |path, _| path.join(&segment));
    std::fs::create_dir_all(&parent).unwrap();
    // The last directory's full path is too long to open; it is made relative to its parent.
    let made = std::process::Command::new("mkdir").arg(&segment).current_dir(&parent).status();
    assert!(made.unwrap().success());

    let seen = run_on(dir.path(), &["--format", "short"]);
    let shown = format!("<dir>/{}", vec![segment.as_str(); 21].join("/"));
    let expected = format!(
        "{shown}:1:1: error[io-error]: could not read `{shown}`: File name too long (os error \
         36); lvlint skipped it\n{WITNESS_REPORT}"
    );
    assert_eq!(seen.stdout, expected);
    assert_eq!(seen.code, 1);

    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("inside.rs"), b"fn mount() {}\n").unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let root_reads_anyway = std::fs::read_dir(&locked).is_ok();
    let seen = run_on(dir.path(), &["--format", "short"]);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    if !root_reads_anyway {
        assert!(
            seen.stdout.contains(
                "<dir>/locked:1:1: error[io-error]: could not read `<dir>/locked`: Permission \
                 denied (os error 13); lvlint skipped it\n"
            ),
            "{}",
            seen.stdout
        );
    }
}

#[test]
fn file_that_vanishes_before_it_is_read_is_an_io_error() {
    use lvlint::engine::{EngineOptions, Input};

    let dir = case(&[("gone.rs", b"fn mount(socket: Socket) {}\n")]);
    let gone = dir.path().join("gone.rs");
    let witness = dir.path().join("witness.rs");
    let inputs: Vec<Input> = [&gone, &witness]
        .iter()
        .map(|path| Input {
            path: path.to_path_buf(),
            display: path.file_name().unwrap().to_string_lossy().into_owned(),
            text: None,
            report: true,
        })
        .collect();
    std::fs::remove_file(&gone).unwrap();

    let profile = lvlint::profile::ApiProfile::default();
    let levels = lvlint::settings::Levels::default();
    let options = EngineOptions { profile: &profile, levels: &levels, parse_all: false, jobs: 2 };
    let outcome = lvlint::engine::run(inputs, &options);
    let seen: Vec<String> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}: {}",
                d.path(),
                d.span.start.line,
                d.span.start.column,
                d.rule,
                d.message
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            "gone.rs:1:1: io-error: could not read `gone.rs`: No such file or directory (os \
             error 2)",
            "witness.rs:2:13: syntax-error: could not parse `witness.rs`: expected an expression",
        ]
    );
    assert_eq!((outcome.files, outcome.parsed, outcome.parse_failures), (2, 1, 2));
}

#[test]
fn syntax_syn_does_not_know_is_a_syntax_error_at_its_place() {
    // A `gen` block (unstable): syn reads `gen { .. }` as a struct literal and stops at `yield`.
    let text = "fn mount(socket: Socket) {\n    let numbers = gen { yield 1; };\n}\n";
    let dir = case(&[("unknown.rs", text.as_bytes())]);
    let expected = format!(
        "<dir>/unknown.rs:2:25: error[syntax-error]: could not parse `<dir>/unknown.rs`: \
         expected identifier or integer\n{WITNESS_REPORT}"
    );
    assert_short(dir.path(), &expected, 1);
}

#[test]
fn panic_in_one_file_is_an_internal_error_and_exit_2() {
    let marker = "lvlint-test-injected-panic-7f3a";
    let text = format!("// {marker}\nfn mount(socket: Socket) {{}}\n");
    let dir = case(&[("panics.rs", text.as_bytes())]);
    lvlint::engine::inject_panic_marker(Some(marker));
    let seen = run_on(dir.path(), &["--format", "short"]);
    lvlint::engine::inject_panic_marker(None);
    let expected = format!(
        "<dir>/panics.rs:1:1: error[internal-error]: lvlint failed while parsing \
         `<dir>/panics.rs`; this is a bug in lvlint, please report it with this file\n\
         {WITNESS_REPORT}"
    );
    assert_eq!(seen.stdout, expected);
    assert_eq!(seen.code, 2);
}

/// Replays the fuzzer's corpus with the fuzz target's checks: no `internal-error`, an exit
/// code of 0 or 1, and a JSON report that parses, in every format.
#[test]
fn fuzz_corpus_replays_cleanly() {
    const COMPANION: &[u8] = b"pub struct User { pub id: u64 }\n\
        pub fn load_user(id: u64) -> User { User { id } }\n\
        pub type Session = tower_sessions::Session;\n";
    let mut inputs: Vec<_> = std::fs::read_dir("fuzz/corpus/pipeline")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "the fuzz corpus is missing: {} files", inputs.len());
    for input in inputs {
        let data = std::fs::read(&input).unwrap();
        let Some((&flags, content)) = data.split_first() else { continue };
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("input.rs"), content).unwrap();
        if flags & 2 != 0 {
            std::fs::write(dir.path().join("defs.rs"), COMPANION).unwrap();
        }
        for format in ["human", "short", "json", "sarif", "github"] {
            let mut args = vec!["-j1", "--color", "never", "--format", format];
            if flags & 1 != 0 {
                args.push("--parse-all");
            }
            let seen = run_on(dir.path(), &args);
            let shown = input.display();
            // An internal error exits with 2; SARIF lists the rule in every log, so the text
            // alone tells only for the other formats.
            let internal = format != "sarif" && seen.stdout.contains("internal-error");
            assert!(!internal, "{shown} ({format}): {}", seen.stdout);
            assert!(seen.code == 0 || seen.code == 1, "{shown} ({format}): exit {}", seen.code);
            if format == "json" || format == "sarif" {
                let doc: Result<serde_json::Value, _> = serde_json::from_str(&seen.stdout);
                assert!(doc.is_ok(), "{shown} ({format}): {}", seen.stdout);
            }
        }
    }
}
