//! The pipeline: read every file, pick the candidates with a text pre-filter, fill the index
//! from the files the candidates lead to, then parse and check the candidates.
//!
//! Syntax trees are not `Send` (proc-macro2 spans point into a thread-local source map), so a
//! candidate is parsed, indexed and checked on one thread: each worker keeps the trees it
//! parsed until the index is complete, then checks them. Files that are parsed only for the
//! index drop their tree at once and clear the thread's span map, so memory follows the
//! candidates, not the corpus.

// A per-file failure is a `Diagnostic`; it is built once per failing file, so its size in a
// `Result` costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Barrier, Mutex, OnceLock, RwLock};

use rayon::prelude::*;

use crate::body::{self, FileCx};
use crate::diagnostic::{Diagnostic, Span};
use crate::index::{self, Fields, FileFacts, Index};
use crate::prefilter::{Prefilter, TextFacts, TooDeep};
use crate::profile::ApiProfile;
use crate::rules;
use crate::settings::Levels;
use crate::source::SourceFile;
use crate::suppress::Directives;
use crate::syntax;
use crate::ty::{ModuleCx, Ty};

/// Each worker thread's stack: deep but legal syntax must not overflow it.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Bracket nesting deeper than this is reported as `too-deeply-nested` instead of parsed.
pub const MAX_NESTING: usize = 500;

/// An unbracketed run of operators longer than this is reported as `too-deeply-nested`: see
/// [`crate::prefilter::too_deep`]. A debug build still parses 45,000 levels of every
/// shape on the worker stack; release builds several times more.
pub const MAX_OPERATOR_RUN: usize = 40_000;

/// How far into a file to look for a NUL byte, the mark of a binary file (as git does).
const BINARY_SNIFF_LEN: usize = 8000;

/// A test-only fault: a file whose text holds this marker panics while it is parsed, so that
/// the tests can see a panic become an `internal-error` while the run goes on.
static PANIC_MARKER: RwLock<Option<String>> = RwLock::new(None);

/// Makes every file whose text holds `marker` panic while parsed; `None` turns it off. For
/// the tests of the panic path only.
#[doc(hidden)]
pub fn inject_panic_marker(marker: Option<&str>) {
    if let Ok(mut guard) = PANIC_MARKER.write() {
        *guard = marker.map(str::to_owned);
    }
}

fn panic_if_marked(text: &str) {
    let Ok(guard) = PANIC_MARKER.read() else { return };
    if let Some(marker) = guard.as_deref()
        && text.contains(marker)
    {
        panic!("injected panic for `{marker}`");
    }
}

/// A file to lint, as discovery found it.
#[derive(Clone, Debug)]
pub struct Input {
    pub path: PathBuf,
    pub display: String,
    /// Text to use instead of reading the file (an editor's unsaved buffer).
    pub text: Option<String>,
    /// Whether findings in this file are reported (files read only for the index are not).
    pub report: bool,
}

/// What the engine needs to know about the run.
pub struct EngineOptions<'a> {
    pub profile: &'a ApiProfile,
    pub levels: &'a Levels,
    /// Parse every file, not only the candidates and the files the index needs.
    pub parse_all: bool,
    /// Worker threads; `0` means one per core.
    pub jobs: usize,
}

/// The result of a run over a set of files.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    /// Files read (reported files only).
    pub files: usize,
    /// Files parsed.
    pub parsed: usize,
    /// Files that could not be read or parsed.
    pub parse_failures: usize,
}

/// A file after reading: its text and what the pre-filter learned from it.
struct Loaded {
    source: Arc<SourceFile>,
    facts: TextFacts,
    report: bool,
    /// The crate the file belongs to (the directory holding its `src`), when it has one.
    crate_key: Option<String>,
}

/// Lints `inputs` and returns every diagnostic, sorted.
pub fn run(inputs: Vec<Input>, options: &EngineOptions<'_>) -> Outcome {
    // More threads than a few per core only cost memory: each has a deep stack.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let jobs = if options.jobs == 0 { cores } else { options.jobs.min(cores * 4) };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).stack_size(STACK_SIZE).build();
    let Ok(pool) = pool else {
        // Without a pool (thread creation refused) the work still runs, on this thread.
        return run_in(inputs, options, 1);
    };
    pool.install(|| run_in(inputs, options, jobs))
}

