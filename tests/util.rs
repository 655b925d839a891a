//! Helpers shared by the integration tests: run lvlint in-process and compare text readably.

use std::path::Path;

/// The result of one in-process lvlint run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs lvlint with `args` (without the program name) in the package root.
pub fn lvlint(args: &[&str]) -> Run {
    let mut argv: Vec<std::ffi::OsString> = vec!["lvlint".into()];
    argv.extend(args.iter().map(Into::into));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = lvlint::run(argv, &mut out, &mut err);
    Run {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Whether expected files should be rewritten from the actual output (`LVLINT_BLESS=1`).
pub fn bless() -> bool {
    std::env::var_os("LVLINT_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the contents of `expected_file`, rewriting it when blessing.
pub fn check_expected(expected_file: &Path, actual: &str) -> Result<(), String> {
    if bless() {
        std::fs::write(expected_file, actual).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(expected_file).map_err(|e| {
        format!("{}: {e} (run with LVLINT_BLESS=1 to create it)", expected_file.display())
    })?;
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{} differs (LVLINT_BLESS=1 rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
        expected_file.display()
    ))
}
