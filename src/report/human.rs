//! `--format human`: miette's graphical reports with source snippets and labels.

use std::io::{self, IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

use crate::cli::ColorChoice;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::Outcome;

/// One diagnostic in the shape miette renders.
#[derive(Debug)]
struct Report<'a> {
    diag: &'a Diagnostic,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        Some(Box::new(format!("lvlint::{}", self.diag.rule)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fn source_span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

fn report(diag: &Diagnostic) -> Report<'_> {
    let text = diag.file.text.to_string();
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        None,
        source_span(diag.span.start.byte, diag.span.end.byte),
    )];
    let mut notes: Vec<String> = Vec::new();
    for label in &diag.labels {
        match &label.file {
            Some(file) if file.display != diag.file.display => notes.push(format!(
                "{} ({}:{}:{})",
                label.message, file.display, label.span.start.line, label.span.start.column
            )),
            _ => labels.push(LabeledSpan::new_with_span(
                Some(label.message.clone()),
                source_span(label.span.start.byte, label.span.end.byte),
            )),
        }
    }
    notes.extend(diag.notes.iter().cloned());
    let mut help = diag.help.clone();
    if !notes.is_empty() {
        let joined = notes.iter().map(|n| format!("note: {n}")).collect::<Vec<_>>().join("\n");
        help = Some(match help {
            Some(h) => format!("{h}\n{joined}"),
            None => joined,
        });
    }
    Report { diag, source: NamedSource::new(diag.path(), text), labels, help }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

pub fn print(outcome: &Outcome, color: ColorChoice, out: &mut dyn Write) -> io::Result<()> {
    let theme = if use_color(color) {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    for diag in &outcome.diagnostics {
        let mut rendered = String::new();
        if has_long_line(diag) {
            // miette pads to the column and panics past `u16::MAX`; a clipped window of the
            // line says as much.
            rendered = clipped(diag);
        } else if handler.render_report(&mut rendered, &report(diag)).is_err() {
            rendered = format!(
                "{}[{}]: {}\n  --> {}:{}:{}\n",
                diag.severity.as_str(),
                diag.rule,
                diag.message,
                diag.path(),
                diag.span.start.line,
                diag.span.start.column
            );
        }
        writeln!(out, "{rendered}")?;
    }
    Ok(())
}

/// Lines longer than this (minified or generated code) are shown as a clipped window.
const MAX_SNIPPET_LINE: usize = 1000;

fn has_long_line(diag: &Diagnostic) -> bool {
    let own = [diag.span.start.line, diag.span.end.line];
    let labelled = diag.labels.iter().filter(|l| l.file.is_none()).map(|l| l.span.start.line);
    own.into_iter().chain(labelled).any(|line| diag.file.line_text(line).len() > MAX_SNIPPET_LINE)
}

/// The plain report of a diagnostic on a very long line: at most 60 characters of the line on
/// each side of the column, `…` where it was cut, and a caret under the column.
fn clipped(diag: &Diagnostic) -> String {
    let line = diag.file.line_text(diag.span.start.line);
    let column = diag.span.start.column.saturating_sub(1);
    let from = column.saturating_sub(60);
    let window: String = line.chars().skip(from).take(120).collect();
    let cut_before = if from > 0 { "…" } else { "" };
    let cut_after = if line.chars().count() > from + 120 { "…" } else { "" };
    let caret_at = cut_before.chars().count() + column - from;
    format!(
        "{}[{}]: {}\n  --> {}:{}:{}\n   | {cut_before}{window}{cut_after}\n   | {}^\n",
        diag.severity.as_str(),
        diag.rule,
        diag.message,
        diag.path(),
        diag.span.start.line,
        diag.span.start.column,
        " ".repeat(caret_at)
    )
}
