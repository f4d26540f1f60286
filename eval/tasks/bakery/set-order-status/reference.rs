pub fn set_status(conn: &mut PgConnection, order_id: i32, new_status: &str) -> QueryResult<Order> {
    diesel::update(orders::table.find(order_id))
        .set(orders::status.eq(new_status))
        .returning(Order::as_returning())
        .get_result(conn)
}
