//! The body walker: one pass over a parsed file that follows every function body in source
//! order, keeps the local bindings in scope (with their types and initializers), knows whether
//! it is inside a mount function, and hands each expression to the rules.

use std::sync::Arc;

use syn::visit::Visit;

use crate::diagnostic::{Diagnostic, Level, Span};
use crate::index::Index;
use crate::infer;
use crate::profile::ApiProfile;
use crate::rules;
use crate::settings::Levels;
use crate::source::SourceFile;
use crate::suppress::Directives;
use crate::syntax;
use crate::ty::{ModuleCx, Ty, TyScope};

/// How a local got its value, which decides what its initializer says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// A function or closure parameter: no initializer.
    Param,
    /// `let x = init;`: the local is the initializer's value.
    Let,
    /// `if let Some(x) = init`, `let Ok(x) = init else ..`, a `match` arm `Some(x)`, or a
    /// reference pattern: the local is the initializer's value, unwrapped.
    Unwrapped,
    /// Any other destructuring pattern (`let (a, b) = init`, `Foo { a, .. }`).
    Destructured,
}

/// A local binding in scope.
#[derive(Clone, Debug)]
pub struct Local<'ast> {
    pub name: String,
    pub ty: Option<Ty>,
    pub init: Option<&'ast syn::Expr>,
    pub binding: Binding,
    /// How many locals were visible where the initializer was evaluated: the initializer is
    /// read against `locals[..visible]`, never against bindings made after it.
    pub visible: usize,
    pub span: Span,
}

/// The locals visible at one point of a body, innermost last.
#[derive(Clone, Copy)]
pub struct Env<'c, 'ast> {
    pub locals: &'c [Local<'ast>],
}

impl<'c, 'ast> Env<'c, 'ast> {
    /// The innermost local with this name, and the environment its initializer was read in.
    pub fn lookup(&self, name: &str) -> Option<(&'c Local<'ast>, Env<'c, 'ast>)> {
        let local = self.locals.iter().rev().find(|l| l.name == name)?;
        let visible = local.visible.min(self.locals.len());
        Some((local, Env { locals: &self.locals[..visible] }))
    }
}

/// The mount function the walker is inside, for labels.
#[derive(Clone, Debug)]
pub struct MountFn {
    pub name: String,
    pub span: Span,
}

/// What a file's walk shares with every rule: the file, the index, the profile and the output.
pub struct FileCx<'a> {
    pub source: &'a Arc<SourceFile>,
    /// Bytes stripped from the front of the text before parsing (a shebang line).
    pub offset: usize,
    pub index: &'a Index,
    pub profile: &'a ApiProfile,
    pub levels: &'a Levels,
    pub directives: &'a Directives,
    /// The file's module context, built once when it was parsed.
    pub module: &'a Arc<ModuleCx>,
}

impl FileCx<'_> {
    pub fn span<T: syn::spanned::Spanned>(&self, node: &T) -> Span {
        syntax::node_span(self.source, self.offset, node)
    }
}

/// What a rule sees at one expression.
pub struct Cx<'c, 'ast> {
    pub file: &'c FileCx<'c>,
    pub env: Env<'c, 'ast>,
    pub mount: Option<&'c MountFn>,
    pub scope: &'c TyScope,
    /// The line ranges of the statements enclosing the expression, outermost first.
    stmts: &'c [(usize, usize)],
}

