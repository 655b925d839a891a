//! `session-stores-struct`: a session write stores a whole struct instead of an id or token.
//! Documentation: `rules/session-stores-struct.md`.

use crate::body::Cx;
use crate::diagnostic::{Diagnostic, Level};
use crate::rules::RuleMeta;

pub static META: RuleMeta = RuleMeta {
    id: "session-stores-struct",
    default_level: Level::Warn,
    summary: "a session write stores a whole struct instead of an id or token",
    doc: include_str!("../../rules/session-stores-struct.md"),
};

pub fn check_expr(_cx: &Cx<'_, '_>, _expr: &syn::Expr, _out: &mut Vec<Diagnostic>) {}
