// Written for nocodo's compile harness (not upstream code): the crate root the upstream modules expect.
#![allow(dead_code, unused_imports, non_local_definitions)]
#![recursion_limit = "256"]
#[macro_use]
extern crate diesel;

pub mod auth;
pub mod config;
pub mod database;
pub mod models;
pub mod schema;
