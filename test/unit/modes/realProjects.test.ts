import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser } from '../../../src/rust';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { fnSystemText } from '../../../modes/diesel-model-fn/bank';
import { asyncWrapperOf, placeFunction } from '../../../modes/diesel-model-fn/placement';
import { unwrapCfgAttr } from '../../../modes/diesel-common/render';
import { validateFunction } from '../../../modes/diesel-common/validate';
import { toDiesel1 } from '../../../modes/diesel-common/examples';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import { withCfgGate } from '../../../modes/diesel-common/cfgGate';
import { normalizeDslGlobs } from '../../../modes/diesel-common/dslGlobs';
import { processFunctionAnswer } from '../../../modes/diesel-common/fnArtifact';
import { importEnvFor, openProject, resolveTargetStruct } from '../../../modes/diesel-common/project';
import { dieselTomlBackends } from '../../../modes/diesel-common/style';
import { generateStructs } from '../../../modes/diesel-model-struct/generate';
import { memoryProject, squash } from './helpers';

/**
 * Patterns of real Diesel projects (issue #13), one test per pattern: dsl globs, placement,
 * cfg gating, indentation.
 */

beforeAll(async () => {
  await initRustParser();
});

const SCHEMA = `diesel::table! {
    posts (id) {
        id -> Int4,
        title -> Text,
        body -> Text,
        published -> Bool,
    }
}
`;
const POST = `use diesel::prelude::*;
use crate::schema::posts;

#[derive(Queryable, Selectable)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: i32,
    pub title: String,
    pub body: String,
    pub published: bool,
}
`;

async function project(extra: Record<string, string> = {}, models: Record<string, string> = { 'post.rs': POST }) {
  const fs = memoryProject('pg', SCHEMA, models, extra);
  return { fs, p: await openProject(fs) };
}

describe('dsl::* globs: one consistent form, every path resolving', () => {
  const env = async () => {
    const { p } = await project();
    return { style: p.style, tables: p.info.schema.tables, fileUses: ['crate::schema::posts'] };
  };

  it('a glob beside `posts::…` paths goes (it would make `posts` the table struct: E0599), bare columns get qualified', async () => {
    const code = 'pub fn published(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    use crate::schema::posts::dsl::*;\n    posts::table.filter(published.eq(true)).order(posts::id).load(conn)\n}';
    const r = normalizeDslGlobs(code, [], await env());
    expect(r.code).toBe('pub fn published(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.filter(posts::published.eq(true)).order(posts::id).load(conn)\n}');
  });

  it('inside a project macro (db_run! { conn: { … } }) too: `posts::…` tokens count as paths, bare columns get qualified, the macro arm stays', async () => {
    const code = 'pub fn published(conn: &mut DbConn) -> Vec<Post> {\n    use crate::schema::posts::dsl::*;\n    db_run! { conn: {\n        posts::table.filter(published.eq(true)).order(id).load::<Post>(conn).unwrap()\n    }}\n}';
    const r = normalizeDslGlobs(code, [], await env());
    expect(r.code).toBe('pub fn published(conn: &mut DbConn) -> Vec<Post> {\n    db_run! { conn: {\n        posts::table.filter(posts::published.eq(true)).order(posts::id).load::<Post>(conn).unwrap()\n    }}\n}');
  });

  it('a bare-only body keeps one glob, and the bare table becomes the table even when the glob goes', async () => {
    const bareOnly = 'pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts.filter(published.eq(true)).load(conn)\n}';
    const kept = normalizeDslGlobs(bareOnly, ['crate::schema::posts::dsl::*'], await env());
    expect(kept.code).toContain('use crate::schema::posts::dsl::*;');
    const mixed = normalizeDslGlobs('pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts.filter(posts::published.eq(true)).load(conn)\n}', ['crate::schema::posts::dsl::*'], await env());
    expect(mixed.code).toContain('posts::table.filter(posts::published.eq(true))');
    expect(mixed.code).not.toContain('dsl::*');
  });

  it('a parameter named like a column stays a variable; a glob for a table that does not exist is an error', async () => {
    const code = 'pub fn by_title(conn: &mut PgConnection, title: &str) -> QueryResult<Vec<Post>> {\n    use crate::schema::posts::dsl::*;\n    posts::table.filter(posts::title.eq(title)).load(conn)\n}';
    expect(normalizeDslGlobs(code, [], await env()).code).toContain('posts::title.eq(title)');
    const bad = normalizeDslGlobs('fn x() {\n    use crate::schema::postz::dsl::*;\n}', [], await env());
    expect(bad.diagnostics.map((d) => d.code)).toContain('unknown-table');
  });

  it('a glob with the tutorial path is rewritten to the project’s real schema module (split schemas too)', async () => {
    const fs = memoryProject('pg', 'pub mod blog;\n', { 'post.rs': POST.replace('crate::schema::posts', 'crate::schema::blog::posts') }, { 'src/schema/blog.rs': SCHEMA });
    const p = await openProject(fs);
    expect(p.info.schema.tables.map((t) => t.name)).toEqual(['posts']);
    const r = normalizeDslGlobs('pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    use crate::schema::posts::dsl::*;\n    posts.load(conn)\n}', [], {
      style: p.style,
      tables: p.info.schema.tables,
      fileUses: [],
    });
    expect(r.code).toContain('use crate::schema::blog::posts::dsl::*;');
    expect(r.code).not.toContain('use crate::schema::posts::dsl::*;');
  });

  it('the whole post-processing: a top-level glob from the answer never reaches a body that uses qualified paths', async () => {
    const { p } = await project();
    const file = p.info.files.find((f) => f.file === 'src/models/post.rs');
    const answer = '```rust\nuse crate::schema::posts::dsl::*;\n\npub fn drafts(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.filter(posts::published.eq(false)).load(conn)\n}\n```';
    const r = await processFunctionAnswer({ content: answer }, { importEnv: importEnvFor(p, 'src/models/post.rs', file), rustfmt: false });
    expect(r.code).not.toContain('dsl');
    expect(r.uses).toContain('crate::schema::posts');
  });
});

