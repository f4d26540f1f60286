import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalPath } from '../../../src/store/journalFile';
import { cleanupTempDirs, open, seededStore } from './helpers';

afterEach(cleanupTempDirs);

describe('the journal beside the database', () => {
  it('saves a change by appending to the journal, without rewriting the database file', async () => {
    const { file, board, store } = await seededStore();
    const before = statSync(file);
    const journalBefore = statSync(journalPath(file)).size;
    store.messages.create({ id: 'msg_appended', sessionId: board.session.id, author: 'user', content: 'appended' });
    await store.flush();
    const after = statSync(file);
    expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
    const journalAfter = statSync(journalPath(file)).size;
    expect(journalAfter).toBeGreaterThan(journalBefore);
    // Roughly the size of the change, not of the database.
    expect(journalAfter - journalBefore).toBeLessThan(1000);

    // Another process sees it: the file plus the journal.
    const other = await open(file);
    expect(other.store.messages.get('msg_appended')?.content).toBe('appended');
    expect(other.notices).toEqual([]);
    await other.store.close();
    await store.close();
  });

  it('folds the journal into the file on close, leaving the database and its generation file only', async () => {
    const { file, board, store } = await seededStore();
    store.messages.create({ sessionId: board.session.id, author: 'user', content: 'x' });
    await store.flush();
    expect(existsSync(journalPath(file))).toBe(true);
    await store.close();
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['db.sqlite', 'db.sqlite.gen']);
    const { store: again } = await open(file);
    expect(again.messages.list(board.session.id).map((m) => m.content)).toEqual(['x']);
    await again.close();
  });

  it('folds the journal into the file once it outgrows its share of the file', async () => {
    const { file, board, store } = await seededStore();
    const inode = statSync(file).ino;
    let folded = false;
    // 1 MB is the least the journal grows to before it is folded in.
    for (let i = 0; i < 60 && !folded; i++) {
      store.messages.create({ sessionId: board.session.id, author: 'user', content: `${i} `.repeat(10_000) });
      await store.flush();
      folded = statSync(file).ino !== inode;
    }
    expect(folded).toBe(true);
    expect(statSync(journalPath(file), { throwIfNoEntry: false })?.size ?? 0).toBeLessThan(100_000);
    const { store: again } = await open(file);
    expect(again.messages.list(board.session.id).length).toBe(store.messages.list(board.session.id).length);
    await again.close();
    await store.close();
  });

  it('skips an append that was cut short (never reported saved) and writes over it', async () => {
    const { file, board, store } = await seededStore();
    store.messages.create({ id: 'msg_saved', sessionId: board.session.id, author: 'user', content: 'saved' });
    await store.flush();
    appendFileSync(journalPath(file), '0123456789abcdef {"op":"insert","table":"messages","row":{"id":"msg_cut"'); // a kill mid-write
    const other = await open(file);
    expect(other.notices).toEqual([]);
    expect(other.store.messages.get('msg_saved')?.content).toBe('saved');
    expect(other.store.messages.get('msg_cut')).toBeUndefined();
    other.store.messages.create({ id: 'msg_next', sessionId: board.session.id, author: 'user', content: 'next' });
    await other.store.flush();
    expect(readFileSync(journalPath(file), 'utf8')).not.toContain('msg_cut');
    await store.reload();
    expect(store.messages.get('msg_next')?.content).toBe('next');
    await other.store.close();
    await store.close();
  });

  it('sets a damaged journal aside, keeping the changes before the damage', async () => {
    const { file, board, store } = await seededStore();
    store.messages.create({ id: 'msg_1', sessionId: board.session.id, author: 'user', content: 'one' });
    await store.flush();
    store.messages.create({ id: 'msg_2', sessionId: board.session.id, author: 'user', content: 'two' });
    await store.flush();
    store.messages.create({ id: 'msg_3', sessionId: board.session.id, author: 'user', content: 'three' });
    await store.flush();
    const lines = readFileSync(journalPath(file), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"msg_2"'));
    lines[i] = lines[i]!.replace('two', 'owt'); // fails its checksum, with a complete line after it
    const damaged = lines.join('\n');
    writeFileSync(journalPath(file), damaged);
    const other = await open(file);
    const n = other.notices.filter((x) => x.kind === 'corrupt');
    expect(n).toHaveLength(1);
    const movedTo = (n[0] as { movedTo: string }).movedTo;
    expect(path.basename(movedTo)).toMatch(/^db\.sqlite\.journal\.corrupt-/);
    expect(readFileSync(movedTo, 'utf8')).toBe(damaged);
    expect(n[0]!.message).toMatch(/nothing was deleted/);
    expect(other.store.messages.get('msg_1')?.content).toBe('one');
    expect(other.store.messages.get('msg_2')).toBeUndefined();
    await other.store.close();
    await store.close().catch(() => undefined);
  });

  it('ignores a journal left by a fold that crashed before removing it: nothing is applied twice', async () => {
    const { file, board, store } = await seededStore();
    store.tasks.update(board.table.id, { technicalNotes: 'first' });
    await store.flush();
    store.transitionTask(board.table.id, { to: 'needs_technical_shaping', by: 'project_manager' });
    await store.flush();
    const stale = path.join(path.dirname(file), 'stale-journal');
    copyFileSync(journalPath(file), stale);
    await store.close(); // folds: the file holds both changes under a new epoch
    const updatedAt = (await open(file)).store.tasks.get(board.table.id)!.updatedAt;
    copyFileSync(stale, journalPath(file)); // as if the fold's removal never happened
    const { store: again, notices } = await open(file);
    expect(notices).toEqual([]);
    expect(again.events.list(board.table.id)).toHaveLength(1);
    // Re-applying the old patch would have set updatedAt back to the patch's time.
    expect(again.tasks.get(board.table.id)).toMatchObject({ technicalNotes: 'first', state: 'needs_technical_shaping', updatedAt });
    again.comments.create({ taskId: board.table.id, author: 'user', body: 'after' });
    await again.flush();
    expect(readFileSync(journalPath(file), 'utf8')).not.toContain('first');
    await again.close();
  });

  it("picks up another window's appends without reading the database file again", async () => {
    const { file, board, store: a } = await seededStore();
    const { store: b } = await open(file);
    const changes: string[] = [];
    b.onChange((c) => changes.push(c.source));
    a.comments.create({ id: 'cmt_a', taskId: board.table.id, author: 'user', body: 'from A' });
    await a.flush();
    const inode = statSync(file).ino;
    expect(await b.reload()).toBe(true);
    expect(b.comments.get('cmt_a')?.body).toBe('from A');
    expect(changes).toEqual(['external']);
    expect(statSync(file).ino).toBe(inode);
    // And B's own append lands after A's in the same journal.
    b.comments.create({ id: 'cmt_b', taskId: board.table.id, author: 'user', body: 'from B' });
    await b.flush();
    await a.reload();
    expect(a.comments.list(board.table.id).map((c) => c.id)).toEqual(['cmt_a', 'cmt_b']);
    await a.close();
    await b.close();
  });
});
