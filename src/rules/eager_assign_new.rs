//! `eager-assign-new`: `assign_new` is given an eager value instead of a closure, so the
//! expensive load runs even when the cached value exists.
//! Documentation: `rules/eager-assign-new.md`.
//!
//! The checked value (the last argument of the method, function or macro form) is judged
//! lazy, eager or unknown. Only eager values are reported; unknown ones (a parameter of
//! unknown type, a call that may reach a closure factory lvlint cannot pin down) stay silent.

use syn::visit::Visit;

use crate::body::{Binding, Cx, Env, Local};
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Level, Span};
use crate::index::FnSig;
use crate::profile::is_one_of;
use crate::rules::RuleMeta;
use crate::syntax;
use crate::ty::Ty;

/// Deeper value expressions (or chains of locals) than this are not judged.
const MAX_DEPTH: usize = 32;

/// The traits whose implementors are closures, and the smart pointers that can hold one.
const FN_TRAITS: [&str; 3] = ["Fn", "FnMut", "FnOnce"];
const FN_HOLDERS: [&str; 3] = ["Box", "Rc", "Arc"];

/// Longest snippet of code quoted in a message before it is shortened.
const SNIPPET_CHARS: usize = 48;

// Diagnostic constructors.

/// Builds the finding for an eager `value` given to `assign_new` for `key`.
fn finding(
    cx: &Cx<'_, '_>,
    key: &syn::Expr,
    value: &syn::Expr,
    eager: &Eager,
) -> Option<Diagnostic> {
    let key = key_text(cx, key);
    let span = cx.span(value);
    let text = snippet(cx, span);
    let computed_here =
        |at: Span| Label { message: COMPUTED_HERE.to_owned(), file: None, span: at };

    let (message, label, help) = match eager {
        Eager::Direct { computed: true, awaited } => {
            let how = if *awaited { "awaited" } else { "computed" };
            let message = format!(
                "`assign_new` for {key} is given `{text}`, {how} even when the assign exists"
            );
            (
                message,
                None,
                format!(
                    "pass a closure so the work runs only when the key is missing: `|| {text}`"
                ),
            )
        }
        Eager::Direct { computed: false, .. } => (
            format!("`assign_new` for {key} is given the value `{text}` instead of a closure"),
            None,
            format!("pass a closure that builds the value: `|| {text}`"),
        ),
        Eager::Local { name, site: Site::Computed(at) } => (
            format!(
                "`assign_new` for {key} is given `{name}`, a value computed before `assign_new` \
                 runs"
            ),
            Some(computed_here(*at)),
            format!(
                "move `{}` into a closure, so it runs only when the key is missing",
                snippet(cx, *at)
            ),
        ),
        Eager::Local { name, site: Site::Assigned(at) } => (
            format!("`assign_new` for {key} is given the value of `{name}` instead of a closure"),
            Some(Label { message: format!("`{name}` gets its value here"), file: None, span: *at }),
            format!("pass a closure that builds the value: `|| {}`", snippet(cx, *at)),
        ),
        Eager::Laundered { name, at } => (
            format!(
                "`assign_new` for {key} is given a closure that only returns `{name}`, computed \
                 before `assign_new` runs"
            ),
            Some(computed_here(*at)),
            format!(
                "move `{}` into the closure, so it runs only when the key is missing",
                snippet(cx, *at)
            ),
        ),
    };

    let mut diag = cx.diagnostic(META.id, span, message)?;
    diag.labels.extend(label);
    diag.help = Some(help);

    // Only a value written at the call can be wrapped where it stands; a local or a
    // laundered value has to move from where it was computed.
    if let Eager::Direct { .. } = eager {
        diag.fix = closure_fix(value, span);
        if diag.fix.is_none() {
            diag.help = Some(NO_FIX_HELP.to_owned());
        }
    }
    Some(diag)
}

const COMPUTED_HERE: &str = "computed here, before `assign_new` runs";

