//! Local type inference: the small, honest inference the lifecycle model describes. It reads
//! declared types (parameters, `let` annotations, signatures in the index) and follows the
//! handful of standard operations whose result type is certain (`.clone()`, `?`, `.unwrap()`,
//! `Some(..)`, field access, ...). Past that list it answers `None`, and the rules stay silent.

use crate::body::{Binding, Env, FileCx, Local};
use crate::index::{Fields, FnSig, Index, TypeDef, substitute};
use crate::profile::{ApiProfile, is_one_of};
use crate::syntax;
use crate::ty::{PathTy, Ty, TyScope};

/// Deeper expressions than this are not typed: a guard against pathological nesting.
const MAX_DEPTH: usize = 48;

/// The type inference of one body position.
pub struct Infer<'c> {
    pub file: &'c FileCx<'c>,
    pub scope: &'c TyScope,
}

impl<'c> Infer<'c> {
    pub fn new(file: &'c FileCx<'c>, scope: &'c TyScope) -> Infer<'c> {
        Infer { file, scope }
    }

    fn index(&self) -> &'c Index {
        self.file.index
    }

    fn profile(&self) -> &'c ApiProfile {
        self.file.profile
    }

    /// The type of `expr` in `env`, when lvlint can tell.
    pub fn type_of(&self, env: Env<'_, '_>, expr: &syn::Expr) -> Option<Ty> {
        self.ty(env, expr, 0)
    }

    fn ty(&self, env: Env<'_, '_>, expr: &syn::Expr, depth: usize) -> Option<Ty> {
        if depth > MAX_DEPTH {
            return None;
        }
        let next = depth + 1;
        match expr {
            syn::Expr::Paren(inner) => self.ty(env, &inner.expr, next),
            syn::Expr::Group(inner) => self.ty(env, &inner.expr, next),
            syn::Expr::Path(path) if path.qself.is_none() => self.path_value(env, &path.path),
            syn::Expr::Struct(lit) => self.struct_literal(lit),
            syn::Expr::Call(call) => self.call(env, call, next),
            syn::Expr::MethodCall(call) => self.method_call(env, call, next),
            syn::Expr::Field(field) => {
                let base = self.ty(env, &field.base, next)?;
                let name = match &field.member {
                    syn::Member::Named(ident) => ident.to_string(),
                    syn::Member::Unnamed(idx) => idx.index.to_string(),
                };
                self.field_ty(&base, &name)
            }
            syn::Expr::Reference(reference) => {
                Some(Ty::Ref(Box::new(self.ty(env, &reference.expr, next)?)))
            }
            syn::Expr::Unary(unary) => match unary.op {
                syn::UnOp::Deref(_) => {
                    let inner = self.ty(env, &unary.expr, next)?;
                    self.deref_once(&inner)
                }
                syn::UnOp::Not(_) => {
                    let inner = self.ty(env, &unary.expr, next)?;
                    (inner.name() == Some("bool")).then_some(inner)
                }
                _ => None,
            },
            syn::Expr::Try(try_expr) => {
                let inner = self.ty(env, &try_expr.expr, next)?;
                self.unwrap_option_result(&inner)
            }
            syn::Expr::Await(await_expr) => self.ty(env, &await_expr.base, next),
            syn::Expr::Cast(cast) => self.scope.ty(&cast.ty),
            syn::Expr::Lit(lit) => lit_ty(&lit.lit),
            syn::Expr::Closure(_) => Some(Ty::Closure),
            syn::Expr::Tuple(tuple) => tuple
                .elems
                .iter()
                .map(|e| self.ty(env, e, next))
                .collect::<Option<Vec<_>>>()
                .map(Ty::Tuple),
            syn::Expr::Array(array) => {
                let first = array.elems.first()?;
                Some(Ty::Slice(Box::new(self.ty(env, first, next)?)))
            }
            syn::Expr::Index(index) => {
                let base = self.ty(env, &index.expr, next)?;
                self.element_of_container(&base)
            }
            syn::Expr::Binary(binary) => binary_ty(binary.op),
            syn::Expr::Return(_) | syn::Expr::Break(_) | syn::Expr::Continue(_) => Some(Ty::Never),
            syn::Expr::If(expr_if) => {
                let (_, else_branch) = expr_if.else_branch.as_ref()?;
                let then_ty = self.block_ty(env, &expr_if.then_branch, next);
                let else_ty = self.ty(env, else_branch, next);
                join_arms([then_ty, else_ty])
            }
            syn::Expr::Match(expr_match) => {
                let scrutinee = self.ty(env, &expr_match.expr, next);
                let arms = expr_match.arms.iter().map(|arm| {
                    let mut locals = env.locals.to_vec();
                    let visible = locals.len();
                    let binder = Binder { file: self.file, scope: self.scope };
                    binder.bind(
                        &mut locals,
                        &arm.pat,
                        scrutinee.clone(),
                        Some(&expr_match.expr),
                        Binding::Let,
                        visible,
                    );
                    self.ty(Env { locals: &locals }, &arm.body, next)
                });
                join_arms(arms)
            }
            syn::Expr::Block(block) => self.block_ty(env, &block.block, next),
            syn::Expr::Macro(mac) => self.macro_ty(env, &mac.mac, next),
            _ => None,
        }
    }

    /// The type of a block's tail expression, with the block's own `let`s bound.
    fn block_ty(&self, env: Env<'_, '_>, block: &syn::Block, depth: usize) -> Option<Ty> {
        let mut locals = env.locals.to_vec();
        let binder = Binder { file: self.file, scope: self.scope };
        for stmt in &block.stmts {
            match stmt {
                syn::Stmt::Local(local) => {
                    let visible = locals.len();
                    let init = local.init.as_ref().map(|init| &*init.expr);
                    let ty = init.and_then(|e| self.ty(Env { locals: &locals }, e, depth));
                    binder.bind(&mut locals, &local.pat, ty, init, Binding::Let, visible);
                }
                syn::Stmt::Expr(expr, None) => {
                    return self.ty(Env { locals: &locals }, expr, depth);
                }
                syn::Stmt::Expr(expr, Some(_)) if syntax::diverges(expr) => return Some(Ty::Never),
                syn::Stmt::Macro(mac) if syntax::is_panic_macro(&mac.mac) => {
                    return Some(Ty::Never);
                }
                _ => {}
            }
        }
        Some(Ty::Tuple(Vec::new()))
    }

    /// A path in value position: a local, a unit struct, a unit enum variant.
    fn path_value(&self, env: Env<'_, '_>, path: &syn::Path) -> Option<Ty> {
        if let Some(name) = path.get_ident().map(ToString::to_string) {
            if let Some((local, _)) = env.lookup(&name) {
                return local.ty.clone();
            }
            if name == "Self" {
                return self.scope.self_ty.clone();
            }
            if name == "None" {
                return Some(Ty::wrap("Option", Ty::path("_")));
            }
            let segments = self.scope.canonical(path);
            return match self.index().type_def(&segments) {
                Some(TypeDef::Struct(def)) if matches!(def.fields, Fields::Unit) => {
                    Some(Ty::Path(PathTy { segments, args: Vec::new() }))
                }
                _ => None,
            };
        }
        self.enum_variant_owner(&self.scope.canonical(path))
    }

    /// `Enum::Variant` (or `Self::Variant`) names a value of the enum.
    fn enum_variant_owner(&self, segments: &[String]) -> Option<Ty> {
        let [.., owner, variant] = segments else { return None };
        if owner == "Self" {
            let self_ty = self.scope.self_ty.clone()?;
            let name = self_ty.name()?;
            let def = self.index().enums(name);
            return def.iter().any(|d| d.variant(variant).is_some()).then_some(self_ty);
        }
        let owner_path = &segments[..segments.len() - 1];
        match self.index().type_def(owner_path) {
            Some(TypeDef::Enum(def)) if def.variant(variant).is_some() => {
                Some(Ty::Path(PathTy { segments: owner_path.to_vec(), args: Vec::new() }))
            }
            _ => None,
        }
    }

    fn struct_literal(&self, lit: &syn::ExprStruct) -> Option<Ty> {
        let segments = self.scope.canonical(&lit.path);
        if segments.len() == 1 && segments[0] == "Self" {
            return self.scope.self_ty.clone();
        }
        if let Some(owner) = self.enum_variant_owner(&segments) {
            return Some(owner);
        }
        let name = segments.last()?;
        if self.index().has_type(name) || !self.index().aliases(name).is_empty() {
            return Some(Ty::Path(PathTy { segments: segments.clone(), args: Vec::new() }));
        }
        let named = lit.fields.iter().filter(|f| matches!(f.member, syn::Member::Named(_))).count();
        (named >= 2).then(|| Ty::Unseen { name: name.clone(), fields: named })
    }

    fn call(&self, env: Env<'_, '_>, call: &syn::ExprCall, depth: usize) -> Option<Ty> {
        let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return None };
        if callee.qself.is_some() {
            return None;
        }
        let path = &callee.path;
        let segments = syntax::segments(path);
        let name = segments.last()?.as_str();
        let arg = |idx: usize| call.args.iter().nth(idx);
        let arg_ty = |idx: usize| arg(idx).and_then(|a| self.ty(env, a, depth));
        let unknown = || Ty::path("_");

        match (segments.len(), name) {
            (1, "Some") => return Some(Ty::wrap("Option", arg_ty(0).unwrap_or_else(unknown))),
            (1, "Ok") => {
                let ok = arg_ty(0).unwrap_or_else(unknown);
                return Some(Ty::Path(PathTy::with_args("Result", vec![ok, unknown()])));
            }
            (1, "Err") => {
                let err = arg_ty(0).unwrap_or_else(unknown);
                return Some(Ty::Path(PathTy::with_args("Result", vec![unknown(), err])));
            }
            _ => {}
        }

        let turbofish = turbofish_types(path, self.scope);
        if is_one_of(&self.profile().typed_decoders, name)
            && let Some(target) = turbofish.first()
        {
            return Some(Ty::Path(PathTy::with_args("Result", vec![target.clone(), unknown()])));
        }
        if is_one_of(&self.profile().query_as_fns, name)
            && let Some(target) = turbofish.get(1)
        {
            return Some(Ty::QueryAs(Box::new(target.clone())));
        }
        if is_one_of(&self.profile().serializer_fns, name) && self.is_serializer_path(&segments) {
            return Some(Ty::Serialized(Box::new(arg_ty(0)?)));
        }

        let canonical = self.scope.canonical(path);
        if let [.., owner, _] = canonical.as_slice()
            && syntax::is_upper(owner)
        {
            return self.associated_call(env, &canonical, call, depth);
        }
        if syntax::is_upper(name) {
            return self.constructor(&canonical);
        }
        // A free function of the project.
        self.sigs_ret(self.index().fns_for(&canonical))
    }

    /// `Type::function(..)`: wrappers' `new`, then the project's associated functions.
    fn associated_call(
        &self,
        env: Env<'_, '_>,
        path: &[String],
        call: &syn::ExprCall,
        depth: usize,
    ) -> Option<Ty> {
        let [.., owner, name] = path else { return None };
        let (owner, name) = (owner.as_str(), name.as_str());
        let owner_path = &path[..path.len() - 1];
        let first_arg = call.args.first().and_then(|a| self.ty(env, a, depth));
        match (owner, name) {
            ("Box" | "Rc" | "Arc", "new") => return Some(Ty::wrap(owner, first_arg?)),
            ("String", _) => return Some(Ty::path("String")),
            // Standard collections' constructors give the collection, whatever it holds.
            (
                "Vec" | "VecDeque" | "HashMap" | "BTreeMap" | "HashSet" | "BTreeSet",
                "new" | "with_capacity" | "default",
            ) => return Some(Ty::wrap(owner, Ty::path("_"))),
            _ => {}
        }
        if let Some(owner_ty) = self.enum_variant_owner(path) {
            return Some(owner_ty);
        }
        let self_ty = if owner == "Self" {
            self.scope.self_ty.clone()?
        } else {
            Ty::Path(PathTy { segments: owner_path.to_vec(), args: Vec::new() })
        };
        let owner_path = self_ty.as_path()?.segments.clone();
        let sigs = self.index().methods_for(&owner_path, name);
        if sigs.is_empty() && name == "default" && self.index().has_type(self_ty.name()?) {
            return Some(self_ty);
        }
        self.sigs_ret(sigs)
    }

    /// `Location(lat, lon)` and `Event::Moved(..)` build values of their type.
    fn constructor(&self, segments: &[String]) -> Option<Ty> {
        if let Some(owner) = self.enum_variant_owner(segments) {
            return Some(owner);
        }
        let name = segments.last()?;
        if name == "Self" {
            return self.scope.self_ty.clone();
        }
        match self.index().type_def(segments) {
            Some(TypeDef::Struct(def)) if matches!(def.fields, Fields::Tuple(_)) => {
                Some(Ty::Path(PathTy { segments: segments.to_vec(), args: Vec::new() }))
            }
            _ => None,
        }
    }

    fn method_call(
        &self,
        env: Env<'_, '_>,
        call: &syn::ExprMethodCall,
        depth: usize,
    ) -> Option<Ty> {
        let method = call.method.to_string();
        let profile = self.profile();
        let turbofish: Vec<Ty> =
            call.turbofish.as_ref().map(|t| generic_args(&t.args, self.scope)).unwrap_or_default();

        if is_one_of(&profile.typed_read_methods, &method)
            && let Some(target) = turbofish.first()
        {
            return Some(Ty::Maybe(Box::new(target.clone())));
        }
        if let Some(target) = turbofish.first() {
            let reads_session = is_one_of(&profile.session_read_methods, &method)
                && self.is_session(env, &call.receiver);
            let reads_jar =
                is_one_of(&profile.jar_read_methods, &method) && self.is_jar(env, &call.receiver);
            if reads_session || reads_jar {
                return Some(Ty::Maybe(Box::new(target.clone())));
            }
        }

        let receiver = self.ty(env, &call.receiver, depth + 1)?;
        let receiver = self.index().resolve(&receiver);
        match method.as_str() {
            "clone" | "to_owned" | "cloned" if call.args.is_empty() => {
                return self.cloned(&receiver);
            }
            "unwrap" | "expect" => {
                return self.unwrap_option_result(&receiver);
            }
            "ok" => {
                return match &receiver {
                    Ty::Maybe(_) => Some(receiver.clone()),
                    Ty::Path(p) if p.name() == "Result" => {
                        Some(Ty::wrap("Option", p.arg(0)?.clone()))
                    }
                    _ => None,
                };
            }
            "ok_or" | "ok_or_else" => {
                return match &receiver {
                    Ty::Maybe(_) => Some(receiver.clone()),
                    Ty::Path(p) if p.name() == "Option" => Some(Ty::Path(PathTy::with_args(
                        "Result",
                        vec![p.arg(0)?.clone(), Ty::path("_")],
                    ))),
                    _ => None,
                };
            }
            "map_err" => {
                return match &receiver {
                    Ty::Maybe(_) | Ty::Serialized(_) => Some(receiver.clone()),
                    Ty::Path(p) if p.name() == "Result" => Some(Ty::Path(PathTy::with_args(
                        "Result",
                        vec![p.arg(0)?.clone(), Ty::path("_")],
                    ))),
                    _ => None,
                };
            }
            "flatten" if call.args.is_empty() => {
                return match &receiver {
                    Ty::Maybe(_) => Some(receiver.clone()),
                    Ty::Path(p) if p.name() == "Option" => match p.arg(0)? {
                        inner @ Ty::Path(q) if q.name() == "Option" => Some(inner.clone()),
                        _ => None,
                    },
                    _ => None,
                };
            }
            "map" if call.args.len() == 1 => return self.map(env, &receiver, &call.args[0], depth),
            "as_ref" | "as_mut" => {
                return match &receiver {
                    Ty::Path(p) if p.name() == "Option" => {
                        Some(Ty::wrap("Option", Ty::Ref(Box::new(p.arg(0)?.clone()))))
                    }
                    _ => None,
                };
            }
            _ => {}
        }
        if let Ty::QueryAs(row) = &receiver {
            let row = (**row).clone();
            let result = |ty: Ty| Ty::Path(PathTy::with_args("Result", vec![ty, Ty::path("_")]));
            return if is_one_of(&profile.fetch_one, &method) {
                Some(result(row))
            } else if is_one_of(&profile.fetch_optional, &method) {
                Some(result(Ty::wrap("Option", row)))
            } else if is_one_of(&profile.fetch_all, &method) {
                Some(result(Ty::wrap("Vec", row)))
            } else if method.starts_with("fetch") {
                // A stream of rows, or a fetch lvlint does not model.
                None
            } else {
                // Builder calls (`.bind(..)`) keep the query.
                Some(receiver.clone())
            };
        }
        self.project_method(&receiver, &method)
    }

    /// `.map(|x| body)` and `.map(Ctor)` over `Option`/`Result`: the body's type, wrapped.
    fn map(&self, env: Env<'_, '_>, receiver: &Ty, arg: &syn::Expr, depth: usize) -> Option<Ty> {
        let Ty::Path(outer) = receiver else { return None };
        if !matches!(outer.name(), "Option" | "Result") {
            return None;
        }
        let elem = outer.arg(0)?.clone();
        let mapped = match syntax::peel(arg) {
            syn::Expr::Closure(closure) if closure.inputs.len() == 1 => {
                let mut locals = env.locals.to_vec();
                let visible = locals.len();
                let binder = Binder { file: self.file, scope: self.scope };
                let pat = closure.inputs.first()?;
                binder.bind(&mut locals, pat, Some(elem), None, Binding::Param, visible);
                self.ty(Env { locals: &locals }, &closure.body, depth + 1)?
            }
            syn::Expr::Path(path) => self.constructor(&self.scope.canonical(&path.path))?,
            _ => return None,
        };
        let mut args = outer.args.clone();
        args[0] = mapped;
        Some(Ty::Path(PathTy { segments: outer.segments.clone(), args }))
    }

    /// A method of the project, found through the receiver's type (after dereferencing
    /// wrappers) or through the project traits bounding a generic, `impl` or `dyn` receiver.
    fn project_method(&self, receiver: &Ty, method: &str) -> Option<Ty> {
        let mut ty = receiver.clone();
        for _ in 0..8 {
            match &ty {
                Ty::Generic { bounds, .. } | Ty::Impl(bounds) | Ty::Dyn(bounds) => {
                    let sigs: Vec<FnSig> = bounds
                        .iter()
                        .flat_map(|b| self.index().trait_methods(b.name(), method).iter().cloned())
                        .collect();
                    return self.sigs_ret(&sigs);
                }
                Ty::Path(path) => {
                    let sigs = self.index().methods_for(&path.segments, method);
                    if !sigs.is_empty() {
                        return self.sigs_ret(sigs);
                    }
                    if self.index().has_type(path.name()) {
                        return None;
                    }
                }
                _ => {}
            }
            ty = self.deref_once(&ty)?;
        }
        None
    }

    /// The return type the signatures agree on; `None` when they disagree or none is known.
    fn sigs_ret<'s>(&self, sigs: impl IntoIterator<Item = &'s FnSig>) -> Option<Ty> {
        let mut found: Option<Ty> = None;
        for sig in sigs {
            let ret = self.index().resolve(sig.ret.as_ref()?);
            let ret = substitute(&ret, &sig.generics, &[]);
            match &found {
                Some(prev) if *prev != ret => return None,
                _ => found = Some(ret),
            }
        }
        found
    }

    /// The type of a field, reading through references and dereferencing wrappers.
    pub fn field_ty(&self, base: &Ty, field: &str) -> Option<Ty> {
        let mut ty = self.index().resolve(base);
        for _ in 0..8 {
            match &ty {
                Ty::Tuple(items) => return items.get(field.parse::<usize>().ok()?).cloned(),
                Ty::Path(path) => {
                    if let Some(TypeDef::Struct(def)) = self.index().type_def(&path.segments) {
                        let field_ty = def.field_ty(field, &path.args)?;
                        return Some(self.index().resolve(&field_ty));
                    }
                    if self.index().has_type(path.name()) {
                        return None;
                    }
                }
                Ty::Maybe(inner) => {
                    ty = (**inner).clone();
                    continue;
                }
                _ => {}
            }
            ty = self.deref_once(&ty)?;
        }
        None
    }

    /// One step of auto-dereference: `&T`, `Box<T>`, `Rc<T>`, `Arc<T>` and the framework
    /// wrappers that dereference to their one type argument.
    pub fn deref_once(&self, ty: &Ty) -> Option<Ty> {
        match ty {
            Ty::Ref(inner) => Some((**inner).clone()),
            Ty::Path(path)
                if is_one_of(&self.profile().deref_wrappers, path.name())
                    && !self.index().has_type(path.name()) =>
            {
                path.arg(0).cloned()
            }
            _ => None,
        }
    }

    /// `T` from `Option<T>`, `Result<T, _>` (also one-argument `Result` aliases); `Maybe(T)`
    /// stays itself.
    pub fn unwrap_option_result(&self, ty: &Ty) -> Option<Ty> {
        match self.index().resolve(ty) {
            Ty::Maybe(inner) => Some(Ty::Maybe(inner)),
            // A serializer's `Result` is not modelled: unwrapping it keeps the serialized form.
            Ty::Serialized(inner) => Some(Ty::Serialized(inner)),
            Ty::Path(path) if matches!(path.name(), "Option" | "Result") => {
                path.arg(0).filter(|t| t.name() != Some("_")).cloned()
            }
            _ => None,
        }
    }

    fn cloned(&self, ty: &Ty) -> Option<Ty> {
        match ty {
            Ty::Ref(inner) => Some((**inner).clone()),
            Ty::Path(path) if path.name() == "Option" => match path.arg(0)? {
                Ty::Ref(inner) => Some(Ty::wrap("Option", (**inner).clone())),
                _ => Some(ty.clone()),
            },
            other => Some(other.clone()),
        }
    }

    fn element_of_container(&self, ty: &Ty) -> Option<Ty> {
        let ty = self.index().resolve(ty.strip_refs());
        match &ty {
            Ty::Slice(inner) => Some((**inner).clone()),
            Ty::Path(path) if matches!(path.name(), "Vec" | "VecDeque") => path.arg(0).cloned(),
            Ty::Path(path) if matches!(path.name(), "HashMap" | "BTreeMap") => path.arg(1).cloned(),
            _ => None,
        }
    }

    fn macro_ty(&self, env: Env<'_, '_>, mac: &syn::Macro, depth: usize) -> Option<Ty> {
        let name = syntax::last_segment(&mac.path)?;
        let profile = self.profile();
        if is_one_of(&profile.json_macros, &name) {
            return json_object_keys(&mac.tokens).map(Ty::JsonObject);
        }
        if is_one_of(&profile.query_as_macros, &name) {
            let args = syntax::macro_args(mac)?;
            let syn::Expr::Path(first) = args.first()? else { return None };
            let row = self
                .scope
                .ty(&syn::Type::Path(syn::TypePath { qself: None, path: first.path.clone() }))?;
            return Some(Ty::QueryAs(Box::new(row)));
        }
        match name.as_str() {
            "format" => Some(Ty::path("String")),
            "vec" => {
                let args = syntax::macro_args(mac)?;
                let first = args.first()?;
                Some(Ty::wrap("Vec", self.ty(env, first, depth + 1)?))
            }
            _ if syntax::is_panic_macro(mac) => Some(Ty::Never),
            _ => None,
        }
    }

    /// Whether a serializer function's path belongs to the serializer crate (or is imported).
    pub fn is_serializer_path(&self, segments: &[String]) -> bool {
        segments.len() == 1
            || segments.iter().any(|s| is_one_of(&self.profile().serializer_crates, s))
    }

    /// A session value: a declared `Session`-like type through references, or an untyped
    /// binding with a session name.
    pub fn is_session(&self, env: Env<'_, '_>, expr: &syn::Expr) -> bool {
        let profile = self.profile();
        self.has_role(env, expr, &profile.session_types, &profile.session_names)
    }

    /// A cookie jar value: a jar type, an untyped jar name, or what a jar method that returns
    /// the jar (`add`, `signed`, ...) gives when called on a jar, also through a `let`.
    pub fn is_jar(&self, env: Env<'_, '_>, expr: &syn::Expr) -> bool {
        self.is_jar_depth(env, expr, 0)
    }

    fn is_jar_depth(&self, env: Env<'_, '_>, expr: &syn::Expr, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let profile = self.profile();
        match syntax::peel(expr) {
            syn::Expr::MethodCall(call) => {
                let method = call.method.to_string();
                let returns_jar = is_one_of(&profile.jar_returning_methods, &method)
                    || is_one_of(&profile.jar_derive_methods, &method);
                returns_jar && self.is_jar_depth(env, &call.receiver, depth + 1)
            }
            syn::Expr::Reference(reference) => self.is_jar_depth(env, &reference.expr, depth + 1),
            inner => {
                if self.has_role(env, inner, &profile.jar_types, &profile.jar_names) {
                    return true;
                }
                let Some(name) = syntax::expr_ident(inner) else { return false };
                let Some((local, init_env)) = env.lookup(&name) else { return false };
                match (local.binding, local.init, &local.ty) {
                    (Binding::Let, Some(init), None) => {
                        self.is_jar_depth(init_env, init, depth + 1)
                    }
                    _ => false,
                }
            }
        }
    }

    /// A value whose declared type (through references) has one of `types` as its last
    /// segment, or an untyped binding named one of `names`.
    fn has_role(
        &self,
        env: Env<'_, '_>,
        expr: &syn::Expr,
        types: &[String],
        names: &[String],
    ) -> bool {
        let expr = syntax::peel(expr);
        if let Some(ty) = self.ty(env, expr, 0) {
            let ty = self.index().resolve(&ty);
            return ty.strip_refs().name().is_some_and(|n| is_one_of(types, n));
        }
        let Some(name) = syntax::expr_ident(expr) else { return false };
        match env.lookup(&name) {
            Some((local, _)) => local.ty.is_none() && is_one_of(names, &name),
            None => is_one_of(names, &name),
        }
    }
}

