pub mod fns;
pub mod models;
pub mod schema;
