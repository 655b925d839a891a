//! The project index: the structs, enums, type aliases, traits and function signatures of every
//! indexed file, keyed by name. Rules ask it questions ("what are the fields of `User`?", "what
//! does `load_user` return?") and never walk its maps themselves.
//!
//! Names are not resolved through modules: two `User` structs in two modules are both kept, and
//! a question about `User` sees both. Callers treat disagreeing answers as "unknown", which keeps
//! lvlint silent rather than wrong.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use syn::visit::Visit;

use crate::diagnostic::Span;
use crate::source::SourceFile;
use crate::syntax;
use crate::ty::{ModuleCx, PathTy, Ty, TyScope};

/// Where an item is defined.
#[derive(Clone, Debug)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Fields {
    /// Named fields with their types (`None` when the type could not be read).
    Named(Vec<(String, Option<Ty>)>),
    Tuple(Vec<Option<Ty>>),
    Unit,
}

impl Fields {
    pub fn len(&self) -> usize {
        match self {
            Fields::Named(fields) => fields.len(),
            Fields::Tuple(fields) => fields.len(),
            Fields::Unit => 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Clone, Debug)]
pub struct StructDef {
    pub name: String,
    /// The crate-relative module path the struct is defined in.
    pub module: Vec<String>,
    pub generics: Vec<String>,
    pub fields: Fields,
    pub loc: Location,
}

impl StructDef {
    /// The type of a named or positional field, with the struct's generic parameters replaced
    /// by `args` (the arguments of the value's type).
    pub fn field_ty(&self, field: &str, args: &[Ty]) -> Option<Ty> {
        let ty = match &self.fields {
            Fields::Named(fields) => fields.iter().find(|(n, _)| n == field)?.1.clone()?,
            Fields::Tuple(fields) => fields.get(field.parse::<usize>().ok()?)?.clone()?,
            Fields::Unit => return None,
        };
        Some(substitute(&ty, &self.generics, args))
    }
}

#[derive(Clone, Debug)]
pub struct VariantDef {
    pub name: String,
    pub fields: Fields,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub module: Vec<String>,
    pub generics: Vec<String>,
    pub variants: Vec<VariantDef>,
    pub loc: Location,
}

impl EnumDef {
    pub fn has_data(&self) -> bool {
        self.variants.iter().any(|v| !v.fields.is_empty())
    }

    pub fn variant(&self, name: &str) -> Option<&VariantDef> {
        self.variants.iter().find(|v| v.name == name)
    }
}

#[derive(Clone, Debug)]
pub struct AliasDef {
    pub name: String,
    pub generics: Vec<String>,
    pub target: Option<Ty>,
}

/// A function or method signature.
#[derive(Clone, Debug)]
pub struct FnSig {
    pub name: String,
    /// The module path of the function (for methods: of their impl).
    pub module: Vec<String>,
    /// The declared return type, `Self` already replaced; `()` when none is written and
    /// `None` when it could not be read.
    pub ret: Option<Ty>,
    pub is_async: bool,
    /// The generic parameters of the function (and of its impl), for substitution.
    pub generics: Vec<String>,
    pub loc: Location,
}

#[derive(Clone, Debug)]
pub struct TraitDef {
    pub name: String,
    pub loc: Location,
}

/// Everything one file contributes to the index. Built on the thread that parsed the file and
/// then sent to the thread that merges the index.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub structs: Vec<StructDef>,
    pub enums: Vec<EnumDef>,
    pub aliases: Vec<AliasDef>,
    pub fns: Vec<FnSig>,
    /// `(self type name, signature)` for inherent and trait impls.
    pub methods: Vec<(String, FnSig)>,
    /// `(trait name, signature)` for the methods a trait declares.
    pub trait_methods: Vec<(String, FnSig)>,
    pub traits: Vec<TraitDef>,
}

impl FileFacts {
    /// Reads the items of a parsed file whose module context is `module`.
    pub fn extract(
        file: &syn::File,
        source: &Arc<SourceFile>,
        offset: usize,
        module: &Arc<ModuleCx>,
    ) -> FileFacts {
        let scope = TyScope { module: Some(Arc::clone(module)), ..TyScope::default() };
        let mods = module.module.clone();
        let mut collector = Collector { facts: FileFacts::default(), source, offset, scope, mods };
        collector.visit_file(file);
        collector.facts
    }

