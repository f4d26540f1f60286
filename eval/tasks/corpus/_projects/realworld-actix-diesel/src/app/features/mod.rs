pub mod article;
pub mod favorite;
pub mod user;
