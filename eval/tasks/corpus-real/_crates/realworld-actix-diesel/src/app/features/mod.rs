pub mod article;
pub mod favorite;
pub mod follow;
pub mod profile;
pub mod user;
