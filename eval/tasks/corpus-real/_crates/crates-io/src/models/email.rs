// Stand-in for crates.io's models/email.rs: the emails row, belonging to a user (user.rs reads a
// user's emails with `Email::belonging_to`).
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::models::User;
use crate::schema::emails;

#[derive(Debug, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = emails, check_for_backend(diesel::pg::Pg), belongs_to(User))]
pub struct Email {
    pub id: i32,
    pub user_id: i32,
    pub email: String,
    pub verified: bool,
    pub token: String,
    pub token_generated_at: Option<DateTime<Utc>>,
}
