import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { harnessChange, loadHarness, missingNeed } from '../../../src/eval/harness';
import { loadTasks } from '../../../src/eval';
import { initRustParser } from '../../../src/rust';

/** What of an answer's change goes into a compile harness crate: exactly what the change adds, as written. */

beforeAll(() => initRustParser());

const ORIGINAL = `use diesel::prelude::*;
use crate::schema::posts;

const PAGE: i64 = 20;

pub struct Post {
    pub id: i32,
}

impl Post {
    pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {
        posts::table.load(conn)
    }
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    posts::table.count().get_result(conn)
}
`;
const HARNESS = 'use diesel::prelude::*;\nuse crate::schema::posts;\n\npub struct Post {\n    pub id: i32,\n}\n';

describe('harnessChange', () => {
  it('keeps the harness text and adds only the new use lines, the new method inside its impl header, and new items', () => {
    const method = '    /// The newest first.\n    pub fn newest(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n        posts::table.order(posts::id.desc()).load(conn)\n    }\n';
    const proposed = ORIGINAL.replace('use crate::schema::posts;', 'use crate::schema::posts;\nuse crate::models::Page;').replace('    }\n}\n\npub fn count', `    }\n\n${method}}\n\npub fn count`) + '\npub fn first(conn: &mut PgConnection) -> QueryResult<Post> {\n    posts::table.first(conn)\n}\n';
    const h = harnessChange({ path: 'src/post.rs', original: ORIGINAL, proposed, ops: [] }, HARNESS)!;
    expect(h.original).toBe(HARNESS);
    expect(h.proposed).toBe(
      `${HARNESS}\nuse crate::models::Page;\n\npub fn first(conn: &mut PgConnection) -> QueryResult<Post> {\n    posts::table.first(conn)\n}\n\nimpl Post {\n${method}}\n`,
    );
  });

  it('a harness file that is the upstream file itself: the masked function is replaced by the answer’s, in its impl or at the top', () => {
    const upstream = `${ORIGINAL}\nimpl Post {\n    /// Upstream's.\n    #[inline]\n    pub fn newest(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n        todo!()\n    }\n}\n\npub fn first(conn: &mut PgConnection) -> QueryResult<Post> {\n    todo!()\n}\n`;
    const method = '    pub fn newest(conn: &mut PgConnection) -> QueryResult<Vec<Post>> {\n        posts::table.order(posts::id.desc()).load(conn)\n    }\n';
    const free = 'pub fn first(conn: &mut PgConnection) -> QueryResult<Post> {\n    posts::table.first(conn)\n}\n';
    const proposed = `${ORIGINAL.replace('    }\n}\n\npub fn count', `    }\n\n${method}}\n\npub fn count`)}\n${free}`;
    const h = harnessChange({ path: 'src/post.rs', original: ORIGINAL, proposed, ops: [] }, upstream)!;
    expect(h.proposed).not.toContain('todo!()');
    expect(h.proposed).not.toContain("Upstream's");
    expect(h.proposed.match(/fn newest/g)).toHaveLength(1);
    expect(h.proposed.match(/fn first/g)).toHaveLength(1);
    expect(h.proposed).toContain('fn all(');
  });

  it('a new file is taken whole; a changed file the harness lacks cannot be compiled there', () => {
    const created = harnessChange({ path: 'src/models/tag.rs', original: null, proposed: 'pub struct Tag;\n', ops: [] }, undefined)!;
    expect(created).toMatchObject({ original: null, proposed: 'pub struct Tag;\n' });
    expect(harnessChange({ path: 'src/other.rs', original: ORIGINAL, proposed: `${ORIGINAL}\nfn x() {}\n`, ops: [] }, undefined)).toBeUndefined();
  });

  it('every corpus-real harness loads (upstream files mapped in, a Cargo.lock pinning the build) and holds the file its tasks write to', async () => {
    const tasks = (await loadTasks(path.resolve(__dirname, '../../../eval/tasks/corpus-real'))).filter((t) => t.harness);
    expect(tasks.length).toBeGreaterThanOrEqual(6);
    for (const t of tasks) {
      const h = await loadHarness(t.harness!.dir);
      expect(h.files.has('Cargo.lock'), t.id).toBe(true);
      if (t.mode === 'diesel-model-fn') expect(h.files.has(t.expectFile!), t.id).toBe(true);
    }
    await expect(loadHarness(path.resolve(__dirname))).rejects.toThrow(/no harness\.json/);
  });
});

describe('harness needs (system libraries a harness crate links)', () => {
  it('the MySQL harness names the MySQL client library; a missing one is a skip reason with its install hint', async () => {
    const harness = await loadHarness(path.resolve(__dirname, '../../../eval/tasks/corpus-real/_crates/mysql-getting-started'));
    expect(harness.needs).toEqual([expect.objectContaining({ pkgConfig: 'mysqlclient', install: 'apt-get install default-libmysqlclient-dev' })]);
    expect(missingNeed(harness.needs, () => true)).toBeUndefined();
    expect(missingNeed(harness.needs, (pkg) => pkg !== 'mysqlclient')).toBe(
      "the MySQL client library (Diesel's mysql feature links it through mysqlclient-sys) is not installed (pkg-config finds no mysqlclient): apt-get install default-libmysqlclient-dev",
    );
    expect(missingNeed(undefined)).toBeUndefined();
  });
});
