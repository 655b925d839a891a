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
    word_set: HashSet<String>,
    /// Mount function and attribute names: they count only where they name a function with a
    /// body (`fn mount(..) {`) or an attribute (`#[mount]`), not in a call or an FFI
    /// declaration (`pub fn mount(..) -> c_int;` in libc).
    mount_words: HashSet<String>,
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
    /// The first segments of a candidate's paths (`a` in `use a::User`, `a::load()`): the
    /// other crates it may take items from.
    pub path_heads: HashSet<String>,
}

impl TextFacts {
    pub fn defines_any(&self, names: &HashSet<String>) -> bool {
        self.defines.iter().any(|name| names.contains(name))
    }
}

impl Prefilter {
    pub fn new(profile: &ApiProfile) -> Prefilter {
        let words = profile.candidate_words();
        let mount_words = profile.mount_fns.iter().chain(&profile.mount_attrs).cloned().collect();
        Prefilter {
            words: AhoCorasick::new(&words).ok(),
            word_set: words.into_iter().collect(),
            mount_words,
        }
    }

    pub fn scan(&self, text: &str, parse_all: bool) -> TextFacts {
        let candidate = self.is_candidate(text);
        let mut facts = TextFacts { candidate, ..TextFacts::default() };
        if parse_all && !candidate {
            // Every file is parsed and indexed whole: what it defines need not be guessed.
            return facts;
        }
        let bytes = text.as_bytes();
        let mut previous: &str = "";
        // An `impl` block defines the methods of its self type: the last path segment outside
        // `<..>` before the `{` (after `for`, if any) is recorded as defined. Inside `impl`
        // and `trait` blocks, `fn` and `type` define methods and associated types, which the
        // index finds through their owner, not by name.
        let mut impl_start = 0;
        let mut impl_self: &str = "";
        let mut impl_header_end = 0;
        let mut next_block_is_assoc = false;
        let mut blocks: Vec<bool> = Vec::new();
        // The names around an `as` of a `use` item: a function called by another name.
        let mut use_end = 0;
        for (start, word) in code_tokens(text) {
            let end = start + word.len();
            if start >= impl_header_end && !impl_self.is_empty() {
                facts.defines.push(std::mem::take(&mut impl_self).to_owned());
            }
            match word {
                "{" => {
                    blocks.push(std::mem::take(&mut next_block_is_assoc));
                    continue;
                }
                "}" => {
                    blocks.pop();
                    continue;
                }
                _ => {}
            }
            let in_assoc_block = blocks.last().copied().unwrap_or(false);
            if is_keyword_or_primitive(word) {
                match word {
                    "for" => impl_self = "",
                    "where" if start < impl_header_end => {
                        facts.defines.push(std::mem::take(&mut impl_self).to_owned());
                        impl_header_end = 0;
                    }
                    "impl" if at_item_start(bytes, start, previous) => {
                        next_block_is_assoc = true;
                        impl_start = end;
                        impl_self = "";
                        impl_header_end = find_from(bytes, end, |b| b == b'{' || b == b';');
                    }
                    "trait" => next_block_is_assoc = true,
                    _ => {}
                }
            } else if DEFINING_KEYWORDS.contains(&previous) {
                if !(in_assoc_block && matches!(previous, "fn" | "type")) {
                    facts.defines.push(word.to_owned());
                }
            } else if start < impl_header_end && angle_depth(bytes, impl_start, start) == 0 {
                impl_self = word;
            }
            if candidate {
                if word == "use" {
                    use_end = find_from(bytes, end, |b| b == b';');
                }
                let renamed =
                    start < use_end && (previous == "as" || next_word_is(bytes, end, "as"));
                let asks = renamed
                    || (!DEFINING_KEYWORDS.contains(&previous)
                        && may_ask_the_index(bytes, start, word));
                if asks && !is_keyword_or_primitive(word) {
                    facts.words.insert(word.to_owned());
                }
                if bytes.get(end..end + 2) == Some(b"::") {
                    facts.path_heads.insert(word.replace('-', "_"));
                }
            }
            previous = word;
        }
        if !impl_self.is_empty() {
            facts.defines.push(impl_self.to_owned());
        }
        facts
    }

