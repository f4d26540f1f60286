pub mod articles;
pub mod users;
