// Written for nocodo's compile harness (not upstream code): the crate root the example's modules expect.
#![allow(dead_code, unused_imports)]

pub mod model;
pub mod schema;

pub type Connection = diesel::PgConnection;
