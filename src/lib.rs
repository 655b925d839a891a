//! lvlint finds the three mistakes that come from forgetting that a live view renders twice:
//! once over HTTP with the request's assigns, then over a WebSocket with only the session.
//!
//! The pipeline: [`walk`] finds the files; [`engine`] reads them, picks the candidates with the
//! [`prefilter`], fills the [`index`] from the files the candidates lead to, and runs the
//! [`body`] walker, which hands every expression of every function to the [`rules`] with the
//! local [`infer`]ence they need; [`report`] prints the [`diagnostic`]s.

pub mod body;
pub mod cargo;
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

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches};

use crate::cargo::{Selection, Workspace};
use crate::cli::{Cli, Command, Format, MessageFormat};
use crate::diagnostic::{Level, Severity};
use crate::engine::{EngineOptions, Input};
use crate::settings::{LevelFlag, Levels};

/// Exit code: nothing at deny level was found.
pub const EXIT_OK: i32 = 0;
/// Exit code: something at deny level was found.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: lvlint could not run.
pub const EXIT_ERROR: i32 = 2;

/// How lvlint was started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invocation {
    /// As `lvlint`: without paths, cargo is asked only when the current directory holds a
    /// `Cargo.toml` or a package-selection flag is given.
    Lvlint,
    /// As `cargo lvlint`: without paths, always the packages cargo selects.
    Cargo,
}

/// Runs lvlint with command-line arguments (the program name first) and returns the exit code.
/// Output goes to `out`, problems with the run itself to `err`.
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    run_with(args, Invocation::Lvlint, &mut std::io::stdin().lock(), out, err)
}

/// [`run`], started as `invocation`, with `stdin` for `--stdin-filename`.
pub fn run_with(
    args: Vec<OsString>,
    invocation: Invocation,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut command = Cli::command();
    if invocation == Invocation::Cargo {
        command = command.bin_name("cargo lvlint");
    }
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(clap_err) => {
            let rendered = clap_err.render();
            if !clap_err.use_stderr() {
                // `--help` and `--version`: the output is the product, so a failed write fails.
                return exit_on_write(write!(out, "{rendered}"));
            }
            // Colour only for a terminal that wants it: never into a pipe or a log file.
            let _ = if stderr_wants_colour() {
                write!(err, "{}", rendered.ansi())
            } else {
                write!(err, "{rendered}")
            };
            return EXIT_ERROR;
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
            return exit_on_write(write!(out, "{}", explain::rules_table()));
        }
        Some(Command::Explain { rule }) => {
            return match explain::explain(rule) {
                Ok(doc) => exit_on_write(write!(out, "{doc}")),
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
    lint(&cli, &levels, invocation, stdin, out, err)
}

/// The exit code after writing a command's whole output: a reader that went away (a closed
/// pipe) is fine, any other failure (a full disk) means the output was lost.
fn exit_on_write(written: std::io::Result<()>) -> i32 {
    match written {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => EXIT_ERROR,
        _ => EXIT_OK,
    }
}

fn stderr_wants_colour() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
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

fn lint(
    cli: &Cli,
    levels: &Levels,
    invocation: Invocation,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let selection = Selection::from_cli(cli);
    let (workspace, mut inputs, unreadable) = match select_files(cli, invocation, &selection, &cwd)
    {
        Ok(selected) => selected,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            return EXIT_ERROR;
        }
    };
    for warning in &workspace.warnings {
        let _ = writeln!(err, "{warning}");
    }
    match apply_editor_flags(cli, &cwd, &mut inputs, stdin) {
        Ok(warnings) => {
            for warning in warnings {
                let _ = writeln!(err, "warning: {warning}");
            }
        }
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return EXIT_ERROR;
        }
    }

    // Cargo's messages come first and lvlint's after them, as one stream for the editor.
    let mut check_succeeded = true;
    if let Some(command) = cli.check_first {
        match cargo::check_first(
            command,
            &selection,
            cli.message_format,
            &cli.check_args,
            &cwd,
            out,
            err,
        ) {
            Ok(succeeded) => check_succeeded = succeeded,
            Err(message) => {
                let _ = writeln!(err, "{message}");
                return EXIT_ERROR;
            }
        }
    }

    let profile = profile::ApiProfile::default();
    let options =
        EngineOptions { profile: &profile, levels, parse_all: cli.parse_all, jobs: cli.jobs };
    let mut outcome = engine::run(inputs, &options);
    for (path, reason) in unreadable {
        let display = walk::display_path(&path, Some(&cwd));
        outcome.diagnostics.push(engine::unreadable_dir(path, display, &reason));
        outcome.parse_failures += 1;
    }
    outcome.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

    let mut code = exit_code(&outcome);
    if !check_succeeded {
        code = code.max(EXIT_FINDINGS);
    }
    let printed = match cli.message_format {
        Some(format) if format.is_json() => {
            report::rustc::print(&outcome, &workspace, format, code == EXIT_OK, out)
        }
        Some(MessageFormat::Short) => report::print(Format::Short, cli.color, &outcome, out, err),
        Some(_) => report::print(Format::Human, cli.color, &outcome, out, err),
        None => report::print(cli.format, cli.color, &outcome, out, err),
    };
    if let Err(io_err) = printed
        && io_err.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "error: could not write the report: {io_err}");
        return EXIT_ERROR;
    }
    code
}

