//! Feeds one input through the whole pipeline, in process, once per output format.
//!
//! The first byte picks the options (bit 0: `--parse-all`, bit 1: a second file that defines
//! the names the first one uses, so the on-demand index is exercised); the rest is the content
//! of a `.rs` file, bytes as they come (so non-UTF-8 input reaches the reader too). lvlint
//! catches a panic per file and reports it as `internal-error`: the target turns that back
//! into a crash so that libFuzzer sees it.

#![no_main]

use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 5] = ["human", "short", "json", "sarif", "github"];

const COMPANION: &str = "pub struct User { pub id: u64 }\n\
pub fn load_user(id: u64) -> User { User { id } }\n\
pub type Session = tower_sessions::Session;\n";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, content)) = data.split_first() else { return };
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join("input.rs"), content).is_err() {
        return;
    }
    if flags & 2 != 0 && std::fs::write(dir.path().join("defs.rs"), COMPANION).is_err() {
        return;
    }
    let root = dir.path().to_string_lossy().into_owned();

    for format in FORMATS {
        let mut args: Vec<std::ffi::OsString> =
            vec!["lvlint".into(), "-j1".into(), "--color".into(), "never".into()];
        args.extend(["--format".into(), format.into()]);
        if flags & 1 != 0 {
            args.push("--parse-all".into());
        }
        args.push(root.clone().into());
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = lvlint::run(args, &mut out, &mut err);
        let text = String::from_utf8_lossy(&out);
        let internal = format != "sarif" && text.contains("internal-error");
        assert!(!internal, "internal error ({format}):\n{text}");
        assert!(code == 0 || code == 1, "exit code {code} ({format}):\n{text}");
        if format == "json" || format == "sarif" {
            let doc: Result<serde_json::Value, _> = serde_json::from_str(&text);
            assert!(doc.is_ok(), "the {format} output does not parse:\n{text}");
        }
    }
});
