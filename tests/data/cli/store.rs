pub struct User {
    pub id: i64,
    pub name: String,
}

pub fn login(session: Session, user: User) {
    session.insert("user", &user);
    session.insert("user_id", user.id);
}