/// Binds the names of patterns to locals: shared by the body walker and by inference of
/// `match` arms, closures and blocks.
pub struct Binder<'c> {
    pub file: &'c FileCx<'c>,
    pub scope: &'c TyScope,
}

impl Binder<'_> {
    /// Binds the names of `pat`, whose value has type `ty` (when known) and comes from `init`
    /// (when there is one). `binding` says how the pattern's top relates to `init`.
    pub fn bind<'ast>(
        &self,
        locals: &mut Vec<Local<'ast>>,
        pat: &'ast syn::Pat,
        ty: Option<Ty>,
        init: Option<&'ast syn::Expr>,
        binding: Binding,
        visible: usize,
    ) {
        let index = self.file.index;
        let ty = ty.map(|t| index.resolve(&t));
        match pat {
            syn::Pat::Ident(ident) => {
                let ty = match (&ident.by_ref, ty) {
                    (Some(_), Some(ty)) => Some(Ty::Ref(Box::new(ty))),
                    (_, ty) => ty,
                };
                if let Some((_, sub)) = &ident.subpat {
                    self.bind(locals, sub, ty.clone(), init, binding, visible);
                }
                let span = self.file.span(&ident.ident);
                let name = ident.ident.to_string();
                locals.push(Local { name, ty, init, binding, visible, span });
            }
            syn::Pat::Type(typed) => {
                let declared = self.scope.ty(&typed.ty).map(|t| index.resolve(&t));
                self.bind(locals, &typed.pat, declared.or(ty), init, binding, visible);
            }
            syn::Pat::Reference(reference) => {
                let inner = ty.map(|t| match t {
                    Ty::Ref(inner) => *inner,
                    other => other,
                });
                self.bind(locals, &reference.pat, inner, init, unwrapped(binding), visible);
            }
            syn::Pat::Paren(paren) => self.bind(locals, &paren.pat, ty, init, binding, visible),
            syn::Pat::Tuple(tuple) => {
                let items = match ty {
                    Some(Ty::Tuple(items)) if items.len() == tuple.elems.len() => Some(items),
                    _ => None,
                };
                for (idx, elem) in tuple.elems.iter().enumerate() {
                    let elem_ty = items.as_ref().and_then(|items| items.get(idx).cloned());
                    self.bind(locals, elem, elem_ty, init, Binding::Destructured, visible);
                }
            }
            syn::Pat::TupleStruct(ts) => {
                let types =
                    tuple_pattern_types(index, self.scope, &ts.path, ts.elems.len(), ty.as_ref());
                let top = if is_unwrapping_pattern(&ts.path) {
                    unwrapped(binding)
                } else {
                    Binding::Destructured
                };
                for (idx, elem) in ts.elems.iter().enumerate() {
                    let elem_ty = types.get(idx).cloned().flatten();
                    self.bind(locals, elem, elem_ty, init, top, visible);
                }
            }
            syn::Pat::Struct(ps) => {
                for field in &ps.fields {
                    let name = match &field.member {
                        syn::Member::Named(ident) => ident.to_string(),
                        syn::Member::Unnamed(idx) => idx.index.to_string(),
                    };
                    let field_ty =
                        struct_pattern_field(index, self.scope, &ps.path, &name, ty.as_ref());
                    self.bind(locals, &field.pat, field_ty, init, Binding::Destructured, visible);
                }
            }
            syn::Pat::Or(or) => {
                if let Some(first) = or.cases.first() {
                    self.bind(locals, first, ty, init, binding, visible);
                }
            }
            syn::Pat::Slice(slice) => {
                for elem in &slice.elems {
                    self.bind(locals, elem, None, init, Binding::Destructured, visible);
                }
            }
            _ => {}
        }
    }
}

