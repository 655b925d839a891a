//! `session-stores-struct`: a session write stores a whole struct instead of an id or token.
//! Documentation: `rules/session-stores-struct.md`.
//!
//! The rule finds the write (`put_session`, `insert`/`insert_value`/`set` on a session value,
//! a serialized cookie added to a jar), asks inference for the stored value's type, and judges
//! that type with [`whole`]. An unknown type is never a finding.

use crate::body::{Binding, Cx};
use crate::diagnostic::{Diagnostic, Label, Level};
use crate::profile::is_one_of;
use crate::rules::RuleMeta;
use crate::syntax;
use crate::whole::{Verdict, Whole, judge};

pub static META: RuleMeta = RuleMeta {
    id: "session-stores-struct",
    default_level: Level::Warn,
    summary: "a session write stores a whole struct instead of an id or token",
    doc: include_str!("../../rules/session-stores-struct.md"),
};

/// Where a checked value is going.
enum Sink {
    /// A session write under this key (when the key is a literal).
    Session { key: Option<String> },
    /// A cookie with this name (when literal); the value is a serializer call.
    Cookie { name: Option<String> },
}

fn diagnostic(
    cx: &Cx<'_, '_>,
    value: &syn::Expr,
    sink: &Sink,
    whole: &Whole,
) -> Option<Diagnostic> {
    let what = whole.describe();
    let message = match sink {
        Sink::Session { key: Some(key) } => {
            format!("session key `{key}` stores {what} in the cookie")
        }
        Sink::Session { key: None } => format!("this session write stores {what} in the cookie"),
        Sink::Cookie { name: Some(name) } => format!("cookie `{name}` stores {what}"),
        Sink::Cookie { name: None } => format!("this cookie stores {what}"),
    };
    let mut diag = cx.diagnostic(META.id, cx.span(value), message)?;
    if let Some((name, fields, loc)) = whole.definition() {
        let detail = match fields {
            Some(n) => {
                format!("`{name}` is defined here with {n} field{}", if n == 1 { "" } else { "s" })
            }
            None => format!("`{name}` is defined here"),
        };
        let file = (loc.file.display != cx.file.source.display).then(|| loc.file.clone());
        diag.labels.push(Label { message: detail, file, span: loc.span });
    }
    diag.help = Some(whole.help(&expr_text(value)));
    Some(diag)
}

/// The source text of a short expression, for help lines; `None`-like placeholder when long.
fn expr_text(expr: &syn::Expr) -> Option<String> {
    let text = quote::quote!(#expr).to_string();
    let text = text.replace(" . ", ".").replace("& ", "&").replace(" (", "(").replace("( ", "(");
    (text.len() <= 40 && !text.contains('\n')).then_some(text)
}

pub fn check_expr<'ast>(cx: &Cx<'_, 'ast>, expr: &'ast syn::Expr, out: &mut Vec<Diagnostic>) {
    let Some((value, sink)) = session_write(cx, expr) else { return };
    let Some(ty) = cx.type_of(value) else { return };
    if let Verdict::Whole(whole) = judge(cx.index(), &ty) {
        out.extend(diagnostic(cx, value, &sink, &whole));
    }
}

/// The value a session write stores, with where it goes; `None` when `expr` is not a write.
fn session_write<'ast>(
    cx: &Cx<'_, 'ast>,
    expr: &'ast syn::Expr,
) -> Option<(&'ast syn::Expr, Sink)> {
    let profile = cx.profile();
    match expr {
        syn::Expr::MethodCall(call) => {
            let method = call.method.to_string();
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            if is_one_of(&profile.put_session, &method) && args.len() >= 2 {
                let key = syntax::str_lit(args[args.len() - 2]);
                return Some((args[args.len() - 1], Sink::Session { key }));
            }
            if is_one_of(&profile.session_write_methods, &method)
                && args.len() == 2
                && cx.is_session(&call.receiver)
            {
                return Some((args[1], Sink::Session { key: syntax::str_lit(args[0]) }));
            }
            if is_one_of(&profile.jar_add_methods, &method)
                && args.len() == 1
                && cx.is_jar(&call.receiver)
            {
                return cookie_value(cx, args[0]);
            }
            None
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return None };
            let name = syntax::last_segment(&callee.path)?;
            if is_one_of(&profile.put_session, &name) && call.args.len() == 3 {
                let key = call.args.iter().nth(1).and_then(syntax::str_lit);
                return Some((call.args.iter().nth(2)?, Sink::Session { key }));
            }
            None
        }
        _ => None,
    }
}

