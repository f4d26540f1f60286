import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreNotice } from '../../../src/store';
import { cleanupTempDirs, open, sampleRun, seedBoard, seededStore, tempDir, writeDbFromSql } from './helpers';

afterEach(cleanupTempDirs);

function corruptNotice(notices: StoreNotice[]): Extract<StoreNotice, { kind: 'corrupt' }> {
  const n = notices.filter((x) => x.kind === 'corrupt');
  expect(n).toHaveLength(1);
  return n[0] as Extract<StoreNotice, { kind: 'corrupt' }>;
}

/** Opening must set the bad file aside untouched, tell the user, and start a working, empty store. */
async function expectSetAside(file: string, reason: RegExp): Promise<void> {
  const original = readFileSync(file);
  const { store, notices } = await open(file);
  const n = corruptNotice(notices);
  expect(path.basename(n.movedTo)).toMatch(/^db\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/);
  expect(readFileSync(n.movedTo).equals(original)).toBe(true);
  expect(n.message).toMatch(reason);
  expect(n.message).toContain(n.movedTo);
  expect(n.message).toMatch(/nothing was deleted/);
  expect(store.sessions.list()).toEqual([]);
  seedBoard(store);
  await store.close();
  const { store: again, notices: later } = await open(file);
  expect(later).toEqual([]);
  expect(again.sessions.list()).toHaveLength(1);
  await again.close();
}

describe('corrupt database files', () => {
  it('sets aside random bytes', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    writeFileSync(file, randomBytes(50_000));
    await expectSetAside(file, /not a SQLite database/);
  });

  it('sets aside a truncated database', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file);
    const { session } = seedBoard(store);
    for (let i = 0; i < 200; i++) store.messages.create({ sessionId: session.id, author: 'user', content: `message ${i} `.repeat(40) });
    for (let i = 0; i < 20; i++) store.runs.create(sampleRun(`run_${i}`, { raw: randomBytes(3000).toString('hex') }));
    await store.close();
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    await expectSetAside(file, /damaged|malformed|integrity/i);
  });

  it('sets aside a database from a newer nocodo', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    await writeDbFromSql(file, 'CREATE TABLE sessions (id TEXT PRIMARY KEY); PRAGMA user_version = 99;');
    await expectSetAside(file, /newer version of nocodo \(schema 99\)/);
  });

  it("sets aside a SQLite file that is not nocodo's", async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    await writeDbFromSql(file, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);");
    await expectSetAside(file, /not nocodo's \(tables: invoices\)/);
  });

  it('sets aside a file claiming the current version but missing tables', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { SCHEMA_VERSION } = await import('../../../src/store');
    await writeDbFromSql(file, `CREATE TABLE sessions (id TEXT PRIMARY KEY); PRAGMA user_version = ${SCHEMA_VERSION};`);
    await expectSetAside(file, /table \w+ (is missing|lacks columns)/);
  });

  it('treats an empty file as a new database without a notice', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    writeFileSync(file, '');
    const { store, notices } = await open(file);
    expect(notices).toEqual([]);
    seedBoard(store);
    await store.close();
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['db.sqlite', 'db.sqlite.gen']);
  });

  it('keeps its own data when the file is damaged behind its back, setting the damaged one aside', async () => {
    const { file, store, notices, board: { session } } = await seededStore();
    writeFileSync(file, 'garbage written by something else');
    store.messages.create({ sessionId: session.id, author: 'user', content: 'after' });
    await store.flush();
    const n = corruptNotice(notices);
    expect(readFileSync(n.movedTo, 'utf8')).toBe('garbage written by something else');
    expect(n.message).toMatch(/saved as the new database/);
    await store.close();
    const { store: again } = await open(file);
    expect(again.messages.list(session.id).map((m) => m.content)).toEqual(['after']);
    expect(again.tasks.list()).toHaveLength(2);
    await again.close();
  });
});
