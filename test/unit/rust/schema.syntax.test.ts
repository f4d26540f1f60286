import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser, isNullableType, parseSchema, type SchemaInfo } from '../../../src/rust';
import { column, corpusFile, errors, table } from './helpers';

const one = (text: string): SchemaInfo => parseSchema([{ file: 'src/schema.rs', text }]);
const codes = (s: SchemaInfo): string[] => s.diagnostics.map((d) => d.code ?? '');

beforeAll(async () => {
  await initRustParser();
});

describe('table! grammar', () => {
  it('reads Diesel 1.x syntax: no primary key list, `{ N }` max length, VarChar', () => {
    const s = one(`#[macro_use] extern crate diesel;
table! {
    users {
        id -> Integer,
        name -> VarChar { 255 },
        favorite_color -> Nullable<VarChar>,
    }
}`);
    expect(table(s, 'users').primaryKey).toEqual(['id']);
    expect(column(s, 'users', 'name')).toMatchObject({ sqlType: 'VarChar', maxLength: 255 });
    expect(column(s, 'users', 'favorite_color').nullable).toBe(true);
    expect(s.diagnostics).toEqual([]);
  });

  it('reads Diesel 2.x attributes on tables and columns', () => {
    const s = one(`diesel::table! {
    /// People.
    #[sql_name = "Users"]
    #[some_other(attr)]
    users (user_id) {
        user_id -> Int8,
        /// The kind.
        #[sql_name = "type"]
        #[max_length = 32]
        type_ -> Varchar,
        #[auto_increment]
        #[sql_name = "Mixed Case"]
        mixed -> Int4,
    }
}`);
    const t = table(s, 'users');
    expect(t).toMatchObject({ sqlName: 'Users', attributes: ['some_other(attr)'], doc: 'People.', primaryKey: ['user_id'] });
    expect(column(s, 'users', 'type_')).toMatchObject({ sqlName: 'type', maxLength: 32, doc: 'The kind.', attributes: [] });
    expect(column(s, 'users', 'mixed')).toMatchObject({ sqlName: 'Mixed Case', attributes: ['auto_increment'] });
    expect(s.diagnostics).toEqual([]);
  });

  it('tolerates comments, path-qualified types, odd spacing and a missing last comma', () => {
    const s = one(`::diesel::table! {
    posts (id) {
        id -> Int4, // the key
        /* a block comment */ title -> diesel::sql_types::Text,
        body -> Nullable < diesel::sql_types::Text >,
        tags -> Nullable<Array<Nullable<Text>>>
    }
}`);
    expect(table(s, 'posts').columns.map((c) => `${c.name}:${c.sqlType}:${c.nullable}`)).toEqual([
      'id:Int4:false',
      'title:diesel::sql_types::Text:false',
      'body:Nullable<diesel::sql_types::Text>:true',
      'tags:Nullable<Array<Nullable<Text>>>:true',
    ]);
    expect(s.diagnostics).toEqual([]);
  });

  it('reads several tables in one invocation and tables inside modules', () => {
    const s = one(`table! {
    a { id -> Int4, }
    b (x, y) { x -> Int4, y -> Int4, }
}
pub mod inner {
    diesel::table! { inner.c (id) { id -> Int4, } }
}`);
    expect(s.tables.map((t) => `${t.module ?? ''}/${t.schema ?? ''}.${t.name}(${t.primaryKey.join(',')})`)).toEqual(['/.a(id)', '/.b(x,y)', 'inner/inner.c(id)']);
    // Two tables share one invocation: each span covers its own declaration only.
    const text = `table! {\n    a { id -> Int4, }\n}`;
    expect(one(text).tables[0]!.span?.startLine).toBe(1);
    expect(s.tables[1]!.span?.startLine).toBe(3);
  });

  it('ignores table! macros of other crates', () => {
    const s = one('other_crate::table! { users { id -> Int4, } }\nmy::joinable!(a -> b (c));');
    expect(s.tables).toEqual([]);
    expect(s.joinables).toEqual([]);
  });

  it('reads custom SQL types of both Diesel versions', () => {
    const s = one(`pub mod sql_types {
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(postgres_type(name = "mood", schema = "app"))]
    pub struct Mood;
    #[derive(diesel::sql_types::SqlType)]
    #[diesel(mysql_type(name = "Enum"))]
    pub struct PostStatus;
}
#[derive(SqlType)]
#[postgres(type_name = "citext")]
pub struct OldCitext;
#[derive(Debug)]
pub struct NotASqlType;`);
    expect(s.sqlTypes.map((t) => [t.name, t.backend, t.dbName, t.dbSchema])).toEqual([
      ['Mood', 'pg', 'mood', 'app'],
      ['PostStatus', 'mysql', 'Enum', undefined],
      ['OldCitext', 'pg', 'citext', undefined],
    ]);
  });

  it('isNullableType looks at the outermost type only', () => {
    expect(isNullableType('Nullable<Text>')).toBe(true);
    expect(isNullableType('diesel::sql_types::Nullable<Text>')).toBe(true);
    expect(isNullableType('Array<Nullable<Text>>')).toBe(false);
    expect(isNullableType('NullableText')).toBe(false);
  });
});

