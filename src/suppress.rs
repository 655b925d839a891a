//! Suppression directives: `// lvlint::allow(rule-id)` on the line directly above a statement,
//! or at the end of any line of the statement, silences that rule in that statement.
//!
//! Directives are found by a small lexer over the raw text that knows strings, raw strings,
//! character literals, block comments and doc comments, so text that merely looks like a
//! directive inside a string or a doc comment does nothing.

use std::collections::HashMap;

const DIRECTIVE: &str = "lvlint::allow(";

/// The directives of one file, by 1-based line.
#[derive(Debug, Default)]
pub struct Directives {
    /// Directives on a line of their own: they apply to the statement starting below.
    own_line: HashMap<usize, Vec<String>>,
    /// Directives after code on the same line: they apply to the statement containing it.
    trailing: HashMap<usize, Vec<String>>,
}

impl Directives {
    pub fn parse(text: &str) -> Directives {
        let mut directives = Directives::default();
        for comment in line_comments(text) {
            let Some(rules) = parse_directive(comment.text) else { continue };
            let map =
                if comment.own_line { &mut directives.own_line } else { &mut directives.trailing };
            map.entry(comment.line).or_default().extend(rules);
        }
        directives
    }

    pub fn is_empty(&self) -> bool {
        self.own_line.is_empty() && self.trailing.is_empty()
    }

    /// Whether `rule` is silenced for a statement spanning lines `start..=end`.
    pub fn allows(&self, rule: &str, start: usize, end: usize) -> bool {
        if self.is_empty() {
            return false;
        }
        let named = |rules: &Vec<String>| rules.iter().any(|r| r == rule);
        let above = start.checked_sub(1).and_then(|line| self.own_line.get(&line));
        if above.is_some_and(named) {
            return true;
        }
        (start..=end).any(|line| self.trailing.get(&line).is_some_and(named))
    }
}

/// Reads the rule ids of a `lvlint::allow(a, b)` comment body; `None` when it is not one.
fn parse_directive(comment: &str) -> Option<Vec<String>> {
    let body = comment.trim_start();
    let rest = body.strip_prefix(DIRECTIVE)?;
    let inner = &rest[..rest.find(')')?];
    let rules: Vec<String> = inner
        .split(',')
        .map(|r| r.trim().trim_start_matches("lvlint::").replace('_', "-"))
        .filter(|r| !r.is_empty())
        .collect();
    (!rules.is_empty()).then_some(rules)
}

struct LineComment<'a> {
    line: usize,
    /// The text after `//`.
    text: &'a str,
    /// Whether only whitespace precedes the comment on its line.
    own_line: bool,
}

/// The plain `//` comments of a file (not `///` or `//!` doc comments), skipping everything
/// inside string, character and block-comment literals.
fn line_comments(text: &str) -> Vec<LineComment<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut idx = 0;
    let mut line = 1;
    let mut line_has_code = false;
    while idx < bytes.len() {
        let byte = bytes[idx];
        match byte {
            b'\n' => {
                line += 1;
                line_has_code = false;
                idx += 1;
            }
            b'/' if bytes.get(idx + 1) == Some(&b'/') => {
                let end = text[idx..].find('\n').map_or(text.len(), |n| idx + n);
                let body = &text[idx + 2..end];
                let is_doc =
                    body.starts_with('!') || (body.starts_with('/') && !body.starts_with("//"));
                if !is_doc {
                    out.push(LineComment { line, text: body, own_line: !line_has_code });
                }
                idx = end;
            }
            b'/' if bytes.get(idx + 1) == Some(&b'*') => {
                idx = skip_block_comment(bytes, idx, &mut line);
            }
            b'"' => {
                line_has_code = true;
                idx = skip_string(bytes, idx + 1, &mut line);
            }
            b'r' | b'b' | b'c' if raw_string_start(bytes, idx).is_some() => {
                line_has_code = true;
                let (hashes, body_start) = raw_string_start(bytes, idx).unwrap_or((0, idx + 1));
                idx = skip_raw_string(bytes, body_start, hashes, &mut line);
            }
            b'\'' => {
                line_has_code = true;
                idx = skip_char_or_lifetime(bytes, idx);
            }
            b' ' | b'\t' | b'\r' => idx += 1,
            _ => {
                line_has_code = true;
                // Skip a whole identifier so that `br` inside `abr"..."` is not misread.
                if byte.is_ascii_alphanumeric() || byte == b'_' {
                    let prefix_ok = matches!(byte, b'r' | b'b' | b'c');
                    if !prefix_ok {
                        while idx < bytes.len()
                            && (bytes[idx].is_ascii_alphanumeric() || bytes[idx] == b'_')
                        {
                            idx += 1;
                        }
                        continue;
                    }
                }
                idx += 1;
            }
        }
    }
    out
}