fn run_in(inputs: Vec<Input>, options: &EngineOptions<'_>, jobs: usize) -> Outcome {
    let prefilter = Prefilter::new(options.profile);
    let mut outcome =
        Outcome { files: inputs.iter().filter(|i| i.report).count(), ..Outcome::default() };

    // Read every file and learn, from its text alone, whether it is a candidate and which
    // names it may define.
    let loaded: Vec<Result<Loaded, Box<Diagnostic>>> =
        inputs.into_par_iter().map(|input| load(input, &prefilter, options)).collect();
    let mut files = Vec::with_capacity(loaded.len());
    for item in loaded {
        match item {
            Ok(file) => files.push(file),
            Err(diag) => {
                outcome.parse_failures += 1;
                outcome.diagnostics.push(*diag);
            }
        }
    }

    // Fill the index from the non-candidate files the candidates lead to, by name, until no
    // new name appears; every file when `--parse-all` is set.
    // FIXME: a file is parsed whole (bodies blanked) for one needed name, so a common name
    // (`Error`, `Config`) defined in many files of the candidates' crates pulls them all in —
    // parsing only the byte ranges of the needed items (the pre-filter can find them as it
    // finds the names) would cut that to the items themselves.
    let mut index = Index::default();
    let mut needed: HashSet<String> = HashSet::new();
    for file in files.iter().filter(|f| f.facts.candidate) {
        needed.extend(file.facts.words.iter().cloned());
    }
    // Only the crates the candidates are in, or name (`use other::Item`), can hold what they
    // ask about: a name the candidate's crate does not define or import is another crate's
    // item, which the index would not pick (see `index::pick`). So the search stays in them.
    let crates = crates_in_reach(&files);
    let mut parsed = vec![false; files.len()];
    loop {
        let batch: Vec<usize> = (0..files.len())
            .filter(|&idx| !parsed[idx] && !files[idx].facts.candidate)
            .filter(|&idx| {
                options.parse_all
                    || (crates.contains(&files[idx].crate_key)
                        && files[idx].facts.defines_any(&needed))
            })
            .collect();
        if batch.is_empty() {
            break;
        }
        let results: Vec<(Option<FileFacts>, Vec<Diagnostic>)> = batch
            .par_iter()
            .map(|&idx| {
                let file = &files[idx];
                let result = index_only(file, options);
                proc_macro2::extra::invalidate_current_thread_spans();
                result
            })
            .collect();
        for &idx in &batch {
            parsed[idx] = true;
        }
        let mut new_names = HashSet::new();
        for (facts, diags) in results {
            outcome.parsed += 1;
            if diags.iter().any(|d| d.rule != rules::INTERNAL_ERROR.id) && facts.is_none() {
                outcome.parse_failures += 1;
            }
            outcome.diagnostics.extend(diags);
            if let Some(facts) = facts {
                needed_mentions(&facts, &needed, &mut new_names);
                index.add(facts);
            }
        }
        new_names.retain(|name| !needed.contains(name) && crate::prefilter::worth_looking_up(name));
        if new_names.is_empty() && !options.parse_all {
            break;
        }
        needed.extend(new_names);
    }

    // Parse, index and check the candidates, each on the thread that parsed it.
    let candidates: Vec<&Loaded> = files.iter().filter(|f| f.facts.candidate).collect();
    let checked = check_candidates(&candidates, index, options, jobs);
    outcome.parsed += candidates.len();
    outcome.parse_failures += checked.failures;
    outcome.diagnostics.extend(checked.diagnostics);

    apply_builtin_levels(&mut outcome.diagnostics, options.levels);
    outcome.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    outcome.diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.span == b.span);
    outcome
}

/// The names the needed items of `facts` lead to: the field types of needed structs and enums,
/// the targets of needed aliases, the return types of needed functions and of the methods of
/// needed types and traits. Generic parameters are left out. The other items of the file were
/// parsed along but lead nowhere: no query reaches them.
fn needed_mentions(facts: &FileFacts, needed: &HashSet<String>, out: &mut HashSet<String>) {
    let mut add_fields = |fields: &Fields, generics: &[String]| match fields {
        Fields::Named(fields) => fields.iter().for_each(|(_, ty)| add_names(ty, generics, out)),
        Fields::Tuple(fields) => fields.iter().for_each(|ty| add_names(ty, generics, out)),
        Fields::Unit => {}
    };
    for def in facts.structs.iter().filter(|d| needed.contains(&d.name)) {
        add_fields(&def.fields, &def.generics);
    }
    for def in facts.enums.iter().filter(|d| needed.contains(&d.name)) {
        def.variants.iter().for_each(|v| add_fields(&v.fields, &def.generics));
    }
    for def in facts.aliases.iter().filter(|d| needed.contains(&d.name)) {
        add_names(&def.target, &def.generics, out);
    }
    for sig in facts.fns.iter().filter(|s| needed.contains(&s.name)) {
        add_names(&sig.ret, &sig.generics, out);
    }
    let owned = facts.methods.iter().chain(&facts.trait_methods);
    for (_, sig) in owned.filter(|(owner, _)| needed.contains(owner)) {
        add_names(&sig.ret, &sig.generics, out);
    }
}

