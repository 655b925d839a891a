//! All integration tests, built as one binary.

mod cli;
mod fixtures;
mod util;
