// Crate root of the crates.io harness: the modules crates.io's user.rs and keyword.rs name.
#![allow(dead_code)]

pub mod fns;
pub mod models;
pub mod schema;