fn unwrapped(binding: Binding) -> Binding {
    match binding {
        Binding::Let | Binding::Unwrapped => Binding::Unwrapped,
        other => other,
    }
}

/// Whether a tuple-struct pattern unwraps its value (`Some(x)`, `Ok(x)`) rather than
/// destructuring a struct.
pub fn is_unwrapping_pattern(path: &syn::Path) -> bool {
    matches!(syntax::last_segment(path).as_deref(), Some("Some" | "Ok"))
}

/// The types of the positional sub-patterns of `Path(a, b, ..)` matched against `ty`.
pub fn tuple_pattern_types(
    index: &Index,
    scope: &TyScope,
    path: &syn::Path,
    arity: usize,
    ty: Option<&Ty>,
) -> Vec<Option<Ty>> {
    let segments = scope.canonical(path);
    let Some(name) = segments.last().map(String::as_str) else { return Vec::new() };
    let Some(ty) = ty else { return vec![None; arity] };

    // Matching through a reference binds references (default binding modes).
    let (ty, by_ref) = match ty {
        Ty::Ref(inner) => (&**inner, true),
        other => (other, false),
    };
    let wrap = |t: Ty| if by_ref { Ty::Ref(Box::new(t)) } else { t };
    let result = |idx: usize| -> Vec<Option<Ty>> {
        match ty {
            Ty::Maybe(_) if idx == 0 => vec![Some(ty.clone())],
            Ty::Path(p) => vec![p.arg(idx).filter(|t| t.name() != Some("_")).cloned().map(wrap)],
            _ => vec![None],
        }
    };

    match (name, ty) {
        ("Some", Ty::Maybe(_)) | ("Ok", Ty::Maybe(_)) => return result(0),
        ("Some", Ty::Path(p)) if p.name() == "Option" => return result(0),
        ("Ok", Ty::Path(p)) if p.name() == "Result" => return result(0),
        ("Err", Ty::Path(p)) if p.name() == "Result" => return result(1),
        _ => {}
    }
    let Ty::Path(value_path) = ty else { return vec![None; arity] };

    // A project tuple struct or enum tuple variant: the declared field types.
    let fields = if let [.., owner, variant] = segments.as_slice() {
        let owner_path: Vec<String> = if owner == "Self" {
            scope
                .self_ty
                .as_ref()
                .and_then(Ty::as_path)
                .map(|p| p.segments.clone())
                .unwrap_or_default()
        } else {
            segments[..segments.len() - 1].to_vec()
        };
        match index.type_def(&owner_path) {
            Some(TypeDef::Enum(def)) => def.variant(variant).map(|v| (&v.fields, &def.generics)),
            _ => None,
        }
    } else {
        match index.type_def(&segments) {
            Some(TypeDef::Struct(def)) => Some((&def.fields, &def.generics)),
            _ => None,
        }
    };
    if let Some((Fields::Tuple(types), generics)) = fields {
        return types
            .iter()
            .map(|t| t.as_ref().map(|t| wrap(substitute(t, generics, &value_path.args))))
            .collect();
    }

    // An extractor pattern: `State(state): State<AppState>` gives `state: AppState`.
    if value_path.name() == name && !index.has_type(name) && arity == 1 {
        return vec![value_path.arg(0).cloned().map(wrap)];
    }
    vec![None; arity]
}

