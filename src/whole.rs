//! What counts as a "whole struct" when it is stored in a session: the lifecycle model's list,
//! judged on lvlint's own types. The answer has three values because lvlint says nothing when
//! it cannot tell: only [`Verdict::Whole`] leads to a finding.

use crate::index::{Fields, Index, Location, StructDef, TypeDef};
use crate::ty::{PathTy, Ty};

/// Deeper type nesting than this is not judged.
const MAX_DEPTH: usize = 16;

/// Numbers, `bool`, `char`, strings and the id types the right way stores.
const SCALARS: [&str; 21] = [
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "f32",
    "f64",
    "bool",
    "char",
    "String",
    "str",
    "Uuid",
    "Ulid",
    "NonZeroU64",
];

/// Containers whose judgement is their elements'.
const CONTAINERS: [&str; 6] = ["Option", "Vec", "HashMap", "Box", "Rc", "Arc"];

/// Names that make a type fine whatever its fields: it is what the right way stores.
const FINE_SUFFIXES: [&str; 3] = ["Id", "Token", "Key"];

#[derive(Debug)]
pub enum Verdict {
    Whole(Whole),
    Fine,
    Unknown,
}

/// Why a value is a whole struct, for the message and the labels.
#[derive(Debug, Clone)]
pub enum Whole {
    Struct {
        name: String,
        fields: usize,
        loc: Option<Location>,
        /// The field that could be stored instead (`id`), for the help line.
        key_field: Option<String>,
    },
    Enum {
        name: String,
        loc: Location,
    },
    /// A container (`Vec<Ticket>`, `Option<User>`) holding whole values.
    Container {
        shown: String,
        inner: Box<Whole>,
    },
    Json {
        keys: usize,
    },
    Serialized(Box<Whole>),
}

impl Whole {
    /// The phrase after "stores": "the whole `User` struct (5 fields)".
    pub fn describe(&self) -> String {
        match self {
            Whole::Struct { name, fields, .. } => {
                format!("the whole `{name}` struct ({fields} field{})", plural(*fields))
            }
            Whole::Enum { name, .. } => {
                format!("the whole `{name}` enum (a variant carries data)")
            }
            Whole::Container { shown, inner } => {
                format!("a `{shown}` holding {}", inner.innermost().describe())
            }
            Whole::Json { keys } => format!("a `json!` object with {keys} keys"),
            Whole::Serialized(inner) => format!("{} as JSON", inner.describe()),
        }
    }

    /// The value under every container layer.
    fn innermost(&self) -> &Whole {
        match self {
            Whole::Container { inner, .. } => inner.innermost(),
            other => other,
        }
    }

    /// The struct or enum at the bottom, with its field count and where it is defined.
    pub fn definition(&self) -> Option<(&str, Option<usize>, &Location)> {
        match self {
            Whole::Struct { name, fields, loc, .. } => Some((name, Some(*fields), loc.as_ref()?)),
            Whole::Enum { name, loc } => Some((name, None, loc)),
            Whole::Container { inner, .. } | Whole::Serialized(inner) => inner.definition(),
            Whole::Json { .. } => None,
        }
    }

    /// The right way, said about this value.
    pub fn help(&self, value: &Option<String>) -> String {
        match (self, value) {
            (Whole::Struct { name, key_field: Some(field), .. }, Some(value))
                if is_plain_path(value.trim_start_matches('&')) =>
            {
                let value = value.trim_start_matches('&');
                format!("store `{value}.{field}` instead and load the `{name}` from it when needed")
            }
            (Whole::Json { .. }, _) => {
                "store an id or token and load the rest when needed, not a JSON object".to_owned()
            }
            _ => "store the smallest key that reloads it (an id or a token) and load the rest \
                  when needed"
                .to_owned(),
        }
    }
}

