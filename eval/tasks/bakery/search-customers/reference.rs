pub fn search_by_name(conn: &mut PgConnection, text: &str) -> QueryResult<Vec<Customer>> {
    customers::table
        .filter(customers::name.ilike(format!("%{}%", text)))
        .order(customers::name.asc())
        .select(Customer::as_select())
        .load(conn)
}