/// The type of field `field` in a struct pattern `Path { field, .. }` matched against `ty`.
pub fn struct_pattern_field(
    index: &Index,
    scope: &TyScope,
    path: &syn::Path,
    field: &str,
    ty: Option<&Ty>,
) -> Option<Ty> {
    let segments = scope.canonical(path);
    let args =
        ty.and_then(|t| t.strip_refs().as_path()).map(|p| p.args.clone()).unwrap_or_default();
    let by_ref = matches!(ty, Some(Ty::Ref(_)));
    let wrap = |t: Ty| if by_ref { Ty::Ref(Box::new(t)) } else { t };
    let struct_field = |path: &[String]| match index.type_def(path)? {
        TypeDef::Struct(def) => def.field_ty(field, &args),
        TypeDef::Enum(_) => None,
    };
    let found = match segments.as_slice() {
        [name] if name == "Self" => {
            let self_path = scope.self_ty.as_ref().and_then(Ty::as_path)?;
            struct_field(&self_path.segments)
        }
        [.., variant] if segments.len() >= 2 => {
            match index.type_def(&segments[..segments.len() - 1]) {
                Some(TypeDef::Enum(def)) => {
                    let fields = &def.variant(variant)?.fields;
                    let Fields::Named(named) = fields else { return None };
                    let raw = named.iter().find(|(n, _)| n == field)?.1.clone()?;
                    Some(substitute(&raw, &def.generics, &args))
                }
                _ => struct_field(&segments),
            }
        }
        [] => None,
        _ => struct_field(&segments),
    };
    found.map(wrap)
}