impl<'c, 'ast> Cx<'c, 'ast> {
    pub fn index(&self) -> &'c Index {
        self.file.index
    }

    pub fn profile(&self) -> &'c ApiProfile {
        self.file.profile
    }

    pub fn span<T: syn::spanned::Spanned>(&self, node: &T) -> Span {
        self.file.span(node)
    }

    /// The type of an expression here, when lvlint can tell.
    pub fn type_of(&self, expr: &syn::Expr) -> Option<Ty> {
        infer::Infer::new(self.file, self.scope).type_of(self.env, expr)
    }

    /// The inference of this position.
    pub fn infer(&self) -> infer::Infer<'c> {
        infer::Infer::new(self.file, self.scope)
    }

    /// Whether `expr` is a session value here.
    pub fn is_session(&self, expr: &syn::Expr) -> bool {
        self.infer().is_session(self.env, expr)
    }

    /// Whether `expr` is a cookie jar here.
    pub fn is_jar(&self, expr: &syn::Expr) -> bool {
        self.infer().is_jar(self.env, expr)
    }

    /// The same context with another environment: for reading a local's initializer.
    pub fn with_env(&self, env: Env<'c, 'ast>) -> Cx<'c, 'ast> {
        Cx { file: self.file, env, mount: self.mount, scope: self.scope, stmts: self.stmts }
    }

    /// The level a rule runs at in this run.
    pub fn level(&self, rule: &str) -> Level {
        self.file.levels.level(rule)
    }

    /// Builds a diagnostic for `rule` at `span` unless the rule is allowed or a directive
    /// silences it in an enclosing statement. The caller fills in the rest.
    pub fn diagnostic(
        &self,
        rule: &'static str,
        span: Span,
        message: String,
    ) -> Option<Diagnostic> {
        let severity = self.level(rule).severity()?;
        if self.stmts.iter().any(|&(start, end)| self.file.directives.allows(rule, start, end)) {
            return None;
        }
        Some(Diagnostic {
            rule,
            severity,
            message,
            file: Arc::clone(self.file.source),
            span,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        })
    }
}

/// Walks every function of a file and returns the rules' findings.
pub fn check_file(file: &FileCx<'_>, tree: &syn::File) -> Vec<Diagnostic> {
    let mut walker = Walker {
        file,
        locals: Vec::new(),
        mount: None,
        scope: TyScope { module: Some(Arc::clone(file.module)), ..TyScope::default() },
        stmts: Vec::new(),
        trait_stack: Vec::new(),
        out: Vec::new(),
    };
    walker.visit_file(tree);
    walker.out
}

struct Walker<'c, 'ast> {
    file: &'c FileCx<'c>,
    locals: Vec<Local<'ast>>,
    mount: Option<MountFn>,
    scope: TyScope,
    stmts: Vec<(usize, usize)>,
    /// The trait of each enclosing `impl Trait for ..` (`None` for inherent impls).
    trait_stack: Vec<Option<String>>,
    out: Vec<Diagnostic>,
}

impl<'c, 'ast> Walker<'c, 'ast> {
    fn cx(&self) -> Cx<'_, 'ast> {
        Cx {
            file: self.file,
            env: Env { locals: &self.locals },
            mount: self.mount.as_ref(),
            scope: &self.scope,
            stmts: &self.stmts,
        }
    }

    fn bind_pat(
        &mut self,
        pat: &'ast syn::Pat,
        ty: Option<Ty>,
        init: Option<&'ast syn::Expr>,
        binding: Binding,
        visible: usize,
    ) {
        let binder = infer::Binder { file: self.file, scope: &self.scope };
        binder.bind(&mut self.locals, pat, ty, init, binding, visible);
    }

    fn bind_fn_inputs(
        &mut self,
        inputs: &'ast syn::punctuated::Punctuated<syn::FnArg, syn::Token![,]>,
    ) {
        for input in inputs {
            match input {
                syn::FnArg::Receiver(receiver) => {
                    let ty = self.scope.self_ty.clone().map(|t| {
                        if receiver.reference.is_some() { Ty::Ref(Box::new(t)) } else { t }
                    });
                    let span = self.file.span(&receiver.self_token);
                    let visible = self.locals.len();
                    let name = "self".to_owned();
                    self.locals.push(Local {
                        name,
                        ty,
                        init: None,
                        binding: Binding::Param,
                        visible,
                        span,
                    });
                }
                syn::FnArg::Typed(typed) => {
                    let ty = self.scope.ty(&typed.ty);
                    let visible = self.locals.len();
                    self.bind_pat(&typed.pat, ty, None, Binding::Param, visible);
                }
            }
        }
    }

