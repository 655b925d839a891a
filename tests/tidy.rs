//! Guard rails for the codebase itself: every source file opens with a `//!` doc, every rule has
//! a document and a fixture directory, and rule messages follow the convention.

use std::path::Path;

fn rust_files(dir: &str) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let missing: Vec<String> = rust_files("src")
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` doc: {missing:?}");
}

#[test]
fn every_rule_has_a_doc_and_fixtures() {
    for meta in lvlint::rules::RULES {
        let doc = format!("rules/{}.md", meta.id);
        let text = std::fs::read_to_string(&doc).unwrap_or_default();
        assert!(text.starts_with(&format!("# {}\n", meta.id)), "{doc} must start with its id");
        for section in [
            "## What it finds",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## How to silence",
        ] {
            assert!(text.contains(section), "{doc} lacks `{section}`");
        }
        let fixtures = format!("fixtures/{}", meta.id);
        assert!(Path::new(&fixtures).is_dir(), "{fixtures} is missing");
        assert!(
            meta.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "rule ids are kebab-case: {}",
            meta.id
        );
    }
}

#[test]
fn every_expected_file_has_its_fixture() {
    for meta in lvlint::rules::RULES {
        let dir = format!("fixtures/{}", meta.id);
        for entry in std::fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "expected") {
                assert!(path.with_extension("rs").is_file(), "orphan {}", path.display());
            }
        }
    }
}

#[test]
fn messages_start_lowercase_and_end_without_a_period() {
    let run = crate::util::lvlint(&["--format", "json", "fixtures"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!diags.is_empty());
    for diag in diags {
        let message = diag["message"].as_str().unwrap_or_default();
        let first = message.chars().next().unwrap_or('x');
        assert!(!first.is_uppercase(), "message starts upper-case: {message}");
        assert!(
            !message.ends_with('.') && !message.ends_with('!'),
            "message ends with punctuation: {message}"
        );
    }
}
