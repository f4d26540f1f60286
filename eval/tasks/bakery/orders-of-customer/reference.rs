pub fn for_customer(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::customer_id.eq(customer_id))
        .order(orders::created_at.desc())
        .select(Order::as_select())
        .load(conn)
}
