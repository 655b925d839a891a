//! `--format short`: one line per finding, `path:line:col: level[rule]: message`, the shape
//! editor problem matchers read. Paths and messages go through [`printable`], which also keeps
//! them on one line: a problem matcher never sees a finding split.

use std::io::{self, Write};

use crate::diagnostic::printable;
use crate::engine::Outcome;

pub fn print(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for diag in &outcome.diagnostics {
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            printable(diag.path()),
            diag.span.start.line,
            diag.span.start.column,
            diag.severity.as_str(),
            diag.rule,
            printable(&diag.message)
        )?;
    }
    Ok(())
}
