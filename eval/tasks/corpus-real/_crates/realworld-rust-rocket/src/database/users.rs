// The names upstream's database/users.rs has in scope that its query functions use (its own `use` lines).
use crate::models::user::User;
use crate::schema::users;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};
use serde::Deserialize;