const NO_FIX_HELP: &str = "do the work inside a closure or a function that `assign_new` calls \
                           only when the key is missing";

/// The `|| ` insertion, when wrapping cannot change what the value's control flow means:
/// `?`, `.await`, `return`, `break` and `continue` would move into the closure. A macro call
/// inside may hide one of those, so its fix needs a human look.
fn closure_fix(value: &syn::Expr, span: Span) -> Option<Fix> {
    let mut scan = FlowScan::default();
    scan.visit_expr(value);
    if scan.moves_control_flow {
        return None;
    }
    let applicability = if scan.has_macro { Applicability::Unsafe } else { Applicability::Safe };
    let at = Span { start: span.start, end: span.start };
    Some(Fix {
        message: "wrap the value in a closure".to_owned(),
        applicability,
        edits: vec![Edit { span: at, replacement: "|| ".to_owned() }],
    })
}

#[derive(Default)]
struct FlowScan {
    moves_control_flow: bool,
    has_macro: bool,
}

impl<'ast> Visit<'ast> for FlowScan {
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        match expr {
            syn::Expr::Try(_)
            | syn::Expr::Await(_)
            | syn::Expr::Return(_)
            | syn::Expr::Break(_)
            | syn::Expr::Continue(_) => self.moves_control_flow = true,
            // Control flow inside a nested closure or async block stays where it is.
            syn::Expr::Closure(_) | syn::Expr::Async(_) => return,
            _ => {}
        }
        syn::visit::visit_expr(self, expr);
    }

    fn visit_macro(&mut self, _mac: &'ast syn::Macro) {
        self.has_macro = true;
    }
}

// The rule.

pub static META: RuleMeta = RuleMeta {
    id: "eager-assign-new",
    default_level: Level::Warn,
    summary: "`assign_new` is given a computed value instead of a closure",
    doc: include_str!("../../rules/eager-assign-new.md"),
};

/// The method form `x.assign_new(key, value)` and the function form
/// `path::assign_new(socket, key, value)`.
pub fn check_expr(cx: &Cx<'_, '_>, expr: &syn::Expr, out: &mut Vec<Diagnostic>) {
    let names = &cx.profile().assign_new;
    match expr {
        syn::Expr::MethodCall(call) if is_one_of(names, &call.method.to_string()) => {
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            if let [key, value] = args.as_slice() {
                check_value(cx, key, value, out);
            }
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return };
            if !syntax::last_segment(&callee.path).is_some_and(|n| is_one_of(names, &n)) {
                return;
            }
            let args: Vec<&syn::Expr> = call.args.iter().collect();
            if let [_socket, key, value] = args.as_slice() {
                check_value(cx, key, value, out);
            }
        }
        _ => {}
    }
}

/// The macro form `assign_new!(socket, key, value)`.
pub fn check_macro(cx: &Cx<'_, '_>, mac: &syn::Macro, out: &mut Vec<Diagnostic>) {
    if !syntax::last_segment(&mac.path).is_some_and(|n| is_one_of(&cx.profile().assign_new, &n)) {
        return;
    }
    let Some(args) = syntax::macro_args(mac) else { return };
    if let [_socket, key, value] = args.as_slice() {
        check_value(cx, key, value, out);
    }
}

fn check_value(cx: &Cx<'_, '_>, key: &syn::Expr, value: &syn::Expr, out: &mut Vec<Diagnostic>) {
    let judge = Judge { cx };
    if let Verdict::Eager(eager) = judge.value(cx.env, value, 0) {
        out.extend(finding(cx, key, value, &eager));
    }
}

// Judging the value.

enum Verdict {
    /// A closure, a function, or something that returns one: the work waits for the call.
    Lazy,
    Eager(Eager),
    /// lvlint cannot tell; the rule says nothing.
    Unknown,
}