describe('placement: where the project keeps such functions', () => {
  const QUERIES = `use diesel::prelude::*;
use crate::models::post::Post;
use crate::schema::posts;

pub fn all_posts(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {
    posts::table.load(conn)
}

pub fn post_by_id(conn: &mut PgConnection, id: i32) -> QueryResult<Post> {
    posts::table.find(id).first(conn)
}
`;
  const IMPLS = `use diesel::prelude::*;
use crate::models::post::Post;
use crate::schema::posts;

impl Post {
    pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {
        posts::table.load(conn)
    }
}
`;

  it('a module of free query functions on the table (dbqueries.rs style) gets a free function', async () => {
    const { fs, p } = await project({ 'src/dbqueries.rs': QUERIES });
    const t = resolveTargetStruct(p, { struct: 'Post' });
    if (!('ref' in t)) throw new Error('no struct');
    const placed = await placeFunction(p, fs, t.ref, t.table);
    expect(placed).toMatchObject({ file: 'src/dbqueries.rs', how: 'free' });
    expect(placed.related.map((r) => r.fn.name)).toEqual(['all_posts', 'post_by_id']);
  });

  it('an impls/ file whose `impl Post` runs queries wins over the struct file', async () => {
    const { fs, p } = await project({ 'src/impls/post.rs': IMPLS });
    const t = resolveTargetStruct(p, { struct: 'Post' });
    if (!('ref' in t)) throw new Error('no struct');
    expect(await placeFunction(p, fs, t.ref, t.table)).toMatchObject({ file: 'src/impls/post.rs', how: 'impl' });
  });

  it('--file (the right-clicked file) is respected, and the struct file is the fallback', async () => {
    const { fs, p } = await project({ 'src/dbqueries.rs': QUERIES, 'src/other.rs': 'fn helper() {}\n' });
    const t = resolveTargetStruct(p, { struct: 'Post' });
    if (!('ref' in t)) throw new Error('no struct');
    expect(await placeFunction(p, fs, t.ref, t.table, 'src/other.rs')).toMatchObject({ file: 'src/other.rs', how: 'free' });
    expect(await placeFunction(p, fs, t.ref, t.table, 'src/models/post.rs')).toMatchObject({ file: 'src/models/post.rs', how: 'impl' });
    const { fs: fs2, p: p2 } = await project();
    const t2 = resolveTargetStruct(p2, { struct: 'Post' });
    if (!('ref' in t2)) throw new Error('no struct');
    expect(await placeFunction(p2, fs2, t2.ref, t2.table)).toMatchObject({ file: 'src/models/post.rs', how: 'impl' });
  });

  it('a free function goes after the last function; the file’s indentation step is kept', () => {
    const tabs = 'impl Post {\n\tpub fn a() -> i32 {\n\t\t1\n\t}\n}\n';
    const { text } = applyOps(tabs, [{ op: 'insertInImpl', typeName: 'Post', code: 'pub fn b() -> i32 {\n    2\n}' }]);
    expect(text).toBe('impl Post {\n\tpub fn a() -> i32 {\n\t\t1\n\t}\n\n\tpub fn b() -> i32 {\n\t\t2\n\t}\n}\n');
    const two = 'fn a() {\n  let x = 1;\n}\n\n#[cfg(test)]\nmod tests {}\n';
    const r = applyOps(two, [{ op: 'insertFn', code: 'fn b() {\n    let y = 2;\n}' }]);
    expect(r.text).toBe('fn a() {\n  let x = 1;\n}\n\nfn b() {\n  let y = 2;\n}\n\n#[cfg(test)]\nmod tests {}\n');
    expect(applyOps(r.text, [{ op: 'insertFn', code: 'fn b() {\n    let y = 3;\n}' }]).diagnostics.map((d) => d.code)).toEqual(['duplicate-fn']);
  });

  it('keeps #[cfg(feature = …)] gating when the file imports the struct under a cfg', () => {
    const file = '#[cfg(feature = "full")]\nuse crate::models::Post;\nuse diesel::prelude::*;\n';
    expect(withCfgGate('pub fn x() {}', file, ['Post', 'posts'])).toBe('#[cfg(feature = "full")]\npub fn x() {}');
    expect(withCfgGate('pub fn x() {}', 'use crate::models::Post;\n', ['Post'])).toBe('pub fn x() {}');
    expect(squash(withCfgGate('#[cfg(feature = "full")]\npub fn x() {}', file, ['Post']))).toBe('#[cfg(feature = "full")] pub fn x() {}');
  });
});

