//! The benchmark's baselines: `read` walks and reads every `.rs` file as lvlint does (checking
//! it is UTF-8); `parse` also parses each with syn, span locations on, and visits the tree,
//! on rayon's threads. lvlint cannot beat `parse` without parsing less, so it is the yardstick
//! for `lvlint --parse-all`.
//!
//! Usage: `bench_parse read|parse [-j N] DIR`; prints `files lines bytes parsed` on one line.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use syn::visit::Visit;

/// Counts the expressions of a tree, so that the whole tree is walked like a linter would.
#[derive(Default)]
struct Counter {
    exprs: usize,
}

impl<'ast> Visit<'ast> for Counter {
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        self.exprs += 1;
        syn::visit::visit_expr(self, expr);
    }
}

fn rust_files(root: &Path) -> Vec<PathBuf> {
    let walker = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name();
    walker
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir() && (name == "target" || name.starts_with('.')))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("parse");
    let mut jobs = 0;
    let mut root = PathBuf::from(".");
    let mut rest = args.iter().skip(1);
    while let Some(arg) = rest.next() {
        if arg == "-j" {
            jobs = rest.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        } else {
            root = PathBuf::from(arg);
        }
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).stack_size(256 << 20).build();
    let Ok(pool) = pool else {
        eprintln!("error: could not start the thread pool");
        std::process::exit(2);
    };

    let lines = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let parsed = AtomicUsize::new(0);
    let parse = mode == "parse";
    let files = rust_files(&root);
    pool.install(|| {
        files.par_iter().for_each(|path| {
            let Ok(raw) = std::fs::read(path) else { return };
            let Ok(text) = String::from_utf8(raw) else { return };
            lines.fetch_add(text.lines().count(), Ordering::Relaxed);
            bytes.fetch_add(text.len(), Ordering::Relaxed);
            if parse {
                if let Ok(tree) = syn::parse_file(&text) {
                    let mut counter = Counter::default();
                    counter.visit_file(&tree);
                    if counter.exprs < usize::MAX {
                        parsed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                proc_macro2::extra::invalidate_current_thread_spans();
            }
        });
    });
    println!(
        "{} {} {} {}",
        files.len(),
        lines.load(Ordering::Relaxed),
        bytes.load(Ordering::Relaxed),
        parsed.load(Ordering::Relaxed)
    );
}
