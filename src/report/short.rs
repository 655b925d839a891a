//! `--format short`: one line per finding, `path:line:col: level[rule]: message`, the shape
//! editor problem matchers read.

use std::io::{self, Write};

use crate::engine::Outcome;

pub fn print(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for diag in &outcome.diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            diag.path(),
            diag.span.start.line,
            diag.span.start.column,
            diag.severity.as_str(),
            diag.rule,
            one_line(&diag.message)
        )?;
    }
    Ok(())
}

/// Messages stay on one line so that a problem matcher never splits a finding.
fn one_line(message: &str) -> String {
    message.replace(['\r', '\n'], " ")
}