describe('validation on real projects: no false rejects, checks where the code really is', () => {
  it('missing-await fires only on Diesel query calls (with a connection), not on `Vec::first()`', async () => {
    const p = await openProject(memoryProject('pgAsync', SCHEMA, { 'post.rs': POST }));
    const env = { tables: p.info.schema.tables, style: p.style };
    const ok = 'pub async fn first_title(conn: &mut AsyncPgConnection) -> QueryResult<Option<String>> {\n    let rows: Vec<Post> = posts::table.load(conn).await?;\n    Ok(rows.first().map(|p| p.title.clone()))\n}';
    expect(validateFunction(ok, env)).toEqual([]);
    const missing = 'pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.load(conn)\n}';
    expect(validateFunction(missing, env).map((d) => d.code)).toEqual(['missing-await']);
  });

  it('async wrappers around sync Diesel (conn.run, web::block, …_async) are the project’s style, not async-in-sync', async () => {
    const rocket = `use diesel::prelude::*;
use crate::schema::posts;

#[derive(Queryable)]
pub struct Post {
    pub id: i32,
    pub title: String,
    pub body: String,
    pub published: bool,
}

impl Post {
    pub async fn all(conn: &DbConn) -> QueryResult<Vec<Post>> {
        conn.run(|c| posts::table.load::<Post>(c)).await
    }

    pub async fn delete_with_id(id: i32, conn: &DbConn) -> QueryResult<usize> {
        conn.run(move |c| diesel::delete(posts::table.find(id)).execute(c)).await
    }
}
`;
    const fs = memoryProject('pg', SCHEMA, { 'post.rs': rocket.replace('#[derive(Queryable)]', '#[derive(Queryable)]\n#[diesel(table_name = posts)]') });
    const p = await openProject(fs);
    expect(p.style.async).toBe(false);
    const t = resolveTargetStruct(p, { struct: 'Post' });
    if (!('ref' in t)) throw new Error('no struct');
    const placed = await placeFunction(p, fs, t.ref, t.table);
    expect(placed.asyncWrapper).toContain('conn.run(move |c| …).await');
    const code = 'pub async fn published(conn: &DbConn) -> QueryResult<Vec<Post>> {\n    conn.run(|c| posts::table.filter(posts::published.eq(true)).load::<Post>(c)).await\n}';
    const env = { tables: p.info.schema.tables, style: p.style };
    expect(validateFunction(code, env).map((d) => d.code)).toEqual(['async-in-sync']);
    expect(validateFunction(code, { ...env, asyncWrapper: placed.asyncWrapper! })).toEqual([]);
    expect(fnSystemText(p.style, { asyncWrapper: placed.asyncWrapper! })).toContain('run synchronous Diesel inside `conn.run(move |c| …).await`');
    expect(asyncWrapperOf([{ isAsync: true, body: 'web::block(move || x.load(c)).await' }])).toContain('web::block');
    expect(asyncWrapperOf([{ isAsync: false, body: 'x.load(c)' }, { isAsync: false, body: 'y.load(c)' }, { isAsync: true, body: 'web::block(move || x)' }])).toBeUndefined();
  });

  it('fully qualified split-schema paths resolve through the schema module tree', async () => {
    const fs = memoryProject('pg', 'pub mod account;\n', { 'post.rs': POST }, { 'src/schema/account.rs': 'diesel::table! {\n    accounts (id) {\n        id -> Int4,\n        name -> Text,\n    }\n}\n' });
    const p = await openProject(fs);
    const env = { tables: p.info.schema.tables, style: p.style };
    expect(p.info.schema.tables.find((x) => x.name === 'accounts')?.module).toBe('account');
    const code = 'pub fn names(conn: &mut PgConnection) -> QueryResult<Vec<String>> {\n    crate::schema::account::accounts::table.select(crate::schema::account::accounts::name).order(crate::schema::account::accounts::name.asc()).load(conn)\n}';
    expect(validateFunction(code, env)).toEqual([]);
    expect(validateFunction(code.replace('accounts::name.asc', 'accounts::nam.asc'), env).map((d) => d.code)).toEqual(['unknown-column']);
  });

  it('table and column paths inside macro invocations (db_run! { … }) are checked', async () => {
    const p = await openProject(memoryProject('pg', SCHEMA, { 'post.rs': POST }));
    const env = { tables: p.info.schema.tables, style: p.style };
    const good = 'pub fn find(id: i32, conn: &mut DbConn) -> Option<Post> {\n    db_run! { conn: {\n        posts::table.filter(posts::id.eq(id)).first::<Post>(conn).ok()\n    }}\n}';
    expect(validateFunction(good, env)).toEqual([]);
    const bad = validateFunction(good.replace('posts::id.eq', 'posts::uuid.eq'), env);
    expect(bad.map((d) => d.code)).toEqual(['unknown-column']);
    expect(bad[0]!.line).toBe(3);
    expect(validateFunction('pub fn f() {\n    println!("{}", posts::nothing);\n}', env)).toEqual([]);
  });
});