enum Eager {
    /// The value expression itself does the work (`computed`: it holds a call, method call,
    /// macro call or `.await`) or builds a plain value (a literal, a struct literal, ...).
    Direct { computed: bool, awaited: bool },
    /// A local holding a value made earlier.
    Local { name: String, site: Site },
    /// A closure that only hands back a local computed earlier, at `at`.
    Laundered { name: String, at: Span },
}

/// Where a local's value came from.
enum Site {
    /// The call, method call, macro call or `.await` that computed it.
    Computed(Span),
    /// Its initializer, which computes nothing (a literal, a constructor of plain values).
    Assigned(Span),
}

struct Judge<'a, 'c, 'ast> {
    cx: &'a Cx<'c, 'ast>,
}

impl<'c, 'ast> Judge<'_, 'c, 'ast> {
    fn value(&self, env: Env<'c, 'ast>, expr: &syn::Expr, depth: usize) -> Verdict {
        if depth > MAX_DEPTH {
            return Verdict::Unknown;
        }
        let next = depth + 1;
        let expr = syntax::peel(expr);
        let direct = |computed: bool| Verdict::Eager(Eager::Direct { computed, awaited: false });
        match expr {
            syn::Expr::Closure(closure) => self.closure(env, closure, next),
            syn::Expr::Await(_) => Verdict::Eager(Eager::Direct { computed: true, awaited: true }),
            syn::Expr::Macro(_) => direct(true),
            syn::Expr::Lit(_)
            | syn::Expr::Struct(_)
            | syn::Expr::Tuple(_)
            | syn::Expr::Array(_)
            | syn::Expr::Repeat(_)
            | syn::Expr::Range(_)
            | syn::Expr::Binary(_)
            | syn::Expr::Cast(_) => direct(self.computes(env, expr, next)),
            syn::Expr::Reference(reference) => self.value(env, &reference.expr, next),
            syn::Expr::Path(path) if path.qself.is_none() => self.path(env, &path.path, next),
            syn::Expr::Call(call) => self.call(env, expr, call, next),
            // These may well hand out a closure (`*boxed`, `self.loader`, `loaders[0]`): the
            // type decides.
            syn::Expr::MethodCall(_)
            | syn::Expr::Try(_)
            | syn::Expr::Field(_)
            | syn::Expr::Unary(_)
            | syn::Expr::Index(_) => match self.callable(env, expr) {
                Some(true) => Verdict::Lazy,
                Some(false) => direct(self.computes(env, expr, next)),
                None => self.untyped(env, expr, next),
            },
            syn::Expr::If(expr_if) => {
                let Some((_, else_branch)) = &expr_if.else_branch else { return Verdict::Unknown };
                let then = self.block(env, &expr_if.then_branch, next);
                join(then, self.value(env, else_branch, next))
            }
            // A labelled block may `break 'label value` early; judged like any block, its tail
            // is one of its values. `unsafe { .. }` is a block too.
            syn::Expr::Block(syn::ExprBlock { block, .. })
            | syn::Expr::Unsafe(syn::ExprUnsafe { block, .. }) => self.block(env, block, next),
            // The arms that give the value decide; an arm handing back a name its own pattern
            // binds is not judged, since that binding is not in `env` and could pass for a
            // function.
            // FIXME: bind the arm patterns like the walker does, to judge such arms too.
            syn::Expr::Match(expr_match) => {
                let arms = expr_match.arms.iter().filter(|arm| !syntax::diverges(&arm.body));
                arms.map(|arm| {
                    if names_one_of(&arm.body, &pattern_names(&arm.pat)) {
                        Verdict::Unknown
                    } else {
                        self.value(env, &arm.body, next)
                    }
                })
                .reduce(join)
                .unwrap_or(Verdict::Unknown)
            }
            // A loop, a `const` block, ...: not a closure, so eager when it runs code.
            _ if self.computes(env, expr, next) => direct(true),
            _ => Verdict::Unknown,
        }
    }

    /// A block's value is its tail's, unless the tail is (or calls) a name the block's own
    /// `let`s bind: that binding is not in `env` and could pass for a function.
    fn block(&self, env: Env<'c, 'ast>, block: &syn::Block, depth: usize) -> Verdict {
        let (tail, bound) = block_value(block);
        match tail {
            Some(tail) if !names_one_of(tail, &bound) => self.value(env, tail, depth),
            _ => Verdict::Unknown,
        }
    }

    /// A method call, `?` or field whose type lvlint does not know.
    fn untyped(&self, env: Env<'c, 'ast>, expr: &syn::Expr, depth: usize) -> Verdict {
        match expr {
            // A method resolves only through a receiver of known type: a project method of
            // the same name that returns a closure is not enough to call this one lazy.
            syn::Expr::MethodCall(_) => {
                Verdict::Eager(Eager::Direct { computed: true, awaited: false })
            }
            syn::Expr::Try(try_expr) => match self.value(env, &try_expr.expr, depth) {
                Verdict::Eager(eager) => Verdict::Eager(eager),
                _ => Verdict::Unknown,
            },
            // A field, element or dereference of a computed value was computed with it.
            syn::Expr::Field(_) | syn::Expr::Index(_) | syn::Expr::Unary(_)
                if self.computes(env, expr, depth) =>
            {
                Verdict::Eager(Eager::Direct { computed: true, awaited: false })
            }
            // A negation is a number or a `bool`, never a closure.
            syn::Expr::Unary(unary) if !matches!(unary.op, syn::UnOp::Deref(_)) => {
                Verdict::Eager(Eager::Direct {
                    computed: self.computes(env, expr, depth),
                    awaited: false,
                })
            }
            _ => Verdict::Unknown,
        }
    }

    /// `load_user`, `Self::load`, `accounts::get_user` name functions; a local is judged by
    /// what it holds; an upper-case last segment is a constant, unit struct or variant.
    fn path(&self, env: Env<'c, 'ast>, path: &syn::Path, depth: usize) -> Verdict {
        let segments = syntax::segments(path);
        let Some(last) = segments.last() else { return Verdict::Unknown };
        if let [name] = segments.as_slice()
            && let Some((local, init_env)) = env.lookup(name)
        {
            return self.local(local, init_env, depth);
        }
        if syntax::is_upper(last) {
            return Verdict::Eager(Eager::Direct { computed: false, awaited: false });
        }
        Verdict::Lazy
    }

    fn local(&self, local: &Local<'ast>, env: Env<'c, 'ast>, depth: usize) -> Verdict {
        // A closure literal is judged by its body (it may launder); anything else of a
        // closure type holds one.
        let closure_init = local.init.is_some_and(|init| {
            matches!(syntax::peel(init), syn::Expr::Closure(_)) && local.binding == Binding::Let
        });
        if !closure_init
            && let Some(ty) = &local.ty
            && is_callable(&self.cx.index().resolve(ty)) == Some(true)
        {
            return Verdict::Lazy;
        }
        // A parameter was computed by the caller, not here: wrapping it in a closure in this
        // function saves nothing.
        let Some(init) = local.init else { return Verdict::Unknown };
        let name = local.name.clone();
        let site = match self.computed_site(env, init, depth) {
            Some(at) => Site::Computed(at),
            None => Site::Assigned(self.cx.span(init)),
        };
        match local.binding {
            Binding::Let => match self.value(env, init, depth) {
                Verdict::Eager(laundered @ Eager::Laundered { .. }) => Verdict::Eager(laundered),
                Verdict::Eager(_) => Verdict::Eager(Eager::Local { name, site }),
                other => other,
            },
            // A part of the matched value: eager only when that value was computed.
            Binding::Unwrapped | Binding::Destructured => match site {
                Site::Computed(_) => Verdict::Eager(Eager::Local { name, site }),
                Site::Assigned(_) => Verdict::Unknown,
            },
            Binding::Param => Verdict::Unknown,
        }
    }

    fn call(
        &self,
        env: Env<'c, 'ast>,
        expr: &syn::Expr,
        call: &syn::ExprCall,
        depth: usize,
    ) -> Verdict {
        let computed = Verdict::Eager(Eager::Direct { computed: true, awaited: false });
        let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return computed };
        if callee.qself.is_some() {
            return Verdict::Unknown;
        }
        let segments = syntax::segments(&callee.path);
        let Some(name) = segments.last() else { return Verdict::Unknown };

        // `Some(..)`, `UserId(raw)`: a constructor builds a value around what it wraps.
        if syntax::is_upper(name) {
            let computed = self.computes(env, expr, depth);
            return Verdict::Eager(Eager::Direct { computed, awaited: false });
        }

        // `Box::new(|| ..)` holds a closure.
        if let [.., owner, new] = segments.as_slice()
            && FN_HOLDERS.contains(&owner.as_str())
            && new == "new"
            && let Some(arg) = call.args.first()
            && matches!(self.value(env, arg, depth), Verdict::Lazy)
        {
            return Verdict::Lazy;
        }

        match self.factory(&self.cx.scope.canonical(&callee.path)) {
            Some(true) => Verdict::Lazy,
            Some(false) => computed,
            None => Verdict::Unknown,
        }
    }

    /// Whether the function a call path names returns a closure: `Some(false)` also for a
    /// function lvlint cannot see (another crate's), `None` when the candidates disagree. The
    /// path is canonical, so its module picks among same-named functions.
    fn factory(&self, segments: &[String]) -> Option<bool> {
        let index = self.cx.index();
        let candidates: Vec<&FnSig> = match segments {
            [.., owner, name] if syntax::is_upper(owner) => {
                let owner_path = if owner == "Self" {
                    self.cx.scope.self_ty.as_ref().and_then(Ty::as_path)?.segments.clone()
                } else {
                    segments[..segments.len() - 1].to_vec()
                };
                index.methods_for(&owner_path, name)
            }
            [] => return None,
            _ => index.fns_for(segments),
        };
        let mut answers = candidates.iter().map(|sig| self.returns_closure(sig));
        let first = answers.next().unwrap_or(Some(false))?;
        answers.all(|answer| answer == Some(first)).then_some(first)
    }

    fn returns_closure(&self, sig: &FnSig) -> Option<bool> {
        let ret = sig.ret.as_ref()?;
        is_callable(&self.cx.index().resolve(ret))
    }

    /// Whether the value's type is known to be callable (`Some(true)`) or known to be
    /// something else (`Some(false)`).
    fn callable(&self, env: Env<'c, 'ast>, expr: &syn::Expr) -> Option<bool> {
        let ty = self.cx.with_env(env).type_of(expr)?;
        is_callable(&self.cx.index().resolve(&ty))
    }

    /// A closure is lazy unless its body only hands back a local (or a field of it, behind
    /// `&` or `.clone()`, possibly wrapped in constructors) computed earlier in the function.
    fn closure(&self, env: Env<'c, 'ast>, closure: &syn::ExprClosure, depth: usize) -> Verdict {
        let mut names = Vec::new();
        if !returned_locals(closure_result(&closure.body), &mut names, 0) {
            return Verdict::Lazy;
        }
        for name in names {
            if closure.inputs.iter().any(|pat| binds(pat, &name)) {
                continue;
            }
            let Some((local, init_env)) = env.lookup(&name) else { continue };
            if let Some(ty) = &local.ty
                && is_callable(&self.cx.index().resolve(ty)) == Some(true)
            {
                continue;
            }
            let Some(init) = local.init else { continue };
            if let Some(at) = self.computed_site(init_env, init, depth) {
                return Verdict::Eager(Eager::Laundered { name, at });
            }
        }
        Verdict::Lazy
    }

    /// Whether evaluating `expr` runs a call, method call, macro call or `.await` (following
    /// locals and constructors).
    fn computes(&self, env: Env<'c, 'ast>, expr: &syn::Expr, depth: usize) -> bool {
        let mut scan = ComputeScan { found: false };
        scan.visit_expr(expr);
        scan.found || self.computed_site(env, expr, depth).is_some()
    }

    /// Where the value of `expr` was computed: the call, method call, macro call or `.await`
    /// it is (through `?`, `&` and constructors) or that a local it names was initialised by.
    fn computed_site(&self, env: Env<'c, 'ast>, expr: &syn::Expr, depth: usize) -> Option<Span> {
        if depth > MAX_DEPTH {
            return None;
        }
        let next = depth + 1;
        match syntax::peel(expr) {
            syn::Expr::Call(call) => {
                let constructor = match syntax::peel(&call.func) {
                    syn::Expr::Path(path) => {
                        syntax::last_segment(&path.path).is_some_and(|n| syntax::is_upper(&n))
                    }
                    _ => false,
                };
                if !constructor {
                    return Some(self.cx.span(call));
                }
                call.args.iter().find_map(|arg| self.computed_site(env, arg, next))
            }
            site @ (syn::Expr::MethodCall(_) | syn::Expr::Macro(_) | syn::Expr::Await(_)) => {
                Some(self.cx.span(site))
            }
            syn::Expr::Try(inner) => self.computed_site(env, &inner.expr, next),
            syn::Expr::Reference(inner) => self.computed_site(env, &inner.expr, next),
            syn::Expr::Path(path) => {
                let name = path.path.get_ident()?.to_string();
                let (local, init_env) = env.lookup(&name)?;
                self.computed_site(init_env, local.init?, next)
            }
            _ => None,
        }
    }
}

