// Stand-in for crates.io's models/owner.rs: the crate_owners row, its owner kind (stored as an
// integer) and `CrateOwner::by_owner_kind`, the query user.rs joins users onto.
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::prelude::*;
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Integer;

use crate::schema::crate_owners;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, FromSqlRow, AsExpression)]
#[diesel(sql_type = Integer)]
#[repr(i32)]
pub enum OwnerKind {
    User = 0,
    Team = 1,
}

impl ToSql<Integer, Pg> for OwnerKind {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        match self {
            OwnerKind::User => <i32 as ToSql<Integer, Pg>>::to_sql(&0, out),
            OwnerKind::Team => <i32 as ToSql<Integer, Pg>>::to_sql(&1, out),
        }
    }
}

impl FromSql<Integer, Pg> for OwnerKind {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        match <i32 as FromSql<Integer, Pg>>::from_sql(bytes)? {
            0 => Ok(OwnerKind::User),
            1 => Ok(OwnerKind::Team),
            n => Err(format!("unknown owner kind {n}").into()),
        }
    }
}

#[derive(Insertable, Identifiable, Debug, Clone, Copy)]
#[diesel(table_name = crate_owners, check_for_backend(diesel::pg::Pg), primary_key(crate_id, owner_id, owner_kind))]
pub struct CrateOwner {
    pub crate_id: i32,
    pub owner_id: i32,
    pub created_by: i32,
    pub owner_kind: OwnerKind,
    pub email_notifications: bool,
}

impl CrateOwner {
    #[diesel::dsl::auto_type(no_type_alias)]
    pub fn by_owner_kind(kind: OwnerKind) -> _ {
        crate_owners::table.filter(crate_owners::deleted.eq(false)).filter(crate_owners::owner_kind.eq(kind))
    }
}