type Selected = (Workspace, Vec<Input>, Vec<(PathBuf, String)>);

/// The files to read: the paths given, else the packages cargo selects (as `cargo lvlint`,
/// with a selection flag, or in a directory holding a `Cargo.toml`), else the current
/// directory. Files outside the selection are read for the index but not reported.
fn select_files(
    cli: &Cli,
    invocation: Invocation,
    selection: &Selection<'_>,
    cwd: &Path,
) -> Result<Selected, String> {
    let ask_cargo = cli.paths.is_empty()
        && (invocation == Invocation::Cargo
            || selection.is_given()
            || cwd.join("Cargo.toml").is_file());
    if ask_cargo {
        let workspace = Workspace::load(selection, cwd).map_err(|e| e.to_string())?;
        let (inputs, unreadable) = workspace.inputs(Some(cwd));
        return Ok((workspace, inputs, unreadable));
    }

    let roots = if cli.paths.is_empty() { vec![PathBuf::from(".")] } else { cli.paths.clone() };
    let found = walk::discover(&roots).map_err(|missing| missing.message())?;
    let mut inputs = Vec::new();
    let mut unreadable = Vec::new();
    for item in found {
        match item {
            walk::Found::File(path) => {
                let display = walk::display_path(&path, Some(cwd));
                inputs.push(Input { path, display, text: None, report: true });
            }
            walk::Found::Unreadable { path, reason } => unreadable.push((path, reason)),
        }
    }
    Ok((Workspace::synthetic(cwd), inputs, unreadable))
}

/// `--stdin-filename` and `--only-report`: what an editor asks for one buffer or one saved
/// file, while the rest of the project is still read for the index.
fn apply_editor_flags(
    cli: &Cli,
    cwd: &Path,
    inputs: &mut Vec<Input>,
    stdin: &mut dyn Read,
) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    // A path that names no file would hide every finding, deny ones too: refuse it.
    for path in &cli.only_report {
        let on_disk = cwd.join(path);
        if !on_disk.is_file() {
            return Err(format!(
                "`--only-report {}` is not a file (it {}); name the file whose findings to \
                 report",
                path.display(),
                if on_disk.is_dir() { "is a directory" } else { "does not exist" }
            ));
        }
    }
    if let Some(name) = &cli.stdin_filename
        && cwd.join(name).is_dir()
    {
        return Err(format!(
            "`--stdin-filename {}` is a directory; name the file the buffer stands for",
            name.display()
        ));
    }
    if !cli.only_report.is_empty() {
        let wanted: HashSet<PathBuf> =
            cli.only_report.iter().map(|p| same_file_key(cwd, p)).collect();
        let mut matched = HashSet::new();
        for input in inputs.iter_mut() {
            let key = same_file_key(cwd, &input.path);
            input.report = input.report && wanted.contains(&key);
            if input.report {
                matched.insert(key);
            }
        }
        // A typo here would silently report nothing: say so.
        for path in cli.only_report.iter().filter(|p| !matched.contains(&same_file_key(cwd, p))) {
            warnings.push(format!(
                "`--only-report {}` names no file that lvlint lints here; nothing is reported \
                 for it",
                path.display()
            ));
        }
    }

    let Some(name) = &cli.stdin_filename else { return Ok(warnings) };
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .map_err(|io_err| format!("could not read standard input as UTF-8 text: {io_err}"))?;
    let key = same_file_key(cwd, name);
    let mut text = Some(text);
    for input in inputs.iter_mut() {
        if same_file_key(cwd, &input.path) == key {
            input.text = text.take();
        } else {
            input.report = false;
        }
    }
    if let Some(text) = text {
        // A buffer that is not on disk yet, or lies outside the walked paths.
        let display = walk::display_path(name, Some(cwd));
        inputs.push(Input { path: name.clone(), display, text: Some(text), report: true });
    }
    Ok(warnings)
}

/// One spelling per file, so that an editor's absolute path matches a walked relative one.
fn same_file_key(cwd: &Path, path: &Path) -> PathBuf {
    let absolute = cwd.join(path);
    std::fs::canonicalize(&absolute).unwrap_or(absolute)
}

fn exit_code(outcome: &engine::Outcome) -> i32 {
    if outcome.diagnostics.iter().any(|d| d.rule == rules::INTERNAL_ERROR.id) {
        return EXIT_ERROR;
    }
    if outcome.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return EXIT_FINDINGS;
    }
    EXIT_OK
}
