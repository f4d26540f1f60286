// Written for nocodo's compile harness (not upstream code): the crate root the adapter's modules
// expect, with its table name and its error type.
#![allow(dead_code, unused_imports)]

// Upstream gets table! and the derives this way.
#[macro_use]
extern crate diesel;

pub mod actions;
pub mod models;
pub mod schema;

pub mod adapter {
    pub const TABLE_NAME: &str = "casbin_rule";
}

#[derive(Debug)]
pub enum Error {
    DieselError(diesel::result::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::DieselError(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}