/// Adds the names in `ty` that are not among `generics`.
fn add_names(ty: &Option<Ty>, generics: &[String], out: &mut HashSet<String>) {
    let Some(ty) = ty else { return };
    let mut names = HashSet::new();
    index::type_names(ty, &mut names);
    out.extend(names.into_iter().filter(|name| !generics.contains(name)));
}

/// The crates of the candidate files, and the crates whose key a candidate names.
fn crates_in_reach(files: &[Loaded]) -> HashSet<Option<String>> {
    let keys: HashSet<&String> = files.iter().filter_map(|f| f.crate_key.as_ref()).collect();
    let mut reach = HashSet::new();
    for file in files.iter().filter(|f| f.facts.candidate) {
        reach.insert(file.crate_key.clone());
        let heads = file.facts.path_heads.iter().filter(|head| keys.contains(head));
        reach.extend(heads.cloned().map(Some));
    }
    reach
}

fn load(
    mut input: Input,
    prefilter: &Prefilter,
    options: &EngineOptions<'_>,
) -> Result<Loaded, Box<Diagnostic>> {
    let bytes = match input.text.take() {
        Some(text) => text.into_bytes(),
        None => std::fs::read(&input.path).map_err(|err| {
            io_error(&input, format!("could not read `{}`: {err}", input.display))
        })?,
    };
    let text = String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        io_error(
            &input,
            format!(
                "`{}` is not UTF-8 text (invalid byte at offset {at}); save it as UTF-8 or \
                 exclude it from the paths given to lvlint",
                input.display
            ),
        )
    })?;
    let sniffed = text.as_bytes().get(..BINARY_SNIFF_LEN).unwrap_or(text.as_bytes());
    if let Some(at) = memchr_nul(sniffed) {
        return Err(io_error(
            &input,
            format!(
                "`{}` looks like a binary file (NUL byte at offset {at}), not Rust source; \
                 exclude it from the paths given to lvlint",
                input.display
            ),
        ));
    }
    // The byte-order mark is not code: scanned as one, it would glue itself to the first word.
    let facts = prefilter.scan(text.strip_prefix('\u{feff}').unwrap_or(&text), options.parse_all);
    let source = Arc::new(SourceFile::new(input.path, input.display, text));
    let crate_key = crate::ty::crate_key_of_path(&source.absolute);
    Ok(Loaded { source, facts, report: input.report, crate_key })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

fn io_error(input: &Input, message: String) -> Box<Diagnostic> {
    let file = Arc::new(SourceFile::new(input.path.clone(), input.display.clone(), String::new()));
    Box::new(builtin(&rules::IO_ERROR, file, Span::default(), message))
}

/// A diagnostic of one of the built-in kinds (`syntax-error`, ...), at its default level.
fn builtin(
    meta: &rules::RuleMeta,
    file: Arc<SourceFile>,
    span: Span,
    message: String,
) -> Diagnostic {
    let severity = meta.default_level.severity().unwrap_or(crate::diagnostic::Severity::Error);
    let mut span = span;
    if span.start.line == 0 {
        span.start.line = 1;
        span.start.column = 1;
        span.end = span.start;
    }
    Diagnostic {
        rule: meta.id,
        severity,
        message,
        file,
        span,
        labels: Vec::new(),
        help: None,
        notes: Vec::new(),
        fix: None,
    }
}

/// A parsed file, or the diagnostic saying why it could not be parsed.
enum Parsed {
    Tree { tree: syn::File, offset: usize },
    Failed(Diagnostic),
}

fn parse(file: &Loaded) -> Parsed {
    parse_text(file, &file.source.text)
}

