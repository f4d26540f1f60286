// Stand-in for upstream's follow entity (not in the corpus): the row and the two filters the user
// entity calls.
use crate::schema::follows;
use chrono::NaiveDateTime;
use diesel::dsl::Eq;
use diesel::prelude::*;
use uuid::Uuid;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = follows)]
pub struct Follow {
    pub followee_id: Uuid,
    pub follower_id: Uuid,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Follow {
    pub fn with_follower(follower_id: &Uuid) -> Eq<follows::follower_id, &Uuid> {
        follows::follower_id.eq(follower_id)
    }

    pub fn with_followee(followee_id: &Uuid) -> Eq<follows::followee_id, &Uuid> {
        follows::followee_id.eq(followee_id)
    }
}
