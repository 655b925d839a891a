//! `--format sarif`: the log validates against the SARIF 2.1.0 schema (vendored from the
//! `serde-sarif` crate, which ships it), reads back into `serde-sarif`'s types without losing a
//! field, and carries UTF-16 columns, repository-relative URIs, fixes and stable fingerprints.
#![allow(clippy::unwrap_used)] // a test that unwraps fails with the value it got

use std::path::PathBuf;
use std::sync::Arc;

use lvlint::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Severity};
use lvlint::engine::Outcome;
use lvlint::report::location::RepoRoot;
use lvlint::report::sarif;
use lvlint::source::SourceFile;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

use crate::util::lvlint;

/// A source file at `path` (relative paths are joined to the test's repository root).
pub fn source(path: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile::new(path.into(), path.into(), text.to_owned()))
}

/// A finding of `rule` on the first occurrence of `needle` in `file`.
pub fn finding(rule: &'static str, file: &Arc<SourceFile>, needle: &str, msg: &str) -> Diagnostic {
    let start = file.text.find(needle).unwrap();
    Diagnostic {
        rule,
        severity: Severity::Warning,
        message: msg.to_owned(),
        file: Arc::clone(file),
        span: file.span(start..start + needle.len()),
        labels: Vec::new(),
        help: None,
        notes: Vec::new(),
        fix: None,
    }
}

pub fn outcome(diagnostics: Vec<Diagnostic>) -> Outcome {
    Outcome { files: 2, parsed: 2, parse_failures: 0, diagnostics }
}

/// A repository at `/repo`, run from `/repo/app`.
pub fn repo() -> RepoRoot {
    RepoRoot::new(PathBuf::from("/repo/app"), Some(PathBuf::from("/repo")))
}

fn log_value(outcome: &Outcome, repo: &RepoRoot) -> Value {
    let mut out = Vec::new();
    sarif::write(outcome, repo, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// Every violation of the SARIF 2.1.0 schema in `log`, as `path: message`.
fn schema_errors(log: &Value) -> Vec<String> {
    let schema_text = std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    let mut schema: Value = serde_json::from_str(&schema_text).unwrap();
    // The published schema has a stray `]` in its `language` patterns; ECMAScript reads it as
    // a literal, the validator's meta-check rejects it. Escaping it keeps its meaning.
    assert_eq!(escape_stray_brackets(&mut schema), 2);
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator.iter_errors(log).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Fails with every schema violation, then checks that `serde-sarif` reads the log back into
/// the same JSON (a field its types do not know would be dropped and show as a difference).
fn assert_valid_sarif(log: &Value) {
    assert_eq!(schema_errors(log), Vec::<String>::new());

    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).unwrap();
    assert_eq!(&serde_json::to_value(&typed).unwrap(), log);
}

#[test]
fn the_schema_check_rejects_a_broken_log() {
    let mut log = log_value(&rich_outcome(), &repo());
    let region = &mut log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region["startColumn"] = json!(0);
    region["charColumn"] = json!(3);
    let errors = schema_errors(&log);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|e| e.starts_with("/runs/0/results/0/locations/0/")), "{errors:?}");
}

fn escape_stray_brackets(schema: &mut Value) -> usize {
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match schema {
        Value::Object(map) => {
            let mut fixed = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == STRAY {
                    *value = Value::from(STRAY.replace("}]?", "}\\]?"));
                    fixed += 1;
                } else {
                    fixed += escape_stray_brackets(value);
                }
            }
            fixed
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_brackets).sum(),
        _ => 0,
    }
}

fn rich_outcome() -> Outcome {
    let file = source(
        "src/my live#view.rs",
        "fn mount() {\n    socket.assign_new(\"user\", load_user(id));\n}\n",
    );
    let other = source("../lib/src/model.rs", "pub struct User {\n    pub name: String,\n}\n");
    let mut diag = finding("eager-assign-new", &file, "load_user(id)", "`load_user(id)` runs");
    diag.help = Some("wrap it in a closure: `|| load_user(id)`".to_owned());
    diag.notes = vec!["`assign_new` calls the closure only when needed".to_owned()];
    let user = other.text.find("User").unwrap();
    diag.labels = vec![
        Label {
            message: "the value is computed here".to_owned(),
            file: None,
            span: file.span(file.text.find("load_user").unwrap()..file.text.find("(id)").unwrap()),
        },
        Label {
            message: "`User` is defined here".to_owned(),
            file: Some(Arc::clone(&other)),
            span: other.span(user..user + 4),
        },
    ];
    let at = file.text.find("load_user").unwrap();
    diag.fix = Some(Fix {
        message: "wrap the value in a closure".to_owned(),
        applicability: Applicability::Safe,
        edits: vec![Edit { span: file.span(at..at), replacement: "|| ".to_owned() }],
    });
    outcome(vec![diag])
}