/// Parses `text`, which is the file's text or the same with bytes blanked (same offsets).
fn parse_text(file: &Loaded, text: &str) -> Parsed {
    let source = &file.source;
    panic_if_marked(text);
    if let Some(too_deep) = crate::prefilter::too_deep(text, MAX_NESTING, MAX_OPERATOR_RUN) {
        let (at, what) = match too_deep {
            TooDeep::Brackets(at) => (at, format!("nests brackets more than {MAX_NESTING} deep")),
            TooDeep::Operators(at) => {
                (at, format!("chains more than {MAX_OPERATOR_RUN} operators without brackets"))
            }
        };
        let message = format!(
            "`{}` {what} here; lvlint does not analyse it (split the expression or exclude \
             the generated file)",
            source.display
        );
        let span = source.span(at..at);
        return Parsed::Failed(builtin(
            &rules::TOO_DEEPLY_NESTED,
            Arc::clone(source),
            span,
            message,
        ));
    }
    let offset = shebang_len(text);
    let body = without_frontmatter(text.get(offset..).unwrap_or(""));
    match syn::parse_str::<syn::File>(&body) {
        Ok(tree) => Parsed::Tree { tree, offset },
        Err(err) => {
            let span = syntax::span(source, offset, err.span());
            let reason = err.to_string();
            // proc-macro2's lexer says only this when a file does not even lex.
            let reason = if reason == "cannot parse string into token stream" {
                "a delimiter is not closed, or a literal not terminated".to_owned()
            } else {
                reason
            };
            let message = format!("could not parse `{}`: {reason}", source.display);
            Parsed::Failed(builtin(&rules::SYNTAX_ERROR, Arc::clone(source), span, message))
        }
    }
}

/// Parses a file only to index it; the tree is dropped before returning.
///
/// Without `--parse-all` the function bodies are blanked first: the index does not read them.
/// FIXME: a needed file whose only syntax error is inside a function body is indexed here but
/// not with `--parse-all`, so findings may differ on such a project — parsing bodies of files
/// that fail to parse blanked-free (at the cost of a second parse) would align the two.
fn index_only(file: &Loaded, options: &EngineOptions<'_>) -> (Option<FileFacts>, Vec<Diagnostic>) {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let blanked = if options.parse_all {
            None
        } else {
            crate::prefilter::blank_fn_bodies(&file.source.text)
        };
        match parse_text(file, blanked.as_deref().unwrap_or(&file.source.text)) {
            Parsed::Tree { tree, offset } => {
                let module = Arc::new(ModuleCx::new(&file.source.absolute, &tree));
                (Some(FileFacts::extract(&tree, &file.source, offset, &module)), Vec::new())
            }
            Parsed::Failed(diag) => (None, if file.report { vec![diag] } else { Vec::new() }),
        }
    }));
    result.unwrap_or_else(|_| (None, vec![internal_error(&file.source, "indexing")]))
}

fn internal_error(source: &Arc<SourceFile>, stage: &str) -> Diagnostic {
    let message = format!(
        "lvlint failed while {stage} `{}`; this is a bug in lvlint, please report it with \
         this file",
        source.display
    );
    builtin(&rules::INTERNAL_ERROR, Arc::clone(source), Span::default(), message)
}

struct Checked {
    diagnostics: Vec<Diagnostic>,
    failures: usize,
}

/// Parses the candidates on `jobs` threads; each thread keeps its trees, adds their facts to
/// the index, waits until every thread has done so, then checks its trees.
fn check_candidates(
    candidates: &[&Loaded],
    index: Index,
    options: &EngineOptions<'_>,
    jobs: usize,
) -> Checked {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let index_parts = Mutex::new(Some(index));
    let finished: OnceLock<Index> = OnceLock::new();
    let barrier = Barrier::new(jobs);
    let results: Mutex<Vec<(Vec<Diagnostic>, usize)>> = Mutex::new(Vec::new());

    let worker = || {
        let mut kept: Vec<(&Loaded, syn::File, usize, Arc<ModuleCx>)> = Vec::new();
        let mut diagnostics = Vec::new();
        let mut failures = 0;
        loop {
            let idx = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(file) = candidates.get(idx) else { break };
            let parsed = catch_unwind(AssertUnwindSafe(|| match parse(file) {
                Parsed::Tree { tree, offset } => {
                    let module = Arc::new(ModuleCx::new(&file.source.absolute, &tree));
                    let facts = FileFacts::extract(&tree, &file.source, offset, &module);
                    Ok((tree, offset, facts, module))
                }
                Parsed::Failed(diag) => Err(Box::new(diag)),
            }));
            match parsed {
                Ok(Ok((tree, offset, facts, module))) => {
                    if let Ok(mut guard) = index_parts.lock()
                        && let Some(index) = guard.as_mut()
                    {
                        index.add(facts);
                    }
                    kept.push((file, tree, offset, module));
                }
                Ok(Err(diag)) => {
                    failures += 1;
                    if file.report {
                        diagnostics.push(*diag);
                    }
                }
                Err(_) => diagnostics.push(internal_error(&file.source, "parsing")),
            }
        }

        // The last thread to arrive completes the index for everyone.
        if barrier.wait().is_leader() {
            let mut index = index_parts.lock().ok().and_then(|mut g| g.take()).unwrap_or_default();
            index.finish();
            let _ = finished.set(index);
        }
        barrier.wait();
        let index = finished.get_or_init(Index::default);

        for (file, tree, offset, module) in &kept {
            if !file.report {
                continue;
            }
            let checked = catch_unwind(AssertUnwindSafe(|| {
                check(file, tree, *offset, module, index, options)
            }));
            match checked {
                Ok(found) => diagnostics.extend(found),
                Err(_) => diagnostics.push(internal_error(&file.source, "checking")),
            }
        }
        drop(kept);
        if let Ok(mut all) = results.lock() {
            all.push((diagnostics, failures));
        }
    };

    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for _ in 0..jobs {
            let spawned =
                std::thread::Builder::new().stack_size(STACK_SIZE).spawn_scoped(scope, worker);
            match spawned {
                Ok(handle) => handles.push(handle),
                // A thread that cannot start would leave the barrier waiting forever; stand in
                // for it on a thread that runs the same loop (it finds the queue drained).
                Err(_) => handles.push(scope.spawn(worker)),
            }
        }
        for handle in handles {
            let _ = handle.join();
        }
    });

    let mut checked = Checked { diagnostics: Vec::new(), failures: 0 };
    for (diags, failures) in results.into_inner().unwrap_or_default() {
        checked.diagnostics.extend(diags);
        checked.failures += failures;
    }
    checked
}