    /// Every type and function name these facts mention in field, alias and return types:
    /// the names whose definitions the index needs next.
    pub fn mentioned_names(&self, out: &mut HashSet<String>) {
        let mut add = |ty: &Option<Ty>| {
            if let Some(ty) = ty {
                type_names(ty, out);
            }
        };
        for strukt in &self.structs {
            match &strukt.fields {
                Fields::Named(fields) => fields.iter().for_each(|(_, ty)| add(ty)),
                Fields::Tuple(fields) => fields.iter().for_each(&mut add),
                Fields::Unit => {}
            }
        }
        for def in &self.enums {
            for variant in &def.variants {
                match &variant.fields {
                    Fields::Named(fields) => fields.iter().for_each(|(_, ty)| add(ty)),
                    Fields::Tuple(fields) => fields.iter().for_each(&mut add),
                    Fields::Unit => {}
                }
            }
        }
        for alias in &self.aliases {
            add(&alias.target);
        }
        for sig in self.fns.iter().chain(self.methods.iter().map(|(_, s)| s)) {
            add(&sig.ret);
        }
        for (_, sig) in &self.trait_methods {
            add(&sig.ret);
        }
    }
}

/// Adds every path name inside `ty` to `out`.
pub fn type_names(ty: &Ty, out: &mut HashSet<String>) {
    match ty {
        Ty::Path(path) => {
            out.insert(path.name().to_owned());
            path.args.iter().for_each(|arg| type_names(arg, out));
        }
        Ty::Ref(inner)
        | Ty::Slice(inner)
        | Ty::Maybe(inner)
        | Ty::Serialized(inner)
        | Ty::QueryAs(inner) => type_names(inner, out),
        Ty::Tuple(items) => items.iter().for_each(|item| type_names(item, out)),
        Ty::Impl(bounds) | Ty::Dyn(bounds) | Ty::Generic { bounds, .. } => {
            for bound in bounds {
                out.insert(bound.name().to_owned());
            }
        }
        Ty::Unseen { name, .. } => {
            out.insert(name.clone());
        }
        Ty::FnPtr | Ty::Closure | Ty::JsonObject(_) | Ty::Never => {}
    }
}

struct Collector<'a> {
    facts: FileFacts,
    source: &'a Arc<SourceFile>,
    offset: usize,
    scope: TyScope,
    /// The module path of the items being read: the file's, then inline `mod` blocks.
    mods: Vec<String>,
}

impl Collector<'_> {
    fn loc(&self, span: proc_macro2::Span) -> Location {
        Location {
            file: Arc::clone(self.source),
            span: syntax::span(self.source, self.offset, span),
        }
    }

    fn fields(&self, fields: &syn::Fields, scope: &TyScope) -> Fields {
        match fields {
            syn::Fields::Named(named) => Fields::Named(
                named
                    .named
                    .iter()
                    .map(|f| {
                        let name = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        (name, scope.ty(&f.ty))
                    })
                    .collect(),
            ),
            syn::Fields::Unnamed(unnamed) => {
                Fields::Tuple(unnamed.unnamed.iter().map(|f| scope.ty(&f.ty)).collect())
            }
            syn::Fields::Unit => Fields::Unit,
        }
    }

    fn sig(&self, sig: &syn::Signature, scope: &TyScope, generics: Vec<String>) -> FnSig {
        let ret = match &sig.output {
            syn::ReturnType::Default => Some(Ty::Tuple(Vec::new())),
            syn::ReturnType::Type(_, ty) => scope.ty(ty),
        };
        FnSig {
            name: sig.ident.to_string(),
            module: self.mods.clone(),
            ret,
            is_async: sig.asyncness.is_some(),
            generics,
            loc: self.loc(sig.ident.span()),
        }
    }
}

impl Collector<'_> {
    /// The items declared directly in a function body (a nested `struct`, a helper `fn`).
    /// Expressions are not walked: items deeper inside them are rare, and walking every
    /// expression of every indexed file would cost as much as the parse.
    fn visit_block_items(&mut self, block: &syn::Block) {
        for stmt in &block.stmts {
            if let syn::Stmt::Item(item) = stmt {
                self.visit_item(item);
            }
        }
    }
}