/// The element type a `for` loop over a value of type `ty` binds.
pub fn element_type(index: &Index, ty: &Ty) -> Option<Ty> {
    let resolved = index.resolve(ty);
    let (inner, by_ref) = match &resolved {
        Ty::Ref(inner) => (&**inner, true),
        other => (other, false),
    };
    let elem = match inner {
        Ty::Slice(elem) => (**elem).clone(),
        Ty::Path(path) if matches!(path.name(), "Vec" | "VecDeque" | "HashSet" | "BTreeSet") => {
            path.arg(0)?.clone()
        }
        _ => return None,
    };
    Some(if by_ref { Ty::Ref(Box::new(elem)) } else { elem })
}

/// The types inside a turbofish of a path's last segment (`from_str::<User>`).
fn turbofish_types(path: &syn::Path, scope: &TyScope) -> Vec<Ty> {
    match path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(angle)) => generic_args(&angle.args, scope),
        _ => Vec::new(),
    }
}

fn generic_args(
    args: &syn::punctuated::Punctuated<syn::GenericArgument, syn::Token![,]>,
    scope: &TyScope,
) -> Vec<Ty> {
    args.iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(scope.ty(ty).unwrap_or_else(|| Ty::path("_"))),
            _ => None,
        })
        .collect()
}