/// Combines the verdicts of two branches: lazy only when both are.
fn join(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Lazy, Verdict::Lazy) => Verdict::Lazy,
        (Verdict::Eager(eager), _) | (_, Verdict::Eager(eager)) => match eager {
            Eager::Direct { computed, awaited } => {
                Verdict::Eager(Eager::Direct { computed, awaited })
            }
            _ => Verdict::Eager(Eager::Direct { computed: true, awaited: false }),
        },
        _ => Verdict::Unknown,
    }
}

/// Finds a call, method call, macro call or `.await` outside nested closures.
struct ComputeScan {
    found: bool,
}

impl<'ast> Visit<'ast> for ComputeScan {
    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        match expr {
            syn::Expr::MethodCall(_) | syn::Expr::Macro(_) | syn::Expr::Await(_) => {
                self.found = true;
            }
            syn::Expr::Call(call) => {
                let constructor = match syntax::peel(&call.func) {
                    syn::Expr::Path(path) => {
                        syntax::last_segment(&path.path).is_some_and(|n| syntax::is_upper(&n))
                    }
                    _ => false,
                };
                self.found |= !constructor;
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) => return,
            _ => {}
        }
        syn::visit::visit_expr(self, expr);
    }
}

/// Whether a type is a closure (`Some(true)`), certainly not one (`Some(false)`), or could be
/// either (`None`: a generic or `impl Trait` without an `Fn*` bound, an unknown `_`).
fn is_callable(ty: &Ty) -> Option<bool> {
    let fn_bound = |bounds: &[crate::ty::PathTy]| {
        bounds.iter().any(|b| FN_TRAITS.contains(&b.name())).then_some(true)
    };
    match ty {
        Ty::Closure | Ty::FnPtr => Some(true),
        Ty::Impl(bounds) | Ty::Dyn(bounds) | Ty::Generic { bounds, .. } => fn_bound(bounds),
        Ty::Ref(inner) => is_callable(inner),
        Ty::Path(path) if path.name() == "_" => None,
        Ty::Path(path) if FN_HOLDERS.contains(&path.name()) => path.arg(0).and_then(is_callable),
        Ty::Path(_) | Ty::Tuple(_) | Ty::Slice(_) | Ty::JsonObject(_) | Ty::Serialized(_) => {
            Some(false)
        }
        Ty::Maybe(_) | Ty::QueryAs(_) | Ty::Unseen { .. } | Ty::Never => None,
    }
}

