//! Printing a run's outcome. Every format is rendered from [`Diagnostic`]; rules never print.

pub mod github;
mod human;
mod json;
pub mod location;
pub mod rustc;
pub mod sarif;
mod short;

use std::collections::HashSet;
use std::io::{self, Write};

use crate::cli::{ColorChoice, Format};
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Outcome;

pub use json::json_document;

/// Prints `outcome` in `format` to `out`; summaries that would disturb a machine format go
/// to `err`.
pub fn print(
    format: Format,
    color: ColorChoice,
    outcome: &Outcome,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => {
            human::print(outcome, color, out)?;
            writeln!(out, "{}", summary_line(outcome))
        }
        Format::Short => {
            short::print(outcome, out)?;
            writeln!(err, "{}", summary_line(outcome))
        }
        Format::Json => json::print(outcome, out),
        Format::Sarif => sarif::print(outcome, out),
        Format::Github => github::print(outcome, out),
    }
}

/// Counts of the reported diagnostics by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn counts(diagnostics: &[Diagnostic]) -> Counts {
    let mut counts = Counts::default();
    for diag in diagnostics {
        match diag.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Note => counts.notes += 1,
        }
    }
    counts
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") }
}

/// `2 errors, 3 warnings in 4 files; 57 files checked`.
pub fn summary_line(outcome: &Outcome) -> String {
    let counts = counts(&outcome.diagnostics);
    let checked = plural(outcome.files, "file");
    if outcome.diagnostics.is_empty() {
        return format!("no problems found; {checked} checked");
    }
    let with_files: HashSet<&str> = outcome.diagnostics.iter().map(Diagnostic::path).collect();
    let mut parts = vec![plural(counts.errors, "error"), plural(counts.warnings, "warning")];
    if counts.notes > 0 {
        parts.push(plural(counts.notes, "note"));
    }
    format!("{} in {}; {checked} checked", parts.join(", "), plural(with_files.len(), "file"))
}