/// For `r"`, `r#"`, `br"`, `cr#"`..., the number of `#` and the index after the opening quote.
fn raw_string_start(bytes: &[u8], idx: usize) -> Option<(usize, usize)> {
    let mut pos = idx;
    if matches!(bytes.get(pos), Some(b'b' | b'c')) {
        pos += 1;
    }
    if bytes.get(pos) != Some(&b'r') {
        // `b"..."` and `c"..."` are ordinary strings with a prefix.
        return (pos > idx && bytes.get(pos) == Some(&b'"')).then_some((usize::MAX, pos + 1));
    }
    pos += 1;
    let hashes = bytes[pos.min(bytes.len())..].iter().take_while(|b| **b == b'#').count();
    pos += hashes;
    (bytes.get(pos) == Some(&b'"')).then_some((hashes, pos + 1))
}

fn skip_raw_string(bytes: &[u8], mut idx: usize, hashes: usize, line: &mut usize) -> usize {
    if hashes == usize::MAX {
        return skip_string(bytes, idx, line);
    }
    while idx < bytes.len() {
        match bytes[idx] {
            b'\n' => *line += 1,
            b'"' => {
                let closing =
                    bytes[idx + 1..].iter().take(hashes).take_while(|b| **b == b'#').count();
                if closing == hashes {
                    return idx + 1 + hashes;
                }
            }
            _ => {}
        }
        idx += 1;
    }
    idx
}

fn skip_string(bytes: &[u8], mut idx: usize, line: &mut usize) -> usize {
    while idx < bytes.len() {
        match bytes[idx] {
            b'\\' => idx += 1,
            b'\n' => *line += 1,
            b'"' => return idx + 1,
            _ => {}
        }
        idx += 1;
    }
    idx
}

fn skip_block_comment(bytes: &[u8], mut idx: usize, line: &mut usize) -> usize {
    let mut depth = 0usize;
    while idx < bytes.len() {
        if bytes[idx] == b'/' && bytes.get(idx + 1) == Some(&b'*') {
            depth += 1;
            idx += 2;
        } else if bytes[idx] == b'*' && bytes.get(idx + 1) == Some(&b'/') {
            depth -= 1;
            idx += 2;
            if depth == 0 {
                return idx;
            }
        } else {
            if bytes[idx] == b'\n' {
                *line += 1;
            }
            idx += 1;
        }
    }
    idx
}

/// Skips `'x'`, `'\n'`, `'\u{..}'` character literals; a lifetime (`'a`) skips only the quote.
fn skip_char_or_lifetime(bytes: &[u8], idx: usize) -> usize {
    match bytes.get(idx + 1) {
        Some(b'\\') => {
            let close = bytes[idx + 2..].iter().take(12).position(|b| *b == b'\'');
            close.map_or(idx + 1, |n| idx + 2 + n + 1)
        }
        Some(_) => {
            // One character (possibly multi-byte) then a closing quote makes a char literal.
            let rest = &bytes[idx + 1..];
            let width = utf8_width(rest[0]);
            if rest.get(width) == Some(&b'\'') { idx + 1 + width + 1 } else { idx + 1 }
        }
        None => idx + 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_line_directive_applies_to_statement_below() {
        let d =
            Directives::parse("fn a() {\n    // lvlint::allow(eager-assign-new)\n    x();\n}\n");
        assert!(d.allows("eager-assign-new", 3, 3));
        assert!(!d.allows("eager-assign-new", 4, 4));
        assert!(!d.allows("session-stores-struct", 3, 3));
    }

    #[test]
    fn trailing_directive_applies_to_any_line_of_statement() {
        let d = Directives::parse("let a = f(\n  x, // lvlint::allow(a-rule, b-rule)\n);\n");
        assert!(d.allows("b-rule", 1, 3));
        assert!(!d.allows("b-rule", 3, 3));
    }

    #[test]
    fn directive_in_string_or_doc_comment_does_nothing() {
        let text = concat!(
            "/// lvlint::allow(r)\n",
            "let s = \"// lvlint::allow(r)\";\n",
            "let t = r#\"\n// lvlint::allow(r)\n\"#;\n",
        );
        let d = Directives::parse(text);
        assert!(d.is_empty());
    }

    #[test]
    fn lifetimes_do_not_open_char_literals() {
        let d = Directives::parse("fn f<'a>(x: &'a str) {} // lvlint::allow(r)\n");
        assert!(d.allows("r", 1, 1));
    }
}
