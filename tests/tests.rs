//! All integration tests, built as one binary.

mod cli;
mod fixtures;
mod hostile;
mod parse_all;
mod util;