describe('Diesel 1.x and the backend', () => {
  it('examples are rewritten in the Diesel 1.x dialect', () => {
    const ex = '#[derive(Queryable, Selectable, Debug)]\n#[diesel(table_name = customers)]\n#[diesel(check_for_backend(diesel::pg::Pg))]\npub struct C {}\npub fn all(conn: &mut PgConnection) -> QueryResult<Vec<C>> {\n    customers::table\n        .select(C::as_select())\n        .load(conn)\n}';
    expect(toDiesel1(ex)).toBe('#[derive(Queryable, Debug)]\n#[table_name = "customers"]\npub struct C {}\npub fn all(conn: &PgConnection) -> QueryResult<Vec<C>> {\n    customers::table\n        .load::<C>(conn)\n}');
  });

  it('a Diesel 1.4 project gets the 1.x prompt, and `as_select()` is rejected there', async () => {
    const cargo = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ndiesel = { version = "1.4", features = ["postgres"] }\n';
    const fs = memoryProject('pg', SCHEMA, { 'post.rs': POST.replace('#[derive(Queryable, Selectable)]\n#[diesel(table_name = posts)]', '#[derive(Queryable)]\n#[table_name = "posts"]') }, { 'Cargo.toml': cargo });
    const p = await openProject(fs);
    expect(p.style.diesel1).toBe(true);
    const sys = fnSystemText(p.style);
    expect(sys).toContain('Diesel 1.x');
    expect(sys).toContain('`conn: &PgConnection`');
    const prompt = await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Post', request: 'All published posts.' });
    // The instructions and every example turn (all but the request) are in the Diesel 1.x dialect.
    const system = prompt.messages.slice(0, -1).map((m) => m.content).join('\n');
    expect(system).toContain('#[table_name = "');
    expect(system).not.toContain('as_select()');
    expect(system).not.toContain('&mut PgConnection');
    const env = { tables: p.info.schema.tables, style: p.style };
    expect(validateFunction('pub fn all(conn: &PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.load::<Post>(conn)\n}', env)).toEqual([]);
    expect(validateFunction('pub fn all(conn: &PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.select(Post::as_select()).load(conn)\n}', env).map((d) => d.code)).toEqual(['diesel1-selectable']);
  });

  it('several backends: the schema’s SQL types and existing signatures decide; else the code must stay backend-neutral', async () => {
    const multi = '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\ndiesel = { version = "2", features = ["postgres", "mysql", "sqlite"] }\n';
    const neutral = memoryProject('pg', SCHEMA, { 'post.rs': POST }, { 'Cargo.toml': multi });
    const n = await openProject(neutral);
    expect(n.style.neutralBackends).toEqual(['pg', 'mysql', 'sqlite']);
    expect(fnSystemText(n.style)).toContain('write backend-neutral code');
    const pgTypes = memoryProject('pg', SCHEMA.replace('published -> Bool', 'published_at -> Timestamptz'), { 'post.rs': POST }, { 'Cargo.toml': multi });
    const pg = await openProject(pgTypes);
    expect([pg.style.backend, pg.style.neutralBackends]).toEqual(['pg', undefined]);
    const bySig = memoryProject('pg', SCHEMA, { 'post.rs': `${POST}\nimpl Post {\n    pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<Post>> {\n        posts::table.load(conn)\n    }\n}\n` }, { 'Cargo.toml': multi });
    expect((await openProject(bySig)).style.backend).toBe('sqlite');
  });

  it('diesel.toml and check_for_backend decide between several backends (alexandrie-style features); structs then name that backend', async () => {
    // alexandrie's way: every backend is a feature of the project, the default one picks diesel's.
    const features = '[package]\nname = "app"\nversion = "0.1.0"\n\n[features]\nmysql = ["diesel/mysql"]\nsqlite = ["diesel/sqlite"]\npostgres = ["diesel/postgres"]\n\n[dependencies]\ndiesel = { version = "2", features = ["chrono"] }\n';
    expect(dieselTomlBackends('[print_schema]\nfile = "src/schema.rs"\nimport_types = ["diesel::sql_types::*", "diesel::pg::sql_types::*"]\n')).toEqual(['pg']);
    expect(dieselTomlBackends('[print_schema]\nfile = "src/schema.rs"\nsqlite_integer_primary_key_is_bigint = true\n')).toEqual(['sqlite']);
    expect(dieselTomlBackends('[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "migrations/mysql"\n')).toEqual(['mysql']);
    expect(dieselTomlBackends('[print_schema.smdb]\nschema = "smdb"\n')).toEqual(['pg']);
    expect(dieselTomlBackends('not = [toml')).toEqual([]);
    const byToml = memoryProject('pg', SCHEMA, { 'post.rs': POST }, { 'Cargo.toml': features, 'diesel.toml': '[print_schema]\nfile = "src/schema.rs"\n\n[migrations_directory]\ndir = "migrations/sqlite"\n' });
    const t = await openProject(byToml);
    expect([t.style.backend, t.style.backendKnown, t.style.neutralBackends]).toEqual(['sqlite', true, undefined]);
    const byCheck = memoryProject('pg', SCHEMA, { 'post.rs': POST.replace('#[diesel(table_name = posts)]', '#[diesel(table_name = posts, check_for_backend(diesel::mysql::Mysql))]') }, { 'Cargo.toml': features });
    const c = await openProject(byCheck);
    expect([c.style.backend, c.style.connType]).toEqual(['mysql', 'MysqlConnection']);
    // Nothing decides and Cargo.toml enables no backend: structs name none (`diesel::mysql` may not exist).
    const none = await openProject(memoryProject('pg', SCHEMA, { 'post.rs': POST }, { 'Cargo.toml': features }));
    expect(none.style.checkBackends).toEqual([]);
    const gen = generateStructs(none.info.findTable('posts')!, { style: none.style, kinds: ['row'] });
    expect(gen.structs[0]!.code).toContain('#[diesel(table_name = posts)]\npub struct Post');
    const multi = await openProject(memoryProject('pg', SCHEMA, { 'post.rs': POST }, { 'Cargo.toml': features.replace('features = ["chrono"]', 'features = ["chrono", "postgres", "sqlite"]') }));
    expect(generateStructs(multi.info.findTable('posts')!, { style: multi.style, kinds: ['row'] }).structs[0]!.code).toContain('check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite)');
  });
});

