//! `--message-format json`: what `cargo check --message-format json` prints, so that
//! rust-analyzer and every other tool that reads cargo's messages shows lvlint's findings.
//!
//! One `compiler-message` line per finding, carrying a rustc diagnostic, then one
//! `build-finished` line. rustc's conventions are kept exactly: 1-based lines, 1-based
//! character columns with an exclusive end, byte offsets into the file as it is on disk, file
//! names relative to the workspace root, and `text[]` holding the real source lines (editors
//! need them to turn character columns into their own units).

use serde::Serialize;
use std::io::{self, Write};

use crate::cargo::Workspace;
use crate::cli::MessageFormat;
use crate::diagnostic::{Applicability, Diagnostic, Severity, Span};
use crate::engine::Outcome;
use crate::rules;
use crate::source::SourceFile;

#[derive(Serialize)]
struct CompilerMessage<'a> {
    reason: &'static str,
    package_id: &'a str,
    manifest_path: String,
    target: &'a serde_json::Value,
    message: RustcDiagnostic,
}

#[derive(Serialize)]
struct BuildFinished {
    reason: &'static str,
    success: bool,
}

#[derive(Serialize)]
struct RustcDiagnostic {
    /// rustc marks top-level diagnostics only.
    #[serde(rename = "$message_type", skip_serializing_if = "Option::is_none")]
    message_type: Option<&'static str>,
    message: String,
    code: Option<Code>,
    level: &'static str,
    spans: Vec<RustcSpan>,
    children: Vec<RustcDiagnostic>,
    rendered: Option<String>,
}

#[derive(Serialize)]
struct Code {
    code: String,
    explanation: Option<&'static str>,
}

#[derive(Serialize)]
struct RustcSpan {
    file_name: String,
    byte_start: usize,
    byte_end: usize,
    line_start: usize,
    line_end: usize,
    column_start: usize,
    column_end: usize,
    is_primary: bool,
    text: Vec<SpanLine>,
    label: Option<String>,
    suggested_replacement: Option<String>,
    suggestion_applicability: Option<&'static str>,
    expansion: Option<()>,
}

#[derive(Serialize)]
struct SpanLine {
    text: String,
    highlight_start: usize,
    highlight_end: usize,
}

