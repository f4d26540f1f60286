import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../src/domain';
import { StoreClosedError, StoreDataError, StoreNotFoundError, StoreValidationError, type StoreChange } from '../../../src/store';
import { cleanupTempDirs, editDbFile, open, sampleRun, seedBoard, tempDir } from './helpers';

afterEach(cleanupTempDirs);

describe('repositories', () => {
  it('creates, reads, lists and updates every kind of row, and keeps them across reopen', async () => {
    const file = path.join(tempDir(), 'nested', 'dir', 'nocodo.sqlite');
    const { store } = await open(file);
    const { session, epic, table, list } = seedBoard(store);
    store.messages.create({
      sessionId: session.id,
      author: 'product_owner',
      content: 'Questions',
      questions: [{ id: 'q1', kind: 'multiple', text: 'Which?', options: [{ id: 'a', label: 'A' }, { id: 'b', label: 'B', recommended: true }], allowOther: false }],
    });
    store.messages.create({ sessionId: session.id, author: 'user', content: '', answers: [{ questionId: 'q1', selected: ['a', 'b'] }] });
    store.comments.create({ taskId: table.id, author: 'user', body: 'Keep it small' });
    store.runs.create(sampleRun('run_a', { taskId: table.id, sessionId: session.id }));
    store.runs.create(sampleRun('run_b', { taskId: list.id, timings: { startedAt: 1_700_000_000_500, totalMs: 10 } }));
    const prop = store.proposals.create({ taskId: list.id, runId: 'run_b', root: '/p', changeSet: { mode: 'diesel-model-fn', summary: 's', files: [{ path: 'src/a.rs', original: null, proposed: 'x', ops: [{ op: 'createFile', content: 'x' }] }] } });
    store.sessions.update(session.id, { phase: 'planning', rounds: 2 });
    store.tasks.update(list.id, { technicalNotes: 'use Order::list', target: { struct: 'Order', function: 'list' } });
    store.runs.update('run_b', { rejection: { at: 5, reason: 'wrong table' } });
    store.proposals.update(prop.id, { status: 'rejected', decidedAt: 5, rejectionReason: 'wrong table' });
    await store.close();

    expect(existsSync(file)).toBe(true);
    const { store: again, notices } = await open(file);
    expect(notices).toEqual([]);
    expect(again.sessions.get(session.id)).toMatchObject({ phase: 'planning', rounds: 2, title: 'Bakery' });
    expect(again.messages.list(session.id).map((m) => m.author)).toEqual(['product_owner', 'user']);
    expect(again.messages.list(session.id)[1]!.answers).toEqual([{ questionId: 'q1', selected: ['a', 'b'] }]);
    expect(again.epics.list(session.id)).toEqual([epic]);
    expect(again.tasks.list({ epicId: epic.id }).map((t) => t.id)).toEqual([table.id, list.id]);
    expect(again.tasks.list({ sessionId: session.id, state: 'draft' })).toHaveLength(2);
    expect(again.tasks.list({ state: ['ready', 'done'] })).toEqual([]);
    expect(again.tasks.get(list.id)).toMatchObject({ dependsOn: [table.id], technicalNotes: 'use Order::list', target: { struct: 'Order', function: 'list' } });
    expect(again.comments.list(table.id)[0]!.body).toBe('Keep it small');
    expect(again.runs.get('run_a')).toEqual(sampleRun('run_a', { taskId: table.id, sessionId: session.id }));
    expect(again.runs.list({ taskId: list.id })[0]!.rejection).toEqual({ at: 5, reason: 'wrong table' });
    expect(again.runs.list().map((r) => r.id)).toEqual(['run_a', 'run_b']);
    expect(again.runs.list({ limit: 1 }).map((r) => r.id)).toEqual(['run_b']);
    expect(again.runs.list({ sessionId: session.id }).map((r) => r.id)).toEqual(['run_a']);
    expect(again.proposals.get(prop.id)).toMatchObject({ status: 'rejected', rejectionReason: 'wrong table' });
    expect(again.proposals.pending()).toEqual([]);
    await again.close();
  });

  it('pages a session\'s messages: the latest first, then earlier ones by cursor, in order', async () => {
    // Every message at one instant: the insertion order alone must keep the pages apart.
    const { store } = await open(':memory:', { now: () => 1_700_000_000_000 });
    const a = store.sessions.create({ title: 'A' });
    const b = store.sessions.create({ title: 'B' });
    const ids = Array.from({ length: 7 }, (_, i) => store.messages.create({ sessionId: a.id, author: i % 2 ? 'product_owner' : 'user', content: `m${i}` }).id);
    store.messages.create({ sessionId: b.id, author: 'user', content: 'other session' });

    const latest = store.messages.page(a.id, { limit: 3 })!;
    expect(latest.messages.map((m) => m.content)).toEqual(['m4', 'm5', 'm6']);
    expect(latest.hasMore).toBe(true);
    const middle = store.messages.page(a.id, { limit: 3, before: latest.messages[0]!.id })!;
    expect(middle.messages.map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
    expect(middle.hasMore).toBe(true);
    const first = store.messages.page(a.id, { limit: 3, before: middle.messages[0]!.id })!;
    expect(first).toEqual({ messages: [store.messages.get(ids[0]!)], hasMore: false });
    // Exactly a page's worth left: no phantom "earlier" page.
    expect(store.messages.page(a.id, { limit: 4, before: ids[4] })!.hasMore).toBe(false);
    expect(store.messages.page(a.id, { limit: 7 })).toEqual({ messages: store.messages.list(a.id), hasMore: false });
    expect(store.messages.page(a.id, { limit: 3, before: ids[0] })).toEqual({ messages: [], hasMore: false });
    // A cursor from another session, or one that does not exist, names no place in this history.
    expect(store.messages.page(b.id, { limit: 3, before: ids[3] })).toBeUndefined();
    expect(store.messages.page(a.id, { limit: 3, before: 'msg_gone' })).toBeUndefined();
    expect(store.messages.page('ses_none', { limit: 3 })).toEqual({ messages: [], hasMore: false });
    await store.close();
  });

  it('orders a page by time first, whatever the insertion order', async () => {
    const { store } = await open(':memory:');
    const s = store.sessions.create({ title: 'S' });
    store.messages.create({ sessionId: s.id, author: 'user', content: 'late', createdAt: 30 });
    store.messages.create({ sessionId: s.id, author: 'user', content: 'early', createdAt: 10 });
    store.messages.create({ sessionId: s.id, author: 'user', content: 'middle', createdAt: 20 });
    const latest = store.messages.page(s.id, { limit: 2 })!;
    expect(latest.messages.map((m) => m.content)).toEqual(['middle', 'late']);
    expect(store.messages.page(s.id, { limit: 2, before: latest.messages[0]!.id })).toMatchObject({ messages: [{ content: 'early' }], hasMore: false });
    await store.close();
  });

  it('decodes only the page it returns: a damaged old message is not read for the latest page', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file);
    const s = store.sessions.create({ title: 'S' });
    const old = store.messages.create({ sessionId: s.id, author: 'user', content: 'old', createdAt: 1 });
    for (let i = 0; i < 3; i++) store.messages.create({ sessionId: s.id, author: 'user', content: `new ${i}`, createdAt: 10 + i });
    await store.close();
    await editDbFile(file, `UPDATE messages SET answers = '{not json' WHERE id = '${old.id}';`);
    const { store: again, notices } = await open(file);
    expect(again.messages.page(s.id, { limit: 2 })!.messages.map((m) => m.content)).toEqual(['new 1', 'new 2']);
    expect(notices).toEqual([]);
    // Reaching it reports it once and leaves it out, as lists do.
    const earlier = again.messages.page(s.id, { limit: 5, before: again.messages.page(s.id, { limit: 2 })!.messages[0]!.id })!;
    expect(earlier.messages.map((m) => m.content)).toEqual(['new 0']);
    expect(notices.map((n) => n.kind)).toEqual(['invalid-row']);
    await again.close();
  });

  it('stores a system prompt shared by many runs once', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file);
    for (let i = 0; i < 50; i++) store.runs.create(sampleRun(`run_${i}`, { messages: [{ role: 'system', content: 'EXAMPLES '.repeat(2000) }, { role: 'user', content: `task ${i}` }] }));
    await store.close();
    // 50 × 18 KB of prompt text; shared and gzipped it is a few KB beyond the empty database.
    expect(readFileSync(file).length).toBeLessThan(200_000);
    const { store: again } = await open(file);
    expect(again.runs.get('run_49')!.messages[0]!.content).toBe('EXAMPLES '.repeat(2000));
    await again.close();
  });

  it('clears optional fields with null in a patch', async () => {
    const { store } = await open(':memory:');
    const { list } = seedBoard(store);
    store.tasks.update(list.id, { technicalNotes: 'x', mode: 'diesel-model-fn' });
    const t = store.tasks.update(list.id, { technicalNotes: null, mode: null });
    expect(t.technicalNotes).toBeUndefined();
    expect(t.mode).toBeUndefined();
    expect(store.tasks.get(list.id)).not.toHaveProperty('technicalNotes');
    await store.close();
  });

  it('emits local change events and stops after dispose', async () => {
    const { store } = await open(':memory:');
    const changes: StoreChange[] = [];
    const sub = store.onChange((c) => changes.push(c));
    const { table } = seedBoard(store);
    store.transitionTask(table.id, { to: 'needs_technical_shaping', by: 'project_manager' });
    sub.dispose();
    store.comments.create({ taskId: table.id, author: 'user', body: 'x' });
    expect(changes.map((c) => c.tables.join('+'))).toEqual(['sessions', 'epics', 'tasks', 'tasks', 'tasks+task_events']);
    expect(changes.every((c) => c.source === 'local')).toBe(true);
    await store.close();
  });

  it('refuses writes to unknown parents and duplicate ids, and use after close', async () => {
    const { store } = await open(':memory:');
    expect(() => store.tasks.create({ epicId: 'epic_missing', title: 'x', description: '', role: 'db' })).toThrow(StoreNotFoundError);
    const s = store.sessions.create({ title: 'a' });
    expect(() => store.sessions.create({ id: s.id, title: 'b' })).toThrow(/already exists/);
    expect(() => store.sessions.update('ses_missing', { title: 'x' })).toThrow(StoreNotFoundError);
    await store.close();
    expect(() => store.sessions.list()).toThrow(StoreClosedError);
  });
});

