// Stand-in for crates.io's models/krate.rs: the `Crate` row user.rs and keyword.rs use (as
// crates.io declares it, with `HasQuery`), without the rest of that file and what it needs.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::crates;

#[derive(Debug, Clone, Identifiable, AsChangeset, HasQuery, Serialize)]
#[diesel(table_name = crates)]
pub struct Crate {
    pub id: i32,
    pub name: String,
    pub updated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub repository: Option<String>,
    pub max_upload_size: Option<i32>,
    pub max_features: Option<i16>,
    pub trustpub_only: bool,
}
