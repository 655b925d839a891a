//! `eager-assign-new` in `--format json`: the closure-wrap fix (its exact edit and
//! applicability), when there is none, and the label on a laundered value.

use crate::util::lvlint;

/// Lints `source` as a one-file project and returns the JSON diagnostics.
fn diagnostics(source: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("view.rs");
    std::fs::write(&file, source).unwrap();
    let run = lvlint(&["--format", "json", file.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["diagnostics"].as_array().unwrap().clone()
}

fn only(source: &str) -> serde_json::Value {
    let diags = diagnostics(source);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    diags[0].clone()
}

#[test]
fn call_value_gets_a_safe_insertion_of_a_closure_head() {
    let diag = only(
        "fn mount(socket: &mut Socket, id: i64) {
    socket.assign_new(\"user\", load_user(id));
}
",
    );
    assert_eq!(diag["rule"], "eager-assign-new");
    assert_eq!((diag["line"].as_u64(), diag["column"].as_u64()), (Some(2), Some(31)));
    assert_eq!(diag["end_column"], 44);
    assert_eq!(
        diag["message"],
        "`assign_new` for \"user\" is given `load_user(id)`, computed even when the assign exists"
    );
    assert_eq!(
        diag["help"],
        "pass a closure so the work runs only when the key is missing: `|| load_user(id)`"
    );
    let fix = &diag["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(
        fix["edits"],
        serde_json::json!([
            {"line": 2, "column": 31, "end_line": 2, "end_column": 31, "replacement": "|| "}
        ])
    );
}

#[test]
fn fix_columns_count_characters_not_bytes() {
    let diag =
        only("fn f(socket: &mut Socket) {\n    socket.assign_new(\"ünïcödé\", load());\n}\n");
    assert_eq!(diag["column"], 34);
    assert_eq!(diag["fix"]["edits"][0]["column"], 34);
    assert_eq!(diag["fix"]["edits"][0]["end_column"], 34);
}

#[test]
fn macro_inside_the_value_makes_the_fix_unsafe() {
    let diag = only(
        "fn f(socket: &mut Socket, id: i64) {
    assign_new!(socket, \"n\", describe(format!(\"{id}\")));
}
",
    );
    assert_eq!(diag["column"], 30);
    assert_eq!(diag["fix"]["applicability"], "unsafe");
    assert_eq!(diag["fix"]["edits"][0]["replacement"], "|| ");
}

#[test]
fn values_that_move_control_flow_get_no_fix() {
    let source = "async fn f(socket: &mut Socket, id: i64) -> Result<(), E> {
    socket.assign_new(\"a\", load(id)?);
    socket.assign_new(\"b\", fetch(id).await);
    loop { socket.assign_new(\"c\", pick(if id > 0 { break } else { id })); }
    socket.assign_new(\"d\", first(if id > 0 { return Ok(()) } else { id }));
    Ok(())
}
";
    let diags = diagnostics(source);
    let lines: Vec<u64> = diags.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    for diag in &diags {
        assert!(diag["fix"].is_null(), "{diag:#?}");
    }
}

#[test]
fn a_question_mark_inside_a_nested_closure_does_not_block_the_fix() {
    let diag = only(
        "fn f(socket: &mut Socket) {\n    socket.assign_new(\"e\", with_callback(|x| x?));\n}\n",
    );
    assert_eq!(diag["fix"]["applicability"], "safe");
}

#[test]
fn laundered_value_has_a_label_where_it_was_computed_and_no_fix() {
    let source = "fn f(socket: &mut Socket, id: i64) {
    let user = load_user(id)?;
    socket.assign_new(\"user\", move || user.clone());
}
";
    let diag = only(source);
    assert_eq!((diag["line"].as_u64(), diag["column"].as_u64()), (Some(3), Some(31)));
    assert!(diag["fix"].is_null());
    assert_eq!(
        diag["labels"],
        serde_json::json!([{
            "message": "computed here, before `assign_new` runs",
            "path": diag["path"],
            "line": 2, "column": 16, "end_line": 2, "end_column": 29
        }])
    );
    assert_eq!(
        diag["help"],
        "move `load_user(id)` into the closure, so it runs only when the key is missing"
    );
}

#[test]
fn local_holding_a_computed_value_has_a_label_and_no_fix() {
    let source = "fn f(socket: &mut Socket, id: i64) {
    let user = load_user(id);
    socket.assign_new(\"user\", user);
}
";
    let diag = only(source);
    assert_eq!(diag["column"], 31);
    assert!(diag["fix"].is_null());
    assert_eq!(diag["labels"][0]["line"], 2);
    assert_eq!(diag["labels"][0]["column"], 16);
}
