//! All integration tests, built as one binary.

mod cli;
mod fixtures;
mod github;
mod sarif;
mod util;