fn check(
    file: &Loaded,
    tree: &syn::File,
    offset: usize,
    module: &Arc<ModuleCx>,
    index: &Index,
    options: &EngineOptions<'_>,
) -> Vec<Diagnostic> {
    let directives = Directives::parse(&file.source.text);
    let cx = FileCx {
        source: &file.source,
        offset,
        index,
        profile: options.profile,
        levels: options.levels,
        directives: &directives,
        module,
    };
    body::check_file(&cx, tree)
}

/// The text with a leading cargo-script front matter block (`---cargo` .. `---`) blanked to
/// spaces, so that syn, which does not know front matter yet, parses the rest at the same
/// offsets.
fn without_frontmatter(body: &str) -> std::borrow::Cow<'_, str> {
    let start = body.len() - body.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    let Some(rest) = body.get(start..).filter(|rest| rest.starts_with("---")) else {
        return std::borrow::Cow::Borrowed(body);
    };
    let Some(open_end) = rest.find('\n') else { return std::borrow::Cow::Borrowed(body) };
    let Some(close) = rest[open_end..].find("\n---") else {
        return std::borrow::Cow::Borrowed(body);
    };
    let close_start = open_end + close + 1;
    let end = rest[close_start..].find('\n').map_or(rest.len(), |n| close_start + n);
    let blanked: String =
        rest[..end].chars().map(|c| if c == '\n' || c == '\r' { c } else { ' ' }).collect();
    let mut text = String::with_capacity(body.len());
    text.push_str(&body[..start]);
    text.push_str(&blanked);
    text.push_str(&rest[end..]);
    std::borrow::Cow::Owned(text)
}

/// The length of a leading `#!` line that is not an inner attribute (`#![..]`).
fn shebang_len(text: &str) -> usize {
    if !text.starts_with("#!") {
        return 0;
    }
    let rest = text[2..].trim_start();
    if rest.starts_with('[') {
        return 0;
    }
    text.find('\n').unwrap_or(text.len())
}

/// `-A`/`-W`/`-D` for the diagnostics that are not rules (`syntax-error`, `io-error`,
/// `too-deeply-nested`): they are built at their default level and levelled here. An
/// `internal-error` is lvlint's own failure and cannot be silenced.
fn apply_builtin_levels(diagnostics: &mut Vec<Diagnostic>, levels: &Levels) {
    diagnostics.retain_mut(|diag| {
        let builtin = rules::BUILTIN.iter().any(|meta| meta.id == diag.rule);
        if !builtin || diag.rule == rules::INTERNAL_ERROR.id {
            return true;
        }
        match levels.level(diag.rule).severity() {
            Some(severity) => {
                diag.severity = severity;
                true
            }
            None => false,
        }
    });
}

/// The `io-error` for a directory the walk could not enter.
pub fn unreadable_dir(path: PathBuf, display: String, reason: &str) -> Diagnostic {
    let message = format!("could not read `{display}`: {reason}; lvlint skipped it");
    let file = Arc::new(SourceFile::new(path, display, String::new()));
    builtin(&rules::IO_ERROR, file, Span::default(), message)
}
