//! Member `a` defines the user that member `b` keeps after a login.

pub mod unrelated;

pub struct User {
    pub id: u64,
    pub name: String,
}
