//! All integration tests, built as one binary.

// A failing unwrap in a test is a failing test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cargo;
mod cli;
mod eager_fix;
mod fixtures;
mod github;
mod hostile;
mod parse_all;
mod rustc_json;
mod sarif;
mod tidy;
mod util;