/// The expression a closure body hands back when it is a single expression or a block whose
/// only statement is its tail (or `return x;`).
fn closure_result(body: &syn::Expr) -> &syn::Expr {
    match syntax::peel(body) {
        syn::Expr::Block(block) if block.label.is_none() => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(tail, None)] => closure_result(tail),
            [syn::Stmt::Expr(syn::Expr::Return(ret), _)] => {
                ret.expr.as_deref().map_or(body, closure_result)
            }
            _ => body,
        },
        syn::Expr::Return(ret) => ret.expr.as_deref().map_or(body, closure_result),
        other => other,
    }
}

/// Collects the locals an expression only hands back: `x`, `x.field`, `&x`, `x.clone()`, and
/// constructors around them (`Some(x)`, `UserId(x)`) and literals. `false` when it does anything
/// else.
fn returned_locals(expr: &syn::Expr, names: &mut Vec<String>, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let next = depth + 1;
    match syntax::peel(expr) {
        syn::Expr::Path(path) if path.qself.is_none() => match path.path.get_ident() {
            Some(ident) => {
                names.push(ident.to_string());
                true
            }
            None => false,
        },
        syn::Expr::Field(field) => returned_locals(&field.base, names, next),
        syn::Expr::Reference(reference) => returned_locals(&reference.expr, names, next),
        syn::Expr::MethodCall(call) if call.method == "clone" && call.args.is_empty() => {
            returned_locals(&call.receiver, names, next)
        }
        syn::Expr::Call(call) => {
            let syn::Expr::Path(callee) = syntax::peel(&call.func) else { return false };
            let constructor =
                syntax::last_segment(&callee.path).is_some_and(|n| syntax::is_upper(&n));
            constructor && call.args.iter().all(|arg| returned_locals(arg, names, next))
        }
        syn::Expr::Lit(_) => true,
        _ => false,
    }
}

