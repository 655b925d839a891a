//! `lvlint rules` and `lvlint explain RULE`, from the rule docs embedded at build time.

use crate::rules::{self, RULES};

/// The table `lvlint rules` prints.
pub fn rules_table() -> String {
    let width = RULES.iter().map(|meta| meta.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for meta in RULES {
        out.push_str(&format!(
            "{:<width$}  {:<5}  {}\n",
            meta.id,
            meta.default_level.as_str(),
            meta.summary,
            width = width
        ));
    }
    out
}

/// The document of a rule, or an error listing the known rules.
pub fn explain(name: &str) -> Result<&'static str, String> {
    match rules::canonical_id(name).and_then(rules::meta) {
        Some(meta) => Ok(meta.doc),
        None => {
            let known: Vec<&str> = RULES.iter().map(|meta| meta.id).collect();
            Err(format!("unknown rule `{name}`; known rules: {}", known.join(", ")))
        }
    }
}
