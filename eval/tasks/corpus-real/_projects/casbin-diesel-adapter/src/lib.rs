pub mod actions;
pub mod models;
pub mod schema;