    fn is_candidate(&self, text: &str) -> bool {
        let Some(words) = &self.words else { return true };
        let bytes = text.as_bytes();
        // The automaton rules out most files at once; a file with a hit is lexed to see
        // whether one is code, not a comment, a doc attribute or a string.
        let any_hit = words.find_overlapping_iter(text).any(|found| {
            let before = found.start().checked_sub(1).and_then(|idx| bytes.get(idx));
            let after = bytes.get(found.end());
            !before.is_some_and(|b| is_ident_byte(*b)) && !after.is_some_and(|b| is_ident_byte(*b))
        });
        if !any_hit {
            return false;
        }
        let mut previous = "";
        for (start, word) in code_tokens(text) {
            let end = start + word.len();
            let hit = self.word_set.contains(word)
                && if self.mount_words.contains(word) {
                    (previous == "fn" && has_body(bytes, end))
                        || names_an_attribute(bytes, start, end)
                } else {
                    !declares_a_name(bytes, end)
                };
            if hit {
                return true;
            }
            previous = word;
        }
        false
    }
}

/// Whether an `impl` at `start` begins an item (`impl X {`), not an `impl Trait` type.
fn at_item_start(bytes: &[u8], start: usize, previous: &str) -> bool {
    let before = skip_space_back(bytes, start);
    match before.checked_sub(1).and_then(|idx| bytes.get(idx)) {
        None | Some(b'}' | b';' | b'{' | b']') => true,
        _ => previous == "unsafe" || previous == "default",
    }
}

/// Whether the next token after `end` is the word `word`.
fn next_word_is(bytes: &[u8], end: usize, word: &str) -> bool {
    let mut at = end;
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    bytes.get(at..at + word.len()) == Some(word.as_bytes())
        && !bytes.get(at + word.len()).is_some_and(|b| is_ident_byte(*b))
}

/// Whether a name found in a type is worth looking up by name: not a keyword or primitive,
/// and not one letter long (a generic parameter, see the FIXME of [`may_ask_the_index`]).
pub fn worth_looking_up(name: &str) -> bool {
    name.len() > 1 && !is_keyword_or_primitive(name)
}

/// Keywords and primitive types: no file defines them, so they are never needed by name.
fn is_keyword_or_primitive(word: &str) -> bool {
    const WORDS: [&str; 56] = [
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "bool", "char", "str", "u8", "u16",
        "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64",
        "_",
    ];
    WORDS.contains(&word)
}