describe('consistency checks', () => {
  it('reports keys, foreign keys and tables that do not exist', () => {
    const s = one(`diesel::table! { users (uid) { id -> Int4, } }
diesel::table! { posts { id -> Int4, author -> Int4, } }
diesel::table! { posts { id -> Int4, } }
diesel::joinable!(posts -> users (user_id));
diesel::joinable!(comments -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, posts, ghosts);`);
    expect(codes(s).sort()).toEqual(['duplicate-table', 'unknown-column', 'unknown-column', 'unknown-table', 'unknown-table'].sort());
    expect(s.diagnostics.find((d) => d.message.includes('uid'))?.severity).toBe('error');
  });

  it('flags a Rust keyword as column name', () => {
    const s = one('diesel::table! { t { id -> Int4, type -> Text, } }');
    expect(errors(s).map((d) => d.message)).toEqual(['Column `type` of `t` is a Rust keyword: write `r#type`.']);
    const raw = one('diesel::table! { t (r#type) { r#type -> Text, } }');
    expect(raw.tables[0]).toMatchObject({ primaryKey: ['r#type'], columns: [expect.objectContaining({ name: 'r#type' })] });
    expect(raw.diagnostics).toEqual([]);
  });
});

describe('malformed input never throws', () => {
  it('half-typed column: keeps the columns before it', () => {
    const s = one(`diesel::table! {
    users (id) {
        id -> Int4,
        name -> Nullable<
        email -> Text,
    }
}`);
    expect(table(s, 'users').columns.map((c) => c.name)).toEqual(['id', 'email']);
    expect(errors(s)).toEqual([expect.objectContaining({ code: 'schema-syntax', line: 4, file: 'src/schema.rs' })]);
  });

  it('unclosed braces: reads what is there and reports where', () => {
    const s = one(`diesel::table! {
    users (id) {
        id -> Int4,
        name -> Text,
`);
    expect(table(s, 'users').columns.map((c) => c.name)).toEqual(['id', 'name']);
    expect(codes(s)).toContain('unclosed-macro');
    expect(s.diagnostics.find((d) => d.code === 'unclosed-macro')?.line).toBe(1);
  });

  it('an unclosed table! stops before the next macro', () => {
    const s = one(`table! {
    posts (id) {
        id -> Int4,
        user_id -> Int4,
    }

table! {
    users (id) { id -> Int4, }
}
joinable!(posts -> users (user_id));`);
    expect(s.tables.map((t) => t.name)).toEqual(['posts', 'users']);
    expect(s.joinables).toHaveLength(1);
    expect(codes(s)).toContain('unclosed-macro');
  });

  it('missing commas, arrows and types are reported, the rest is kept', () => {
    const s = one(`diesel::table! {
    users (id) {
        id -> Int4
        name -> Text,
        -> Bool,
        email ->,
        age Int4,
        ok -> Bool,
    }
}`);
    expect(table(s, 'users').columns.map((c) => `${c.name}:${c.sqlType}`)).toEqual(['id:Int4', 'name:Text', 'ok:Bool']);
    expect(errors(s).map((d) => d.line)).toEqual([3, 5, 6, 7]);
  });

  it('garbage, empty text and binary noise give diagnostics or nothing', () => {
    for (const text of ['', '}}}{{{', 'table!', 'diesel::table! {}', 'table! { users (id, ) { id -> Int4 } }', '\u0000\u0001\uffff', 'joinable!(a ->)', '#[derive(']) {
      const s = one(text);
      expect(Array.isArray(s.tables)).toBe(true);
    }
    expect(codes(one('diesel::table! {}'))).toContain('schema-syntax');
    expect(codes(one('joinable!(a ->)'))).toEqual(['schema-syntax']);
  });

  it('every prefix of a real schema parses without throwing', () => {
    const text = corpusFile('crates-io/schema.rs');
    let last = 0;
    for (let cut = 0; cut <= text.length; cut += 997) {
      const s = one(text.slice(0, cut));
      // A prefix can only hold tables the whole file has, never more.
      expect(s.tables.length).toBeLessThanOrEqual(36);
      expect(s.tables.length).toBeGreaterThanOrEqual(last - 1);
      last = s.tables.length;
    }
  });

  it('reports byte offsets as UTF-8 and keeps JS offsets for slicing', () => {
    const text = '// é—\ndiesel::table! { users { id -> Int4, } }';
    const t = one(text).tables[0]!;
    expect(t.span).toMatchObject({ startIndex: 6, startByte: 9, startLine: 2, endLine: 2 });
    expect(text.slice(t.span!.startIndex, t.span!.endIndex)).toBe('diesel::table! { users { id -> Int4, } }');
  });
});
