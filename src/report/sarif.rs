//! `--format sarif`: a SARIF 2.1.0 log that GitHub code scanning accepts, built from lvlint's
//! own [`Diagnostic`]s.
//!
//! Locations are repository-relative URIs under `%SRCROOT%`; columns are UTF-16 code units,
//! SARIF's default column kind. The `primaryLocationLineHash` fingerprint is
//! `<hash>:<n>`, where `<hash>` is the 64-bit FNV-1a hash of the rule id and the trimmed text of
//! the primary line, and `<n>` counts the findings of that same rule on a line with that same
//! text in the file. It depends on nothing but that line, so it survives edits elsewhere in
//! the file. FNV-1a is written out here because its value is fixed by its definition, where
//! std's hashers may change between Rust releases and would reopen every alert.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Level, Severity, Span};
use crate::engine::Outcome;
use crate::report::location::{RepoRoot, encode_uri_path, file_uri};
use crate::rules::{self, RuleMeta};
use crate::source::SourceFile;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    original_uri_base_ids: HashMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fingerprints {
    primary_location_line_hash: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Text,
}

/// Every id a result can carry: the rules, then the built-in diagnostics. A result's
/// `ruleIndex` points into this list.
fn descriptors() -> impl Iterator<Item = &'static RuleMeta> {
    rules::RULES.iter().chain(rules::BUILTIN.iter()).copied()
}

fn default_level(level: Level) -> &'static str {
    match level {
        Level::Deny => "error",
        Level::Warn => "warning",
        Level::Allow => "none",
    }
}

fn result_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The first paragraph of a rule doc that is not a heading, or `None` for a doc that has
/// only headings.
fn first_paragraph(doc: &str) -> Option<String> {
    doc.split("\n\n")
        .map(str::trim)
        .find(|para| !para.is_empty() && !para.starts_with('#'))
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn rule(meta: &'static RuleMeta) -> Rule {
    Rule {
        id: meta.id,
        short_description: Text { text: meta.summary.to_owned() },
        full_description: Text {
            text: first_paragraph(meta.doc).unwrap_or_else(|| meta.summary.to_owned()),
        },
        help: Help { text: meta.doc.to_owned(), markdown: meta.doc.to_owned() },
        default_configuration: Configuration { level: default_level(meta.default_level) },
    }
}

/// A region in UTF-16 columns, or `None` for a span that points at no line (a file that could
/// not be read has no text to point into).
fn region(file: &SourceFile, span: Span) -> Option<Region> {
    if span.start.line == 0 {
        return None;
    }
    let end = if span.end.line == 0 { span.start } else { span.end };
    Some(Region {
        start_line: span.start.line,
        start_column: file.utf16_column(span.start),
        end_line: end.line,
        end_column: file.utf16_column(end),
    })
}

fn artifact(repo: &RepoRoot, file: &SourceFile) -> ArtifactLocation {
    match repo.relative(file) {
        Some(rel) => ArtifactLocation { uri: encode_uri_path(&rel), uri_base_id: Some(SRCROOT) },
        None => {
            let absolute = repo.absolute(file.path());
            if absolute.is_absolute() {
                ArtifactLocation { uri: file_uri(&absolute, false), uri_base_id: None }
            } else {
                // No working directory and no root: the displayed path is all there is.
                ArtifactLocation { uri: encode_uri_path(&file.display), uri_base_id: None }
            }
        }
    }
}

/// 64-bit FNV-1a; see the module comment for why it is spelt out.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (idx, part) in parts.iter().enumerate() {
        // A separator byte keeps (`ab`, `c`) and (`a`, `bc`) apart.
        let separator: &[u8] = if idx == 0 { &[] } else { &[0] };
        for byte in separator.iter().chain(part.as_bytes()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// Counts, per file, how often each (rule, trimmed line text) pair has been seen.
#[derive(Default)]
struct Fingerprinter<'a> {
    seen: HashMap<(&'a str, &'static str, &'a str), usize>,
}

impl<'a> Fingerprinter<'a> {
    fn next(&mut self, diag: &'a Diagnostic) -> String {
        let line = diag.file.line_text(diag.span.start.line).trim();
        let count = self.seen.entry((diag.path(), diag.rule, line)).or_insert(0);
        *count += 1;
        format!("{:016x}:{count}", fnv1a(&[diag.rule, line]))
    }
}

fn result<'a>(
    diag: &'a Diagnostic,
    repo: &RepoRoot,
    fingerprints: &mut Fingerprinter<'a>,
) -> SarifResult {
    let related_locations = diag
        .labels
        .iter()
        .enumerate()
        .map(|(idx, label)| {
            let file = label.file.as_deref().unwrap_or(&diag.file);
            Location {
                id: Some(idx + 1),
                physical_location: PhysicalLocation {
                    artifact_location: artifact(repo, file),
                    region: region(file, label.span),
                },
                message: Some(Text { text: label.message.clone() }),
            }
        })
        .collect();
    let fixes = diag
        .fix
        .iter()
        .map(|fix| SarifFix {
            description: Text { text: fix.message.clone() },
            artifact_changes: vec![ArtifactChange {
                artifact_location: artifact(repo, &diag.file),
                replacements: fix
                    .edits
                    .iter()
                    .filter_map(|edit| {
                        Some(Replacement {
                            deleted_region: region(&diag.file, edit.span)?,
                            inserted_content: Text { text: edit.replacement.clone() },
                        })
                    })
                    .collect(),
            }],
        })
        .filter(|fix| fix.artifact_changes.iter().all(|change| !change.replacements.is_empty()))
        .collect();

    SarifResult {
        rule_id: diag.rule,
        rule_index: descriptors().position(|meta| meta.id == diag.rule),
        level: result_level(diag.severity),
        message: Text { text: diag.message_with_help() },
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: artifact(repo, &diag.file),
                region: region(&diag.file, diag.span),
            },
            message: None,
        }],
        related_locations,
        partial_fingerprints: Fingerprints { primary_location_line_hash: fingerprints.next(diag) },
        fixes,
    }
}

