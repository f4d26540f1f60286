pub fn count_available(conn: &mut PgConnection) -> QueryResult<i64> {
    products::table
        .filter(products::available.eq(true))
        .count()
        .get_result(conn)
}
