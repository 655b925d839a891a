//! `mount-reads-request-assigns`: a mount function reads request assigns (conn assigns,
//! request extensions, the framework's private cache), which exist on the disconnected render
//! only. Documentation: `rules/mount-reads-request-assigns.md`.

use crate::body::{Binding, Cx, FileCx};
use crate::diagnostic::{Diagnostic, Label, Level, Span};
use crate::profile::is_one_of;
use crate::rules::RuleMeta;
use crate::syntax;
use crate::ty::{Ty, TyScope};

/// Following locals' initializers and unwrapping calls stops this deep: a guard against
/// pathological chains, far past anything handler code writes.
const MAX_DEPTH: usize = 48;

/// Standard-library methods that unwrap, borrow or copy a value without changing what it is:
/// the lifecycle model's list (`unwrap`, `expect`, `as_ref`, `as_mut`) plus the ones its
/// inference list treats as keeping the type (`clone`, `ok_or`, ...), so that an untyped
/// `socket.conn().ok_or(Error)?` stays a request value as a typed one would. These are Rust's
/// names, not a framework's, so they do not live in the API profile.
const PASS_THROUGH_METHODS: [&str; 12] = [
    "unwrap",
    "expect",
    "as_ref",
    "as_mut",
    "as_deref",
    "as_deref_mut",
    "clone",
    "cloned",
    "ok",
    "ok_or",
    "ok_or_else",
    "map_err",
];

/// The longest read shown verbatim in a message; longer ones are named by the binding they
/// start from and their last step.
const MAX_SHOWN: usize = 48;

/// The finding: `read` is the expression that reads request assigns, `shown` how the message
/// names it.
fn request_assigns_in_mount(cx: &Cx<'_, '_>, read: Span, shown: &str) -> Option<Diagnostic> {
    let mount = cx.mount?;
    let message =
        format!("`{}` reads `{shown}`, which is empty on the connected render", mount.name);
    let mut diag = cx.diagnostic(META.id, read, message)?;
    diag.labels.push(Label {
        message: format!(
            "`{}` runs on both renders; on the second one there is no request",
            mount.name
        ),
        file: None,
        span: mount.span,
    });
    diag.help = Some(
        "read the id or token from the session, and load the value with `assign_new` so the \
         first render can reuse the request's value"
            .to_owned(),
    );
    Some(diag)
}

pub static META: RuleMeta = RuleMeta {
    id: "mount-reads-request-assigns",
    default_level: Level::Deny,
    summary: "a mount function reads request assigns, which are gone on the connected render",
    doc: include_str!("../../rules/mount-reads-request-assigns.md"),
};

/// Whether a function is a mount function: named `mount`/`on_mount` inside an impl of a
/// live-view trait, or with a `Socket` parameter; or carrying a `#[mount]` attribute.
pub fn is_mount_fn(
    file: &FileCx<'_>,
    sig: &syn::Signature,
    attrs: &[syn::Attribute],
    impl_trait: Option<&str>,
    scope: &TyScope,
) -> bool {
    let profile = file.profile;
    let has_attr = attrs.iter().any(|attr| {
        syntax::last_segment(attr.path()).is_some_and(|n| is_one_of(&profile.mount_attrs, &n))
    });
    if has_attr {
        return true;
    }
    if !is_one_of(&profile.mount_fns, &sig.ident.to_string()) {
        return false;
    }
    if impl_trait.is_some_and(|t| is_one_of(&profile.mount_traits, t)) {
        return true;
    }
    sig.inputs.iter().any(|input| match input {
        syn::FnArg::Typed(typed) => scope
            .ty(&typed.ty)
            .is_some_and(|ty| names_type(&profile.socket_types, &file.index.resolve(&ty))),
        syn::FnArg::Receiver(_) => false,
    })
}

