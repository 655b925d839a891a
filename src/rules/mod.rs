//! The rules: one module per rule, registered in [`RULES`]. Each rule's user documentation
//! lives in `rules/<id>.md`, embedded here for `lvlint explain` and the machine formats.

use crate::body::Cx;
use crate::diagnostic::{Diagnostic, Level};

mod eager_assign_new;
mod mount_reads_request_assigns;
mod session_stores_struct;

pub use mount_reads_request_assigns::is_mount_fn;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub default_level: Level,
    /// One line for `lvlint rules` and SARIF's `shortDescription`.
    pub summary: &'static str,
    /// The Markdown document from `rules/<id>.md`.
    pub doc: &'static str,
}

/// Every rule, in the order `lvlint rules` lists them.
pub static RULES: [&RuleMeta; 3] =
    [&mount_reads_request_assigns::META, &eager_assign_new::META, &session_stores_struct::META];

/// Diagnostics that are not rules but can still be levelled and reported.
pub static BUILTIN: [&RuleMeta; 4] =
    [&SYNTAX_ERROR, &IO_ERROR, &TOO_DEEPLY_NESTED, &INTERNAL_ERROR];

pub static SYNTAX_ERROR: RuleMeta = RuleMeta {
    id: "syntax-error",
    default_level: Level::Deny,
    summary: "the file does not parse as Rust, so no rule could check it",
    doc: "A file that syn cannot parse. Fix the syntax; the rules then check the file.\n",
};

pub static IO_ERROR: RuleMeta = RuleMeta {
    id: "io-error",
    default_level: Level::Deny,
    summary: "the file could not be read as UTF-8 text, so no rule could check it",
    doc: "A file that could not be read, or is not UTF-8 text.\n",
};

pub static TOO_DEEPLY_NESTED: RuleMeta = RuleMeta {
    id: "too-deeply-nested",
    default_level: Level::Deny,
    summary: "the file nests deeper than lvlint analyses, so no rule could check it",
    doc: "A file whose brackets nest so deep that parsing it could exhaust the stack.\n",
};

pub static INTERNAL_ERROR: RuleMeta = RuleMeta {
    id: "internal-error",
    default_level: Level::Deny,
    summary: "lvlint failed on this file; please report it",
    doc: "lvlint itself failed while checking this file. Please report it with the file.\n",
};

/// Every id with its default level: the rules, then the built-in diagnostics.
pub fn all_ids() -> impl Iterator<Item = (&'static str, Level)> {
    RULES.iter().chain(BUILTIN.iter()).map(|meta| (meta.id, meta.default_level))
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().chain(BUILTIN.iter()).copied().find(|meta| meta.id == id)
}

/// The canonical id for a name as users write it: `eager_assign_new`, `lvlint::eager-assign-new`.
pub fn canonical_id(name: &str) -> Option<&'static str> {
    let name = name.trim_start_matches("lvlint::").replace('_', "-");
    meta(&name).map(|meta| meta.id)
}

/// Runs every rule on one expression.
pub fn check_expr<'ast>(cx: &Cx<'_, 'ast>, expr: &'ast syn::Expr, out: &mut Vec<Diagnostic>) {
    mount_reads_request_assigns::check_expr(cx, expr, out);
    eager_assign_new::check_expr(cx, expr, out);
    session_stores_struct::check_expr(cx, expr, out);
}

/// Runs every rule on one macro call (in expression or statement position).
pub fn check_macro<'ast>(cx: &Cx<'_, 'ast>, mac: &'ast syn::Macro, out: &mut Vec<Diagnostic>) {
    eager_assign_new::check_macro(cx, mac, out);
}
