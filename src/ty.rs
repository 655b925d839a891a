//! lvlint's model of a Rust type: syntactic, owned and `Send`, so that the project index can be
//! built on many threads and outlive the syntax trees it came from.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use syn::visit::Visit;

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

/// Where a file sits in its crate and what it imports: enough to tell two types of the same
/// name apart when one is imported by path. Paths are kept crate-relative (`models::User`);
/// lvlint does not follow re-exports or glob imports.
#[derive(Debug, Default)]
pub struct ModuleCx {
    /// The file's module path (`src/models/user.rs` gives `models::user`).
    pub module: Vec<String>,
    /// Each imported name with the full path it stands for.
    pub imports: HashMap<String, Vec<String>>,
    /// Types, traits and aliases the file defines at its top level.
    pub local_types: HashSet<String>,
    /// Whether `module` starts with a crate key (the file sits under a `src` directory).
    pub keyed: bool,
}

impl ModuleCx {
    pub fn new(display_path: &str, file: &syn::File) -> ModuleCx {
        let module = module_of_path(display_path);
        let keyed = display_path.split('/').any(|p| p == "src");
        let mut cx = ModuleCx { module, keyed, ..ModuleCx::default() };
        for item in &file.items {
            let name = match item {
                syn::Item::Struct(item) => &item.ident,
                syn::Item::Enum(item) => &item.ident,
                syn::Item::Type(item) => &item.ident,
                syn::Item::Trait(item) => &item.ident,
                syn::Item::Union(item) => &item.ident,
                _ => continue,
            };
            cx.local_types.insert(name.to_string());
        }
        let mut uses = UseCollector { cx: &mut cx };
        uses.visit_file(file);
        cx
    }

    /// A written path made crate-relative where the file says what it means. `crate` stands
    /// for the crate key; a single name the file neither imports nor defines is placed in this
    /// crate, which narrows a choice between same-named project items to this crate's.
    fn canonical(&self, leading_colon: bool, segments: Vec<String>) -> Vec<String> {
        let Some(first) = segments.first() else { return segments };
        if leading_colon {
            return segments;
        }
        let crate_key = || self.crate_key().into_iter().cloned();
        match first.as_str() {
            "crate" => crate_key().chain(segments[1..].iter().cloned()).collect(),
            "self" => self.module.iter().chain(&segments[1..]).cloned().collect(),
            "super" => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let keep = self.module.len().saturating_sub(ups).max(usize::from(self.keyed));
                self.module[..keep].iter().chain(&segments[ups..]).cloned().collect()
            }
            name if self.imports.contains_key(name) => {
                let base = self.imports.get(name).cloned().unwrap_or_default();
                base.into_iter().chain(segments[1..].iter().cloned()).collect()
            }
            name if segments.len() == 1 && self.local_types.contains(name) => {
                self.module.iter().chain(&segments).cloned().collect()
            }
            // A name the file neither imports nor defines is taken to be its own crate's
            // (a glob import, a prelude): another crate's item would be imported by name.
            name if segments.len() == 1 && name != "Self" => crate_key().chain(segments).collect(),
            _ => segments,
        }
    }

    /// The crate key: the first module segment, when the file sits under a `src` directory.
    fn crate_key(&self) -> Option<&String> {
        if self.keyed { self.module.first() } else { None }
    }

    fn absolute(&self, path: &[String]) -> Vec<String> {
        self.canonical(false, path.to_vec())
    }
}

/// The module path of a file from its path: the crate's directory (the one holding `src`) as a
/// crate key, then what follows `src`, without `lib`, `main` and `mod`. The key keeps two
/// crates linted in one run apart (`crate::AppState` of each). A file outside any `src` takes
/// its whole path as module path, so that suffixes (`loaders::x` for `.../loaders/mod.rs`)
/// still match.
pub fn module_of_path(display_path: &str) -> Vec<String> {
    let parts: Vec<&str> = display_path.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let (key, rest) = match parts.iter().rposition(|p| *p == "src") {
        Some(src) => (src.checked_sub(1).and_then(|idx| parts.get(idx)), &parts[src + 1..]),
        None => (None, &parts[..]),
    };
    let mut module: Vec<String> = key.map(|k| k.replace('-', "_")).into_iter().collect();
    module.extend(rest.iter().map(|p| p.strip_suffix(".rs").unwrap_or(p).replace('-', "_")));
    if module.len() > 1
        && module.last().is_some_and(|l| matches!(l.as_str(), "lib" | "main" | "mod"))
    {
        module.pop();
    }
    module
}

/// The crate key of a file: the directory holding its `src`, as [`module_of_path`] names it.
pub fn crate_key_of_path(absolute_path: &str) -> Option<String> {
    let keyed = absolute_path.split('/').any(|p| p == "src");
    let module = module_of_path(absolute_path);
    if keyed { module.into_iter().next() } else { None }
}

struct UseCollector<'a> {
    cx: &'a mut ModuleCx,
}

impl UseCollector<'_> {
    fn add(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.add(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let name = name.ident.to_string();
                let full = if name == "self" { prefix.clone() } else { with(prefix, &name) };
                let alias = if name == "self" { prefix.last().cloned() } else { Some(name) };
                if let Some(alias) = alias {
                    let full = self.cx.absolute(&full);
                    self.cx.imports.insert(alias, full);
                }
            }
            syn::UseTree::Rename(rename) => {
                let full = self.cx.absolute(&with(prefix, &rename.ident.to_string()));
                self.cx.imports.insert(rename.rename.to_string(), full);
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.add(prefix, tree);
                }
            }
            syn::UseTree::Glob(_) => {}
        }
    }
}

fn with(prefix: &[String], last: &str) -> Vec<String> {
    prefix.iter().cloned().chain(std::iter::once(last.to_owned())).collect()
}

impl<'ast> Visit<'ast> for UseCollector<'_> {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        let mut prefix = Vec::new();
        self.add(&mut prefix, &item.tree);
    }

    // Imports live among items: function bodies are not walked, which would cost as much as
    // the parse (a `use` inside a body is rare, and then only narrows a choice).
    fn visit_block(&mut self, block: &'ast syn::Block) {
        for stmt in &block.stmts {
            if let syn::Stmt::Item(item) = stmt {
                self.visit_item(item);
            }
        }
    }
}

/// What a type's syntax is read against: the generic parameters in scope, the `Self` type and
/// the file's module context.
#[derive(Clone, Debug, Default)]
pub struct TyScope {
    pub generics: Vec<(String, Vec<PathTy>)>,
    pub self_ty: Option<Ty>,
    pub module: Option<Arc<ModuleCx>>,
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

    /// The segments of a path as the file means them: crate-relative where an import, `crate`,
    /// `self`, `super` or a local definition says so, else as written.
    pub fn canonical(&self, path: &syn::Path) -> Vec<String> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match &self.module {
            Some(module) => module.canonical(path.leading_colon.is_some(), segments),
            None => segments,
        }
    }

    /// Reads a path with its type arguments; parenthesized arguments (`Fn(A) -> B`) are kept
    /// only as the path, since the rules need the trait's name alone.
    pub fn path(&self, path: &syn::Path) -> PathTy {
        let segments = self.canonical(path);
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
