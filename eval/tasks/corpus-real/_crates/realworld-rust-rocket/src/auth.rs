// Written for nocodo's compile harness: the token type upstream's User model builds (JWT there).
pub struct Auth {
    pub id: i32,
    pub username: String,
    pub exp: i64,
}

impl Auth {
    pub fn token(&self, secret: &[u8]) -> String {
        format!("{}.{}.{}.{}", self.id, self.username, self.exp, secret.len())
    }
}
