import { closeSync, openSync, readFileSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { loadSqlJs } from '../../../src/store/sqljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoreChange } from '../../../src/store';
import { cleanupTempDirs, open, seedBoard, seededStore, tempDir } from './helpers';

afterEach(cleanupTempDirs);

/** Two stores on one file in one process behave like two windows: same lock, same reload path. */
async function twoWindows() {
  const { file, board, ...a } = await seededStore();
  const b = await open(file);
  return { file, a, b, board };
}

describe('two windows on one database', () => {
  it('merges both windows’ rows and field edits', async () => {
    const { file, a, b, board } = await twoWindows();
    a.store.messages.create({ sessionId: board.session.id, author: 'user', content: 'from A' });
    a.store.tasks.update(board.list.id, { technicalNotes: 'notes from A' });
    b.store.messages.create({ sessionId: board.session.id, author: 'user', content: 'from B' });
    b.store.tasks.update(board.list.id, { request: 'request from B' });
    await a.store.flush();
    await b.store.flush(); // B finds A's save, re-applies its own changes on top
    expect(b.store.messages.list(board.session.id).map((m) => m.content).sort()).toEqual(['from A', 'from B']);
    await a.store.close();
    await b.store.close();
    const { store } = await open(file);
    expect(store.messages.list(board.session.id).map((m) => m.content).sort()).toEqual(['from A', 'from B']);
    expect(store.tasks.get(board.list.id)).toMatchObject({ technicalNotes: 'notes from A', request: 'request from B' });
    await store.close();
  });

  it('re-checks a transition against the state the other window saved', async () => {
    const { a, b, board } = await twoWindows();
    a.store.transitionTask(board.table.id, { to: 'needs_technical_shaping', by: 'project_manager' });
    a.store.transitionTask(board.list.id, { to: 'needs_technical_shaping', by: 'project_manager' });
    await a.store.flush();
    // B still sees both tasks in draft.
    b.store.transitionTask(board.table.id, { to: 'blocked', by: 'user', why: 'waiting' }); // still legal from the new state
    b.store.transitionTask(board.list.id, { to: 'needs_technical_shaping', by: 'engineering_manager' }); // already there: refused
    await b.store.flush();
    const events = b.store.events.list(board.table.id).map((e) => `${e.from}>${e.to}`);
    expect(events).toEqual(['draft>needs_technical_shaping', 'needs_technical_shaping>blocked']);
    expect(b.store.events.list(board.list.id)).toHaveLength(1);
    const conflicts = b.notices.filter((n) => n.kind === 'conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ table: 'tasks', id: board.list.id });
    expect(conflicts[0]!.message).toMatch(/changed in another window/);
    await a.store.close();
    await b.store.close();
  });

  it('reload() picks up the other window’s save and tells listeners', async () => {
    const { a, b, board } = await twoWindows();
    const changes: StoreChange[] = [];
    b.store.onChange((c) => changes.push(c));
    expect(await b.store.reload()).toBe(false);
    a.store.comments.create({ taskId: board.table.id, author: 'user', body: 'hello from A' });
    await a.store.flush();
    const pending = b.store.comments.create({ taskId: board.table.id, author: 'user', body: 'unsaved in B' });
    expect(await b.store.reload()).toBe(true);
    expect(b.store.comments.list(board.table.id).map((c) => c.body)).toEqual(['hello from A', 'unsaved in B']);
    expect(changes.at(-1)).toMatchObject({ source: 'external' });
    await b.store.flush();
    await a.store.reload();
    expect(a.store.comments.get(pending.id)?.body).toBe('unsaved in B');
    await a.store.close();
    await b.store.close();
  });

  it('refuses to overwrite a database upgraded by a newer nocodo, keeping its changes', async () => {
    const { file, a, b, board } = await twoWindows();
    await a.store.close();
    const { editDbFile } = await import('./helpers');
    await editDbFile(file, 'PRAGMA user_version = 99;');
    b.store.comments.create({ taskId: board.table.id, author: 'user', body: 'x' });
    await expect(b.store.flush()).rejects.toThrow(/newer version of nocodo/);
    expect(b.store.comments.list(board.table.id)).toHaveLength(1);
    await expect(b.store.close()).rejects.toThrow(/newer version/);
  });
});

describe('change detection', () => {
  it("notices another window's save even when the file's inode, size and mtime look unchanged", async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const a = await open(file);
    const board = seedBoard(a.store);
    await a.store.close();
    // Whole seconds survive utimes exactly, so the forged file below can carry the very same mtime.
    const T = Math.floor(Date.now() / 1000) - 100;
    utimesSync(file, T, T);
    const b = await open(file);
    // What a reused inode plus a coarse clock can produce: new content, same stat identity.
    const before = statSync(file);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(file));
    db.run("INSERT INTO comments (id, task_id, author, body, created_at) VALUES ('cmt_other', ?, 'user', 'other window', 1)", [board.table.id]);
    const bytes = db.export();
    db.close();
    expect(bytes.length).toBe(before.size);
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, 0);
    closeSync(fd);
    utimesSync(file, T, T);
    writeFileSync(`${file}.gen`, 'token-of-the-other-window');
    const after = statSync(file);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);

    b.store.comments.create({ taskId: board.table.id, author: 'user', body: 'mine' });
    await b.store.flush();
    expect(b.store.comments.list(board.table.id).map((c) => c.body).sort()).toEqual(['mine', 'other window']);
    await b.store.close();
  });
});