/// Whether `ty` is one of the named types through `&`, `&mut` and `Option`, in any order:
/// how both socket and request values are recognised by type.
fn names_type(names: &[String], ty: &Ty) -> bool {
    match ty {
        Ty::Ref(inner) | Ty::Maybe(inner) => names_type(names, inner),
        Ty::Path(path) if path.name() == "Option" => {
            path.arg(0).is_some_and(|inner| names_type(names, inner))
        }
        Ty::Path(path) => is_one_of(names, path.name()),
        _ => false,
    }
}

/// Flags `expr` when it reads request assigns inside a mount function.
///
/// FIXME: the left side of an assignment (`socket.private = cache`) is reported as a read,
/// since a rule sees each expression without its parent — passing the walker's "place being
/// assigned" flag in `Cx` would let this skip writes.
pub fn check_expr(cx: &Cx<'_, '_>, expr: &syn::Expr, out: &mut Vec<Diagnostic>) {
    if cx.mount.is_none() || !reads_request_assigns(cx, expr) {
        return;
    }

    // `socket.private.assigns` reads through `socket.private`, which is itself a read: the
    // walker visits that inner expression too, and one finding per read is enough.
    let base = match expr {
        syn::Expr::Field(field) => &field.base,
        syn::Expr::MethodCall(call) => &call.receiver,
        _ => return,
    };
    if passes_through_a_read(cx, base, 0) {
        return;
    }

    let span = cx.span(expr);
    let shown = shown(cx, expr, span);
    out.extend(request_assigns_in_mount(cx, span, &shown));
}

/// Whether `expr` itself (not a part of it) reads request assigns: `.assigns`, `.private` or
/// `.extensions` of a request value, `.assigns()`/`.extensions()`/`.extensions_mut()` on one,
/// or `.private` of a socket value.
fn reads_request_assigns(cx: &Cx<'_, '_>, expr: &syn::Expr) -> bool {
    let profile = cx.profile();
    match expr {
        syn::Expr::Field(field) => {
            let syn::Member::Named(member) = &field.member else { return false };
            let member = member.to_string();
            (is_one_of(&profile.request_assign_fields, &member) && is_request(cx, &field.base, 0))
                || (is_one_of(&profile.socket_private_fields, &member)
                    && is_socket(cx, &field.base, 0))
        }
        syn::Expr::MethodCall(call) => {
            is_one_of(&profile.request_assign_methods, &call.method.to_string())
                && is_request(cx, &call.receiver, 0)
        }
        _ => false,
    }
}

/// Whether `expr` is a read of request assigns, possibly unwrapped or borrowed
/// (`socket.private.unwrap()`, `&socket.private`).
fn passes_through_a_read(cx: &Cx<'_, '_>, expr: &syn::Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let expr = syntax::peel(expr);
    if reads_request_assigns(cx, expr) {
        return true;
    }
    let inner = match expr {
        syn::Expr::MethodCall(call)
            if PASS_THROUGH_METHODS.contains(&call.method.to_string().as_str()) =>
        {
            &call.receiver
        }
        syn::Expr::Try(try_expr) => &try_expr.expr,
        syn::Expr::Reference(reference) => &reference.expr,
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => &unary.expr,
        _ => return false,
    };
    passes_through_a_read(cx, inner, depth + 1)
}