fn generic_names(generics: &syn::Generics) -> Vec<String> {
    generics.type_params().map(|p| p.ident.to_string()).collect()
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.mods.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.mods.pop();
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        let scope = self.scope.with_generics(&item.generics);
        let def = StructDef {
            name: item.ident.to_string(),
            module: self.mods.clone(),
            generics: generic_names(&item.generics),
            fields: self.fields(&item.fields, &scope),
            loc: self.loc(item.ident.span()),
        };
        self.facts.structs.push(def);
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        let scope = self.scope.with_generics(&item.generics);
        let variants = item
            .variants
            .iter()
            .map(|v| VariantDef {
                name: v.ident.to_string(),
                fields: self.fields(&v.fields, &scope),
            })
            .collect();
        let def = EnumDef {
            name: item.ident.to_string(),
            module: self.mods.clone(),
            generics: generic_names(&item.generics),
            variants,
            loc: self.loc(item.ident.span()),
        };
        self.facts.enums.push(def);
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        let scope = self.scope.with_generics(&item.generics);
        self.facts.aliases.push(AliasDef {
            name: item.ident.to_string(),
            generics: generic_names(&item.generics),
            target: scope.ty(&item.ty),
        });
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        let scope = self.scope.with_generics(&item.sig.generics);
        let sig = self.sig(&item.sig, &scope, generic_names(&item.sig.generics));
        self.facts.fns.push(sig);
        self.visit_block_items(&item.block);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let outer = std::mem::take(&mut self.scope);
        let impl_scope = outer.with_generics(&item.generics);
        let self_ty = impl_scope.ty(&item.self_ty);
        let Some(self_name) = self_ty.as_ref().and_then(Ty::name).map(str::to_owned) else {
            self.scope = outer;
            return;
        };
        let impl_scope = TyScope { self_ty, ..impl_scope };
        for impl_item in &item.items {
            let syn::ImplItem::Fn(method) = impl_item else { continue };
            let scope = impl_scope.with_generics(&method.sig.generics);
            let mut generics = generic_names(&item.generics);
            generics.extend(generic_names(&method.sig.generics));
            let sig = self.sig(&method.sig, &scope, generics);
            self.facts.methods.push((self_name.clone(), sig));
            self.scope = scope;
            self.visit_block_items(&method.block);
        }
        self.scope = outer;
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let name = item.ident.to_string();
        self.facts.traits.push(TraitDef { name: name.clone(), loc: self.loc(item.ident.span()) });
        let trait_scope = self.scope.with_generics(&item.generics);
        for trait_item in &item.items {
            let syn::TraitItem::Fn(method) = trait_item else { continue };
            let scope = trait_scope.with_generics(&method.sig.generics);
            let sig = self.sig(&method.sig, &scope, generic_names(&method.sig.generics));
            self.facts.trait_methods.push((name.clone(), sig));
        }
    }
}

/// The merged index of every indexed file.
#[derive(Debug, Default)]
pub struct Index {
    structs: HashMap<String, Vec<StructDef>>,
    enums: HashMap<String, Vec<EnumDef>>,
    aliases: HashMap<String, Vec<AliasDef>>,
    fns: HashMap<String, Vec<FnSig>>,
    methods: HashMap<(String, String), Vec<FnSig>>,
    trait_methods: HashMap<(String, String), Vec<FnSig>>,
    traits: HashMap<String, Vec<TraitDef>>,
}

/// What a type name refers to in the project.
#[derive(Clone, Copy, Debug)]
pub enum TypeDef<'a> {
    Struct(&'a StructDef),
    Enum(&'a EnumDef),
}

impl<'a> TypeDef<'a> {
    pub fn module(&self) -> &'a Vec<String> {
        match self {
            TypeDef::Struct(def) => &def.module,
            TypeDef::Enum(def) => &def.module,
        }
    }
}

impl Index {
    pub fn add(&mut self, facts: FileFacts) {
        for def in facts.structs {
            self.structs.entry(def.name.clone()).or_default().push(def);
        }
        for def in facts.enums {
            self.enums.entry(def.name.clone()).or_default().push(def);
        }
        for def in facts.aliases {
            self.aliases.entry(def.name.clone()).or_default().push(def);
        }
        for sig in facts.fns {
            self.fns.entry(sig.name.clone()).or_default().push(sig);
        }
        for (owner, sig) in facts.methods {
            self.methods.entry((owner, sig.name.clone())).or_default().push(sig);
        }
        for (owner, sig) in facts.trait_methods {
            self.trait_methods.entry((owner, sig.name.clone())).or_default().push(sig);
        }
        for def in facts.traits {
            self.traits.entry(def.name.clone()).or_default().push(def);
        }
    }

