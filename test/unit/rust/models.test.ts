import { beforeAll, describe, expect, it } from 'vitest';
import { inferTableName, initRustParser, parseRustFile, type RustFileInfo } from '../../../src/rust';
import { corpusFile } from './helpers';

const read = (rel: string): RustFileInfo => parseRustFile(corpusFile(rel), rel);
const struct = (f: RustFileInfo, name: string) => {
  const s = f.structs.find((x) => x.name === name);
  if (!s) throw new Error(`no struct ${name}; have ${f.structs.map((x) => x.name).join(', ')}`);
  return s;
};

beforeAll(async () => {
  await initRustParser();
});

describe('Diesel 2.x model attributes (corpus)', () => {
  it('crates-io user.rs: table_name + check_for_backend, primary_key, belongs_to, generics', () => {
    const f = read('crates-io/user.rs');
    expect(f.diagnostics).toEqual([]);
    expect(f.structs.map((s) => s.name)).toEqual(['PublicUser', 'User', 'NewUser', 'OauthGithub', 'NewOauthGithub']);
    const newUser = struct(f, 'NewUser');
    expect(newUser).toMatchObject({ tableName: 'users', tableInferred: false, generics: "<'a>", checkForBackend: ['diesel::pg::Pg'], derives: ['Insertable', 'Debug', 'Builder'] });
    expect(newUser.fields.map((x) => `${x.name}: ${x.type}`)).toEqual(['gh_id: i32', "gh_login: &'a str", "username: &'a str", "name: Option<&'a str>"]);
    const gh = struct(f, 'OauthGithub');
    expect(gh).toMatchObject({ tableName: 'oauth_github', primaryKey: ['account_id'], belongsTo: [{ parent: 'User' }], checkForBackend: ['diesel::pg::Pg'] });
    expect(struct(f, 'User').derives).toContain('HasQuery');
    const avatar = struct(f, 'User').fields.find((x) => x.name === 'gh_avatar');
    expect(avatar?.attributes).toEqual(['diesel(select_expression = oauth_github::avatar.nullable())']);
  });

  it('crates-io user.rs: async impl functions and a free function', () => {
    const f = read('crates-io/user.rs');
    const impl = f.impls.find((i) => i.typeName === 'User');
    const find = impl?.functions.find((fn) => fn.name === 'find_by_login');
    expect(find).toMatchObject({
      visibility: 'pub',
      isAsync: true,
      params: [
        { pattern: 'mut conn', type: '&AsyncPgConnection' },
        { pattern: 'login', type: '&str' },
      ],
      returnType: 'QueryResult<User>',
      signature: 'pub async fn find_by_login(mut conn: &AsyncPgConnection, login: &str) -> QueryResult<User>',
      hasBody: true,
    });
    expect(find?.span.startLine).toBe(93);
    const email = impl?.functions.find((fn) => fn.name === 'email');
    expect(email?.selfParam).toBe('&self');
    expect(f.functions.map((fn) => fn.name)).toEqual(['github_username_matches']);
    expect(f.functions[0]?.attributes).toEqual(['diesel::dsl::auto_type']);
  });

  it('crates-io krate.rs and keyword.rs: multi-line diesel(...) with treat_none_as_null and composite keys', () => {
    const k = read('crates-io/krate.rs');
    expect(struct(k, 'NewCrate')).toMatchObject({ tableName: 'crates', treatNoneAsNull: true, checkForBackend: ['diesel::pg::Pg'], generics: "<'a>" });
    const kw = read('crates-io/keyword.rs');
    expect(struct(kw, 'CrateKeyword')).toMatchObject({
      tableName: 'crates_keywords',
      primaryKey: ['crate_id', 'keyword_id'],
      belongsTo: [{ parent: 'Keyword' }, { parent: 'Crate' }],
    });
    expect(kw.impls.find((i) => i.typeName === 'Keyword')?.functions.map((fn) => fn.name)).toContain('find_or_create_all');
  });

  it('realworld-actix: belongs_to with foreign_key', () => {
    const f = read('realworld-actix-diesel/article__entities.rs');
    expect(struct(f, 'Article')).toMatchObject({ tableName: 'articles', belongsTo: [{ parent: 'User', foreignKey: 'author_id' }] });
    const fetch = f.impls.flatMap((i) => i.functions).find((fn) => fn.name === 'fetch_by_slug_with_author');
    expect(fetch?.returnType).toBe('Result<(Self, User), AppError>');
    expect(fetch?.span.startLine).toBe(83);
    // Plain structs (no Diesel derive) get no inferred table.
    expect(struct(f, 'DeleteArticle')).toMatchObject({ tableInferred: false, derives: [] });
    expect(struct(f, 'DeleteArticle').tableName).toBeUndefined();
  });

  it('diesel-examples custom_arrays: table_name as a path, SqlType structs and enums', () => {
    const svc = read('diesel-examples/postgres-custom_arrays/service__mod.rs');
    expect(struct(svc, 'Service')).toMatchObject({ tableName: 'service', primaryKey: ['service_id'] });
    expect(struct(svc, 'Service').fields.find((x) => x.name === 'endpoints')?.type).toBe('Vec<Option<Endpoint>>');
    expect(svc.mods).toEqual(['service_impl']);
    const proto = read('diesel-examples/postgres-custom_arrays/protocol_type__mod.rs');
    expect(proto.enums[0]).toMatchObject({ name: 'ProtocolType', variants: ['UnknownProtocol', 'GRPC', 'HTTP', 'UDP'] });
    expect(proto.enums[0]?.derives).toContain('AsExpression');
    expect(proto.impls.map((i) => `${i.typeName} for ${i.trait}`)).toEqual(['ProtocolType for ToSql<PgProtocolType, Pg>', 'ProtocolType for FromSql<PgProtocolType, Pg>']);
  });

  it('mysql example: check_for_backend(diesel::mysql::Mysql)', () => {
    const f = read('diesel-examples/mysql-getting_started_step_3/models.rs');
    expect(struct(f, 'Post')).toMatchObject({ tableName: 'posts', checkForBackend: ['diesel::mysql::Mysql'], derives: ['Queryable', 'Selectable'] });
    expect(struct(f, 'NewPost').fields.map((x) => x.type)).toEqual(["&'a str", "&'a str"]);
  });

  it('casbin: pub(crate) visibility is kept', () => {
    const f = read('casbin-diesel-adapter/models.rs');
    expect(f.structs.map((s) => `${s.visibility} ${s.name} ${s.tableName}`)).toEqual(['pub(crate) CasbinRule casbin_rule', 'pub(crate) NewCasbinRule casbin_rule']);
  });
});