describe('zod validation', () => {
  it('rejects invalid objects on write and stores nothing', async () => {
    const { store } = await open(':memory:');
    const { epic, list } = seedBoard(store);
    const before = store.tasks.list();
    expect(() => store.tasks.create({ epicId: epic.id, title: '', description: '', role: 'db' })).toThrow(StoreValidationError);
    expect(() => store.tasks.create({ epicId: epic.id, title: 'x', description: '', role: 'wizard' as never })).toThrow(/role/);
    expect(() => store.tasks.create({ epicId: epic.id, title: 'x', description: '', role: 'db', acceptanceCriteria: [42 as never] })).toThrow(/acceptanceCriteria\.0/);
    expect(() => store.tasks.update(list.id, { mode: 'not-a-mode' as never })).toThrow(StoreValidationError);
    expect(() => store.tasks.update(list.id, { state: 'done' } as never)).toThrow(/transitionTask/);
    expect(() => store.runs.create({ ...sampleRun('run_bad'), messages: [{ role: 'robot', content: 'x' }] } as never)).toThrow(/messages\.0\.role/);
    expect(() => store.proposals.create({ root: '/p', changeSet: { mode: 'm', summary: 's', files: [{ path: '', original: null, proposed: '', ops: [] }] } })).toThrow(/changeSet\.files\.0\.path/);
    const s = store.sessions.list()[0]!;
    expect(() => store.messages.create({ sessionId: s.id, author: 'user', content: 'x', answers: [{ questionId: '', selected: [] }] })).toThrow(StoreValidationError);
    expect(store.tasks.list()).toEqual(before);
    expect(store.tasks.get(list.id)!.mode).toBeUndefined();
    expect(store.runs.get('run_bad')).toBeUndefined();
    await store.close();
  });

  it('reports bad rows on read clearly: get throws, lists skip them and notify once', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file);
    const { session, table, list } = seedBoard(store);
    const msg = store.messages.create({ sessionId: session.id, author: 'user', content: 'ok' });
    await store.close();
    await editDbFile(
      file,
      `UPDATE tasks SET depends_on = '{not json' WHERE id = '${table.id}';
       UPDATE tasks SET state = 'flying' WHERE id = '${list.id}';
       UPDATE messages SET answers = '[{"questionId":"q","selected":"yes"}]';`,
    );
    const { store: again, notices } = await open(file);
    expect(() => again.tasks.get(table.id)).toThrow(StoreDataError);
    expect(() => again.tasks.get(table.id)).toThrow(new RegExp(`tasks row ${table.id} is invalid: column depends_on: not valid JSON`));
    expect(() => again.tasks.get(list.id)).toThrow(/state: Invalid option/);
    expect(again.tasks.list()).toEqual([]);
    expect(again.tasks.list()).toEqual([]);
    expect(again.messages.list(session.id)).toEqual([]);
    const invalid = notices.filter((n) => n.kind === 'invalid-row');
    expect(invalid.map((n) => (n.kind === 'invalid-row' ? `${n.table}:${n.id}` : ''))).toEqual([`tasks:${table.id}`, `tasks:${list.id}`, `messages:${msg.id}`]);
    expect(invalid[2]!.message).toMatch(/answers\.0\.selected/);
    await again.close();
  });
});

