//! lvlint finds the three mistakes that come from forgetting that a live view renders twice:
//! once over HTTP with the request's assigns, then over a WebSocket with only the session.
//!
//! The pipeline: [`walk`] finds the files; [`engine`] reads them, picks the candidates with the
//! [`prefilter`], fills the [`index`] from the files the candidates lead to, and runs the
//! [`body`] walker, which hands every expression of every function to the [`rules`] with the
//! local [`infer`]ence they need; [`report`] prints the [`diagnostic`]s.

pub mod body;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod explain;
pub mod index;
pub mod infer;
pub mod prefilter;
pub mod profile;
pub mod report;
pub mod rules;
pub mod settings;
pub mod source;
pub mod suppress;
pub mod syntax;
pub mod ty;
pub mod walk;
pub mod whole;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::diagnostic::{Level, Severity};
use crate::engine::{EngineOptions, Input};
use crate::settings::{LevelFlag, Levels};

/// Exit code: nothing at deny level was found.
pub const EXIT_OK: i32 = 0;
/// Exit code: something at deny level was found.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: lvlint could not run.
pub const EXIT_ERROR: i32 = 2;

/// Runs lvlint with command-line arguments (the program name first) and returns the exit code.
/// Output goes to `out`, problems with the run itself to `err`.
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(clap_err) => {
            let code = if clap_err.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let rendered = clap_err.render();
            let _ = if clap_err.use_stderr() {
                write!(err, "{}", rendered.ansi())
            } else {
                write!(out, "{rendered}")
            };
            return code;
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(clap_err) => {
            let _ = write!(err, "{}", clap_err.render());
            return EXIT_ERROR;
        }
    };

    match &cli.command {
        Some(Command::Rules) => {
            let _ = write!(out, "{}", explain::rules_table());
            return EXIT_OK;
        }
        Some(Command::Explain { rule }) => {
            return match explain::explain(rule) {
                Ok(doc) => {
                    let _ = write!(out, "{doc}");
                    EXIT_OK
                }
                Err(message) => {
                    let _ = writeln!(err, "error: {message}");
                    EXIT_ERROR
                }
            };
        }
        None => {}
    }

    let flags = level_flags(&matches);
    let levels = match Levels::from_flags(&flags) {
        Ok(levels) => levels,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_ERROR;
        }
    };
    lint(&cli, &levels, out, err)
}

/// The `-A`/`-W`/`-D` flags in the order they were given.
fn level_flags(matches: &clap::ArgMatches) -> Vec<LevelFlag> {
    let mut flags: Vec<(usize, LevelFlag)> = Vec::new();
    for (id, level) in [("allow", Level::Allow), ("warn", Level::Warn), ("deny", Level::Deny)] {
        let (Some(indices), Some(values)) =
            (matches.indices_of(id), matches.get_many::<String>(id))
        else {
            continue;
        };
        for (idx, name) in indices.zip(values) {
            flags.push((idx, LevelFlag { level, name: name.clone() }));
        }
    }
    flags.sort_by_key(|(idx, _)| *idx);
    flags.into_iter().map(|(_, flag)| flag).collect()
}

fn lint(cli: &Cli, levels: &Levels, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let roots = if cli.paths.is_empty() { vec![PathBuf::from(".")] } else { cli.paths.clone() };
    let found = match walk::discover(&roots) {
        Ok(found) => found,
        Err(walk::MissingPath(path)) => {
            let _ = writeln!(
                err,
                "error: `{}` does not exist; pass files or directories that do",
                path.display()
            );
            return EXIT_ERROR;
        }
    };

    let cwd = std::env::current_dir().ok();
    let mut inputs = Vec::new();
    let mut unreadable = Vec::new();
    for item in found {
        match item {
            walk::Found::File(path) => {
                let display = walk::display_path(&path, cwd.as_deref());
                inputs.push(Input { path, display, text: None, report: true });
            }
            walk::Found::Unreadable { path, reason } => unreadable.push((path, reason)),
        }
    }

    let profile = profile::ApiProfile::default();
    let options =
        EngineOptions { profile: &profile, levels, parse_all: cli.parse_all, jobs: cli.jobs };
    let mut outcome = engine::run(inputs, &options);
    for (path, reason) in unreadable {
        let display = walk::display_path(&path, cwd.as_deref());
        outcome.diagnostics.push(engine::unreadable_dir(path, display, &reason));
        outcome.parse_failures += 1;
    }
    outcome.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let printed = report::print(cli.format, cli.color, &outcome, out, err);
    if let Err(io_err) = printed
        && io_err.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "error: could not write the report: {io_err}");
        return EXIT_ERROR;
    }

    if outcome.diagnostics.iter().any(|d| d.rule == rules::INTERNAL_ERROR.id) {
        return EXIT_ERROR;
    }
    if outcome.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return EXIT_FINDINGS;
    }
    EXIT_OK
}
