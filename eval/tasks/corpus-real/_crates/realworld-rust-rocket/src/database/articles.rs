// The names upstream's database/articles.rs has in scope that its query functions use (its own
// `use` lines, the feed parameters and the page size).
use crate::models::article::{Article, ArticleJson};
use crate::models::user::User;
use crate::schema::articles;
use crate::schema::favorites;
use crate::schema::follows;
use crate::schema::users;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use serde::Deserialize;

const DEFAULT_LIMIT: i64 = 20;

#[derive(Default)]
pub struct FeedArticles {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}
