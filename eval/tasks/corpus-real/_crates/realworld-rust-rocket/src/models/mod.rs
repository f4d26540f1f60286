pub mod article;
pub mod user;
