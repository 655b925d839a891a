//! Nothing here is named by member `b`, so lvlint never needs to parse this file.

pub struct Invoice {
    pub total: u64,
}
