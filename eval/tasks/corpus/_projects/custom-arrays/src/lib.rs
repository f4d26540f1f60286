pub mod model;
pub mod schema;

pub type Connection = diesel::PgConnection;
