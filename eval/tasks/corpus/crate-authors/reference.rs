// The query of alexandrie's owners::get (owners.rs:40), as the method nocodo asks for.
pub fn for_crate(conn: &mut MysqlConnection, canon_name: &str) -> QueryResult<Vec<Author>> {
    crate_authors::table
        .inner_join(authors::table)
        .inner_join(crates::table)
        .select(authors::all_columns)
        .filter(crates::canon_name.eq(canon_name))
        .load::<Author>(conn)
}
