//! Resolved settings of one run: the level of every rule after defaults, `-A`/`-W`/`-D` and
//! `-D warnings`, the output format and the colour choice.

use std::collections::HashMap;

use crate::diagnostic::Level;
use crate::rules;

/// The level each rule runs at.
#[derive(Clone, Debug)]
pub struct Levels {
    by_rule: HashMap<&'static str, Level>,
}

/// One `-A`/`-W`/`-D` flag as given, in command-line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelFlag {
    pub level: Level,
    pub name: String,
}

impl Default for Levels {
    fn default() -> Levels {
        let by_rule = rules::all_ids().collect();
        Levels { by_rule }
    }
}

impl Levels {
    /// Applies flags in order, as rustc does: a later flag for the same rule wins. The group
    /// `warnings` applies last: `-D warnings` turns every warning into an error and
    /// `-A warnings` silences every warning, wherever it stands.
    pub fn from_flags(flags: &[LevelFlag]) -> Result<Levels, String> {
        let mut levels = Levels::default();
        let mut warnings_group = None;
        for flag in flags {
            if flag.name == "warnings" {
                warnings_group = Some(flag.level);
                continue;
            }
            let id = rules::canonical_id(&flag.name).ok_or_else(|| unknown_rule(&flag.name))?;
            levels.by_rule.insert(id, flag.level);
        }
        if let Some(group) = warnings_group {
            for level in levels.by_rule.values_mut() {
                if *level == Level::Warn {
                    *level = group;
                }
            }
        }
        Ok(levels)
    }

    pub fn level(&self, rule: &str) -> Level {
        self.by_rule.get(rule).copied().unwrap_or(Level::Deny)
    }
}

fn unknown_rule(name: &str) -> String {
    let known: Vec<&str> = rules::all_ids().map(|(id, _)| id).collect();
    format!("unknown rule `{name}`; known rules: {}, and the group `warnings`", known.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(level: Level, name: &str) -> LevelFlag {
        LevelFlag { level, name: name.to_owned() }
    }

    #[test]
    fn later_flag_wins_and_deny_warnings_applies_last() {
        let levels = Levels::from_flags(&[
            flag(Level::Deny, "warnings"),
            flag(Level::Allow, "eager-assign-new"),
            flag(Level::Deny, "eager_assign_new"),
        ]);
        let levels = levels.unwrap_or_default();
        assert_eq!(levels.level("eager-assign-new"), Level::Deny);
        assert_eq!(levels.level("session-stores-struct"), Level::Deny);
    }

    #[test]
    fn unknown_rule_is_an_error_naming_the_rules() {
        let err = Levels::from_flags(&[flag(Level::Allow, "no-such-rule")]).err();
        assert!(err.is_some_and(|e| e.contains("unknown rule `no-such-rule`")));
    }
}
