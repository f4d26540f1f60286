pub fn since_with_customer(conn: &mut PgConnection, since: NaiveDateTime) -> QueryResult<Vec<(Order, Customer)>> {
    orders::table
        .inner_join(customers::table)
        .filter(orders::created_at.ge(since))
        .select((Order::as_select(), Customer::as_select()))
        .load(conn)
}
