//! lvlint's model of a Rust type: syntactic, owned and `Send`, so that the project index can be
//! built on many threads and outlive the syntax trees it came from.

use std::fmt;

/// A path type such as `a::b::Name<T, U>`. Only type arguments are kept; lifetimes and const
/// arguments do not change what the rules decide.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PathTy {
    pub segments: Vec<String>,
    pub args: Vec<Ty>,
}

impl PathTy {
    pub fn simple(name: &str) -> PathTy {
        PathTy { segments: vec![name.to_owned()], args: Vec::new() }
    }

    pub fn with_args(name: &str, args: Vec<Ty>) -> PathTy {
        PathTy { segments: vec![name.to_owned()], args }
    }

    /// The last segment: the name the rules match on.
    pub fn name(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    pub fn arg(&self, idx: usize) -> Option<&Ty> {
        self.args.get(idx)
    }
}

/// A type as far as lvlint can tell without compiling.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// A named type with its type arguments.
    Path(PathTy),
    /// `&T` and `&mut T`.
    Ref(Box<Ty>),
    /// `(A, B)`; the unit type is the empty tuple.
    Tuple(Vec<Ty>),
    /// `[T]` and `[T; N]`.
    Slice(Box<Ty>),
    /// `impl A + B` with its trait bounds.
    Impl(Vec<PathTy>),
    /// `dyn A + B` with its trait bounds.
    Dyn(Vec<PathTy>),
    /// A generic parameter with the trait bounds declared for it.
    Generic { name: String, bounds: Vec<PathTy> },
    /// `fn(..) -> ..`.
    FnPtr,
    /// The value of a closure expression.
    Closure,
    /// `T` behind an unknown number of `Option`/`Result` layers: what typed reads such as
    /// `session.get::<T>(..)` give. Unwrapping keeps it; judging it judges `T`.
    Maybe(Box<Ty>),
    /// A `json!({..})` object literal with this many keys.
    JsonObject(usize),
    /// The output of a serializer call (`serde_json::to_string(&v)`) over a value of this type.
    Serialized(Box<Ty>),
    /// An sqlx typed query builder that fetches rows of this type.
    QueryAs(Box<Ty>),
    /// A struct whose definition lvlint cannot see (a macro generates it), known only from a
    /// literal `Name { a, b, .. }` that names this many fields.
    Unseen { name: String, fields: usize },
    /// An expression that does not produce a value (`return`, `panic!()`, ...).
    Never,
}

impl Ty {
    pub fn path(name: &str) -> Ty {
        Ty::Path(PathTy::simple(name))
    }

    pub fn wrap(name: &str, inner: Ty) -> Ty {
        Ty::Path(PathTy::with_args(name, vec![inner]))
    }

    pub fn as_path(&self) -> Option<&PathTy> {
        match self {
            Ty::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The last segment of a path type.
    pub fn name(&self) -> Option<&str> {
        self.as_path().map(PathTy::name)
    }

    /// `Some(T)` when this is `Wrapper<T>` for the given wrapper name.
    pub fn unwrap_named(&self, wrapper: &str) -> Option<&Ty> {
        match self {
            Ty::Path(path) if path.name() == wrapper => path.arg(0),
            _ => None,
        }
    }

    /// Strips every outer `&`.
    pub fn strip_refs(&self) -> &Ty {
        let mut ty = self;
        while let Ty::Ref(inner) = ty {
            ty = inner;
        }
        ty
    }

    pub fn is_unit(&self) -> bool {
        matches!(self, Ty::Tuple(items) if items.is_empty())
    }
}

impl fmt::Display for PathTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        if !self.args.is_empty() {
            f.write_str("<")?;
            for (idx, arg) in self.args.iter().enumerate() {
                if idx > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{arg}")?;
            }
            f.write_str(">")?;
        }
        Ok(())
    }
}

fn write_bounds(f: &mut fmt::Formatter<'_>, bounds: &[PathTy]) -> fmt::Result {
    for (idx, bound) in bounds.iter().enumerate() {
        if idx > 0 {
            f.write_str(" + ")?;
        }
        write!(f, "{bound}")?;
    }
    Ok(())
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Path(path) => write!(f, "{path}"),
            Ty::Ref(inner) => write!(f, "&{inner}"),
            Ty::Tuple(items) => {
                f.write_str("(")?;
                for (idx, item) in items.iter().enumerate() {
                    if idx > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
            Ty::Slice(inner) => write!(f, "[{inner}]"),
            Ty::Impl(bounds) => {
                f.write_str("impl ")?;
                write_bounds(f, bounds)
            }
            Ty::Dyn(bounds) => {
                f.write_str("dyn ")?;
                write_bounds(f, bounds)
            }
            Ty::Generic { name, .. } => f.write_str(name),
            Ty::FnPtr => f.write_str("fn(..)"),
            Ty::Closure => f.write_str("closure"),
            Ty::Maybe(inner) => write!(f, "{inner}"),
            Ty::JsonObject(keys) => write!(f, "json object ({keys} keys)"),
            Ty::Serialized(inner) => write!(f, "serialized {inner}"),
            Ty::QueryAs(inner) => write!(f, "query of {inner}"),
            Ty::Unseen { name, .. } => f.write_str(name),
            Ty::Never => f.write_str("!"),
        }
    }
}

