import { describe, expect, it } from 'vitest';
import { foreignTableWarning, mainTableOf } from '../../../modes/diesel-common/mainTable';

describe('the main table of a generated function', () => {
  it('is the first table the query names', () => {
    expect(mainTableOf('pub fn f(conn: &mut PgConnection) -> QueryResult<Vec<Episode>> { episodes::table.inner_join(shows::table).load(conn) }')).toBe('episodes');
    expect(mainTableOf('pub fn f(c: &mut PgConnection, n: &NewShow) -> QueryResult<Show> { diesel::insert_into(shows::table).values(n).get_result(c) }')).toBe('shows');
    expect(mainTableOf('pub fn f(c: &mut PgConnection) -> QueryResult<i64> { use crate::schema::shows::dsl::*; shows.count().get_result(c) }')).toBe('shows');
    // Comments and strings do not count.
    expect(mainTableOf('pub fn f(c: &mut PgConnection) -> QueryResult<i64> { // episodes::table\n shows::table.count().get_result(c) }')).toBe('shows');
    expect(mainTableOf('pub fn f() -> i32 { 1 }')).toBeUndefined();
  });

  it('warns when a function for impl Show loads episodes, and not when it loads shows', () => {
    const episodes = 'pub fn find_by_uri(conn: &mut PgConnection, uri: &str) -> QueryResult<Vec<Episode>> { episodes::table.filter(episodes::uri.eq(uri)).load(conn) }';
    expect(foreignTableWarning(episodes, 'Show', 'shows')).toBe('it reads the episodes table, not shows (the table of Show); check that it belongs in impl Show');
    const shows = 'pub fn find_by_uri(conn: &mut PgConnection, uri: &str) -> QueryResult<Option<Show>> { shows::table.filter(shows::uri.eq(uri)).first(conn).optional() }';
    expect(foreignTableWarning(shows, 'Show', 'shows')).toBeUndefined();
  });
});
