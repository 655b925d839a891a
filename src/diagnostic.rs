//! The one diagnostic type: rule findings, `syntax-error`, `io-error` and `internal-error` all
//! take this shape, and every output format is rendered from it.

use std::sync::Arc;

use serde::Serialize;

use crate::source::SourceFile;

/// A position in a file: 1-based line, 1-based character column, and the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
}

/// A range in a file; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

/// How loudly a rule speaks, as set by defaults and `-A`/`-W`/`-D`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The severity a finding at this level is reported with; `None` for allowed ones.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A secondary span with a message: where a struct is defined, where a value was computed.
#[derive(Clone, Debug)]
pub struct Label {
    pub message: String,
    /// The file the label points into; `None` means the diagnostic's own file.
    pub file: Option<Arc<SourceFile>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The edit keeps the program's meaning and compiles; tools may apply it unasked.
    Safe,
    /// The edit is probably right but needs a human look.
    Unsafe,
}

#[derive(Clone, Debug)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug)]
pub struct Fix {
    pub message: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// One finding in one file.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub file: Arc<SourceFile>,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn path(&self) -> &str {
        &self.file.display
    }

    /// The message with the help and notes on lines of their own, for formats that show one
    /// text only (GitHub annotations, SARIF results).
    pub fn message_with_help(&self) -> String {
        let mut text = self.message.clone();
        if let Some(help) = &self.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        for note in &self.notes {
            text.push_str(&format!("\nnote: {note}"));
        }
        text
    }

    /// The order diagnostics are reported in: path, line, column, then rule for stability.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str, &str) {
        (self.path(), self.span.start.line, self.span.start.column, self.rule, &self.message)
    }
}
