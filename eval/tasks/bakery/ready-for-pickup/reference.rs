pub fn ready_for_pickup_before(conn: &mut PgConnection, before: NaiveDateTime) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::status.eq("ready"))
        .filter(orders::pickup_at.lt(before))
        .order(orders::pickup_at.asc())
        .select(Order::as_select())
        .load(conn)
}