    /// Walks one function: fresh locals and generics, mount-ness decided by `mount`, and a
    /// mount function's nested functions stay part of it.
    fn walk_fn(
        &mut self,
        sig: &'ast syn::Signature,
        attrs: &'ast [syn::Attribute],
        block: &'ast syn::Block,
    ) {
        let is_mount = rules::is_mount_fn(self.file, sig, attrs, self.current_trait(), &self.scope);
        let saved_locals = std::mem::take(&mut self.locals);
        let saved_scope = self.scope.clone();
        let saved_mount = self.mount.clone();
        self.scope = self.scope.with_generics(&sig.generics);
        if is_mount && self.mount.is_none() {
            self.mount =
                Some(MountFn { name: sig.ident.to_string(), span: self.file.span(&sig.ident) });
        }

        self.bind_fn_inputs(&sig.inputs);
        self.visit_block(block);

        self.locals = saved_locals;
        self.scope = saved_scope;
        self.mount = saved_mount;
    }

    /// Hands a macro call to the rules, then walks its arguments when they read as
    /// comma-separated expressions (`println!("{}", conn.assigns.user)`), so that code inside
    /// common macros is checked too. The arguments are parsed here and live only for this call,
    /// hence the nested walker.
    fn visit_macro_call(&mut self, mac: &'ast syn::Macro) {
        let mut out = std::mem::take(&mut self.out);
        rules::check_macro(&self.cx(), mac, &mut out);
        self.out = out;
        let Some(args) = syntax::macro_args(mac) else { return };
        let mut nested = Walker {
            file: self.file,
            locals: self.locals.clone(),
            mount: self.mount.clone(),
            scope: self.scope.clone(),
            stmts: self.stmts.clone(),
            trait_stack: self.trait_stack.clone(),
            out: Vec::new(),
        };
        for arg in &args {
            nested.visit_expr(arg);
        }
        self.out.append(&mut nested.out);
    }

    fn current_trait(&self) -> Option<&str> {
        self.trait_stack.last().and_then(|t| t.as_deref())
    }

    /// Binds the `let` patterns of an `if`/`while` condition (also `let` chains joined by
    /// `&&`) and returns after visiting their expressions.
    fn bind_condition(&mut self, cond: &'ast syn::Expr) {
        match syntax::peel(cond) {
            syn::Expr::Let(expr_let) => {
                self.visit_expr(&expr_let.expr);
                let visible = self.locals.len();
                let ty = self.cx().type_of(&expr_let.expr);
                self.bind_pat(&expr_let.pat, ty, Some(&expr_let.expr), Binding::Let, visible);
            }
            syn::Expr::Binary(bin) if matches!(bin.op, syn::BinOp::And(_)) => {
                self.bind_condition(&bin.left);
                self.bind_condition(&bin.right);
            }
            other => self.visit_expr(other),
        }
    }
}

fn stmt_lines(span: Span) -> (usize, usize) {
    (span.start.line, span.end.line)
}

