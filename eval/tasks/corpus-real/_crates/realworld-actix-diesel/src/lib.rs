// Written for nocodo's compile harness (not upstream code): the crate root the entity files expect.
#![allow(dead_code, unused_imports, deprecated)]

pub mod app;
pub mod error;
pub mod schema;
pub mod utils;