/// Whether `expr` is a request value: by its type when lvlint knows it, by how it was made
/// (`socket.conn()`, `socket.private`, unwrapping or borrowing a request value, a `let`
/// initialised by one), and by its name only when its type is unknown.
fn is_request(cx: &Cx<'_, '_>, expr: &syn::Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let profile = cx.profile();
    let next = depth + 1;
    let expr = syntax::peel(expr);

    // How the value was made decides first: `socket.conn()` is a request value even when the
    // project's `Socket::conn` is declared to return a wrapper lvlint cannot see through.
    match expr {
        syn::Expr::MethodCall(call) => {
            let method = call.method.to_string();
            if is_one_of(&profile.socket_request_methods, &method)
                && is_socket(cx, &call.receiver, next)
            {
                return true;
            }
            if PASS_THROUGH_METHODS.contains(&method.as_str())
                && is_request(cx, &call.receiver, next)
            {
                return true;
            }
        }
        syn::Expr::Field(field) => {
            if let syn::Member::Named(member) = &field.member
                && is_one_of(&profile.socket_private_fields, &member.to_string())
                && is_socket(cx, &field.base, next)
            {
                return true;
            }
        }
        syn::Expr::Try(try_expr) => return is_request(cx, &try_expr.expr, next),
        syn::Expr::Reference(reference) => return is_request(cx, &reference.expr, next),
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => {
            return is_request(cx, &unary.expr, next);
        }
        _ => {}
    }

    if let Some(name) = syntax::expr_ident(expr) {
        return is_request_binding(cx, &name, next);
    }
    if let Some(ty) = known_type(cx, expr) {
        return names_type(&profile.request_types, &ty);
    }

    // A field of unknown type (`ctx.req`) is judged by its name, like a binding.
    match expr {
        syn::Expr::Field(field) => match &field.member {
            syn::Member::Named(member) => is_one_of(&profile.request_names, &member.to_string()),
            syn::Member::Unnamed(_) => false,
        },
        _ => false,
    }
}

/// A binding is a request value by its declared or inferred type, by a `let`, `if let Some(x)`
/// or `let Some(x) = .. else` initialiser that is one, or, untyped, by its name.
///
/// FIXME: a closure parameter over a request value (`socket.conn().map(|c| c.assigns)`) is
/// judged by its name only, as the model says for closure parameters, so `c` is missed — the
/// walker binding the parameter of `.map`/`.and_then` with the receiver as an unwrapped
/// initializer would make it one like `if let Some(c) = socket.conn()`.
fn is_request_binding(cx: &Cx<'_, '_>, name: &str, depth: usize) -> bool {
    let profile = cx.profile();
    let Some((local, init_env)) = cx.env.lookup(name) else {
        return is_one_of(&profile.request_names, name);
    };

    let from_request = matches!(local.binding, Binding::Let | Binding::Unwrapped)
        && local.init.is_some_and(|init| is_request(&cx.with_env(init_env), init, depth));
    if from_request {
        return true;
    }
    match local.ty.as_ref().map(|ty| cx.index().resolve(ty)) {
        Some(ty) if !is_unknown(&ty) => names_type(&profile.request_types, &ty),
        _ => is_one_of(&profile.request_names, name),
    }
}

/// Whether `expr` is a socket value: its type's last segment is `Socket` (through `&`, `&mut`
/// and `Option`), or it is an untyped binding with a socket name.
fn is_socket(cx: &Cx<'_, '_>, expr: &syn::Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let profile = cx.profile();
    let expr = syntax::peel(expr);
    match expr {
        syn::Expr::Reference(reference) => return is_socket(cx, &reference.expr, depth + 1),
        syn::Expr::Unary(unary) if matches!(unary.op, syn::UnOp::Deref(_)) => {
            return is_socket(cx, &unary.expr, depth + 1);
        }
        _ => {}
    }
    if let Some(ty) = known_type(cx, expr) {
        return names_type(&profile.socket_types, &ty);
    }
    let Some(name) = syntax::expr_ident(expr) else { return false };
    let untyped = cx.env.lookup(&name).is_none_or(|(local, _)| {
        local.ty.as_ref().is_none_or(|ty| is_unknown(&cx.index().resolve(ty)))
    });
    untyped && is_one_of(&profile.socket_names, &name)
}

/// The type of `expr` with aliases resolved, unless lvlint does not know it.
fn known_type(cx: &Cx<'_, '_>, expr: &syn::Expr) -> Option<Ty> {
    let ty = cx.index().resolve(&cx.type_of(expr)?);
    (!is_unknown(&ty)).then_some(ty)
}

