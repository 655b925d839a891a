//! The command line: exit codes, formats, levels and explanations.

use crate::util::lvlint;

#[test]
fn missing_path_exits_2_and_names_it() {
    let run = lvlint(&["no/such/dir"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: `no/such/dir` does not exist; pass files or directories that do\n"
    );
}

#[test]
fn unknown_rule_in_level_flag_exits_2() {
    let run = lvlint(&["-A", "no-such-rule", "fixtures"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: unknown rule `no-such-rule`; known rules: "));
}

#[test]
fn rules_lists_every_rule_with_its_level() {
    let run = lvlint(&["rules"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("mount-reads-request-assigns  deny "));
    assert!(lines[1].starts_with("eager-assign-new             warn "));
    assert!(lines[2].starts_with("session-stores-struct        warn "));
}

#[test]
fn explain_prints_the_rule_doc_and_rejects_unknown_rules() {
    let run = lvlint(&["explain", "eager_assign_new"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# eager-assign-new"));
    let run = lvlint(&["explain", "nope"]);
    assert_eq!(run.code, 2);
}