fn lit_ty(lit: &syn::Lit) -> Option<Ty> {
    match lit {
        syn::Lit::Str(_) => Some(Ty::Ref(Box::new(Ty::path("str")))),
        syn::Lit::Int(int) => {
            Some(Ty::path(if int.suffix().is_empty() { "i32" } else { int.suffix() }))
        }
        syn::Lit::Float(float) => {
            Some(Ty::path(if float.suffix().is_empty() { "f64" } else { float.suffix() }))
        }
        syn::Lit::Bool(_) => Some(Ty::path("bool")),
        syn::Lit::Char(_) => Some(Ty::path("char")),
        syn::Lit::ByteStr(_) => Some(Ty::Ref(Box::new(Ty::Slice(Box::new(Ty::path("u8")))))),
        _ => None,
    }
}

fn binary_ty(op: syn::BinOp) -> Option<Ty> {
    use syn::BinOp::{And, Eq, Ge, Gt, Le, Lt, Ne, Or};
    matches!(op, Eq(_) | Ne(_) | Lt(_) | Le(_) | Gt(_) | Ge(_) | And(_) | Or(_))
        .then(|| Ty::path("bool"))
}

/// The type the non-diverging arms share; `None` when one is unknown or they differ.
fn join_arms(arms: impl IntoIterator<Item = Option<Ty>>) -> Option<Ty> {
    let mut found: Option<Ty> = None;
    for arm in arms {
        let arm = arm?;
        if arm == Ty::Never {
            continue;
        }
        match &found {
            Some(prev) if *prev != arm => return None,
            _ => found = Some(arm),
        }
    }
    found.or(Some(Ty::Never))
}

/// The number of distinct keys of a `json!({ .. })` object literal (a repeated key is one);
/// `None` when it is not an object.
fn json_object_keys(tokens: &proc_macro2::TokenStream) -> Option<usize> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut trees = tokens.clone().into_iter();
    let TokenTree::Group(group) = trees.next()? else { return None };
    if group.delimiter() != Delimiter::Brace || trees.next().is_some() {
        return None;
    }
    let mut keys = std::collections::HashSet::new();
    let mut key = String::new();
    let mut in_key = true;
    for tree in group.stream() {
        match tree {
            TokenTree::Punct(punct) if punct.as_char() == ',' => {
                if !key.is_empty() {
                    keys.insert(std::mem::take(&mut key));
                }
                in_key = true;
            }
            TokenTree::Punct(punct) if punct.as_char() == ':' && in_key => in_key = false,
            other if in_key => key.push_str(&other.to_string()),
            _ => {}
        }
    }
    if !key.is_empty() {
        keys.insert(key);
    }
    Some(keys.len())
}
