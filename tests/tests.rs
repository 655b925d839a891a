//! All integration tests, built as one binary.

mod cli;
mod eager_fix;
mod fixtures;
mod util;