/// Whether a closure parameter pattern binds `name`.
fn binds(pat: &syn::Pat, name: &str) -> bool {
    match pat {
        syn::Pat::Ident(ident) => {
            ident.ident == name || ident.subpat.as_ref().is_some_and(|(_, sub)| binds(sub, name))
        }
        syn::Pat::Type(typed) => binds(&typed.pat, name),
        syn::Pat::Reference(reference) => binds(&reference.pat, name),
        syn::Pat::Paren(paren) => binds(&paren.pat, name),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().any(|p| binds(p, name)),
        syn::Pat::TupleStruct(ts) => ts.elems.iter().any(|p| binds(p, name)),
        syn::Pat::Struct(ps) => ps.fields.iter().any(|f| binds(&f.pat, name)),
        syn::Pat::Slice(slice) => slice.elems.iter().any(|p| binds(p, name)),
        syn::Pat::Or(or) => or.cases.iter().any(|p| binds(p, name)),
        _ => false,
    }
}

/// The tail expression of a block, with the names its `let` statements bind.
fn block_value(block: &syn::Block) -> (Option<&syn::Expr>, Vec<String>) {
    let mut bound = Vec::new();
    for stmt in &block.stmts {
        if let syn::Stmt::Local(local) = stmt {
            bound.extend(pattern_names(&local.pat));
        }
    }
    match block.stmts.last() {
        Some(syn::Stmt::Expr(tail, None)) => (Some(tail), bound),
        _ => (None, bound),
    }
}

