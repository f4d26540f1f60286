import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser } from '../../../src/rust';
import { placeFunction } from '../../../modes/diesel-model-fn/placement';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import { withCfgGate } from '../../../modes/diesel-common/cfgGate';
import { normalizeDslGlobs } from '../../../modes/diesel-common/dslGlobs';
import { processFunctionAnswer } from '../../../modes/diesel-common/fnArtifact';
import { importEnvFor, openProject, resolveTargetStruct } from '../../../modes/diesel-common/project';
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