    /// Sorts every collision list by file and position, so that answers do not depend on the
    /// order in which threads delivered their facts.
    pub fn finish(&mut self) {
        fn key(loc: &Location) -> (String, usize) {
            (loc.file.display.clone(), loc.span.start.byte)
        }
        self.structs.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
        self.enums.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
        self.fns.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
        self.methods.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
        self.trait_methods.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
        self.traits.values_mut().for_each(|v| v.sort_by_key(|d| key(&d.loc)));
    }

    pub fn structs(&self, name: &str) -> &[StructDef] {
        self.structs.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn enums(&self, name: &str) -> &[EnumDef] {
        self.enums.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn aliases(&self, name: &str) -> &[AliasDef] {
        self.aliases.get(name).map_or(&[], Vec::as_slice)
    }

    pub fn is_trait(&self, name: &str) -> bool {
        self.traits.contains_key(name)
    }

    /// The signatures of the free functions with this name.
    pub fn fns(&self, name: &str) -> &[FnSig] {
        self.fns.get(name).map_or(&[], Vec::as_slice)
    }

    /// The signatures of the methods `method` implemented on the type named `owner`.
    pub fn methods(&self, owner: &str, method: &str) -> &[FnSig] {
        self.methods.get(&(owner.to_owned(), method.to_owned())).map_or(&[], Vec::as_slice)
    }

    /// The signatures of the method `method` declared by the trait `trait_name`.
    pub fn trait_methods(&self, trait_name: &str, method: &str) -> &[FnSig] {
        self.trait_methods
            .get(&(trait_name.to_owned(), method.to_owned()))
            .map_or(&[], Vec::as_slice)
    }

    /// The one project type a path refers to; `None` when there is none, or when several
    /// definitions share the name and the path's module does not pick one.
    pub fn type_def(&self, path: &[String]) -> Option<TypeDef<'_>> {
        match self.candidates(path) {
            (structs, enums) if structs.len() == 1 && enums.is_empty() => {
                structs.first().copied().map(TypeDef::Struct)
            }
            (structs, enums) if structs.is_empty() && enums.len() == 1 => {
                enums.first().copied().map(TypeDef::Enum)
            }
            _ => None,
        }
    }

    /// The structs and enums a path may refer to: every definition of its last segment, or
    /// those the path's module picks (see [`pick`]).
    pub fn candidates(&self, path: &[String]) -> (Vec<&StructDef>, Vec<&EnumDef>) {
        let Some((name, module)) = path.split_last() else { return (Vec::new(), Vec::new()) };
        let defs: Vec<TypeDef<'_>> = (self.structs(name).iter().map(TypeDef::Struct))
            .chain(self.enums(name).iter().map(TypeDef::Enum))
            .collect();
        let (mut structs, mut enums) = (Vec::new(), Vec::new());
        for def in pick(&defs, module, |def| def.module()) {
            match *def {
                TypeDef::Struct(strukt) => structs.push(strukt),
                TypeDef::Enum(def) => enums.push(def),
            }
        }
        (structs, enums)
    }

    /// The methods `method` of the type a path names, picked by the type's module.
    pub fn methods_for(&self, owner: &[String], method: &str) -> Vec<&FnSig> {
        let Some((name, module)) = owner.split_last() else { return Vec::new() };
        // An `impl` block may sit in any module of the type's crate: only the crate counts.
        let crate_only = module.first().map(std::slice::from_ref).unwrap_or_default();
        pick(self.methods(name, method), crate_only, |sig| &sig.module)
    }

    /// The free functions a call path may reach, picked by module like [`Index::candidates`].
    pub fn fns_for(&self, path: &[String]) -> Vec<&FnSig> {
        let Some((name, module)) = path.split_last() else { return Vec::new() };
        pick(self.fns(name), module, |sig| &sig.module)
    }

    /// Whether a project type (struct or enum) of this name exists at all.
    pub fn has_type(&self, name: &str) -> bool {
        !self.structs(name).is_empty() || !self.enums(name).is_empty()
    }

    /// Expands type aliases everywhere inside `ty`. An alias is followed only when exactly one
    /// alias has the name and no struct or enum shares it.
    pub fn resolve(&self, ty: &Ty) -> Ty {
        self.resolve_depth(ty, 0)
    }

    fn resolve_depth(&self, ty: &Ty, depth: usize) -> Ty {
        const MAX_ALIAS_DEPTH: usize = 16;
        if depth > MAX_ALIAS_DEPTH {
            return ty.clone();
        }
        let next = depth + 1;
        match ty {
            Ty::Path(path) => {
                let args: Vec<Ty> = path.args.iter().map(|a| self.resolve_depth(a, next)).collect();
                if let [alias] = self.aliases(path.name())
                    && !self.has_type(path.name())
                    && let Some(target) = &alias.target
                {
                    let expanded = substitute(target, &alias.generics, &args);
                    return self.resolve_depth(&expanded, next);
                }
                Ty::Path(PathTy { segments: path.segments.clone(), args })
            }
            Ty::Ref(inner) => Ty::Ref(Box::new(self.resolve_depth(inner, next))),
            Ty::Slice(inner) => Ty::Slice(Box::new(self.resolve_depth(inner, next))),
            Ty::Maybe(inner) => Ty::Maybe(Box::new(self.resolve_depth(inner, next))),
            Ty::Serialized(inner) => Ty::Serialized(Box::new(self.resolve_depth(inner, next))),
            Ty::QueryAs(inner) => Ty::QueryAs(Box::new(self.resolve_depth(inner, next))),
            Ty::Tuple(items) => {
                Ty::Tuple(items.iter().map(|t| self.resolve_depth(t, next)).collect())
            }
            other => other.clone(),
        }
    }
}

/// Whether a definition in `def_module` is what a path written with `module` names: the path's
/// module is the tail of the definition's (`models::User` for `app::models::User`).
fn ends_with(def_module: &[String], module: &[String]) -> bool {
    !module.is_empty() && def_module.ends_with(module)
}

/// Whether a definition is at least in the crate the path's module starts with.
fn same_crate(def_module: &[String], module: &[String]) -> bool {
    module.first().is_some_and(|key| def_module.first() == Some(key))
}

/// The definitions a path with `module` picks among same-named ones: those whose module ends
/// with it, else those of its crate. When none fits and no definition's module even mentions
/// the path's first segment, the path names another crate's item (`chrono::DateTime`), which
/// is none of these; otherwise (a re-export lvlint does not follow) all stay candidates, and
/// several then mean "unknown" to the caller.
fn pick<'a, T>(
    defs: &'a [T],
    module: &[String],
    module_of: impl Fn(&T) -> &Vec<String>,
) -> Vec<&'a T> {
    let Some(first) = module.first() else { return defs.iter().collect() };
    for fits in [ends_with as fn(&[String], &[String]) -> bool, same_crate] {
        let picked: Vec<&T> = defs.iter().filter(|d| fits(module_of(d), module)).collect();
        if !picked.is_empty() {
            return picked;
        }
    }
    if defs.iter().any(|d| module_of(d).contains(first)) {
        return defs.iter().collect();
    }
    Vec::new()
}