describe('context', () => {
  it('derives behind cfg_attr are shown unwrapped', async () => {
    const gated = POST.replace('#[derive(Queryable, Selectable)]\n#[diesel(table_name = posts)]', '#[cfg_attr(feature = "full", derive(Queryable, Selectable))]\n#[cfg_attr(feature = "full", diesel(table_name = posts, check_for_backend(diesel::pg::Pg)))]');
    expect(unwrapCfgAttr('cfg_attr(all(feature = "a", not(test)), derive(Queryable, Selectable), diesel(table_name = posts))')).toEqual(['derive(Queryable, Selectable)', 'diesel(table_name = posts)']);
    const fs = memoryProject('pg', SCHEMA, { 'post.rs': gated });
    const prompt = await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Post', request: 'All published posts.' });
    const user = prompt.messages.at(-1)!.content;
    expect(user).toContain('#[derive(Queryable, Selectable)]\n#[diesel(table_name = posts, check_for_backend(diesel::pg::Pg))]\npub struct Post');
  });
});

describe('imports on real projects', () => {
  const answer = '```rust\npub fn drafts(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.filter(posts::published.eq(false)).order(posts::id.desc()).load(conn)\n}\n```';

  it('a file that imports Diesel traits one by one gets only the missing ones, never the prelude (E0034)', async () => {
    const queries = 'use diesel::query_dsl::methods::FilterDsl;\nuse diesel::{ExpressionMethods, RunQueryDsl};\nuse crate::models::post::Post;\nuse crate::schema::posts;\n\npub fn published(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n    posts::table.filter(posts::published.eq(true)).load(conn)\n}\n';
    const { p } = await project({ 'src/queries.rs': queries });
    const info = (await import('../../../src/rust')).parseRustFile(queries, 'src/queries.rs');
    const r = await processFunctionAnswer({ content: answer }, { importEnv: importEnvFor(p, 'src/queries.rs', info), rustfmt: false });
    expect(r.uses).not.toContain('diesel::prelude::*');
    expect(r.uses).toContain('diesel::query_dsl::methods::OrderDsl');
    expect(r.uses).not.toContain('diesel::QueryDsl');
    expect(r.uses).not.toContain('diesel::ExpressionMethods');
  });

  it('the project’s own helper types come with the path the other files import them by', async () => {
    const other = 'use crate::error::DashResult;\nuse crate::schema::posts;\n\npub fn x() {}\n';
    const { p } = await project({ 'src/error.rs': 'pub type DashResult<T> = Result<T, String>;\n' }, { 'post.rs': POST, 'other.rs': `${other}#[derive(Queryable)]\n#[diesel(table_name = posts)]\npub struct Other { pub id: i32 }\n` });
    const file = p.info.files.find((f) => f.file === 'src/models/post.rs');
    const r = await processFunctionAnswer({ content: answer.replace('QueryResult<Vec<Post>>', 'DashResult<Vec<Post>>') }, { importEnv: importEnvFor(p, 'src/models/post.rs', file), rustfmt: false });
    expect(r.uses).toContain('crate::error::DashResult');
    expect(r.uses).toContain('diesel::prelude::*');
  });
});

