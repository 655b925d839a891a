//! A source file as lvlint holds it: its text, where it lives, and a line index that turns byte
//! offsets into the 1-based line and character columns that users and editors expect.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Pos, Span};

/// One Rust file that was read as UTF-8 text.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as found on disk (joined with the walk root).
    pub path: PathBuf,
    /// The path as shown to the user: relative to the current directory when under it.
    pub display: String,
    /// The text without a leading byte-order mark.
    pub text: Arc<str>,
    /// Whether the file started with a byte-order mark (stripped from `text`).
    pub had_bom: bool,
    /// The absolute path with `/` separators: where the file sits in its crate, whatever
    /// directory lvlint was started from.
    pub absolute: String,
    line_starts: Vec<usize>,
    /// The number of characters before each [`CHUNK`]-byte chunk of `text`, so that a column
    /// costs at most one chunk of counting, also on a line of many megabytes.
    chars_before_chunk: Vec<usize>,
}

/// The chunk size of [`SourceFile::chars_before_chunk`].
const CHUNK: usize = 256;

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        let (text, had_bom) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_owned(), true),
            None => (text, false),
        };
        let line_starts = line_starts(&text);
        let chars_before_chunk = chars_before_chunk(&text);
        let absolute = std::path::absolute(&path)
            .map_or_else(|_| display.clone(), |p| p.to_string_lossy().replace('\\', "/"));
        SourceFile {
            path,
            display,
            text: Arc::from(text),
            had_bom,
            absolute,
            line_starts,
            chars_before_chunk,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The 1-based line and character column of a byte offset. Offsets past the end or inside
    /// a character clamp to the nearest valid position rather than panic.
    pub fn pos(&self, byte: usize) -> Pos {
        let byte = floor_char_boundary(&self.text, byte.min(self.text.len()));
        let line_idx = match self.line_starts.binary_search(&byte) {
            Ok(idx) => idx,
            Err(idx) => idx.saturating_sub(1),
        };
        let line_start = self.line_starts.get(line_idx).copied().unwrap_or(0);
        let column = self.chars_before(byte) - self.chars_before(line_start);
        Pos { line: line_idx + 1, column: column + 1, byte }
    }

    /// The number of characters before a byte offset (on a character boundary).
    fn chars_before(&self, byte: usize) -> usize {
        let chunk = byte / CHUNK;
        let base = self.chars_before_chunk.get(chunk).copied().unwrap_or(0);
        let from = (chunk * CHUNK).min(byte);
        let bytes = self.text.as_bytes().get(from..byte).unwrap_or_default();
        base + bytes.iter().filter(|b| !is_continuation(**b)).count()
    }

    pub fn span(&self, bytes: std::ops::Range<usize>) -> Span {
        Span { start: self.pos(bytes.start), end: self.pos(bytes.end.max(bytes.start)) }
    }

    /// The text of a 1-based line, without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else { return "" };
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        let raw = self.text.get(start..end).unwrap_or("");
        raw.trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The column of `pos` counted in UTF-16 code units (1-based), as SARIF wants it.
    pub fn utf16_column(&self, pos: Pos) -> usize {
        let line = self.line_text(pos.line);
        let units: usize =
            line.chars().take(pos.column.saturating_sub(1)).map(char::len_utf16).sum();
        units + 1
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr_newlines(text.as_bytes()).map(|idx| idx + 1));
    starts
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(idx, _)| idx)
}

fn chars_before_chunk(text: &str) -> Vec<usize> {
    let mut counts = Vec::with_capacity(text.len() / CHUNK + 1);
    let mut chars = 0;
    for chunk in text.as_bytes().chunks(CHUNK) {
        counts.push(chars);
        chars += chunk.iter().filter(|b| !is_continuation(**b)).count();
    }
    counts
}

/// A UTF-8 continuation byte: not the start of a character.
fn is_continuation(byte: u8) -> bool {
    byte & 0xC0 == 0x80
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    while idx > 0 && !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t.rs".into(), "t.rs".into(), text.to_owned())
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let f = file("let é = 1;\n\tlet x = 2;\n");
        assert_eq!(f.pos(9), Pos { line: 1, column: 9, byte: 9 });
        assert_eq!(f.pos(13), Pos { line: 2, column: 2, byte: 13 });
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let f = file("\"😀\" + x");
        let pos = f.pos(f.text.find('x').unwrap_or(0));
        assert_eq!(pos.column, 7);
        assert_eq!(f.utf16_column(pos), 8);
    }

    #[test]
    fn columns_agree_with_counting_across_chunk_boundaries() {
        let line = "aé😀\t".repeat(300);
        let text = format!("{line}\n{line}x\n");
        let f = file(&text);
        for (byte, _) in text.char_indices().step_by(7) {
            let line_start = text[..byte].rfind('\n').map_or(0, |n| n + 1);
            let expected = text[line_start..byte].chars().count() + 1;
            assert_eq!(f.pos(byte).column, expected, "at byte {byte}");
        }
    }

    #[test]
    fn bom_is_stripped_and_remembered() {
        let f = file("\u{feff}fn a() {}");
        assert!(f.had_bom);
        assert_eq!(f.pos(0), Pos { line: 1, column: 1, byte: 0 });
    }
}
