// Stand-ins for upstream's utils (not in the corpus): the signatures the entity files call.
pub mod converter {
    pub fn to_kebab(s: &str) -> String {
        s.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
    }
}

pub mod hasher {
    use crate::error::AppError;

    pub fn hash_password(naive_password: &str) -> Result<String, AppError> {
        Ok(naive_password.chars().rev().collect())
    }

    pub fn verify(naive_password: &str, hashed_password: &str) -> Result<bool, AppError> {
        Ok(hash_password(naive_password)? == hashed_password)
    }
}

pub mod token {
    use crate::error::AppError;
    use uuid::Uuid;

    pub fn generate(user_id: Uuid, now: i64) -> Result<String, AppError> {
        Ok(format!("{user_id}.{now}"))
    }
}
