use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::customers;

#[derive(Queryable, Selectable, Identifiable, Debug, Clone, Serialize)]
#[diesel(table_name = customers, check_for_backend(diesel::pg::Pg))]
pub struct Customer {
    pub id: i32,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset, Debug, Deserialize)]
#[diesel(table_name = customers)]
pub struct NewCustomer {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Customer {
    pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Customer>> {
        customers::table.order(customers::name.asc()).select(Customer::as_select()).load(conn)
    }

    pub fn find(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Option<Customer>> {
        customers::table.find(customer_id).select(Customer::as_select()).first(conn).optional()
    }

    pub fn create(conn: &mut PgConnection, new_customer: &NewCustomer) -> QueryResult<Customer> {
        diesel::insert_into(customers::table).values(new_customer).returning(Customer::as_returning()).get_result(conn)
    }

    pub fn update(conn: &mut PgConnection, customer_id: i32, changes: &NewCustomer) -> QueryResult<Customer> {
        diesel::update(customers::table.find(customer_id)).set(changes).returning(Customer::as_returning()).get_result(conn)
    }

    pub fn delete(conn: &mut PgConnection, customer_id: i32) -> QueryResult<usize> {
        diesel::delete(customers::table.find(customer_id)).execute(conn)
    }
}