/// The depth of `<..>` nesting at `at`, counted from `from` (`->` is not a bracket).
fn angle_depth(bytes: &[u8], from: usize, at: usize) -> usize {
    let mut depth = 0usize;
    let slice = bytes.get(from..at).unwrap_or_default();
    for (idx, &byte) in slice.iter().enumerate() {
        match byte {
            b'<' => depth += 1,
            b'>' if idx == 0 || slice.get(idx - 1) != Some(&b'-') => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    depth
}

/// Whether the signature after a function name ending at `end` leads to a body `{` rather than
/// a `;`, skipping what is inside brackets (`[u8; 4]`).
fn has_body(bytes: &[u8], end: usize) -> bool {
    let mut depth = 0usize;
    for &byte in bytes.get(end..).unwrap_or_default() {
        match byte {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'{' if depth == 0 => return true,
            b';' if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

/// Whether the word between `start` and `end` is an attribute's name: `#[mount]`,
/// `#[live::mount(..)]`.
fn names_an_attribute(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = skip_space_back(bytes, start);
    let opens = before.checked_sub(1).and_then(|idx| bytes.get(idx)) == Some(&b'[');
    let mut after = end;
    while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
        after += 1;
    }
    opens || bytes.get(after) == Some(&b']')
}

/// Whether the word ending at `end` is followed by a single `:`: a field, parameter or binding
/// being declared with its type (`Cookie: u32` in FFI bindings, `session: Store`). Its name
/// says nothing then; its type, a word of its own, does.
fn declares_a_name(bytes: &[u8], end: usize) -> bool {
    let mut idx = end;
    while bytes.get(idx).is_some_and(|b| *b == b' ' || *b == b'\t') {
        idx += 1;
    }
    bytes.get(idx) == Some(&b':') && bytes.get(idx + 1) != Some(&b':')
}

/// Whether the identifier at `start` may be a name the index is asked about: a type, trait or
/// variant (upper case), or a function called by its own name or through a module path (a
/// module name itself is not: no item keyword defines it). A
/// method name (`.name`) or an associated function (`Type::name`) is found through its type,
/// whose `impl` headers the pre-filter records, so it is not needed by name: without this,
/// every file defining a `new` or a `get` would be parsed.
fn may_ask_the_index(bytes: &[u8], start: usize, word: &str) -> bool {
    let before = skip_space_back(bytes, start);
    let attribute = before >= 2 && bytes.get(before - 2..before) == Some(b"#[");
    if attribute {
        return false;
    }
    let after_path = before >= 2 && bytes.get(before - 2..before) == Some(b"::");
    if after_path {
        // `Type::name`, `Self::Output`, `<T as Trait>::name`: an associated item or a variant,
        // found through its owner; only a module path (`db::find`) names an item by itself.
        let owner_end = skip_space_back(bytes, before - 2);
        let mut owner_start = owner_end;
        while owner_start > 0 && bytes.get(owner_start - 1).is_some_and(|b| is_ident_byte(*b)) {
            owner_start -= 1;
        }
        let owner_is_module = owner_start < owner_end
            && bytes.get(owner_start).is_some_and(|b| b.is_ascii_lowercase() || *b == b'_')
            && owner_start.checked_sub(1).and_then(|idx| bytes.get(idx)) != Some(&b'$');
        if !owner_is_module {
            return false;
        }
    }
    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        // FIXME: a one-letter name is taken for a generic parameter and never looked up, so a
        // project type named `A` is not indexed on demand — the pre-filter would need to know
        // the generics in scope to tell them apart.
        return word.len() > 1;
    }
    // A lower-case name asks the index only as a function called: `name(` or `name::<`.
    let mut after = start + word.len();
    while bytes.get(after).is_some_and(u8::is_ascii_whitespace) {
        after += 1;
    }
    let called = match bytes.get(after) {
        Some(b'(') => true,
        Some(b':') => bytes.get(after + 1..after + 3) == Some(b":<"),
        _ => false,
    };
    if !called {
        return false;
    }
    before.checked_sub(1).and_then(|idx| bytes.get(idx)) != Some(&b'.')
}

/// The index just after the last non-whitespace byte before `idx`.
fn skip_space_back(bytes: &[u8], mut idx: usize) -> usize {
    while idx > 0 && bytes.get(idx - 1).is_some_and(u8::is_ascii_whitespace) {
        idx -= 1;
    }
    idx
}

/// The first index at or after `from` whose byte matches, or the end of the text.
fn find_from(bytes: &[u8], from: usize, matches: impl Fn(u8) -> bool) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    rest.iter().position(|&b| matches(b)).map_or(bytes.len(), |at| from + at)
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The ASCII identifiers and the braces of the code of a text with their byte offsets, in
/// order: comments, string, character and number literals are skipped (raw identifiers lose
/// their `r#`).
fn code_tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut idx = 0;
    std::iter::from_fn(move || {
        while let Some(&byte) = bytes.get(idx) {
            let next = bytes.get(idx + 1).copied();
            match byte {
                b'/' if next == Some(b'/') => idx = find_from(bytes, idx, |b| b == b'\n'),
                b'/' if next == Some(b'*') => idx = skip_block_comment(bytes, idx + 2),
                b'"' => idx = skip_string(bytes, idx + 1),
                b'{' | b'}' => {
                    idx += 1;
                    return text.get(idx - 1..idx).map(|brace| (idx - 1, brace));
                }
                b'\'' => idx = skip_char_or_lifetime(bytes, idx),
                b'0'..=b'9' => {
                    // Numbers go whole, so that `1usize` does not yield `usize`.
                    while bytes.get(idx).is_some_and(|b| is_ident_byte(*b)) {
                        idx += 1;
                    }
                }
                _ if byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80 => {
                    let start = idx;
                    while bytes.get(idx).is_some_and(|b| is_ident_byte(*b)) {
                        idx += 1;
                    }
                    let word = text.get(start..idx).unwrap_or("");
                    let after = bytes.get(idx).copied();
                    if matches!(word, "r" | "br" | "cr") && matches!(after, Some(b'"' | b'#')) {
                        if let Some(end) = skip_raw_string(bytes, idx) {
                            idx = end;
                            continue;
                        }
                    }
                    if matches!(word, "b" | "c") && after == Some(b'"') {
                        idx = skip_string(bytes, idx + 1);
                        continue;
                    }
                    return Some((start, word));
                }
                _ => idx += 1,
            }
        }
        None
    })
}

/// What makes a file too deep to parse safely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooDeep {
    /// Brackets nest deeper than the limit at this byte offset.
    Brackets(usize),
    /// An unbracketed run of operators passes the limit at this byte offset.
    Operators(usize),
}

/// Where a file first nests too deep for the parser, if it does: brackets nested past
/// `max_nesting`, or an unbracketed run of operators past `max_run`. Strings, characters and
/// comments are skipped, so brackets inside them neither count nor cancel real ones.
///
/// Prefix operators (`!!!x`, `|x| |y| ..`, `return return ..`), operator chains (`a + a + ..`),
/// method chains (`x.a().a()..`) and `else if` chains nest the syntax tree one level per
/// operator without a bracket, and syn, the walker and the tree's drop recurse once per level:
/// past some hundred thousand levels even a 256 MB stack overflows, which aborts the process.
/// The run of one bracket level ends at its `,` and `;`; the runs of the open levels add up.
pub fn too_deep(text: &str, max_nesting: usize, max_run: usize) -> Option<TooDeep> {
    let limit = max_run;
    let bytes = text.as_bytes();
    // Most files are too small to be too deep: fewer operator bytes than the run limit and
    // fewer opening brackets than the nesting limit settle it without lexing.
    if bytes.len() <= max_run
        && bytes.iter().filter(|b| matches!(b, b'(' | b'[' | b'{')).count() <= max_nesting
    {
        return None;
    }
    let mut runs: Vec<usize> = vec![0];
    let mut total = 0usize;
    let mut idx = 0;
    while let Some(&byte) = bytes.get(idx) {
        if let Some(after) = skip_literal_or_comment(bytes, idx) {
            idx = after;
            continue;
        }
        let mut step = 0;
        match byte {
            b'(' | b'[' | b'{' => {
                runs.push(0);
                idx += 1;
                if runs.len() > max_nesting + 1 {
                    return Some(TooDeep::Brackets(idx - 1));
                }
            }
            b')' | b']' | b'}' => {
                if runs.len() > 1 {
                    total -= runs.pop().unwrap_or(0);
                }
                idx += 1;
                // A block ends its statement or item, unless an `else` goes on with it.
                if byte == b'}'
                    && !next_word_is(bytes, idx, "else")
                    && let Some(run) = runs.last_mut()
                {
                    total -= std::mem::take(run);
                }
            }
            b',' | b';' => {
                if let Some(run) = runs.last_mut() {
                    total -= std::mem::take(run);
                }
                idx += 1;
            }
            b'.' | b'!' | b'-' | b'+' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'=' | b'<'
            | b'>' | b'?' => {
                step = 1;
                idx += 1;
            }
            _ if byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80 => {
                let (end, word) = word_or_raw_string(text, idx);
                idx = end;
                if matches!(word, "else" | "return" | "break" | "move") {
                    step = 1;
                }
            }
            _ => idx += 1,
        }
        if step > 0 {
            if let Some(run) = runs.last_mut() {
                *run += step;
            }
            total += step;
            if total > limit {
                return Some(TooDeep::Operators(idx.saturating_sub(1)));
            }
        }
    }
    None
}

/// The text with the bodies of its functions blanked out (every byte but newlines made a
/// space), for a file parsed only for the index: the index reads signatures and items, and
/// most of a parse's time goes into bodies. Byte offsets, lines and so every span stay as
/// they were. A body that holds an item keyword is kept, since the index reads items nested
/// in functions. `None` when there is no body to blank.
pub fn blank_fn_bodies(text: &str) -> Option<String> {
    const NESTED_ITEMS: [&str; 8] =
        ["fn", "struct", "enum", "type", "trait", "impl", "union", "macro_rules"];
    let bytes = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut after_fn = false;
    let mut idx = 0;
    while let Some(&byte) = bytes.get(idx) {
        if let Some(after) = skip_literal_or_comment(bytes, idx) {
            idx = after;
            continue;
        }
        match byte {
            b';' | b'}' => {
                after_fn = false;
                idx += 1;
            }
            b'{' if after_fn => {
                after_fn = false;
                let close = matching_brace(text, idx);
                let body = text.get(idx + 1..close).unwrap_or("");
                let nested = code_tokens(body).any(|(_, word)| NESTED_ITEMS.contains(&word));
                if !nested {
                    let blanked = out.get_or_insert_with(|| bytes.to_vec());
                    for slot in blanked.iter_mut().take(close).skip(idx + 1) {
                        if *slot != b'\n' {
                            *slot = b' ';
                        }
                    }
                }
                idx = close;
            }
            _ if byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80 => {
                let (end, word) = word_or_raw_string(text, idx);
                idx = end;
                if word == "fn" {
                    after_fn = true;
                }
            }
            _ => idx += 1,
        }
    }
    out.and_then(|bytes| String::from_utf8(bytes).ok())
}

/// The index of the `}` closing the `{` at `open` (or the end of the text).
fn matching_brace(text: &str, open: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut idx = open;
    while let Some(&byte) = bytes.get(idx) {
        if let Some(after) = skip_literal_or_comment(bytes, idx) {
            idx = after;
            continue;
        }
        match byte {
            b'{' => {
                depth += 1;
                idx += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return idx;
                }
                idx += 1;
            }
            _ if byte.is_ascii_alphabetic() || byte == b'_' || byte >= 0x80 => {
                idx = word_or_raw_string(text, idx).0;
            }
            _ => idx += 1,
        }
    }
    bytes.len()
}

