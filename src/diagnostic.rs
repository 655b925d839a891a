//! The one diagnostic type: rule findings, `syntax-error`, `io-error` and `internal-error` all
//! take this shape, and every output format is rendered from it.

use std::borrow::Cow;
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

/// Whether a character could change how a terminal shows what follows it: control characters
/// (escape sequences, carriage returns) and the bidirectional overrides that reorder text.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}')
        || matches!(c, '\u{2066}'..='\u{2069}')
}

/// Text that came from the linted code (a string key, a file name), made safe for a terminal:
/// every unsafe character is written as a `\u{..}` escape. lvlint runs on untrusted pull
/// requests, so what it prints must not be able to rewrite the reader's screen.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text for a snippet, made safe for a terminal without moving a byte: each unsafe
/// character becomes a printable one of the same UTF-8 length, so every offset into the text
/// stays valid. A carriage return that ends a line (`\r\n`) is kept.
pub fn screened(text: &str) -> Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut out: Option<String> = None;
    let mut idx = 0;
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if is_unsafe_char(c) && c != '\n' && !line_end {
            let buffer = out.get_or_insert_with(|| text[..idx].to_owned());
            buffer.push(match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',
                _ => '\u{fffd}',
            });
        } else if let Some(buffer) = out.as_mut() {
            buffer.push(c);
        }
        idx += c.len_utf8();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_terminal_controls_and_bidi_overrides() {
        assert_eq!(printable("user"), "user");
        assert_eq!(printable("a\u{1b}[2Jb\u{202e}c\nd"), "a\\u{1b}[2Jb\\u{202e}c\\u{a}d");
    }

    #[test]
    fn screened_keeps_every_byte_offset() {
        let text = "let k = \"\u{1b}]0;x\u{7}\u{202e}\u{85}\";\r\nlone\rcr\n";
        let safe = screened(text);
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "let k = \"?]0;x?\u{fffd}\u{bf}\";\r\nlone?cr\n");
    }
}
