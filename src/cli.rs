//! The command line as clap reads it: raw flags only. [`crate::settings`] and [`crate::run`]
//! turn them into a run.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub const EXIT_CODES: &str = "\
Exit codes:
  0  nothing at deny level was found
  1  a finding at deny level (errors; a syntax error counts)
  2  lvlint could not run (bad arguments, a path that does not exist, an internal error)";

#[derive(Debug, Parser)]
#[command(
    name = "lvlint",
    version,
    about = "Finds the live-view lifecycle mistakes that break the connected render",
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files and directories to lint (default: the current directory)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Allow RULE (or `warnings`): report nothing for it
    #[arg(short = 'A', long = "allow", value_name = "RULE", action = clap::ArgAction::Append)]
    pub allow: Vec<String>,

    /// Warn for RULE (or `warnings`)
    #[arg(short = 'W', long = "warn", value_name = "RULE", action = clap::ArgAction::Append)]
    pub warn: Vec<String>,

    /// Deny RULE; `-D warnings` turns every warning into an error
    #[arg(short = 'D', long = "deny", value_name = "RULE", action = clap::ArgAction::Append)]
    pub deny: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// When to colour the human output (`NO_COLOR` is respected in `auto`)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Parse every file, not only those that can hold a finding (reports every syntax error)
    #[arg(long)]
    pub parse_all: bool,

    /// Worker threads (default: one per core)
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// Lint every member of the workspace
    #[arg(long, visible_alias = "all", conflicts_with = "paths", help_heading = CARGO)]
    pub workspace: bool,

    /// Lint only this package (repeatable)
    #[arg(
        short = 'p',
        long = "package",
        value_name = "NAME",
        action = clap::ArgAction::Append,
        conflicts_with = "paths",
        help_heading = CARGO
    )]
    pub packages: Vec<String>,

    /// Leave this package out of `--workspace` (repeatable; it is still indexed)
    #[arg(
        long,
        value_name = "NAME",
        action = clap::ArgAction::Append,
        requires = "workspace",
        help_heading = CARGO
    )]
    pub exclude: Vec<String>,

    /// The Cargo.toml of the package or workspace to lint
    #[arg(long, value_name = "PATH", conflicts_with = "paths", help_heading = CARGO)]
    pub manifest_path: Option<PathBuf>,

    /// Cargo's output formats; the JSON ones print rustc diagnostics for editors (overrides
    /// `--format`)
    #[arg(long, value_enum, value_name = "FMT", help_heading = EDITORS)]
    pub message_format: Option<MessageFormat>,

    /// Run `cargo check` or `cargo clippy` on the same packages first and pass its messages
    /// through (this compiles the project), then add lvlint's: one command for rust-analyzer
    #[arg(long, value_enum, value_name = "COMMAND", help_heading = EDITORS)]
    pub check_first: Option<CheckCommand>,

    /// Arguments after `--` go to the `--check-first` command (`-- --all-targets`)
    #[arg(last = true, value_name = "CARGO_ARGS", requires = "check_first", help_heading = EDITORS)]
    pub check_args: Vec<OsString>,

    /// Report only the findings in FILE (repeatable); the rest is still read for the index
    #[arg(
        long,
        value_name = "FILE",
        action = clap::ArgAction::Append,
        help_heading = EDITORS
    )]
    pub only_report: Vec<PathBuf>,

    /// Read the text of PATH from standard input (an unsaved editor buffer) and report only
    /// that file; the rest of the project is read from disk for the index
    #[arg(long, value_name = "PATH", help_heading = EDITORS)]
    pub stdin_filename: Option<PathBuf>,
}

const CARGO: &str = "Package selection (without PATHs, from `cargo metadata`)";
const EDITORS: &str = "Editors";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules with their default level and summary
    Rules,
    /// Print a rule's documentation
    Explain {
        /// The rule id, e.g. `eager-assign-new`
        rule: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical reports with source snippets, then a summary line
    Human,
    /// One line per finding: `path:line:col: level[rule]: message`
    Short,
    /// One JSON document with every diagnostic and a summary
    Json,
    /// A SARIF 2.1.0 log for code scanning (GitHub and other SARIF viewers)
    Sarif,
    /// GitHub Actions workflow commands, which annotate the pull request, then a summary line
    Github,
}

/// `--message-format`, with cargo's names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// As `--format human`
    Human,
    /// As `--format short`
    Short,
    /// One cargo `compiler-message` JSON line per finding, then `build-finished`
    Json,
    /// As `json`, with `rendered` in the short one-line form
    JsonDiagnosticShort,
    /// As `json`, with `rendered` coloured with ANSI escapes (what rust-analyzer passes)
    JsonDiagnosticRenderedAnsi,
}

impl MessageFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            MessageFormat::Human => "human",
            MessageFormat::Short => "short",
            MessageFormat::Json => "json",
            MessageFormat::JsonDiagnosticShort => "json-diagnostic-short",
            MessageFormat::JsonDiagnosticRenderedAnsi => "json-diagnostic-rendered-ansi",
        }
    }

    pub fn is_json(self) -> bool {
        !matches!(self, MessageFormat::Human | MessageFormat::Short)
    }
}

/// The cargo command `--check-first` runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckCommand {
    Check,
    Clippy,
}

impl CheckCommand {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckCommand::Check => "check",
            CheckCommand::Clippy => "clippy",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
