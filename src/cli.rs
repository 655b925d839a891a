//! The command line as clap reads it: raw flags only. [`crate::settings`] and [`crate::run`]
//! turn them into a run.

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
}

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
