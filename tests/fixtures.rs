//! The fixture harness. Every `.rs` file (or directory of files, for multi-file cases) under
//! `fixtures/<rule>/` and `fixtures/sample-app/` is linted; each flagged line carries a marker
//! comment naming the rule and column it expects:
//!
//! ```text
//! socket.assign_new("user", load_user(id)); //~ eager-assign-new:31
//! ```
//!
//! A missing or an extra finding fails the test, and so does a difference from the case's
//! `.expected` file (the `--format short` output; `LVLINT_BLESS=1` rewrites it).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::util::{check_expected, lvlint};

/// `(path, line, column, rule)` of one finding.
type Finding = (String, usize, usize, String);

/// The markers written in a case: `//~ rule:col` (several may follow one `//~`).
fn markers(case: &Path) -> BTreeSet<Finding> {
    let mut found = BTreeSet::new();
    for file in rust_files(case) {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let shown = file.to_string_lossy().replace('\\', "/");
        for (idx, line) in text.lines().enumerate() {
            let Some(pos) = line.find("//~ ") else { continue };
            for marker in line[pos + 4..].split_whitespace() {
                let Some((rule, col)) = marker.split_once(':') else { continue };
                let Ok(col) = col.parse::<usize>() else { continue };
                found.insert((shown.clone(), idx + 1, col, rule.to_owned()));
            }
        }
    }
    found
}

fn rust_files(case: &Path) -> Vec<PathBuf> {
    if case.is_file() {
        return vec![case.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(case)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// The findings lvlint reports for a case, read from `--format json`.
fn findings(case: &Path, extra: &[&str]) -> (BTreeSet<Finding>, String) {
    let path = case.to_string_lossy().into_owned();
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    args.push(&path);
    let run = lvlint(&args);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let mut found = BTreeSet::new();
    for diag in doc["diagnostics"].as_array().into_iter().flatten() {
        found.insert((
            diag["path"].as_str().unwrap_or_default().to_owned(),
            diag["line"].as_u64().unwrap_or_default() as usize,
            diag["column"].as_u64().unwrap_or_default() as usize,
            diag["rule"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    let short = lvlint(&["--format", "short", &path]).stdout;
    (found, short)
}

/// Every case under the fixture directories that the harness runs.
fn cases() -> Vec<PathBuf> {
    let mut cases = Vec::new();
    let Ok(dirs) = std::fs::read_dir("fixtures") else { return cases };
    let mut dirs: Vec<PathBuf> = dirs.filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if name == "hostile" || !dir.is_dir() {
            continue;
        }
        if name == "sample-app" {
            cases.push(dir);
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        cases.extend(
            entries.into_iter().filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs")),
        );
    }
    cases
}

fn expected_file(case: &Path) -> PathBuf {
    if case.is_dir() { case.join("expected.txt") } else { case.with_extension("expected") }
}

#[test]
fn every_fixture_reports_exactly_its_markers() {
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() > 3, "fixtures missing: found {} cases", all.len());
    for case in &all {
        let expected = markers(case);
        let (actual, short) = findings(case, &[]);
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures
                .push(format!("{}:\n  missing {missing:?}\n  extra   {extra:?}", case.display()));
        }
        if let Err(diff) = check_expected(&expected_file(case), &short) {
            failures.push(diff);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn findings_are_the_same_with_and_without_parse_all() {
    for case in cases() {
        let (lazy, _) = findings(&case, &[]);
        let (all, _) = findings(&case, &["--parse-all"]);
        let rules_only = |set: BTreeSet<Finding>| -> BTreeSet<Finding> {
            set.into_iter().filter(|f| f.3 != "syntax-error").collect()
        };
        assert_eq!(rules_only(lazy), rules_only(all), "{}", case.display());
    }
}
