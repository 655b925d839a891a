//! Nothing for lvlint to find.

fn main() {}
