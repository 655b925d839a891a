//! `--format human`: miette's graphical reports with source snippets and labels.
//!
//! miette is handed a [`View`] rather than the file: the lines the spans touch plus one line of
//! context, with every line longer than [`LONG_LINE`] characters cut to a window around the
//! spans on it. A minified or generated file of one 10 MB line thus prints a few hundred
//! characters, and no report copies the whole file.

use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::cli::ColorChoice;
use crate::diagnostic::{Diagnostic, Severity, printable, screened};
use crate::engine::Outcome;
use crate::source::SourceFile;

/// Lines longer than this many characters are shown as a window around their spans.
const LONG_LINE: usize = 400;
/// Characters kept on each side of the spans in a cut line.
const MARGIN: usize = 60;
/// Characters kept of a long line that no span touches (context, or inside a long span).
const CONTEXT_KEPT: usize = 120;
/// Marks where a line was cut.
const CUT: &str = "…";

/// How one line of the file appears in the view.
#[derive(Debug)]
struct Piece {
    /// Byte offset in the view where the line starts (at its leading cut mark, if any).
    view_start: usize,
    /// The line's text in the file, without its terminator.
    line: Range<usize>,
    /// The part of `line` kept in the view.
    kept: Range<usize>,
    /// Byte offset in the view of `kept.start`.
    view_kept: usize,
    /// Byte offset in the view of the line terminator.
    view_end: usize,
}

/// The part of a file one report shows, with offsets mapped both ways.
#[derive(Debug)]
struct View {
    name: String,
    file: Arc<SourceFile>,
    text: String,
    pieces: Vec<Piece>,
}

/// `text.get(range)`, or `""` for a range that is not on character boundaries.
fn slice(text: &str, range: Range<usize>) -> &str {
    text.get(range).unwrap_or("")
}

/// The offset `n` characters before `from`, stopping at `floor`.
fn back_chars(text: &str, from: usize, n: usize, floor: usize) -> usize {
    if n == 0 {
        return from;
    }
    slice(text, floor..from).char_indices().rev().nth(n - 1).map_or(floor, |(idx, _)| floor + idx)
}

/// The offset `n` characters after `from`, stopping at `ceil`.
fn forward_chars(text: &str, from: usize, n: usize, ceil: usize) -> usize {
    slice(text, from..ceil).char_indices().nth(n).map_or(ceil, |(idx, _)| from + idx)
}

/// The start of the line holding `byte`.
fn line_start(text: &str, byte: usize) -> usize {
    slice(text, 0..byte).rfind('\n').map_or(0, |idx| idx + 1)
}

/// The end of the line holding `byte`, before its terminator.
fn line_end(text: &str, byte: usize) -> usize {
    let end = slice(text, byte..text.len()).find('\n').map_or(text.len(), |idx| byte + idx);
    if end > byte && text.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end }
}

/// The start of the line after the one holding `byte`, or the end of the text.
fn next_line(text: &str, byte: usize) -> usize {
    slice(text, byte..text.len()).find('\n').map_or(text.len(), |idx| byte + idx + 1)
}

impl View {
    /// The lines of `file` that `offsets` fall on, one more line on each side, long lines cut.
    fn new(name: String, file: Arc<SourceFile>, offsets: &[usize]) -> View {
        let text: &str = &file.text;
        let lo = offsets.iter().copied().min().unwrap_or(0).min(text.len());
        let hi = offsets.iter().copied().max().unwrap_or(0).min(text.len());
        let first = line_start(text, lo);
        let first = if first == 0 { 0 } else { line_start(text, first - 1) };
        let last_start = line_start(text, hi);
        let stop = next_line(text, next_line(text, last_start).max(last_start));

        let mut view =
            View { name, text: String::new(), pieces: Vec::new(), file: Arc::clone(&file) };
        let mut start = first;
        loop {
            let end = line_end(text, start);
            let next = next_line(text, start);
            view.push_line(start..end, next, offsets);
            if next >= stop || next <= start {
                break;
            }
            start = next;
        }
        view
    }