#[test]
fn every_listed_field_is_there_and_valid() {
    let log = log_value(&rich_outcome(), &repo());
    assert_valid_sarif(&log);

    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert_eq!(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "lvlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(driver["informationUri"], env!("CARGO_PKG_REPOSITORY"));
    let ids: Vec<&str> =
        driver["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "mount-reads-request-assigns",
            "eager-assign-new",
            "session-stores-struct",
            "syntax-error",
            "io-error",
            "too-deeply-nested",
            "internal-error"
        ]
    );
    let rule = &driver["rules"][1];
    let meta = lvlint::rules::meta("eager-assign-new").unwrap();
    assert_eq!(rule["shortDescription"]["text"], meta.summary);
    assert!(rule["fullDescription"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(rule["help"]["text"], meta.doc);
    assert_eq!(rule["help"]["markdown"], meta.doc);
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
    assert_eq!(driver["rules"][0]["defaultConfiguration"]["level"], "error");
    assert_eq!(
        driver["rules"][3]["fullDescription"]["text"],
        "A file that syn cannot parse. Fix the syntax; the rules then check the file."
    );

    let result = &run["results"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 1);
    assert_eq!(result["ruleId"], "eager-assign-new");
    assert_eq!(result["ruleIndex"], 1);
    assert_eq!(result["level"], "warning");
    assert_eq!(
        result["message"]["text"],
        "`load_user(id)` runs\nhelp: wrap it in a closure: `|| load_user(id)`\n\
         note: `assign_new` calls the closure only when needed"
    );
    let location = &result["locations"][0]["physicalLocation"];
    let here = json!({"uri": "app/src/my%20live%23view.rs", "uriBaseId": "%SRCROOT%"});
    assert_eq!(result["locations"].as_array().unwrap().len(), 1);
    assert_eq!(location["artifactLocation"], here);
    assert_eq!(
        location["region"],
        json!({"startLine": 2, "startColumn": 31, "endLine": 2, "endColumn": 44})
    );
    assert_eq!(
        result["relatedLocations"],
        json!([
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": here,
                    "region": {"startLine": 2, "startColumn": 31, "endLine": 2, "endColumn": 40}
                },
                "message": {"text": "the value is computed here"}
            },
            {
                "id": 2,
                "physicalLocation": {
                    "artifactLocation": {"uri": "lib/src/model.rs", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1, "startColumn": 12, "endLine": 1, "endColumn": 16}
                },
                "message": {"text": "`User` is defined here"}
            }
        ])
    );
    assert_eq!(
        result["fixes"],
        json!([{
            "description": {"text": "wrap the value in a closure"},
            "artifactChanges": [{
                "artifactLocation": here,
                "replacements": [{
                    "deletedRegion":
                        {"startLine": 2, "startColumn": 31, "endLine": 2, "endColumn": 31},
                    "insertedContent": {"text": "|| "}
                }]
            }]
        }])
    );
    let hash = result["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap();
    assert!(hash.len() == 18 && hash.ends_with(":1"), "{hash}");
}

#[test]
fn columns_are_utf16_code_units_on_a_line_with_non_ascii_text() {
    // `é` is one UTF-16 unit, `😀` two: the `;` is character 20 but unit 21.
    let run = lvlint(&["--parse-all", "--format", "sarif", "tests/data/non_ascii.rs"]);
    assert_eq!(run.code, 1);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_valid_sarif(&log);
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "syntax-error");
    assert_eq!(result["ruleIndex"], 3);
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["region"],
        json!({"startLine": 2, "startColumn": 21, "endLine": 2, "endColumn": 22})
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert!(
        location["artifactLocation"]["uri"].as_str().unwrap().ends_with("tests/data/non_ascii.rs")
    );

    let short = lvlint(&["--parse-all", "--format", "short", "tests/data/non_ascii.rs"]);
    assert!(short.stdout.starts_with("tests/data/non_ascii.rs:2:20: "), "{}", short.stdout);
}

fn fingerprints(text: &str) -> Vec<(u64, String)> {
    let file = source("src/a.rs", text);
    let mut diagnostics = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("load(id)") {
        let mut diag = finding("eager-assign-new", &file, "load(id)", "eager");
        diag.span = file.span(from + at..from + at + 8);
        diagnostics.push(diag);
        from += at + 8;
    }
    let log = log_value(&outcome(diagnostics), &repo());
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
            let hash = r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap();
            (line.unwrap(), hash.to_owned())
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_moving_and_tell_repeated_lines_apart() {
    let before =
        "fn a() {\n    s.assign_new(\"u\", load(id));\n    s.assign_new(\"u\", load(id));\n}\n";
    let after = format!("\n// a comment\n{}", before.replace("fn a() {\n", "fn a() {\n\n"));
    let old = fingerprints(before);
    let new = fingerprints(&after);

    assert_eq!(old.iter().map(|(line, _)| *line).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(new.iter().map(|(line, _)| *line).collect::<Vec<_>>(), [5, 6]);
    assert_eq!(
        old.iter().map(|(_, h)| h).collect::<Vec<_>>(),
        new.iter().map(|(_, h)| h).collect::<Vec<_>>()
    );
    let (hash, n) = old[0].1.split_once(':').unwrap();
    assert_eq!(n, "1");
    assert_eq!(old[1].1, format!("{hash}:2"));

    // Editing the flagged line itself is a different finding as far as GitHub is concerned.
    let edited = fingerprints(&before.replacen("\"u\"", "\"v\"", 1));
    assert_ne!(edited[0].1, old[0].1);
    assert_eq!(edited[1].1, format!("{hash}:1"));
}

#[test]
fn a_file_outside_the_repository_gets_an_absolute_file_uri() {
    let file = source("/elsewhere/x y.rs", "fn f() { load(id) }\n");
    let log =
        log_value(&outcome(vec![finding("eager-assign-new", &file, "load(id)", "m")]), &repo());
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({"uri": "file:///elsewhere/x%20y.rs"})
    );
}

#[test]
fn an_empty_run_is_valid_and_exits_0() {
    let run = lvlint(&["--format", "sarif", "tests/data/clean.rs"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], json!([]));
}