/// What a type's syntax is read against: the generic parameters in scope and the `Self` type.
#[derive(Clone, Debug, Default)]
pub struct TyScope {
    pub generics: Vec<(String, Vec<PathTy>)>,
    pub self_ty: Option<Ty>,
}

impl TyScope {
    /// A scope extended with the parameters (and `where` bounds) of `generics`.
    pub fn with_generics(&self, generics: &syn::Generics) -> TyScope {
        let mut scope = self.clone();
        for param in &generics.params {
            if let syn::GenericParam::Type(param) = param {
                let bounds = param.bounds.iter().filter_map(|b| bound_path(b, &scope)).collect();
                scope.generics.push((param.ident.to_string(), bounds));
            }
        }
        if let Some(where_clause) = &generics.where_clause {
            for pred in &where_clause.predicates {
                let syn::WherePredicate::Type(pred) = pred else { continue };
                let syn::Type::Path(bounded) = &pred.bounded_ty else { continue };
                let Some(ident) = bounded.path.get_ident() else { continue };
                let name = ident.to_string();
                let extra: Vec<PathTy> =
                    pred.bounds.iter().filter_map(|b| bound_path(b, &scope)).collect();
                if let Some(entry) = scope.generics.iter_mut().rev().find(|(n, _)| *n == name) {
                    entry.1.extend(extra);
                }
            }
        }
        scope
    }

    fn generic(&self, name: &str) -> Option<&Vec<PathTy>> {
        self.generics.iter().rev().find(|(n, _)| n == name).map(|(_, bounds)| bounds)
    }

    /// Reads a syntactic type. `_` and macros give `None`: lvlint does not guess.
    pub fn ty(&self, ty: &syn::Type) -> Option<Ty> {
        match ty {
            syn::Type::Path(path) if path.qself.is_none() => self.path_ty(&path.path),
            syn::Type::Reference(reference) => Some(Ty::Ref(Box::new(self.ty(&reference.elem)?))),
            syn::Type::Paren(paren) => self.ty(&paren.elem),
            syn::Type::Group(group) => self.ty(&group.elem),
            syn::Type::Tuple(tuple) => {
                tuple.elems.iter().map(|t| self.ty(t)).collect::<Option<Vec<_>>>().map(Ty::Tuple)
            }
            syn::Type::Slice(slice) => Some(Ty::Slice(Box::new(self.ty(&slice.elem)?))),
            syn::Type::Array(array) => Some(Ty::Slice(Box::new(self.ty(&array.elem)?))),
            syn::Type::ImplTrait(it) => {
                Some(Ty::Impl(it.bounds.iter().filter_map(|b| bound_path(b, self)).collect()))
            }
            syn::Type::TraitObject(obj) => {
                Some(Ty::Dyn(obj.bounds.iter().filter_map(|b| bound_path(b, self)).collect()))
            }
            syn::Type::BareFn(_) => Some(Ty::FnPtr),
            syn::Type::Never(_) => Some(Ty::Never),
            _ => None,
        }
    }

    fn path_ty(&self, path: &syn::Path) -> Option<Ty> {
        if path.segments.len() == 1 {
            let segment = path.segments.first()?;
            let name = segment.ident.to_string();
            if name == "Self" {
                return self.self_ty.clone();
            }
            if let Some(bounds) = self.generic(&name) {
                return Some(Ty::Generic { name, bounds: bounds.clone() });
            }
        }
        // `Self::Assoc` and other associated types are not followed.
        if path.segments.first().is_some_and(|s| s.ident == "Self") {
            return None;
        }
        Some(Ty::Path(self.path(path)))
    }

    /// Reads a path with its type arguments; parenthesized arguments (`Fn(A) -> B`) are kept
    /// only as the path, since the rules need the trait's name alone.
    pub fn path(&self, path: &syn::Path) -> PathTy {
        let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let mut args = Vec::new();
        if let Some(last) = path.segments.last()
            && let syn::PathArguments::AngleBracketed(angle) = &last.arguments
        {
            for arg in &angle.args {
                if let syn::GenericArgument::Type(ty) = arg {
                    // An unreadable argument still holds its place, so `Result<_, E>` keeps
                    // `E` second; `_` stands for "unknown".
                    args.push(self.ty(ty).unwrap_or_else(|| Ty::path("_")));
                }
            }
        }
        PathTy { segments, args }
    }
}

fn bound_path(bound: &syn::TypeParamBound, scope: &TyScope) -> Option<PathTy> {
    match bound {
        syn::TypeParamBound::Trait(trait_bound) => Some(scope.path(&trait_bound.path)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(src: &str) -> Option<Ty> {
        let ty: syn::Type = syn::parse_str(src).ok()?;
        TyScope::default().ty(&ty)
    }

    #[test]
    fn reads_paths_refs_and_args() {
        let ty = read("&mut Option<crate::models::User>");
        assert_eq!(ty.map(|t| t.to_string()).as_deref(), Some("&Option<User>"));
    }

    #[test]
    fn underscore_keeps_its_place() {
        let ty = read("Result<_, AppError>");
        assert_eq!(ty.map(|t| t.to_string()).as_deref(), Some("Result<_, AppError>"));
    }

    #[test]
    fn impl_fn_keeps_trait_name() {
        let ty = read("impl Fn() -> User + Send");
        assert_eq!(ty.map(|t| t.to_string()).as_deref(), Some("impl Fn + Send"));
    }
}