    fn push_line(&mut self, line: Range<usize>, next: usize, offsets: &[usize]) {
        let text: &str = &self.file.text;
        let long =
            line.len() > LONG_LINE && slice(text, line.clone()).chars().nth(LONG_LINE).is_some();
        let kept = if !long {
            line.clone()
        } else {
            let on_line =
                offsets.iter().copied().filter(|off| line.contains(off) || *off == line.end);
            match (on_line.clone().min(), on_line.max()) {
                (Some(lo), Some(hi)) => {
                    let start = back_chars(text, lo, MARGIN, line.start);
                    let end = forward_chars(text, hi, MARGIN, line.end);
                    start..end.min(forward_chars(text, start, LONG_LINE, line.end))
                }
                _ => line.start..forward_chars(text, line.start, CONTEXT_KEPT, line.end),
            }
        };

        let view_start = self.text.len();
        if kept.start > line.start {
            self.text.push_str(CUT);
        }
        let view_kept = self.text.len();
        self.text.push_str(&screened(slice(text, kept.clone())));
        if kept.end < line.end {
            self.text.push_str(CUT);
        }
        let view_end = self.text.len();
        self.text.push_str(&screened(slice(text, line.end..next)));
        self.pieces.push(Piece { view_start, line, kept, view_kept, view_end });
    }

    /// Where a file offset lands in the view; offsets cut away land on the nearest cut mark.
    fn to_view(&self, off: usize) -> usize {
        let idx = self.pieces.partition_point(|piece| piece.line.start <= off);
        let Some(piece) = idx.checked_sub(1).and_then(|idx| self.pieces.get(idx)) else {
            return 0;
        };
        if off < piece.kept.start {
            piece.view_kept
        } else if off <= piece.kept.end {
            piece.view_kept + (off - piece.kept.start)
        } else if off <= piece.line.end {
            piece.view_kept + piece.kept.len()
        } else {
            (piece.view_end + (off - piece.line.end)).min(self.text.len())
        }
    }

    /// The file offset a view offset came from.
    fn to_file(&self, off: usize) -> usize {
        let idx = self.pieces.partition_point(|piece| piece.view_start <= off);
        let Some(piece) = idx.checked_sub(1).and_then(|idx| self.pieces.get(idx)) else {
            return 0;
        };
        if off < piece.view_kept {
            piece.kept.start
        } else if off <= piece.view_kept + piece.kept.len() {
            piece.kept.start + (off - piece.view_kept)
        } else if off < piece.view_end {
            piece.kept.end
        } else {
            piece.line.end + (off - piece.view_end)
        }
    }

    fn span(&self, start: usize, end: usize) -> SourceSpan {
        source_span(self.to_view(start), self.to_view(end))
    }
}

impl SourceCode for View {
    /// Reads the view, then reports the line and column the read starts at in the file, so
    /// that line numbers and the `path:line:col` header are the file's, not the view's.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, context_lines_before, context_lines_after)?;
        let pos = self.file.pos(self.to_file(inner.span().offset()));
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            pos.line.saturating_sub(1),
            pos.column.saturating_sub(1),
            inner.line_count(),
        )))
    }
}

/// One diagnostic in the shape miette renders.
#[derive(Debug)]
struct Report<'a> {
    diag: &'a Diagnostic,
    source: View,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&printable(&self.diag.message))
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

/// Whether a label is drawn in the diagnostic's snippet: it points into the same file, and not
/// far above the finding (miette shows snippets in file order, so a far label above would be
/// read first; it becomes a note after the help instead).
fn same_file(diag: &Diagnostic, label: &crate::diagnostic::Label) -> bool {
    const LINES_ABOVE: usize = 3;
    let in_file = label.file.as_ref().is_none_or(|file| file.display == diag.file.display);
    in_file && label.span.start.line + LINES_ABOVE >= diag.span.start.line
}