describe('transitions', () => {
  it('moves a task and records the event atomically', async () => {
    let now = 1000;
    const { store } = await open(':memory:', { now: () => ++now });
    const { table } = seedBoard(store);
    const r = store.transitionTask(table.id, { to: 'needs_technical_shaping', by: 'project_manager' });
    expect(r.task.state).toBe('needs_technical_shaping');
    expect(r.event).toMatchObject({ taskId: table.id, from: 'draft', to: 'needs_technical_shaping', by: 'project_manager' });
    store.transitionTask(table.id, { to: 'ready', by: 'engineering_manager', why: 'mode chosen' });
    store.transitionTask(table.id, { to: 'blocked', by: 'user', why: 'waiting for the accountant' });
    expect(store.tasks.get(table.id)).toMatchObject({ state: 'blocked', blockedReason: 'waiting for the accountant' });
    store.transitionTask(table.id, { to: 'ready', by: 'user' });
    const t = store.tasks.get(table.id)!;
    expect(t.state).toBe('ready');
    expect(t.blockedReason).toBeUndefined();
    expect(t.updatedAt).toBe(now);
    expect(store.events.list(table.id).map((e) => `${e.from}>${e.to}:${e.why ?? ''}`)).toEqual([
      'draft>needs_technical_shaping:',
      'needs_technical_shaping>ready:mode chosen',
      'ready>blocked:waiting for the accountant',
      'blocked>ready:',
    ]);
    expect(store.events.get(r.event.id)).toEqual(r.event);
    await store.close();
  });

  it('refuses illegal transitions and records nothing', async () => {
    const { store } = await open(':memory:');
    const { table } = seedBoard(store);
    expect(() => store.transitionTask(table.id, { to: 'done', by: 'user' })).toThrow(IllegalTransitionError);
    expect(() => store.transitionTask(table.id, { to: 'draft', by: 'user' })).toThrow(/already/);
    expect(() => store.transitionTask(table.id, { to: 'blocked', by: 'user', why: '  ' })).toThrow(/why/);
    expect(() => store.transitionTask('task_missing', { to: 'ready', by: 'user' })).toThrow(StoreNotFoundError);
    expect(store.tasks.get(table.id)!.state).toBe('draft');
    expect(store.events.list(table.id)).toEqual([]);
    await store.close();
  });
});