/// The end of the identifier at `idx` and the identifier; a raw or byte string it prefixes
/// (`r#".."#`, `br".."`, `b".."`) is skipped whole and gives an empty word.
fn word_or_raw_string(text: &str, idx: usize) -> (usize, &str) {
    let bytes = text.as_bytes();
    let mut end = idx;
    while bytes.get(end).is_some_and(|b| is_ident_byte(*b)) {
        end += 1;
    }
    let word = text.get(idx..end).unwrap_or("");
    let after = bytes.get(end).copied();
    if matches!(word, "r" | "br" | "cr")
        && matches!(after, Some(b'"' | b'#'))
        && let Some(string_end) = skip_raw_string(bytes, end)
    {
        return (string_end, "");
    }
    if matches!(word, "b" | "c") && after == Some(b'"') {
        return (skip_string(bytes, end + 1), "");
    }
    (end, word)
}

/// The index after the comment, string or character literal that starts at `idx`, if one
/// does: the scanners below skip them alike, so text inside them never counts as code.
fn skip_literal_or_comment(bytes: &[u8], idx: usize) -> Option<usize> {
    let next = bytes.get(idx + 1).copied();
    match bytes.get(idx)? {
        b'/' if next == Some(b'/') => Some(find_from(bytes, idx, |b| b == b'\n')),
        b'/' if next == Some(b'*') => Some(skip_block_comment(bytes, idx + 2)),
        b'"' => Some(skip_string(bytes, idx + 1)),
        b'\'' => Some(skip_char_or_lifetime(bytes, idx)),
        _ => None,
    }
}