describe('context ranking', () => {
  it('a hub table shows only the joinable tables the request names (by table or column), and the enums it names', async () => {
    const hub = `${SCHEMA}diesel::table! {\n    authors (id) {\n        id -> Int4,\n        username -> Text,\n    }\n}\ndiesel::table! {\n    tags (id) {\n        id -> Int4,\n        post_id -> Int4,\n        label -> Text,\n    }\n}\ndiesel::table! {\n    comments (id) {\n        id -> Int4,\n        post_id -> Int4,\n        text -> Text,\n    }\n}\ndiesel::table! {\n    votes (id) {\n        id -> Int4,\n        post_id -> Int4,\n    }\n}\ndiesel::joinable!(tags -> posts (post_id));\ndiesel::joinable!(comments -> posts (post_id));\ndiesel::joinable!(votes -> posts (post_id));\n`;
    const withEnum = `${POST}\n#[derive(Debug)]\npub enum ReviewState {\n    Draft,\n    Live,\n}\n`;
    const fs = memoryProject('pg', hub, { 'post.rs': withEnum });
    const blocks = (text: string) => [...text.matchAll(/diesel::table! \{\n\s+(\w+)/g)].map((m) => m[1]);
    const named = await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Post', request: 'Posts with their comments.' });
    expect(blocks(named.messages.at(-1)!.content)).toEqual(['posts', 'comments']);
    const byColumn = await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Post', request: 'Posts that have a tag with this label, in review state.' });
    expect(blocks(byColumn.messages.at(-1)!.content)).toEqual(['posts', 'tags']);
    expect(byColumn.messages.at(-1)!.content).toContain('pub enum ReviewState');
    expect(named.messages.at(-1)!.content).not.toContain('ReviewState');
  });
});