/// The SARIF log for an outcome, with paths relative to `repo`.
pub fn log(outcome: &Outcome, repo: &RepoRoot) -> Log {
    let mut fingerprints = Fingerprinter::default();
    let results = outcome.diagnostics.iter().map(|d| result(d, repo, &mut fingerprints)).collect();
    let mut original_uri_base_ids = HashMap::new();
    if let Some(root) = repo.root() {
        original_uri_base_ids
            .insert(SRCROOT, ArtifactLocation { uri: file_uri(root, true), uri_base_id: None });
    }
    let failed = outcome.diagnostics.iter().any(|d| d.rule == rules::INTERNAL_ERROR.id);

    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "lvlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: descriptors().map(rule).collect(),
                },
            },
            invocations: vec![Invocation { execution_successful: !failed }],
            original_uri_base_ids,
            column_kind: "utf16CodeUnits",
            results,
        }],
    }
}

/// Writes the log for `outcome` with paths relative to `repo`.
pub fn write(outcome: &Outcome, repo: &RepoRoot, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(outcome, repo))?;
    writeln!(out)
}

pub fn print(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    write(outcome, &RepoRoot::discover(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(&["foobar"]), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn parts_are_kept_apart() {
        assert_ne!(fnv1a(&["ab", "c"]), fnv1a(&["a", "bc"]));
    }

    #[test]
    fn full_description_is_the_first_paragraph_after_the_headings() {
        let doc = "# rule\n\n## What it finds\n\nA mount that\nreads things.\n\n## Why\n\nBad.\n";
        assert_eq!(first_paragraph(doc).as_deref(), Some("A mount that reads things."));
        assert_eq!(first_paragraph("# only-a-title\n"), None);
    }
}
