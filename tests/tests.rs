//! All integration tests, built as one binary.

mod cargo;
mod cli;
mod fixtures;
mod rustc_json;
mod util;