fn report(diag: &Diagnostic) -> Report<'_> {
    let mut offsets = vec![diag.span.start.byte, diag.span.end.byte];
    for label in diag.labels.iter().filter(|label| same_file(diag, label)) {
        offsets.extend([label.span.start.byte, label.span.end.byte]);
    }
    let source = View::new(printable(diag.path()).into_owned(), Arc::clone(&diag.file), &offsets);

    let mut labels = vec![LabeledSpan::new_primary_with_span(
        None,
        source.span(diag.span.start.byte, diag.span.end.byte),
    )];
    let mut notes: Vec<String> = Vec::new();
    for label in &diag.labels {
        match &label.file {
            _ if !same_file(diag, label) => {
                let file = label.file.as_ref().unwrap_or(&diag.file);
                notes.push(format!(
                    "{} ({}:{}:{})",
                    label.message, file.display, label.span.start.line, label.span.start.column
                ));
            }
            _ => labels.push(LabeledSpan::new_with_span(
                Some(printable(&label.message).into_owned()),
                source.span(label.span.start.byte, label.span.end.byte),
            )),
        }
    }
    notes.extend(diag.notes.iter().cloned());
    let mut help = diag.help.as_deref().map(|h| printable(h).into_owned());
    if !notes.is_empty() {
        let joined =
            notes.iter().map(|n| format!("note: {}", printable(n))).collect::<Vec<_>>().join("\n");
        help = Some(match help {
            Some(h) => format!("{h}\n{joined}"),
            None => joined,
        });
    }
    Report { diag, source, labels, help }
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
        if handler.render_report(&mut rendered, &report(diag)).is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Label, Span};

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new("src/a.rs".into(), "src/a.rs".into(), text.to_owned()))
    }

    fn diag(file: &Arc<SourceFile>, span: Span) -> Diagnostic {
        Diagnostic {
            rule: "eager-assign-new",
            severity: Severity::Warning,
            message: "`load(id)` runs".to_owned(),
            file: Arc::clone(file),
            span,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    fn render(diag: Diagnostic) -> String {
        let outcome = Outcome { diagnostics: vec![diag], files: 1, parsed: 1, parse_failures: 0 };
        let mut out = Vec::new();
        print(&outcome, ColorChoice::Never, &mut out).unwrap_or_default();
        String::from_utf8_lossy(&out).into_owned()
    }

    fn find(file: &SourceFile, needle: &str) -> Span {
        let start = file.text.find(needle).unwrap_or(0);
        file.span(start..start + needle.len())
    }

    #[test]
    fn view_maps_offsets_both_ways_around_cut_marks() {
        let text = format!("fn a() {{}}\n{}target{}\nlast\n", "x".repeat(1000), "y".repeat(1000));
        let f = file(&text);
        let at = text.find("target").unwrap_or(0);
        let view = View::new("src/a.rs".into(), Arc::clone(&f), &[at, at + 6]);

        let expected = format!(
            "fn a() {{}}\n{CUT}{}target{}{CUT}\nlast\n",
            "x".repeat(MARGIN),
            "y".repeat(MARGIN)
        );
        assert_eq!(view.text, expected);
        let in_view = view.to_view(at);
        assert_eq!(view.text.get(in_view..in_view + 6), Some("target"));
        assert_eq!(view.to_file(in_view), at);
        assert_eq!(view.to_file(view.to_view(text.find("last").unwrap_or(0))), 2017);
        // Offsets that were cut away land on the cut marks, never past them.
        assert_eq!(view.to_view(11), in_view - MARGIN);
        assert_eq!(view.to_view(at + 500), in_view + 6 + MARGIN);
    }

    #[test]
    fn a_ten_megabyte_line_prints_a_window_around_the_span() {
        let pad = "a".repeat(5_000_000);
        let text = format!("let v = [{pad}, load(id), {pad}];\n");
        let f = file(&text);
        let rendered = render(diag(&f, find(&f, "load(id)")));

        assert!(rendered.len() < 1_000, "{} bytes:\n{rendered}", rendered.len());
        assert!(rendered.contains("[src/a.rs:1:5000012]"), "{rendered}");
        let window = format!("{CUT}{}, load(id), {}{CUT}\n", "a".repeat(58), "a".repeat(58));
        assert!(rendered.contains(&format!(" 1 │ {window}")), "{rendered}");
    }

    #[test]
    fn short_lines_render_with_their_context_and_real_line_numbers() {
        let text =
            "fn one() {}\nfn two() {\n    s.assign_new(\"u\", load(id));\n}\nfn three() {}\n";
        let f = file(text);
        let mut d = diag(&f, find(&f, "load(id)"));
        d.labels =
            vec![Label { message: "the key".to_owned(), file: None, span: find(&f, "\"u\"") }];
        d.help = Some("wrap it in a closure".to_owned());
        assert_eq!(
            render(d),
            "lvlint::eager-assign-new\n\n  ⚠ `load(id)` runs\n   ╭─[src/a.rs:3:23]\n \
             2 │ fn two() {\n \
             3 │     s.assign_new(\"u\", load(id));\n   \
             ·                  ─┬─  ────────\n   \
             ·                   ╰── the key\n \
             4 │ }\n   ╰────\n  help: wrap it in a closure\n\n"
        );
    }

    #[test]
    fn a_long_crlf_line_keeps_its_terminator_out_of_the_window() {
        let text = format!("a\r\n{}é😀 + ;\r\nb\r\n", "x".repeat(500));
        let f = file(&text);
        let at = text.find(';').unwrap_or(0);
        let view = View::new("src/a.rs".into(), Arc::clone(&f), &[at, at + 1]);

        assert_eq!(view.text, format!("a\r\n{CUT}{}é😀 + ;\r\nb\r\n", "x".repeat(MARGIN - 5)));
        assert_eq!(f.pos(view.to_file(view.to_view(at))), f.pos(at));
        assert_eq!(view.to_view(text.len()), view.text.len());
    }
}
