import { describe, expect, it } from 'vitest';
import { acceptedRustTypes, parseSqlType, rustTypeForSql, rustTypesCompatible } from '../../../src/rust';

const ok = (rustType: string, imports: string[] = []) => ({ rustType, imports });

describe('rustTypeForSql', () => {
  it('maps the scalar types and their aliases', () => {
    const cases: [string, string][] = [
      ['Int4', 'i32'],
      ['Integer', 'i32'],
      ['Int8', 'i64'],
      ['BigInt', 'i64'],
      ['Bigint', 'i64'],
      ['Int2', 'i16'],
      ['SmallInt', 'i16'],
      ['Text', 'String'],
      ['Varchar', 'String'],
      ['VarChar', 'String'],
      ['Bool', 'bool'],
      ['Float4', 'f32'],
      ['Float', 'f32'],
      ['Float8', 'f64'],
      ['Double', 'f64'],
      ['Bytea', 'Vec<u8>'],
      ['Binary', 'Vec<u8>'],
      ['Blob', 'Vec<u8>'],
      ['Citext', 'String'],
      ['Oid', 'u32'],
    ];
    for (const [sql, rust] of cases) expect(rustTypeForSql(sql, 'pg'), sql).toEqual(ok(rust));
    expect(rustTypeForSql('Jsonb', 'pg')).toEqual(ok('serde_json::Value'));
    expect(rustTypeForSql('Json', 'mysql')).toEqual(ok('serde_json::Value'));
  });

  it('gives imports for chrono, uuid, bigdecimal, or qualified names on request', () => {
    expect(rustTypeForSql('Timestamp', 'pg')).toEqual(ok('NaiveDateTime', ['chrono::NaiveDateTime']));
    expect(rustTypeForSql('Timestamptz', 'pg')).toEqual(ok('DateTime<Utc>', ['chrono::DateTime', 'chrono::Utc']));
    expect(rustTypeForSql('Timestamptz', 'pg', { qualified: true })).toEqual(ok('chrono::DateTime<chrono::Utc>'));
    expect(rustTypeForSql('Date', 'sqlite')).toEqual(ok('NaiveDate', ['chrono::NaiveDate']));
    expect(rustTypeForSql('Time', 'mysql')).toEqual(ok('NaiveTime', ['chrono::NaiveTime']));
    expect(rustTypeForSql('Uuid', 'pg')).toEqual(ok('Uuid', ['uuid::Uuid']));
    expect(rustTypeForSql('Numeric', 'pg')).toEqual(ok('BigDecimal', ['bigdecimal::BigDecimal']));
    expect(rustTypeForSql('Interval', 'pg')).toEqual(ok('PgInterval', ['diesel::pg::data_types::PgInterval']));
    expect(rustTypeForSql('Inet', 'pg')).toEqual(ok('IpNetwork', ['ipnetwork::IpNetwork']));
    expect(rustTypeForSql('Timestamptz', 'pg', { dateTime: 'time' })).toEqual(ok('OffsetDateTime', ['time::OffsetDateTime']));
  });

  it('wraps Nullable and Array, including arrays of nullable elements', () => {
    expect(rustTypeForSql('Nullable<Text>', 'pg')).toEqual(ok('Option<String>'));
    expect(rustTypeForSql('Nullable<Array<Text>>', 'pg')).toEqual(ok('Option<Vec<String>>'));
    expect(rustTypeForSql('Array<Nullable<Int4>>', 'pg')).toEqual(ok('Vec<Option<i32>>'));
    expect(rustTypeForSql('diesel::sql_types::Nullable<diesel::sql_types::Timestamp>', 'pg')).toEqual(ok('Option<NaiveDateTime>', ['chrono::NaiveDateTime']));
    expect(rustTypeForSql('Nullable < Text >', 'pg')).toEqual(ok('Option<String>'));
    expect(rustTypeForSql('Int4range', 'pg')).toEqual(ok('(Bound<i32>, Bound<i32>)', ['std::ops::Bound']));
  });

  it('borrows text and binary for Insertable structs, not array elements', () => {
    expect(rustTypeForSql('Text', 'pg', { borrowed: true })).toEqual(ok("&'a str"));
    expect(rustTypeForSql('Nullable<Varchar>', 'pg', { borrowed: true })).toEqual(ok("Option<&'a str>"));
    expect(rustTypeForSql('Bytea', 'pg', { borrowed: { lifetime: "'b" } })).toEqual(ok("&'b [u8]"));
    expect(rustTypeForSql('Array<Text>', 'pg', { borrowed: true })).toEqual(ok('Vec<String>'));
    expect(rustTypeForSql('Int4', 'pg', { borrowed: true })).toEqual(ok('i32'));
  });

  it('knows MySQL-only and SQLite-only types', () => {
    expect(rustTypeForSql('Unsigned<Integer>', 'mysql')).toEqual(ok('u32'));
    expect(rustTypeForSql('Unsigned<BigInt>', 'mysql')).toEqual(ok('u64'));
    expect(rustTypeForSql('Unsigned<TinyInt>', 'mysql')).toEqual(ok('u8'));
    expect(rustTypeForSql('TinyInt', 'mysql')).toEqual(ok('i8'));
    expect(rustTypeForSql('Datetime', 'mysql')).toEqual(ok('NaiveDateTime', ['chrono::NaiveDateTime']));
    expect(rustTypeForSql('TimestamptzSqlite', 'sqlite')).toEqual(ok('DateTime<Utc>', ['chrono::DateTime', 'chrono::Utc']));
  });

  it('reports types the backend lacks, custom types and nonsense as unknown with a reason', () => {
    const unknown = (sql: string, backend: 'pg' | 'mysql' | 'sqlite', opts = {}) => {
      const r = rustTypeForSql(sql, backend, opts);
      if (!('unknown' in r)) throw new Error(`${sql} mapped to ${r.rustType}`);
      return r.reason;
    };
    expect(unknown('Timestamptz', 'mysql')).toMatch(/PostgreSQL type; this project's backend is MySQL/);
    expect(unknown('Array<Text>', 'sqlite')).toMatch(/PostgreSQL/);
    expect(unknown('Unsigned<Integer>', 'pg')).toMatch(/MySQL type/);
    expect(unknown('Uuid', 'sqlite')).toMatch(/PostgreSQL/);
    expect(unknown('Tsvector', 'pg')).toMatch(/diesel_full_text_search/);
    expect(unknown('sql_types::Ltree', 'pg', { sqlTypes: [{ name: 'Ltree', dbName: 'ltree' }] })).toMatch(/custom SQL type \(database type `ltree`\)/);
    expect(unknown('super::sql_types::ServiceEndpoint', 'pg')).toMatch(/not one of Diesel's SQL types/);
    expect(unknown('Nullable<', 'pg')).toMatch(/not a well-formed/);
    expect(unknown('Nullable<Text, Int4>', 'pg')).toMatch(/exactly one/);
  });

  it('uses caller-given Rust types for custom SQL types', () => {
    expect(rustTypeForSql('Array<Nullable<ServiceEndpoint>>', 'pg', { customTypes: { ServiceEndpoint: { rustType: 'Endpoint', imports: ['crate::model::Endpoint'] } } })).toEqual(
      ok('Vec<Option<Endpoint>>', ['crate::model::Endpoint']),
    );
  });
});

describe('rustTypesCompatible', () => {
  it('accepts equivalent spellings', () => {
    expect(rustTypesCompatible('String', 'Text', 'pg')).toBe(true);
    expect(rustTypesCompatible('std::string::String', 'Varchar', 'pg')).toBe(true);
    expect(rustTypesCompatible('chrono::NaiveDateTime', 'Timestamp', 'pg')).toBe(true);
    expect(rustTypesCompatible('NaiveDateTime', 'Timestamp', 'sqlite')).toBe(true);
    expect(rustTypesCompatible('chrono::DateTime<chrono::Utc>', 'Timestamptz', 'pg')).toBe(true);
    expect(rustTypesCompatible('Option<DateTime<Utc>>', 'Nullable<Timestamptz>', 'pg')).toBe(true);
    expect(rustTypesCompatible("&'a str", 'Text', 'pg')).toBe(true);
    expect(rustTypesCompatible("Cow<'a, str>", 'Text', 'pg')).toBe(true);
    expect(rustTypesCompatible("Option<&'a str>", 'Nullable<Varchar>', 'pg', { usage: 'insert' })).toBe(true);
    expect(rustTypesCompatible('Vec<Option<i32>>', 'Array<Nullable<Int4>>', 'pg')).toBe(true);
    expect(rustTypesCompatible('serde_json::Value', 'Jsonb', 'pg')).toBe(true);
    expect(rustTypesCompatible('u32', 'Unsigned<Integer>', 'mysql')).toBe(true);
    // Insertable: `None` means DEFAULT, also for NOT NULL columns.
    expect(rustTypesCompatible('Option<i32>', 'Int4', 'pg', { usage: 'insert' })).toBe(true);
    // A changeset may say "leave alone" (None) or "set NULL" (Some(None)).
    expect(rustTypesCompatible('Option<Option<String>>', 'Nullable<Text>', 'pg', { usage: 'insert' })).toBe(true);
  });

  it('rejects mismatches', () => {
    expect(rustTypesCompatible('i64', 'Int4', 'pg')).toBe(false);
    expect(rustTypesCompatible('String', 'Nullable<Text>', 'pg', { usage: 'query' })).toBe(false);
    expect(rustTypesCompatible("&'a str", 'Text', 'pg', { usage: 'query' })).toBe(false);
    expect(rustTypesCompatible('Option<i32>', 'Int4', 'pg', { usage: 'query' })).toBe(false);
    expect(rustTypesCompatible('Vec<i32>', 'Array<Nullable<Int4>>', 'pg', { usage: 'query' })).toBe(false);
    expect(rustTypesCompatible('NaiveDate', 'Timestamp', 'pg')).toBe(false);
  });

  it('cannot judge custom SQL types and says so by accepting', () => {
    expect(rustTypesCompatible('Endpoint', 'ServiceEndpoint', 'pg')).toBe(true);
    expect(acceptedRustTypes('ServiceEndpoint', 'pg')).toBeUndefined();
    expect(acceptedRustTypes('Int4', 'pg', 'query')).toEqual(['i32']);
    expect(acceptedRustTypes('Int4', 'pg', 'insert')).toEqual(['i32', 'Option<i32>']);
  });
});

describe('parseSqlType', () => {
  it('parses nested generic paths', () => {
    expect(parseSqlType('Nullable<diesel::sql_types::Array<Text>>')).toEqual({
      name: 'Nullable',
      path: 'Nullable',
      args: [{ name: 'Array', path: 'diesel::sql_types::Array', args: [{ name: 'Text', path: 'Text', args: [] }] }],
    });
    expect(parseSqlType('Nullable<Text')).toBeUndefined();
    expect(parseSqlType('')).toBeUndefined();
  });
});
