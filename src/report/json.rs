//! `--format json`: one versioned document with every diagnostic and a summary.

use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Applicability, Diagnostic, Span};
use crate::engine::Outcome;
use crate::report::counts;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    parsed: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
    parse_failures: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    help: Option<&'a str>,
    notes: &'a [String],
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

fn lines(span: Span) -> (usize, usize, usize, usize) {
    (span.start.line, span.start.column, span.end.line, span.end.column)
}

fn diagnostic(diag: &Diagnostic) -> JsonDiagnostic<'_> {
    let (line, column, end_line, end_column) = lines(diag.span);
    JsonDiagnostic {
        rule: diag.rule,
        severity: diag.severity.as_str(),
        message: &diag.message,
        path: diag.path(),
        line,
        column,
        end_line,
        end_column,
        help: diag.help.as_deref(),
        notes: &diag.notes,
        labels: diag
            .labels
            .iter()
            .map(|label| {
                let (line, column, end_line, end_column) = lines(label.span);
                let path = label.file.as_ref().map_or(diag.path(), |f| f.display.as_str());
                JsonLabel { message: &label.message, path, line, column, end_line, end_column }
            })
            .collect(),
        fix: diag.fix.as_ref().map(|fix| JsonFix {
            message: &fix.message,
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let (line, column, end_line, end_column) = lines(edit.span);
                    JsonEdit { line, column, end_line, end_column, replacement: &edit.replacement }
                })
                .collect(),
        }),
    }
}

/// The JSON document for an outcome, as a value (tests and other formats read it).
pub fn json_document(outcome: &Outcome) -> serde_json::Value {
    serde_json::to_value(document(outcome)).unwrap_or(serde_json::Value::Null)
}

fn document(outcome: &Outcome) -> Document<'_> {
    let counts = counts(&outcome.diagnostics);
    Document {
        version: 1,
        diagnostics: outcome.diagnostics.iter().map(diagnostic).collect(),
        summary: Summary {
            files: outcome.files,
            parsed: outcome.parsed,
            errors: counts.errors,
            warnings: counts.warnings,
            notes: counts.notes,
            parse_failures: outcome.parse_failures,
        },
    }
}

pub fn print(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    // Serialized from the structs, not a `Value`, so keys keep the documented order.
    serde_json::to_writer_pretty(&mut *out, &document(outcome))?;
    writeln!(out)
}
