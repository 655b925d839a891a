//! A session handler that stores a whole `a::User` in the session.

use a::User;

pub struct Session;

impl Session {
    pub fn insert<T>(&mut self, _key: &str, _value: T) {}
}

pub fn login(session: &mut Session, user: User) {
    let unused = 1;
    session.insert("user", user);
}
