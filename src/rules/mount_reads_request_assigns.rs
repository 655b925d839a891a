//! `mount-reads-request-assigns`: a mount function reads request assigns (conn assigns,
//! request extensions, the framework's private cache), which exist on the disconnected render
//! only. Documentation: `rules/mount-reads-request-assigns.md`.

use crate::body::{Cx, FileCx};
use crate::diagnostic::{Diagnostic, Level};
use crate::profile::is_one_of;
use crate::rules::RuleMeta;
use crate::syntax;
use crate::ty::{Ty, TyScope};

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
        syn::FnArg::Typed(typed) => {
            scope.ty(&typed.ty).is_some_and(|ty| is_socket_type(&profile.socket_types, &ty))
        }
        syn::FnArg::Receiver(_) => false,
    })
}

/// `Socket`, through `&`, `&mut` and `Option`, in any order.
fn is_socket_type(socket_types: &[String], ty: &Ty) -> bool {
    match ty {
        Ty::Ref(inner) => is_socket_type(socket_types, inner),
        Ty::Path(path) if path.name() == "Option" => {
            path.arg(0).is_some_and(|inner| is_socket_type(socket_types, inner))
        }
        Ty::Path(path) => is_one_of(socket_types, path.name()),
        _ => false,
    }
}

pub fn check_expr(_cx: &Cx<'_, '_>, _expr: &syn::Expr, _out: &mut Vec<Diagnostic>) {}