impl<'c, 'ast> Visit<'ast> for Walker<'c, 'ast> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.walk_fn(&item.sig, &item.attrs, &item.block);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let saved_scope = self.scope.clone();
        self.scope = self.scope.with_generics(&item.generics);
        self.scope.self_ty = self.scope.ty(&item.self_ty);
        let trait_name = item.trait_.as_ref().and_then(|(_, path, _)| syntax::last_segment(path));
        self.trait_stack.push(trait_name);
        for impl_item in &item.items {
            if let syn::ImplItem::Fn(method) = impl_item {
                self.walk_fn(&method.sig, &method.attrs, &method.block);
            }
        }
        self.trait_stack.pop();
        self.scope = saved_scope;
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let saved_scope = self.scope.clone();
        self.scope = self.scope.with_generics(&item.generics);
        self.trait_stack.push(None);
        for trait_item in &item.items {
            if let syn::TraitItem::Fn(method) = trait_item
                && let Some(block) = &method.default
            {
                self.walk_fn(&method.sig, &method.attrs, block);
            }
        }
        self.trait_stack.pop();
        self.scope = saved_scope;
    }

    fn visit_block(&mut self, block: &'ast syn::Block) {
        let depth = self.locals.len();
        for stmt in &block.stmts {
            self.visit_stmt(stmt);
        }
        self.locals.truncate(depth);
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        let lines = stmt_lines(self.file.span(stmt));
        self.stmts.push(lines);
        match stmt {
            syn::Stmt::Local(local) => self.visit_local(local),
            syn::Stmt::Item(item) => self.visit_item(item),
            syn::Stmt::Expr(expr, _) => self.visit_expr(expr),
            syn::Stmt::Macro(mac) => self.visit_macro_call(&mac.mac),
        }
        self.stmts.pop();
    }

    fn visit_local(&mut self, local: &'ast syn::Local) {
        let visible = self.locals.len();
        let Some(init) = &local.init else {
            self.bind_pat(&local.pat, None, None, Binding::Param, visible);
            return;
        };
        self.visit_expr(&init.expr);
        let ty = self.cx().type_of(&init.expr);
        if let Some((_, diverge)) = &init.diverge {
            // `let PAT = init else { .. };`: the else block runs before the names exist.
            self.visit_expr(diverge);
        }
        self.bind_pat(&local.pat, ty, Some(&init.expr), Binding::Let, visible);
    }

    fn visit_expr(&mut self, expr: &'ast syn::Expr) {
        let mut out = std::mem::take(&mut self.out);
        rules::check_expr(&self.cx(), expr, &mut out);
        self.out = out;
        match expr {
            syn::Expr::If(expr_if) => {
                let depth = self.locals.len();
                self.bind_condition(&expr_if.cond);
                self.visit_block(&expr_if.then_branch);
                self.locals.truncate(depth);
                if let Some((_, else_branch)) = &expr_if.else_branch {
                    self.visit_expr(else_branch);
                }
            }
            syn::Expr::While(expr_while) => {
                let depth = self.locals.len();
                self.bind_condition(&expr_while.cond);
                self.visit_block(&expr_while.body);
                self.locals.truncate(depth);
            }
            syn::Expr::Match(expr_match) => {
                self.visit_expr(&expr_match.expr);
                let ty = self.cx().type_of(&expr_match.expr);
                for arm in &expr_match.arms {
                    let depth = self.locals.len();
                    self.bind_pat(
                        &arm.pat,
                        ty.clone(),
                        Some(&expr_match.expr),
                        Binding::Let,
                        depth,
                    );
                    if let Some((_, guard)) = &arm.guard {
                        self.visit_expr(guard);
                    }
                    self.visit_expr(&arm.body);
                    self.locals.truncate(depth);
                }
            }
            syn::Expr::ForLoop(for_loop) => {
                self.visit_expr(&for_loop.expr);
                let depth = self.locals.len();
                let elem = self
                    .cx()
                    .type_of(&for_loop.expr)
                    .and_then(|t| infer::element_type(self.file.index, &t));
                self.bind_pat(&for_loop.pat, elem, None, Binding::Destructured, depth);
                self.visit_block(&for_loop.body);
                self.locals.truncate(depth);
            }
            syn::Expr::Closure(closure) => {
                let depth = self.locals.len();
                for input in &closure.inputs {
                    self.bind_pat(input, None, None, Binding::Param, depth);
                }
                self.visit_expr(&closure.body);
                self.locals.truncate(depth);
            }
            syn::Expr::Macro(mac) => self.visit_macro_call(&mac.mac),
            _ => syn::visit::visit_expr(self, expr),
        }
    }
}
