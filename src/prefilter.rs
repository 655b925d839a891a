//! The text pre-filter: from a file's raw text alone, decide whether it can hold a candidate
//! for any rule and which item names it may define. Most files of a project hold no candidate,
//! and not parsing them is what makes lvlint fast.
//!
//! The words come from the API profile, so a configured name is never missed. The scan errs
//! towards "maybe": a word inside a comment or string still counts.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;

use crate::profile::ApiProfile;

/// Keywords after which an identifier names an item the index may need.
const DEFINING_KEYWORDS: [&str; 6] = ["struct", "enum", "type", "fn", "trait", "union"];

pub struct Prefilter {
    words: Option<AhoCorasick>,
}

/// What the pre-filter learned from one file's text.
#[derive(Debug, Default)]
pub struct TextFacts {
    /// Whether a profile word appears as a whole identifier.
    pub candidate: bool,
    /// The names that follow an item keyword (`struct User` gives `User`).
    pub defines: Vec<String>,
    /// Every identifier of a candidate file: the names its code may ask the index about.
    pub words: HashSet<String>,
}

impl TextFacts {
    pub fn defines_any(&self, names: &HashSet<String>) -> bool {
        self.defines.iter().any(|name| names.contains(name))
    }
}

impl Prefilter {
    pub fn new(profile: &ApiProfile) -> Prefilter {
        let words = profile.candidate_words();
        Prefilter { words: AhoCorasick::new(&words).ok() }
    }

    pub fn scan(&self, text: &str, _parse_all: bool) -> TextFacts {
        let candidate = self.is_candidate(text);
        let mut facts = TextFacts { candidate, ..TextFacts::default() };
        let mut previous: &str = "";
        for word in identifiers(text) {
            if DEFINING_KEYWORDS.contains(&previous) {
                facts.defines.push(word.to_owned());
            }
            if candidate {
                facts.words.insert(word.to_owned());
            }
            previous = word;
        }
        facts
    }

    fn is_candidate(&self, text: &str) -> bool {
        let Some(words) = &self.words else { return true };
        let bytes = text.as_bytes();
        words.find_overlapping_iter(text).any(|found| {
            let before = found.start().checked_sub(1).and_then(|idx| bytes.get(idx));
            let after = bytes.get(found.end());
            !before.is_some_and(|b| is_ident_byte(*b)) && !after.is_some_and(|b| is_ident_byte(*b))
        })
    }
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The ASCII identifiers of a text, in order (raw identifiers lose their `r#`).
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut idx = 0;
    std::iter::from_fn(move || {
        while idx < bytes.len() {
            let byte = bytes[idx];
            if byte.is_ascii_alphabetic() || byte == b'_' {
                let start = idx;
                while idx < bytes.len()
                    && (bytes[idx].is_ascii_alphanumeric() || bytes[idx] == b'_')
                {
                    idx += 1;
                }
                return text.get(start..idx);
            }
            if byte.is_ascii_digit() {
                // Skip numbers whole so that `1usize` does not yield `usize`... harmlessly.
                while idx < bytes.len() && bytes[idx].is_ascii_alphanumeric() {
                    idx += 1;
                }
                continue;
            }
            idx += 1;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_words_match_whole_identifiers_only() {
        let filter = Prefilter::new(&ApiProfile::default());
        assert!(!filter.scan("let amount = mounted + 1;", false).candidate);
        assert!(filter.scan("fn mount(socket: Socket) {}", false).candidate);
        assert!(filter.scan("x.assign_new(\"a\", || 1)", false).candidate);
    }

    #[test]
    fn defines_follow_item_keywords() {
        let filter = Prefilter::new(&ApiProfile::default());
        let facts = filter.scan("pub struct User { id: u64 }\npub(crate) fn load_user() {}", false);
        assert_eq!(facts.defines, vec!["User".to_owned(), "load_user".to_owned()]);
    }
}