/// Whether a type says nothing about what the value is: `_` (a placeholder inference left
/// where it knew nothing), or a generic, `impl Trait` or `dyn Trait` (any type could stand
/// behind it), also behind `&` and `Option`. Such values are judged by their name.
fn is_unknown(ty: &Ty) -> bool {
    match ty {
        Ty::Ref(inner) | Ty::Maybe(inner) => is_unknown(inner),
        Ty::Path(path) if path.name() == "Option" => path.arg(0).is_none_or(is_unknown),
        Ty::Path(path) => path.name() == "_",
        Ty::Generic { .. } | Ty::Impl(_) | Ty::Dyn(_) => true,
        _ => false,
    }
}

/// How the message names the read: its source text on one line (`conn.assigns`, also when
/// the chain spans several lines), or, when that is long, the value it starts from and its
/// last step (`socket….extensions()`).
fn shown(cx: &Cx<'_, '_>, expr: &syn::Expr, span: Span) -> String {
    let text = cx.file.source.text.get(span.start.byte..span.end.byte).unwrap_or_default();
    let compact: String =
        text.lines().map(|line| without_line_comment(line).trim()).collect::<Vec<_>>().concat();
    if !compact.is_empty() && compact.chars().count() <= MAX_SHOWN {
        return compact;
    }

    let (base, last) = match expr {
        syn::Expr::Field(field) => match &field.member {
            syn::Member::Named(member) => (&field.base, member.to_string()),
            syn::Member::Unnamed(idx) => (&field.base, idx.index.to_string()),
        },
        syn::Expr::MethodCall(call) => (&call.receiver, format!("{}()", call.method)),
        _ => return compact,
    };
    match root_ident(base, 0) {
        Some(root) => format!("{root}….{last}"),
        None => format!(".{last}"),
    }
}

/// The binding a chain of fields, method calls, unwraps and borrows starts from.
fn root_ident(expr: &syn::Expr, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    match syntax::peel(expr) {
        syn::Expr::Field(field) => root_ident(&field.base, depth + 1),
        syn::Expr::MethodCall(call) => root_ident(&call.receiver, depth + 1),
        syn::Expr::Try(try_expr) => root_ident(&try_expr.expr, depth + 1),
        syn::Expr::Reference(reference) => root_ident(&reference.expr, depth + 1),
        syn::Expr::Unary(unary) => root_ident(&unary.expr, depth + 1),
        other => syntax::expr_ident(other),
    }
}

