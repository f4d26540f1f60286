// Written for nocodo's compile harness (not upstream code): the crate root rfcbot's modules expect.
#![allow(dead_code, unused_imports, non_local_definitions)]
// Upstream sets it too: its schema has wide tables.
#![recursion_limit = "256"]
#[macro_use]
extern crate diesel;
#[macro_use]
extern crate serde;

use std::sync::LazyLock;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool};

pub mod domain;
pub mod error;
pub mod github;

/// Upstream's global pool (lazy_static there); never connected during `cargo check`.
pub static DB_POOL: LazyLock<Pool<ConnectionManager<PgConnection>>> = LazyLock::new(|| Pool::builder().build_unchecked(ConnectionManager::new("postgres://localhost/rfcbot")));