/// The index after a string whose body starts at `idx` (escapes honoured).
fn skip_string(bytes: &[u8], mut idx: usize) -> usize {
    while let Some(&byte) = bytes.get(idx) {
        match byte {
            b'\\' => idx += 2,
            b'"' => return idx + 1,
            _ => idx += 1,
        }
    }
    bytes.len()
}

/// The index after a raw string whose hashes start at `idx`, if it is one (`r#"..."#`);
/// `None` for a raw identifier (`r#type`).
fn skip_raw_string(bytes: &[u8], idx: usize) -> Option<usize> {
    let hashes = bytes.get(idx..)?.iter().take_while(|b| **b == b'#').count();
    if bytes.get(idx + hashes) != Some(&b'"') {
        return None;
    }
    let mut at = idx + hashes + 1;
    while at < bytes.len() {
        let closes = bytes.get(at) == Some(&b'"')
            && bytes.get(at + 1..at + 1 + hashes).is_some_and(|h| h.iter().all(|b| *b == b'#'));
        if closes {
            return Some(at + 1 + hashes);
        }
        at += 1;
    }
    Some(bytes.len())
}

/// The index after a (nested) block comment whose body starts at `idx`.
fn skip_block_comment(bytes: &[u8], mut idx: usize) -> usize {
    let mut depth = 1;
    while idx < bytes.len() {
        match (bytes.get(idx), bytes.get(idx + 1)) {
            (Some(b'/'), Some(b'*')) => {
                depth += 1;
                idx += 2;
            }
            (Some(b'*'), Some(b'/')) => {
                depth -= 1;
                idx += 2;
                if depth == 0 {
                    return idx;
                }
            }
            _ => idx += 1,
        }
    }
    bytes.len()
}

