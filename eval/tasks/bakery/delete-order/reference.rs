pub fn delete(conn: &mut PgConnection, order_id: i32) -> QueryResult<usize> {
    diesel::delete(orders::table.find(order_id)).execute(conn)
}