/// Prints one `compiler-message` line per diagnostic, then `build-finished` with `success`.
pub fn print(
    outcome: &Outcome,
    workspace: &Workspace,
    format: MessageFormat,
    success: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    for diag in &outcome.diagnostics {
        let Some((member, target)) = workspace.origin(&diag.file.path) else { continue };
        let line = CompilerMessage {
            reason: "compiler-message",
            package_id: &member.id,
            manifest_path: member.manifest_path.to_string_lossy().into_owned(),
            target: &target.json,
            message: diagnostic(diag, workspace, format),
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    serde_json::to_writer(&mut *out, &BuildFinished { reason: "build-finished", success })?;
    writeln!(out)?;
    out.flush()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// The rustc-style code: `lvlint::` and the rule id with underscores, as lint names are written.
pub fn code(rule: &str) -> String {
    format!("lvlint::{}", rule.replace('-', "_"))
}

fn diagnostic(diag: &Diagnostic, workspace: &Workspace, format: MessageFormat) -> RustcDiagnostic {
    let name = workspace.relative(&diag.file.path);
    let mut spans = vec![span(&diag.file, &name, diag.span, true)];
    for label in &diag.labels {
        let file = label.file.as_ref().unwrap_or(&diag.file);
        let name = workspace.relative(&file.path);
        let mut labelled = span(file, &name, label.span, false);
        labelled.label = Some(label.message.clone());
        spans.push(labelled);
    }

    let mut children = Vec::new();
    if let Some(help) = &diag.help {
        children.push(child("help", help.clone(), Vec::new()));
    }
    for note in &diag.notes {
        children.push(child("note", note.clone(), Vec::new()));
    }
    if let Some(fix) = &diag.fix {
        let applicability = match fix.applicability {
            Applicability::Safe => "MachineApplicable",
            Applicability::Unsafe => "MaybeIncorrect",
        };
        let edits = fix
            .edits
            .iter()
            .map(|edit| {
                let mut edited = span(&diag.file, &name, edit.span, true);
                edited.suggested_replacement = Some(edit.replacement.clone());
                edited.suggestion_applicability = Some(applicability);
                edited
            })
            .collect();
        children.push(child("help", fix.message.clone(), edits));
    }

    RustcDiagnostic {
        message_type: Some("diagnostic"),
        message: diag.message.clone(),
        code: Some(Code {
            code: code(diag.rule),
            explanation: rules::meta(diag.rule).map(|meta| meta.doc),
        }),
        level: level(diag.severity),
        spans,
        children,
        rendered: Some(render(diag, &name, format)),
    }
}

fn child(level: &'static str, message: String, spans: Vec<RustcSpan>) -> RustcDiagnostic {
    RustcDiagnostic {
        message_type: None,
        message,
        code: None,
        level,
        spans,
        children: Vec::new(),
        rendered: None,
    }
}

fn span(file: &SourceFile, name: &str, span: Span, is_primary: bool) -> RustcSpan {
    // `SourceFile` strips a byte-order mark; rustc counts bytes in the file as it is on disk.
    let bom = if file.had_bom { '\u{feff}'.len_utf8() } else { 0 };
    let (start, end) = (span.start, span.end.max(span.start));
    let text = (start.line..=end.line)
        .map(|line| {
            let text = file.line_text(line);
            let width = text.chars().count() + 1;
            let highlight_start = if line == start.line { start.column } else { 1 };
            let highlight_end = if line == end.line { end.column } else { width };
            SpanLine { text: text.to_owned(), highlight_start, highlight_end }
        })
        .collect();
    RustcSpan {
        file_name: name.to_owned(),
        byte_start: start.byte + bom,
        byte_end: end.byte + bom,
        line_start: start.line,
        line_end: end.line,
        column_start: start.column,
        column_end: end.column,
        is_primary,
        text,
        label: None,
        suggested_replacement: None,
        suggestion_applicability: None,
        expansion: None,
    }
}

/// Terminal colours in rustc's manner, used for `json-diagnostic-rendered-ansi`.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() }
    }

    fn level(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;91",
            Severity::Warning => "1;93",
            Severity::Note => "1;92",
        };
        self.wrap(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.wrap("1;94", text)
    }
}

/// The `rendered` text: the shape rustc prints for a diagnostic, plain unless the format asks
/// for ANSI colours, one line for `json-diagnostic-short`.
fn render(diag: &Diagnostic, name: &str, format: MessageFormat) -> String {
    let paint = Paint { on: format == MessageFormat::JsonDiagnosticRenderedAnsi };
    let start = diag.span.start;
    let head =
        paint.level(diag.severity, &format!("{}[{}]", level(diag.severity), code(diag.rule)));
    let message = paint.wrap("1", &diag.message);
    if format == MessageFormat::JsonDiagnosticShort {
        return format!("{name}:{}:{}: {head}: {message}\n", start.line, start.column);
    }

    let number = start.line.to_string();
    let pad = " ".repeat(number.len());
    let bar = paint.gutter("|");
    let line = diag.file.line_text(start.line);
    let (before, marked) = caret_columns(line, diag.span);
    let carets = paint.level(diag.severity, &"^".repeat(marked));
    let mut text = format!("{head}: {message}\n");
    text.push_str(&format!(
        "{pad}{} {name}:{}:{}\n",
        paint.gutter("-->"),
        start.line,
        start.column
    ));
    text.push_str(&format!("{pad} {bar}\n"));
    text.push_str(&format!("{} {bar} {}\n", paint.gutter(&number), line.replace('\t', TAB)));
    text.push_str(&format!("{pad} {bar} {}{carets}\n", " ".repeat(before)));

    let mut extra: Vec<String> = Vec::new();
    for label in &diag.labels {
        let file = label.file.as_ref().map_or(name, |f| f.display.as_str());
        let pos = label.span.start;
        extra.push(format!("note: {} ({file}:{}:{})", label.message, pos.line, pos.column));
    }
    extra.extend(diag.help.iter().map(|help| format!("help: {help}")));
    extra.extend(diag.notes.iter().map(|note| format!("note: {note}")));
    if let Some(fix) = &diag.fix {
        extra.push(format!("help: {}", fix.message));
    }
    if !extra.is_empty() {
        text.push_str(&format!("{pad} {bar}\n"));
        for line in extra {
            text.push_str(&format!("{pad} {} {line}\n", paint.gutter("=")));
        }
    }
    text.push('\n');
    text
}

/// How rustc shows a tab.
const TAB: &str = "    ";

/// The display columns before the primary span on its first line, and how many it covers
/// there (at least one caret). Tabs are shown as four spaces.
// FIXME: wide characters (CJK, emoji) take two terminal cells but count one here, so carets
// after them drift left — counting `unicode-width` cells would fix it.
fn caret_columns(line: &str, span: Span) -> (usize, usize) {
    let cells = |c: char| if c == '\t' { TAB.len() } else { 1 };
    let first = span.start.column.saturating_sub(1);
    let last = if span.end.line == span.start.line {
        span.end.column.saturating_sub(1)
    } else {
        line.chars().count()
    };
    let before: usize = line.chars().take(first).map(cells).sum();
    let marked: usize = line.chars().skip(first).take(last.saturating_sub(first)).map(cells).sum();
    (before, marked.max(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that meets the unexpected should stop right there.
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use cargo_metadata::Message;
    use cargo_metadata::diagnostic::{Applicability as RustcApplicability, DiagnosticLevel};

    use super::*;
    use crate::diagnostic::{Edit, Fix, Label};

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new("/ws/src/lib.rs".into(), "src/lib.rs".into(), text.to_owned()))
    }

    fn finding(file: &Arc<SourceFile>, needle: &str) -> Diagnostic {
        let start = file.text.find(needle).unwrap();
        Diagnostic {
            rule: "eager-assign-new",
            severity: Severity::Warning,
            message: "`assign_new` is given `load()`, which runs on every mount".to_owned(),
            file: Arc::clone(file),
            span: file.span(start..start + needle.len()),
            labels: Vec::new(),
            help: Some("pass a closure: `|| load()`".to_owned()),
            notes: vec!["the value is computed before `assign_new` looks".to_owned()],
            fix: None,
        }
    }

    fn messages(diags: Vec<Diagnostic>, format: MessageFormat) -> Vec<Message> {
        let outcome = Outcome { diagnostics: diags, ..Outcome::default() };
        let workspace = Workspace::synthetic(Path::new("/ws"));
        let mut out = Vec::new();
        print(&outcome, &workspace, format, true, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        text.lines().map(|line| serde_json::from_str::<Message>(line).unwrap()).collect()
    }

    fn only_message(diag: Diagnostic) -> cargo_metadata::diagnostic::Diagnostic {
        let mut lines = messages(vec![diag], MessageFormat::Json);
        assert!(matches!(lines.pop(), Some(Message::BuildFinished(f)) if f.success));
        match lines.pop() {
            Some(Message::CompilerMessage(msg)) => msg.message,
            other => panic!("expected a compiler message, got {other:?}"),
        }
    }

    #[test]
    fn help_notes_and_labels_become_children_and_secondary_spans() {
        let source = file("fn mount() {\n    let v = load();\n    s.assign_new(\"k\", v);\n}\n");
        let mut diag = finding(&source, "v)");
        diag.span = source.span(diag.span.start.byte..diag.span.start.byte + 1);
        let computed = source.text.find("load()").unwrap();
        diag.labels.push(Label {
            message: "computed here".to_owned(),
            file: None,
            span: source.span(computed..computed + 6),
        });
        let msg = only_message(diag);

        assert_eq!(msg.level, DiagnosticLevel::Warning);
        let code = msg.code.unwrap();
        assert_eq!(code.code, "lvlint::eager_assign_new");
        assert!(code.explanation.unwrap().starts_with("# eager-assign-new"));
        assert_eq!(msg.spans.len(), 2);
        let (primary, label) = (&msg.spans[0], &msg.spans[1]);
        assert_eq!(primary.file_name, "src/lib.rs");
        assert!(primary.is_primary && !label.is_primary);
        assert_eq!((primary.line_start, primary.column_start, primary.column_end), (3, 23, 24));
        assert_eq!(label.label.as_deref(), Some("computed here"));
        assert_eq!((label.line_start, label.column_start, label.column_end), (2, 13, 19));
        assert_eq!(label.text[0].text, "    let v = load();");
        let children: Vec<_> = msg.children.iter().map(|c| (c.level, &*c.message)).collect();
        assert_eq!(
            children,
            [
                (DiagnosticLevel::Help, "pass a closure: `|| load()`"),
                (DiagnosticLevel::Note, "the value is computed before `assign_new` looks"),
            ]
        );
        let expected = [
            "warning[lvlint::eager_assign_new]: `assign_new` is given `load()`, which runs on \
             every mount",
            " --> src/lib.rs:3:23",
            "  |",
            "3 |     s.assign_new(\"k\", v);",
            &format!("  | {}^", " ".repeat(22)),
            "  |",
            "  = note: computed here (src/lib.rs:2:13)",
            "  = help: pass a closure: `|| load()`",
            "  = note: the value is computed before `assign_new` looks",
            "",
            "",
        ];
        assert_eq!(msg.rendered.unwrap(), expected.join("\n"));
    }

    #[test]
    fn a_fix_is_a_help_child_with_a_suggested_replacement() {
        let source = file("fn mount() {\n\ts.assign_new(\"é\", load());\n}\n");
        let mut diag = finding(&source, "load()");
        diag.help = None;
        diag.notes.clear();
        for (applicability, expected) in [
            (Applicability::Safe, RustcApplicability::MachineApplicable),
            (Applicability::Unsafe, RustcApplicability::MaybeIncorrect),
        ] {
            diag.fix = Some(Fix {
                message: "wrap the value in a closure".to_owned(),
                applicability,
                edits: vec![Edit { span: diag.span, replacement: "|| load()".to_owned() }],
            });
            let msg = only_message(diag.clone());
            assert_eq!(msg.children.len(), 1);
            let fix = &msg.children[0];
            assert_eq!(fix.level, DiagnosticLevel::Help);
            assert_eq!(fix.message, "wrap the value in a closure");
            let edit = &fix.spans[0];
            assert_eq!(edit.suggested_replacement.as_deref(), Some("|| load()"));
            assert_eq!(edit.suggestion_applicability, Some(expected));
            // A tab and a two-byte `é` come first: columns count characters, bytes do not.
            assert_eq!((edit.column_start, edit.column_end), (20, 26));
            assert_eq!((edit.byte_start, edit.byte_end), (33, 39));
        }
    }

    #[test]
    fn multi_line_spans_highlight_every_line() {
        let source = file("let a = f(\n    1,\n);\n");
        let start = source.text.find('f').unwrap();
        let mut diag = finding(&source, "f(");
        diag.span = source.span(start..source.text.find(';').unwrap());
        let span = &only_message(diag).spans[0];
        assert_eq!((span.line_start, span.line_end), (1, 3));
        assert_eq!((span.column_start, span.column_end), (9, 2));
        let lines: Vec<_> =
            span.text.iter().map(|l| (&*l.text, l.highlight_start, l.highlight_end)).collect();
        assert_eq!(lines, [("let a = f(", 9, 11), ("    1,", 1, 7), (");", 1, 2)]);
    }

    #[test]
    fn a_byte_order_mark_counts_in_byte_offsets() {
        let source = file("\u{feff}fn x() {}\n");
        let diag = finding(&source, "x");
        let span = &only_message(diag).spans[0];
        assert_eq!((span.byte_start, span.byte_end, span.column_start), (6, 7, 4));
    }

    #[test]
    fn short_and_ansi_renderings() {
        let source = file("fn x() {}\n");
        let diag = finding(&source, "x");
        let lines = messages(vec![diag.clone()], MessageFormat::JsonDiagnosticShort);
        let Some(Message::CompilerMessage(msg)) = lines.first() else { panic!() };
        assert_eq!(
            msg.message.rendered.as_deref(),
            Some(
                "src/lib.rs:1:4: warning[lvlint::eager_assign_new]: `assign_new` is given \
                 `load()`, which runs on every mount\n"
            )
        );
        let lines = messages(vec![diag], MessageFormat::JsonDiagnosticRenderedAnsi);
        let Some(Message::CompilerMessage(msg)) = lines.first() else { panic!() };
        let rendered = msg.message.rendered.as_deref().unwrap();
        assert!(rendered.starts_with("\x1b[1;93mwarning[lvlint::eager_assign_new]\x1b[0m: "));
    }

    #[test]
    fn synthetic_package_for_explicit_paths() {
        let source = file("fn x() {}\n");
        let lines = messages(vec![finding(&source, "x")], MessageFormat::Json);
        let Some(Message::CompilerMessage(msg)) = lines.first() else { panic!() };
        assert_eq!(msg.package_id.repr, "path+file:///ws#lvlint-paths@0.0.0");
        assert_eq!(msg.target.name, "lvlint-paths");
        assert_eq!(msg.target.src_path, PathBuf::from("/ws/src/lib.rs"));
    }
}