/// The serialized value inside a cookie added to a jar: `Cookie::new(name, value)`,
/// `Cookie::build((name, value))` or `Cookie::build(name, value)`, with builder calls after it,
/// directly or through a local. Only a serializer call's output is checked.
fn cookie_value<'ast>(
    cx: &Cx<'_, 'ast>,
    cookie: &'ast syn::Expr,
) -> Option<(&'ast syn::Expr, Sink)> {
    let (name, value) = cookie_parts(cx, cookie, 0)?;
    is_serializer_output(cx, value, 0).then_some((value, Sink::Cookie { name }))
}

fn cookie_parts<'ast>(
    cx: &Cx<'_, 'ast>,
    expr: &'ast syn::Expr,
    depth: usize,
) -> Option<(Option<String>, &'ast syn::Expr)> {
    if depth > 16 {
        return None;
    }
    let profile = cx.profile();
    match syntax::peel(expr) {
        // Builder calls after the constructor (`.path("/")`, `.build()`, `.finish()`).
        syn::Expr::MethodCall(call) => cookie_parts(cx, &call.receiver, depth + 1),
        syn::Expr::Call(call) => {
            let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return None };
            let segments = syntax::segments(&callee.path);
            let [.., owner, ctor] = segments.as_slice() else { return None };
            if !is_one_of(&profile.cookie_types, owner)
                || !is_one_of(&profile.cookie_constructors, ctor)
            {
                return None;
            }
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            match args.as_slice() {
                [name, value] => Some((syntax::str_lit(name), value)),
                [single] => match syntax::peel(single) {
                    syn::Expr::Tuple(tuple) if tuple.elems.len() == 2 => {
                        let name = tuple.elems.first().and_then(syntax::str_lit);
                        Some((name, tuple.elems.iter().nth(1)?))
                    }
                    _ => None,
                },
                _ => None,
            }
        }
        syn::Expr::Path(_) => {
            // A cookie built into a local first: follow its initializer.
            // FIXME: a directive must sit at the `.add(..)` statement to silence such a
            // finding, though the span is in the `let` — record the let's lines in `Local`.
            let name = syntax::expr_ident(expr)?;
            let (local, env) = cx.env.lookup(&name)?;
            match (local.binding, local.init) {
                (Binding::Let, Some(init)) => cookie_parts(&cx.with_env(env), init, depth + 1),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `value` is a serializer call (`serde_json::to_string(&v)`), possibly followed by
/// `.unwrap()`, `.expect(..)` or `?`, directly or through a `let`.
fn is_serializer_output(cx: &Cx<'_, '_>, value: &syn::Expr, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match syntax::peel(value) {
        syn::Expr::Try(inner) => is_serializer_output(cx, &inner.expr, depth + 1),
        syn::Expr::MethodCall(call)
            if matches!(call.method.to_string().as_str(), "unwrap" | "expect") =>
        {
            is_serializer_output(cx, &call.receiver, depth + 1)
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return false };
            let segments = syntax::segments(&callee.path);
            segments.last().is_some_and(|name| is_one_of(&cx.profile().serializer_fns, name))
                && cx.infer().is_serializer_path(&segments)
        }
        syn::Expr::Path(_) => {
            let Some(name) = syntax::expr_ident(value) else { return false };
            let Some((local, env)) = cx.env.lookup(&name) else { return false };
            match (local.binding, local.init) {
                (Binding::Let, Some(init)) => {
                    is_serializer_output(&cx.with_env(env), init, depth + 1)
                }
                _ => false,
            }
        }
        _ => false,
    }
}
