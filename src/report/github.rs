//! `--format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the pull request, then the summary line (GitHub shows only a few
//! annotations per step; the summary says how many there were).

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity, printable};
use crate::engine::Outcome;
use crate::report::location::RepoRoot;
use crate::report::summary_line;

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Escapes a command's message (its data): the runner reads `%`, CR and LF specially.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(ch),
        }
    }
    out
}

/// Escapes a property value: as data, plus `:` and `,`, which end a value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The `key=value` list of one command.
fn properties(diag: &Diagnostic, repo: &RepoRoot) -> String {
    let mut props =
        vec![format!("file={}", escape_property(&printable_lines(&repo.shown(&diag.file))))];
    let span = diag.span;
    if span.start.line > 0 {
        props.push(format!("line={}", span.start.line));
        // GitHub takes columns only on a one-line annotation and rejects them otherwise.
        let one_line = span.end.line == span.start.line;
        if one_line {
            props.push(format!("col={}", span.start.column));
        }
        props.push(format!("endLine={}", span.end.line.max(span.start.line)));
        if one_line {
            props.push(format!("endColumn={}", span.end.column));
        }
    }
    props.push(format!("title={}", escape_property(&format!("lvlint({})", diag.rule))));
    props.join(",")
}

/// Writes the commands with paths relative to `repo`, then the summary line.
pub fn write(outcome: &Outcome, repo: &RepoRoot, out: &mut dyn Write) -> io::Result<()> {
    for diag in &outcome.diagnostics {
        writeln!(
            out,
            "::{} {}::{}",
            command(diag.severity),
            properties(diag, repo),
            escape_data(&printable_lines(&diag.message_with_help()))
        )?;
    }
    writeln!(out, "{}", summary_line(outcome))
}

pub fn print(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    write(outcome, &RepoRoot::discover(), out)
}

/// The text made [`printable`] except for CR and LF, which GitHub's own escaping carries
/// (`%0D`, `%0A`) so that a message or path with line breaks round-trips.
fn printable_lines(text: &str) -> String {
    let lines = text.split('\n').map(|line| {
        line.split('\r').map(|part| printable(part).into_owned()).collect::<Vec<_>>().join("\r")
    });
    lines.collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}
