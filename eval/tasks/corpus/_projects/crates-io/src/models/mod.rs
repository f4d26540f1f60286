pub mod keyword;
pub mod krate;
pub mod user;

pub use keyword::{CrateKeyword, Keyword};
pub use krate::Crate;
pub use user::User;