fn is_plain_path(text: &str) -> bool {
    text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Judges the type of a stored value.
pub fn judge(index: &Index, ty: &Ty) -> Verdict {
    judge_depth(index, &index.resolve(ty), 0)
}

fn judge_depth(index: &Index, ty: &Ty, depth: usize) -> Verdict {
    if depth > MAX_DEPTH {
        return Verdict::Unknown;
    }
    let next = depth + 1;
    match ty {
        Ty::Ref(inner) | Ty::Maybe(inner) => judge_depth(index, inner, next),
        Ty::Serialized(inner) => match judge_depth(index, inner, next) {
            Verdict::Whole(why) => Verdict::Whole(Whole::Serialized(Box::new(why))),
            other => other,
        },
        Ty::JsonObject(keys) if *keys >= 2 => Verdict::Whole(Whole::Json { keys: *keys }),
        Ty::JsonObject(_) => Verdict::Fine,
        Ty::Unseen { name, fields } => {
            if has_fine_name(name) {
                Verdict::Fine
            } else if *fields >= 2 {
                Verdict::Whole(Whole::Struct {
                    name: name.clone(),
                    fields: *fields,
                    loc: None,
                    key_field: None,
                })
            } else {
                Verdict::Unknown
            }
        }
        Ty::Slice(inner) => {
            container(index, &format!("{ty}"), std::slice::from_ref(&**inner), next)
        }
        Ty::Path(path) => {
            let name = path.name();
            if name == "_" {
                return Verdict::Unknown;
            }
            if SCALARS.contains(&name) || has_fine_name(name) {
                return Verdict::Fine;
            }
            if CONTAINERS.contains(&name) {
                return container(index, &format!("{ty}"), &path.args, next);
            }
            project_type(index, path, next)
        }
        _ => Verdict::Unknown,
    }
}

/// A container is whole when an element is; fine when every element is fine.
fn container(index: &Index, shown: &str, args: &[Ty], depth: usize) -> Verdict {
    let mut all_fine = !args.is_empty();
    for arg in args {
        match judge_depth(index, arg, depth) {
            Verdict::Whole(inner) => {
                return Verdict::Whole(Whole::Container {
                    shown: shown.to_owned(),
                    inner: Box::new(inner),
                });
            }
            Verdict::Unknown => all_fine = false,
            Verdict::Fine => {}
        }
    }
    if all_fine { Verdict::Fine } else { Verdict::Unknown }
}

/// A project struct or enum; a name with several definitions is judged only when they agree.
fn project_type(index: &Index, path: &PathTy, depth: usize) -> Verdict {
    let (structs, enums) = index.candidates(&path.segments);
    if structs.is_empty() && enums.is_empty() {
        // A type from another crate (or a generic) is never a whole struct.
        return Verdict::Unknown;
    }
    let mut verdicts = structs.iter().map(|def| judge_struct(index, def, &path.args, depth)).chain(
        enums.iter().map(|def| {
            if def.has_data() {
                Verdict::Whole(Whole::Enum { name: def.name.clone(), loc: def.loc.clone() })
            } else {
                Verdict::Fine
            }
        }),
    );
    let first = verdicts.next().unwrap_or(Verdict::Unknown);
    let agree = verdicts.all(|v| std::mem::discriminant(&v) == std::mem::discriminant(&first));
    if agree { first } else { Verdict::Unknown }
}

/// A struct judged with the value's type arguments (`args`) in place of its parameters: one
/// named field of type `T` is scalar in `Wrapper<u64>`, and unknown when `T` is.
fn judge_struct(index: &Index, def: &StructDef, args: &[Ty], depth: usize) -> Verdict {
    let whole = || Whole::Struct {
        name: def.name.clone(),
        fields: def.fields.len(),
        loc: Some(def.loc.clone()),
        key_field: key_field(def),
    };
    match &def.fields {
        Fields::Named(fields) if fields.len() >= 2 => Verdict::Whole(whole()),
        Fields::Named(fields) => match fields.first() {
            Some((name, Some(_))) => match def.field_ty(name, args) {
                Some(ty) if ty.name() == Some("_") || matches!(ty, Ty::Generic { .. }) => {
                    Verdict::Unknown
                }
                Some(ty) if is_scalar(index, &ty, depth) => Verdict::Fine,
                _ => Verdict::Whole(whole()),
            },
            Some((_, None)) => Verdict::Whole(whole()),
            None => Verdict::Fine,
        },
        Fields::Tuple(fields) if fields.len() >= 2 => Verdict::Whole(whole()),
        Fields::Tuple(_) | Fields::Unit => Verdict::Fine,
    }
}

/// Scalars: numbers, `bool`, `char`, `String`, `&str`, the fine types (id-named types,
/// newtypes, one-scalar-field structs, data-less enums), and the containers of scalars.
fn is_scalar(index: &Index, ty: &Ty, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match index.resolve(ty) {
        // An array or slice of scalars is as small as a `Vec` of them.
        Ty::Ref(inner) | Ty::Slice(inner) => is_scalar(index, &inner, depth + 1),
        Ty::Path(path) => {
            let name = path.name();
            if SCALARS.contains(&name) || has_fine_name(name) {
                return true;
            }
            if CONTAINERS.contains(&name) {
                return !path.args.is_empty()
                    && path.args.iter().all(|arg| is_scalar(index, arg, depth + 1));
            }
            match index.type_def(&path.segments) {
                Some(TypeDef::Enum(def)) => !def.has_data(),
                Some(TypeDef::Struct(def)) => {
                    matches!(judge_struct(index, def, &path.args, depth + 1), Verdict::Fine)
                }
                None => false,
            }
        }
        _ => false,
    }
}

/// The field that could stand for the struct in a session: `id`, `*_id` or `*token`.
fn key_field(def: &StructDef) -> Option<String> {
    let Fields::Named(fields) = &def.fields else { return None };
    let names = || fields.iter().map(|(name, _)| name);
    let exact = names().find(|name| *name == "id");
    exact.or_else(|| names().find(|n| n.ends_with("_id") || n.ends_with("token"))).cloned()
}

fn has_fine_name(name: &str) -> bool {
    FINE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix))
}