/// Replaces generic parameters named in `params` by the matching `args` inside `ty`. A
/// parameter without an argument becomes unknown (`_`).
pub fn substitute(ty: &Ty, params: &[String], args: &[Ty]) -> Ty {
    if params.is_empty() {
        return ty.clone();
    }
    let lookup = |name: &str| -> Option<Ty> {
        let idx = params.iter().position(|p| p == name)?;
        Some(args.get(idx).cloned().unwrap_or_else(|| Ty::path("_")))
    };
    match ty {
        Ty::Generic { name, .. } => lookup(name).unwrap_or_else(|| ty.clone()),
        Ty::Path(path) if path.segments.len() == 1 && path.args.is_empty() => {
            lookup(path.name()).unwrap_or_else(|| ty.clone())
        }
        Ty::Path(path) => Ty::Path(PathTy {
            segments: path.segments.clone(),
            args: path.args.iter().map(|a| substitute(a, params, args)).collect(),
        }),
        Ty::Ref(inner) => Ty::Ref(Box::new(substitute(inner, params, args))),
        Ty::Slice(inner) => Ty::Slice(Box::new(substitute(inner, params, args))),
        Ty::Maybe(inner) => Ty::Maybe(Box::new(substitute(inner, params, args))),
        Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| substitute(t, params, args)).collect()),
        other => other.clone(),
    }
}
