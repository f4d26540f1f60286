pub mod github;
pub mod rfcbot;
pub mod schema;
