//! The `lvlint` command: everything happens in [`lvlint::run`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let code =
        lvlint::run(std::env::args_os().collect(), &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
