//! The `cargo lvlint` subcommand. Cargo runs `cargo-lvlint lvlint ARGS` for `cargo lvlint ARGS`
//! (and `cargo-lvlint lvlint --help` for `cargo help lvlint`); the inserted word is dropped and
//! the rest is an lvlint run that, without paths, lints the packages cargo selects.

use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == "lvlint") {
        args.remove(1);
    }
    let code = lvlint::run_with(
        args,
        lvlint::Invocation::Cargo,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout(),
        &mut std::io::stderr(),
    );
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