/// A line without its `//` comment; a `//` inside a string literal (`"http://.."`) stays.
fn without_line_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let mut prev_slash = false;
    for (idx, ch) in line.char_indices() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && prev_slash => {
                return line.get(..idx.saturating_sub(1)).unwrap_or(line);
            }
            _ => {}
        }
        prev_slash = ch == '/' && !in_string;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, EngineOptions, Input};
    use crate::profile::ApiProfile;
    use crate::settings::Levels;

    fn run(src: &str) -> Vec<Diagnostic> {
        let profile = ApiProfile::default();
        let levels = Levels::default();
        let options =
            EngineOptions { profile: &profile, levels: &levels, parse_all: true, jobs: 1 };
        let input = Input {
            path: "case.rs".into(),
            display: "case.rs".into(),
            text: Some(src.to_owned()),
            report: true,
        };
        let outcome = engine::run(vec![input], &options);
        outcome.diagnostics.into_iter().filter(|d| d.rule == META.id).collect()
    }

    /// `(line, column, message)` of each finding of this rule in `src`.
    fn findings(src: &str) -> Vec<(usize, usize, String)> {
        run(src).into_iter().map(|d| (d.span.start.line, d.span.start.column, d.message)).collect()
    }

    fn at(src: &str) -> Vec<(usize, usize)> {
        findings(src).into_iter().map(|(line, col, _)| (line, col)).collect()
    }

    #[test]
    fn finding_names_the_mount_fn_and_the_read() {
        let src = "fn mount(socket: Socket, conn: &Conn) {\n    let u = conn.assigns.user;\n}\n";
        assert_eq!(
            findings(src),
            vec![(
                2,
                13,
                "`mount` reads `conn.assigns`, which is empty on the connected render".to_owned()
            )]
        );
    }

    #[test]
    fn label_points_at_the_mount_fn_and_help_names_the_right_way() {
        let src = "impl LiveView for V {\n    fn mount(&mut self, req: &Request) {\n        \
                   req.extensions();\n    }\n}\n";
        let diags = run(src);
        let diag = diags.first().expect("one finding");
        let label = diag.labels.first().expect("a label");
        assert_eq!((label.span.start.line, label.span.start.column), (2, 8));
        assert_eq!((label.span.end.line, label.span.end.column), (2, 13));
        assert!(label.message.contains("both renders"), "{}", label.message);
        let help = diag.help.as_deref().unwrap_or_default();
        assert!(help.contains("session") && help.contains("`assign_new`"), "{help}");
        assert_eq!((diag.span.end.line, diag.span.end.column), (3, 25));
    }

    #[test]
    fn nested_read_through_socket_private_is_reported_once() {
        let src = "fn mount(socket: &mut Socket) {\n    let a = socket.private.assigns;\n}\n";
        assert_eq!(at(src), vec![(2, 13)]);
    }

    #[test]
    fn read_through_an_unwrapped_socket_private_is_reported_once() {
        let src = "fn mount(socket: &mut Socket) {\n    \
                   let a = socket.private.as_ref().unwrap().assigns;\n}\n";
        assert_eq!(at(src), vec![(2, 13)]);
    }

    #[test]
    fn a_generic_socket_is_judged_by_its_name() {
        let src = "#[mount]\nfn load<S>(socket: &mut S, sock: &mut S) {\n    \
                   socket.private.get(\"user\");\n    sock.private.get(\"user\");\n}\n";
        assert_eq!(at(src), vec![(3, 5)]);
    }

    #[test]
    fn let_chain_of_request_values_stays_one_whatever_the_names() {
        let src = "fn mount(socket: &mut Socket) {\n    let a = socket.conn();\n    \
                   let b = a.unwrap();\n    let c = &b;\n    let d = c;\n    d.extensions();\n}\n";
        assert_eq!(at(src), vec![(6, 5)]);
    }

    #[test]
    fn an_initializer_is_read_where_it_was_written() {
        // `x` was initialised from `thing`, an unknown value; the request bound to the name
        // `thing` afterwards does not make `x` a request value.
        let src = "fn mount(socket: Socket) {\n    let x = thing;\n    \
                   let thing = socket.conn();\n    x.extensions();\n}\n";
        assert_eq!(at(src), Vec::<(usize, usize)>::new());
    }

    #[test]
    fn other_methods_of_a_request_value_end_the_chain() {
        let src =
            "fn mount(socket: Socket) {\n    socket.conn().unwrap().body().extensions();\n}\n";
        assert_eq!(at(src), Vec::<(usize, usize)>::new());
    }

    #[test]
    fn shadowing_by_a_typed_binding_wins_over_the_name() {
        let src = "struct Db;\nfn mount(socket: Socket, conn: Conn) {\n    let conn: Db = Db;\n    \
                   conn.assigns();\n}\n";
        assert_eq!(at(src), Vec::<(usize, usize)>::new());
    }

    #[test]
    fn long_reads_are_named_by_their_root_and_last_step() {
        let src = "fn mount(socket: Socket) {\n    \
                   socket.conn().unwrap().as_ref().expect(\"the request\").extensions_mut();\n}\n";
        let shown: Vec<String> = findings(src).into_iter().map(|(_, _, m)| m).collect();
        assert_eq!(
            shown,
            vec![
                "`mount` reads `socket….extensions_mut()`, which is empty on the connected render"
            ]
        );
    }

    #[test]
    fn line_comments_are_cut_outside_strings_only() {
        assert_eq!(without_line_comment("  .assigns // set by the plug"), "  .assigns ");
        assert_eq!(without_line_comment(".get(\"http://x\")"), ".get(\"http://x\")");
        assert_eq!(without_line_comment(".get(\"a\\\"//\") // c"), ".get(\"a\\\"//\") ");
    }
}
