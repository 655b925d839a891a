//! The on-demand index: without `--parse-all`, lvlint parses the candidates and, by name, the
//! files that define what they lead to (transitively), and nothing else; the findings are the
//! same either way.

#![allow(clippy::unwrap_used)] // a test that cannot read its own inputs should fail loudly

use std::collections::BTreeSet;
use std::path::Path;

use crate::util::lvlint;

/// A small project: `live.rs` is the candidate; `unrelated.rs` defines only names the
/// candidate uses as method names, and `broken.rs` is never needed.
const PROJECT: &[(&str, &str)] = &[
    (
        "live.rs",
        "use crate::store::fetch;\n\
         pub struct Page;\n\
         impl LiveView for Page {\n\
             fn mount(&mut self, socket: &mut Socket) {\n\
                 let account = fetch(1);\n\
                 let profile = Profile::default();\n\
                 let thing = Thing::new();\n\
                 socket.assign(\"name\", account.name());\n\
                 thing.get();\n\
             }\n\
         }\n",
    ),
    ("store.rs", "pub fn fetch(id: u64) -> Account { Account::load(id) }\n"),
    ("account.rs", "pub struct Account {\n    pub org: Org,\n}\n"),
    ("account_impl.rs", "impl Account {\n    pub fn name(&self) -> String { String::new() }\n}\n"),
    ("org.rs", "pub struct Org {\n    pub id: u64,\n}\n"),
    ("profile.rs", "#[derive(Default)]\npub struct Profile;\n"),
    (
        "unrelated.rs",
        "pub struct Unrelated;\n\
         impl Unrelated {\n\
             pub fn new() -> Self { Unrelated }\n\
             pub fn get(&self) {}\n\
         }\n",
    ),
    ("broken.rs", "pub fn broken( {\n"),
];

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in PROJECT {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// `(rule, path, line, column)` of one finding.
type Finding = (String, String, u64, u64);

/// Every finding, and the summary's `files` and `parsed`.
fn lint(dir: &Path, extra: &[&str]) -> (BTreeSet<Finding>, u64, u64) {
    let root = dir.to_string_lossy().into_owned();
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    args.push(&root);
    let run = lvlint(&args);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = d["path"].as_str().unwrap().replace(&root, "<dir>");
            (
                d["rule"].as_str().unwrap().to_owned(),
                path,
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let summary = &doc["summary"];
    (findings, summary["files"].as_u64().unwrap(), summary["parsed"].as_u64().unwrap())
}

#[test]
fn the_index_parses_what_the_candidates_lead_to_and_no_more() {
    let dir = project();
    let (lazy, files, parsed) = lint(dir.path(), &[]);
    // live, store (`fetch`), account (`Account`, its return type), account_impl (an `impl
    // Account`), org (a field type of `Account`), profile (`Profile`); not unrelated or broken.
    assert_eq!((files, parsed), (8, 6));
    assert!(lazy.iter().all(|f| f.0 != "syntax-error"), "{lazy:?}");

    let (all, files, parsed) = lint(dir.path(), &["--parse-all"]);
    assert_eq!((files, parsed), (8, 8));
    let broken = ("syntax-error".to_owned(), "<dir>/broken.rs".to_owned(), 1, 16);
    assert!(all.contains(&broken), "{all:?}");
    let rules_only: BTreeSet<_> = all.into_iter().filter(|f| f.0 != "syntax-error").collect();
    assert_eq!(lazy, rules_only);
}

#[test]
fn every_fixture_at_once_gives_the_same_findings_with_and_without_parse_all() {
    let strip = |set: BTreeSet<Finding>| -> BTreeSet<_> {
        set.into_iter().filter(|f| f.0 != "syntax-error").collect()
    };
    let mut roots: Vec<String> = std::fs::read_dir("fixtures")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir() && !p.ends_with("hostile"))
                .map(|p| p.to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    roots.sort();
    for root in roots {
        let (lazy, files, lazy_parsed) = lint(Path::new(&root), &[]);
        let (all, _, all_parsed) = lint(Path::new(&root), &["--parse-all"]);
        assert_eq!(strip(lazy), strip(all), "{root}");
        assert!(lazy_parsed <= all_parsed && all_parsed == files, "{root}");
    }
}
