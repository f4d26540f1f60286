pub fn find_by_email(conn: &mut PgConnection, email: &str) -> QueryResult<Option<Customer>> {
    customers::table
        .filter(customers::email.eq(email))
        .select(Customer::as_select())
        .first(conn)
        .optional()
}
