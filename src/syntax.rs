//! Small helpers over syn's syntax tree shared by the index, the body walker and the rules.

use syn::spanned::Spanned;

use crate::diagnostic::Span;
use crate::source::SourceFile;

/// Converts a proc-macro2 span to a file span. `offset` is the number of bytes stripped from
/// the front of the text before parsing (a shebang line).
pub fn span(source: &SourceFile, offset: usize, span: proc_macro2::Span) -> Span {
    let range = span.byte_range();
    source.span(range.start + offset..range.end + offset)
}

/// The span of any syntax node, from its first token to its last.
pub fn node_span<T: Spanned>(source: &SourceFile, offset: usize, node: &T) -> Span {
    span(source, offset, node.span())
}

/// The last segment of a path, as a string.
pub fn last_segment(path: &syn::Path) -> Option<String> {
    path.segments.last().map(|s| s.ident.to_string())
}

/// The segments of a path, as strings.
pub fn segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

/// The single identifier of a one-segment path expression (`user`), if that is what it is.
pub fn expr_ident(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Path(path) if path.qself.is_none() => {
            path.path.get_ident().map(ToString::to_string)
        }
        _ => None,
    }
}

/// Strips parentheses and invisible groups around an expression.
pub fn peel(mut expr: &syn::Expr) -> &syn::Expr {
    loop {
        match expr {
            syn::Expr::Paren(inner) => expr = &inner.expr,
            syn::Expr::Group(inner) => expr = &inner.expr,
            _ => return expr,
        }
    }
}

/// The string value of a string literal expression (`"user"`), used for messages.
pub fn str_lit(expr: &syn::Expr) -> Option<String> {
    match peel(expr) {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
        _ => None,
    }
}

/// Parses a macro's tokens as comma-separated expressions (`assign_new!(socket, key, value)`).
pub fn macro_args(mac: &syn::Macro) -> Option<Vec<syn::Expr>> {
    use syn::punctuated::Punctuated;
    let args = mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated);
    args.ok().map(|args| args.into_iter().collect())
}

/// Whether the name starts with an upper-case letter: a type, a tuple-struct or enum-variant
/// constructor, or a constant, not a function.
pub fn is_upper(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// Whether an expression leaves without a value (`return`, `break`, `continue`, `panic!`):
/// such an arm or statement does not count towards the type or value of its `match` or block.
pub fn diverges(expr: &syn::Expr) -> bool {
    match peel(expr) {
        syn::Expr::Return(_) | syn::Expr::Break(_) | syn::Expr::Continue(_) => true,
        syn::Expr::Macro(mac) => is_panic_macro(&mac.mac),
        _ => false,
    }
}

/// `panic!`, `unreachable!`, `todo!` and `unimplemented!`, by their last path segment.
pub fn is_panic_macro(mac: &syn::Macro) -> bool {
    matches!(
        last_segment(&mac.path).as_deref(),
        Some("panic" | "unreachable" | "todo" | "unimplemented")
    )
}