describe('Diesel 1.x model attributes (corpus)', () => {
  it('rfcbot: #[table_name = "..."] and #[changeset_options(treat_none_as_null = "true")]', () => {
    const f = read('rfcbot-rs/rfcbot.rs');
    expect(f.diagnostics).toEqual([]);
    expect(struct(f, 'FcpProposal')).toMatchObject({ tableName: 'fcp_proposal', tableInferred: false, treatNoneAsNull: true });
    expect(struct(f, 'NewPoll')).toMatchObject({ tableName: 'poll', generics: "<'a>" });
    expect(struct(f, 'NewPoll').treatNoneAsNull).toBeUndefined();
    expect(f.uses.map((u) => u.path)).toEqual(['chrono::NaiveDateTime', 'super::schema::*']);
  });

  it('rfcbot nag.rs: free query functions', () => {
    const f = read('rfcbot-rs/nag.rs');
    const fn = f.functions.find((x) => x.name === 'existing_proposal');
    expect(fn?.span.startLine).toBe(774);
    expect(fn?.params).toEqual([{ pattern: 'issue', type: '&Issue' }]);
    expect(fn?.returnType).toBe('DashResult<Option<FcpProposal>>');
    expect(fn?.isAsync).toBe(false);
  });
});

describe('hand-written edge cases', () => {
  const src = `use diesel::prelude::*;
pub use crate::schema::{self, users::{self as u, dsl::*}, posts};
mod schema;
pub mod models;
#[cfg(test)]
mod tests { pub struct InTests; }
mod inline { pub struct Inside; }

/// A user.
#[derive(Queryable, Identifiable)]
#[cfg_attr(feature = "write", derive(Insertable, AsChangeset), diesel(treat_none_as_null = true))]
#[table_name = users]
pub struct User { pub id: i32, #[diesel(column_name = "name")] #[serde(rename = "n")] pub display_name: String }

#[derive(Insertable)]
#[diesel(table_name = crate::schema::blog_posts)]
#[belongs_to(User, foreign_key = "author_id")]
#[primary_key(a, b)]
struct NewPost<'a, T: Into<String>>(pub &'a str, #[diesel(sql_type = Text)] T);

#[derive(Queryable, Selectable)]
pub struct BlogPost { id: i32 }

#[derive(Debug)]
pub enum Kind { A, B(i32), C { x: i32 } }

impl<'a, T> From<&'a str> for NewPost<'a, T> { fn from(s: &'a str) -> Self { todo!() } }
trait Repo { fn find(&self, id: i32) -> Option<User>; }
impl Repo for BlogPost { fn find(&self, id: i32) -> Option<User> { None } }
pub async fn list(
    conn: &mut PgConnection,
    limit: i64,
) -> QueryResult<Vec<User>> where Self: Sized { todo!() }
`;

  it('reads derives in cfg_attr, 1.x table_name unquoted, and field attributes', () => {
    const f = parseRustFile(src, 'src/models.rs');
    const user = f.structs.find((s) => s.name === 'User')!;
    expect(user).toMatchObject({ derives: ['Queryable', 'Identifiable', 'Insertable', 'AsChangeset'], tableName: 'users', tableInferred: false, treatNoneAsNull: true, doc: 'A user.' });
    expect(user.attributes).toEqual(['derive(Queryable, Identifiable)', 'cfg_attr(feature = "write", derive(Insertable, AsChangeset), diesel(treat_none_as_null = true))', 'table_name = users']);
    expect(user.fields[1]).toMatchObject({ name: 'display_name', columnName: 'name', visibility: 'pub', attributes: ['diesel(column_name = "name")', 'serde(rename = "n")'] });
    expect(user.span.startLine).toBe(9);
  });

  it('reads tuple structs with paths in table_name, old belongs_to and primary_key', () => {
    const f = parseRustFile(src);
    const np = f.structs.find((s) => s.name === 'NewPost')!;
    expect(np).toMatchObject({
      tuple: true,
      generics: "<'a, T: Into<String>>",
      tableName: 'blog_posts',
      belongsTo: [{ parent: 'User', foreignKey: 'author_id' }],
      primaryKey: ['a', 'b'],
    });
    expect(np.fields).toEqual([
      { name: '0', type: "&'a str", attributes: [], visibility: 'pub' },
      { name: '1', type: 'T', attributes: ['diesel(sql_type = Text)'], sqlType: 'Text' },
    ]);
    expect(np.visibility).toBeUndefined();
  });

  it("infers the table with Diesel's rule when no attribute names it", () => {
    const f = parseRustFile(src);
    expect(f.structs.find((s) => s.name === 'BlogPost')).toMatchObject({ tableName: 'blog_posts', tableInferred: true });
    expect(inferTableName('User')).toBe('users');
    expect(inferTableName('Category')).toBe('categorys');
    expect(inferTableName('HTTPRequest')).toBe('h_t_t_p_requests');
  });

  it('reads enums, impls, trait methods, free functions, uses and mods', () => {
    const f = parseRustFile(src);
    expect(f.enums).toEqual([expect.objectContaining({ name: 'Kind', variants: ['A', 'B', 'C'], derives: ['Debug'], visibility: 'pub' })]);
    expect(f.impls.map((i) => [i.typeName, i.trait, i.generics])).toEqual([
      ['NewPost', 'From<&\'a str>', "<'a, T>"],
      ['BlogPost', 'Repo', undefined],
    ]);
    const list = f.functions.find((fn) => fn.name === 'list')!;
    expect(list.signature).toBe('pub async fn list(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<User>> where Self: Sized');
    expect(list.isAsync).toBe(true);
    expect(f.mods).toEqual(['schema', 'models']);
    // Structs of inline modules count; #[cfg(test)] modules do not.
    expect(f.structs.map((s) => s.name)).toContain('Inside');
    expect(f.structs.map((s) => s.name)).not.toContain('InTests');
    const grouped = f.uses[1]!;
    expect(grouped).toMatchObject({ path: 'crate::schema::{self, users::{self as u, dsl::*}, posts}', visibility: 'pub' });
    expect(grouped.items).toEqual(['crate::schema', 'crate::schema::users as u', 'crate::schema::users::dsl::*', 'crate::schema::posts']);
    expect(grouped.text).toBe('pub use crate::schema::{self, users::{self as u, dsl::*}, posts};');
    expect(src.slice(grouped.span.startIndex, grouped.span.endIndex)).toBe(grouped.text);
  });

  it('malformed Rust: partial results with line diagnostics', () => {
    const f = parseRustFile(
      `#[derive(Queryable)]
pub struct A { pub id: i32 }
pub struct B { pub x: i32,
impl A { pub fn f(&self) -> i32 { self.id } }
fn broken( -> {`,
      'bad.rs',
    );
    expect(f.structs.map((s) => s.name)).toContain('A');
    expect(f.diagnostics.length).toBeGreaterThan(0);
    expect(f.diagnostics.every((d) => d.file === 'bad.rs' && typeof d.line === 'number' && d.code === 'rust-syntax')).toBe(true);
    for (const text of ['', '}}}', '#[derive(', 'struct', 'impl', 'use ;', '\u0000\uffff']) expect(() => parseRustFile(text)).not.toThrow();
  });
});