/// The names a pattern binds.
fn pattern_names(pat: &syn::Pat) -> Vec<String> {
    struct Names(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Names {
        fn visit_pat_ident(&mut self, ident: &'ast syn::PatIdent) {
            self.0.push(ident.ident.to_string());
            syn::visit::visit_pat_ident(self, ident);
        }
    }
    let mut names = Names(Vec::new());
    syn::visit::Visit::visit_pat(&mut names, pat);
    names.0
}

/// Whether `expr` is, or calls, a name from `names`: bindings the environment does not hold,
/// so the name could pass for a function. A name among the arguments does not matter: a call
/// is eager whatever it is given.
fn names_one_of(expr: &syn::Expr, names: &[String]) -> bool {
    let head = match syntax::peel(expr) {
        syn::Expr::Call(call) => &*call.func,
        other => other,
    };
    syntax::expr_ident(syntax::peel(head)).is_some_and(|name| names.contains(&name))
}

/// The key as the message names it: a string key in quotes, anything else as code.
fn key_text(cx: &Cx<'_, '_>, key: &syn::Expr) -> String {
    match syntax::str_lit(key) {
        Some(value) => format!("\"{value}\""),
        None => format!("`{}`", snippet(cx, cx.span(key))),
    }
}

/// The source text of a span on one line, shortened when long. Of an expression that runs
/// over several lines only the first line is quoted, without a trailing comment.
fn snippet(cx: &Cx<'_, '_>, span: Span) -> String {
    let text = cx.file.source.text.get(span.start.byte..span.end.byte).unwrap_or_default();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let flat = if lines.next().is_some() {
        format!("{} ...", strip_line_comment(first).trim_end())
    } else {
        text.to_owned()
    };
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let short: String = flat.chars().take(SNIPPET_CHARS - 3).collect();
    format!("{}...", short.trim_end())
}

/// A line without its trailing `//` comment, when the `//` is outside any string literal.
fn strip_line_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut prev = ' ';
    for (idx, ch) in line.char_indices() {
        match ch {
            '"' if prev != '\\' => in_string = !in_string,
            '/' if prev == '/' && !in_string => return line.get(..idx - 1).unwrap_or(line),
            _ => {}
        }
        prev = ch;
    }
    line
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test's fixed input either parses or the test fails")]
mod tests {
    use super::*;

    fn ty(src: &str) -> Ty {
        let parsed: syn::Type = syn::parse_str(src).unwrap();
        crate::ty::TyScope::default().ty(&parsed).unwrap()
    }

    #[test]
    fn closure_types_are_callable_through_boxes_and_refs() {
        for src in ["impl Fn() -> User", "Box<dyn FnOnce() -> User + Send>", "&dyn FnMut()"] {
            assert_eq!(is_callable(&ty(src)), Some(true), "{src}");
        }
        assert_eq!(is_callable(&ty("fn(i64) -> User")), Some(true));
    }

    #[test]
    fn value_types_are_not_callable_and_unknown_bounds_are_unknown() {
        assert_eq!(is_callable(&ty("User")), Some(false));
        assert_eq!(is_callable(&ty("Box<User>")), Some(false));
        assert_eq!(is_callable(&ty("Result<impl Fn(), Error>")), Some(false));
        assert_eq!(is_callable(&ty("impl Loader")), None);
        assert_eq!(is_callable(&ty("Option<_>")), Some(false));
        assert_eq!(is_callable(&Ty::path("_")), None);
    }

    #[test]
    fn line_comments_are_cut_outside_strings_only() {
        assert_eq!(strip_line_comment("load( // why"), "load( ");
        assert_eq!(strip_line_comment("get(\"http://x\", // why"), "get(\"http://x\", ");
        assert_eq!(strip_line_comment("plain("), "plain(");
    }

    #[test]
    fn closure_results_see_through_blocks_and_return() {
        let body: syn::Expr = syn::parse_str("{ return user.clone(); }").unwrap();
        let mut names = Vec::new();
        assert!(returned_locals(closure_result(&body), &mut names, 0));
        assert_eq!(names, ["user"]);
        let body: syn::Expr = syn::parse_str("{ let u = load(); u }").unwrap();
        assert!(!returned_locals(closure_result(&body), &mut Vec::new(), 0));
    }
}