/// The index after a character literal at `idx` (`'x'`, `'\n'`, `'é'`), or just after the
/// quote of a lifetime (`'a`), whose name is then read as an identifier.
fn skip_char_or_lifetime(bytes: &[u8], idx: usize) -> usize {
    match bytes.get(idx + 1) {
        Some(b'\\') => find_from(bytes, idx + 3, |b| b == b'\'').saturating_add(1).min(bytes.len()),
        Some(&first) => {
            let len = match first {
                0xF0..=0xFF => 4,
                0xE0..=0xEF => 3,
                0xC0..=0xDF => 2,
                _ => 1,
            };
            if bytes.get(idx + 1 + len) == Some(&b'\'') { idx + 2 + len } else { idx + 1 }
        }
        None => bytes.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_words_match_whole_identifiers_only() {
        let filter = Prefilter::new(&ApiProfile::default());
        assert!(!filter.scan("let amount = mounted + 1;", false).candidate);
        assert!(filter.scan("fn mount(socket: Socket) {}", false).candidate);
        assert!(filter.scan("#[mount]\nasync fn load(s: &mut S) {}", false).candidate);
        assert!(
            !filter.scan("extern \"C\" { pub fn mount(a: [u8; 4]) -> c_int; }", false).candidate
        );
        assert!(!filter.scan("fn f() { fs.mount(\"/\"); }", false).candidate);
        assert!(filter.scan("x.assign_new(\"a\", || 1)", false).candidate);
        assert!(!filter.scan("pub struct Ctx { pub Cookie: u32 }", false).candidate);
        assert!(!filter.scan("fn f(session: Handle) {}", false).candidate);
        assert!(filter.scan("fn f(s: &Session) {}", false).candidate);
        assert!(filter.scan("let c = Cookie::new(\"a\", \"b\");", false).candidate);
    }

    #[test]
    fn defines_follow_item_keywords() {
        let filter = Prefilter::new(&ApiProfile::default());
        let facts = filter.scan("pub struct User { id: u64 }\npub(crate) fn load_user() {}", false);
        assert_eq!(facts.defines, vec!["User".to_owned(), "load_user".to_owned()]);
    }

    #[test]
    fn comments_strings_and_chars_are_not_code() {
        let filter = Prefilter::new(&ApiProfile::default());
        let text = "// fn mount\n/* session /* nested */ jar */ #[doc = \"Session\"]\n\
                    const A: &str = r#\"put_session \"# ; const B: char = '\"'; \
                    const C: char = '\\''; fn f<'s>() { let c = b\"jar\"; }";
        assert!(!filter.scan(text, false).candidate);
        let words: Vec<&str> = code_tokens(text).map(|(_, w)| w).collect();
        assert_eq!(
            words,
            [
                "doc", "const", "A", "str", "const", "B", "char", "const", "C", "char", "fn", "f",
                "s", "{", "let", "c", "}"
            ]
        );
    }

    #[test]
    fn operator_runs_add_up_across_open_brackets_and_end_at_commas() {
        let run = |text: &str, limit: usize| match too_deep(text, 500, limit) {
            Some(TooDeep::Operators(at)) => Some(at),
            _ => None,
        };
        assert_eq!(run("f(a + b, c + d, e + f)", 2), None);
        assert_eq!(run("a + (b + (c + d))", 2), Some(12));
        assert_eq!(run("let s = \"++++++\"; // ++++", 2), None);
        assert_eq!(run("x.a().b()", 1), Some(5));
        assert_eq!(run("fn a() -> u8 { 1 }\nfn b() -> u8 { 2 }", 3), None);
        assert_eq!(run("if a {} else if b {} else if c {}", 1), Some(24));
        assert_eq!(run("[-1, -2, -3, -4]", 1), None);
    }

    #[test]
    fn brackets_in_strings_neither_count_nor_cancel() {
        assert_eq!(too_deep("let r = \"((((((\"; f(g(x))", 2, 100), None);
        assert_eq!(too_deep("f(\")\", g(\")\", h(1)))", 2, 100), Some(TooDeep::Brackets(15)));
    }

    #[test]
    fn function_bodies_are_blanked_unless_they_hold_items() {
        let text = "fn a() -> u8 { let s = \"}\";\n 1 }\nstruct S { f: fn(u8) }\n\
                    fn b() { struct Inner; }\nimpl S { fn c(&self) {x} }";
        let blanked = blank_fn_bodies(text).unwrap_or_default();
        assert_eq!(blanked.len(), text.len());
        assert_eq!(
            blanked,
            "fn a() -> u8 {             \n   }\nstruct S { f: fn(u8) }\n\
             fn b() { struct Inner; }\nimpl S { fn c(&self) { } }"
        );
    }

    #[test]
    fn impl_headers_define_their_self_type() {
        let filter = Prefilter::new(&ApiProfile::default());
        let facts =
            filter.scan("impl<T: Clone> Render for Page<T> where T: Send { fn a() {} }", false);
        let defines: Vec<&str> = facts.defines.iter().map(String::as_str).collect();
        // `a` is a method: the index finds it through `Page`.
        assert_eq!(defines, ["Page"]);
        let facts = filter
            .scan("impl ::core::fmt::Debug for crate::x::Wrapper<T> {}\nimpl Local {}", false);
        assert_eq!(facts.defines, ["Wrapper", "Local"]);
    }

    #[test]
    fn candidates_need_types_and_free_functions_not_method_names() {
        let filter = Prefilter::new(&ApiProfile::default());
        let text = "use crate::db::load as fetch;\n\
                    fn mount(socket: &mut Socket) { let u = fetch(1); let v = User::new(); \
                    let w = db::find(u.id); u.profile().get(); }";
        let facts = filter.scan(text, false);
        let mut words: Vec<&str> = facts.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        assert_eq!(words, ["Socket", "User", "fetch", "find", "load"]);
    }
}
