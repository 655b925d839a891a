//! `eager-assign-new`: `assign_new` is given an eager value instead of a closure, so the
//! expensive load runs even when the cached value exists.
//! Documentation: `rules/eager-assign-new.md`.

use crate::body::Cx;
use crate::diagnostic::{Diagnostic, Level};
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "eager-assign-new",
    default_level: Level::Warn,
    summary: "`assign_new` is given a computed value instead of a closure",
    doc: include_str!("../../rules/eager-assign-new.md"),
};

pub fn check_expr(_cx: &Cx<'_, '_>, _expr: &syn::Expr, _out: &mut Vec<Diagnostic>) {}

pub fn check_macro(_cx: &Cx<'_, '_>, _mac: &syn::Macro, _out: &mut Vec<Diagnostic>) {}
