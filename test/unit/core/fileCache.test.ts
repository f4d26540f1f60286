import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProjectFileCache, SETTLED_MS } from '../../../src/core/fileCache';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { initRustParser, loadProject } from '../../../src/rust';
import { clearParseCache, parseCacheStats } from '../../../src/rust/parseCache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'nocodo-filecache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, text: string): string => {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
};
/** A cache whose clock runs ahead, so files written by the test count as settled. */
const settledCache = (limits?: { entries: number; bytes: number }): ProjectFileCache => new ProjectFileCache(limits, () => Date.now() + SETTLED_MS + 60_000);

describe('project files remembered by path, size and mtime', () => {
  it('a file whose stat did not change is not read again, and the very same string comes back', async () => {
    write('src/models.rs', 'pub struct User;\n');
    const cache = settledCache();
    const fs = new NodeProjectFs(dir, { cache });
    const a = await fs.readFile('src/models.rs');
    const b = await fs.readFile('src/models.rs');
    expect(b).toBe(a);
    expect(cache.stats()).toMatchObject({ reads: 1, hits: 1, entries: 1 });
  });

  it('a changed file is read again without any watcher event: size, mtime, ctime or inode differ', async () => {
    const abs = write('src/models.rs', 'pub struct User;\n');
    const cache = settledCache();
    const fs = new NodeProjectFs(dir, { cache });
    expect(await fs.readFile('src/models.rs')).toBe('pub struct User;\n');
    writeFileSync(abs, 'pub struct User { pub id: i32 }\n');
    expect(await fs.readFile('src/models.rs')).toBe('pub struct User { pub id: i32 }\n');
    // Same size, and the mtime put back as it was: the ctime still moved.
    const then = 1_700_000_000;
    utimesSync(abs, then, then);
    expect(await fs.readFile('src/models.rs')).toBe('pub struct User { pub id: i32 }\n');
    writeFileSync(abs, 'pub struct Uzer { pub id: i32 }\n');
    utimesSync(abs, then, then);
    expect(statSync(abs).mtimeMs).toBe(then * 1000);
    expect(await fs.readFile('src/models.rs')).toBe('pub struct Uzer { pub id: i32 }\n');
    // Replaced by another file (a new inode), as editors that save by rename do.
    rmSync(abs);
    write('src/models.rs', 'pub struct Uzer { pub id: i64 }\n');
    expect(await fs.readFile('src/models.rs')).toBe('pub struct Uzer { pub id: i64 }\n');
    expect(cache.stats()).toMatchObject({ reads: 5, hits: 0 });
  });

  it('a file changed within the last moments is read again every time (its times may not move on the next write), the same string kept', async () => {
    write('src/lib.rs', 'mod models;\n');
    const cache = new ProjectFileCache();
    const fs = new NodeProjectFs(dir, { cache });
    const a = await fs.readFile('src/lib.rs');
    const b = await fs.readFile('src/lib.rs');
    expect(b).toBe(a);
    expect(cache.stats()).toMatchObject({ reads: 2, hits: 0 });
  });

  it('a watcher event drops the file; a deleted folder drops everything below it', async () => {
    const models = write('src/models/user.rs', 'pub struct User;\n');
    write('src/models/order.rs', 'pub struct Order;\n');
    write('src/lib.rs', 'mod models;\n');
    const cache = settledCache();
    const fs = new NodeProjectFs(dir, { cache });
    for (const f of ['src/models/user.rs', 'src/models/order.rs', 'src/lib.rs']) await fs.readFile(f);
    cache.drop(models);
    expect(cache.stats()).toMatchObject({ dropped: 1, entries: 2 });
    await fs.readFile('src/models/user.rs');
    expect(cache.stats().reads).toBe(4);
    cache.dropTree(path.join(dir, 'src/models'));
    expect(cache.stats()).toMatchObject({ dropped: 3, entries: 1 });
    cache.drop(path.join(dir, 'src/unknown.rs'));
    expect(cache.stats().dropped).toBe(3);
  });

  it('stays within its limits, least recently used out first', async () => {
    for (const n of ['a', 'b', 'c']) write(`${n}.rs`, `// ${n}\n`);
    const cache = settledCache({ entries: 2, bytes: 1 << 20 });
    const fs = new NodeProjectFs(dir, { cache });
    await fs.readFile('a.rs');
    await fs.readFile('b.rs');
    await fs.readFile('a.rs'); // a is now the most recent
    await fs.readFile('c.rs'); // b goes
    expect(cache.stats()).toMatchObject({ entries: 2, reads: 3, hits: 1 });
    await fs.readFile('a.rs');
    await fs.readFile('b.rs');
    expect(cache.stats()).toMatchObject({ reads: 4, hits: 2 });
    const small = settledCache({ entries: 100, bytes: 8 });
    const fs2 = new NodeProjectFs(dir, { cache: small });
    await fs2.readFile('a.rs');
    await fs2.readFile('b.rs');
    expect(small.stats()).toMatchObject({ entries: 1, bytes: 5 });
  });

  it('missing files, folders and links out of the project read as missing, as without the cache', async () => {
    write('src/lib.rs', 'mod models;\n');
    const outside = mkdtempSync(path.join(os.tmpdir(), 'nocodo-outside-'));
    try {
      writeFileSync(path.join(outside, 'secret.rs'), 'const KEY: &str = "x";\n');
      symlinkSync(path.join(outside, 'secret.rs'), path.join(dir, 'src/secret.rs'));
      const cache = settledCache();
      const fs = new NodeProjectFs(dir, { cache });
      expect(await fs.readFile('src/missing.rs')).toBeUndefined();
      expect(await fs.readFile('src')).toBeUndefined();
      expect(await fs.readFile('src/secret.rs')).toBeUndefined();
      expect(cache.stats().entries).toBe(0);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('a project loaded twice through the cache', () => {
  beforeAll(() => initRustParser());

  it('parses nothing again and does not even hash the texts; a changed file is parsed anew', async () => {
    write('Cargo.toml', '[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\ndiesel = { version = "2", features = ["postgres"] }\n');
    write('src/schema.rs', 'diesel::table! {\n    users (id) {\n        id -> Int4,\n        name -> Varchar,\n    }\n}\n');
    const models = write('src/models.rs', '#[derive(Queryable)]\n#[diesel(table_name = crate::schema::users)]\npub struct User {\n    pub id: i32,\n    pub name: String,\n}\n');
    write('src/lib.rs', 'pub mod models;\npub mod schema;\n');
    const cache = settledCache();
    const fs = new NodeProjectFs(dir, { cache });
    clearParseCache();
    await loadProject(fs);
    const first = parseCacheStats();
    const { reads, hits } = cache.stats();
    const again = await loadProject(fs);
    expect(cache.stats().reads).toBe(reads);
    expect(cache.stats().hits - hits).toBeGreaterThanOrEqual(4); // Cargo.toml, schema.rs, models.rs, lib.rs at least
    expect(parseCacheStats()).toMatchObject({ misses: first.misses, hits: first.hits + 2, unhashed: first.unhashed + 2 });
    expect(again.files.map((f) => f.structs.map((s) => s.name))).toEqual([['User']]);
    writeFileSync(models, '#[derive(Queryable)]\n#[diesel(table_name = crate::schema::users)]\npub struct Customer {\n    pub id: i32,\n    pub name: String,\n}\n');
    const changed = await loadProject(fs);
    expect(changed.files.map((f) => f.structs.map((s) => s.name))).toEqual([['Customer']]);
    expect(parseCacheStats().misses).toBe(first.misses + 1);
  });
});
