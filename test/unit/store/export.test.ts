import { describe, expect, it } from 'vitest';
import { exportBoard, exportSession, StoreNotFoundError } from '../../../src/store';
import { open, sampleRun, seedBoard } from './helpers';

const NOW = Date.UTC(2025, 0, 15, 9, 30);

async function populated() {
  let t = Date.UTC(2025, 0, 10, 8, 0);
  const { store } = await open(':memory:', { now: () => (t += 60_000) });
  const board = seedBoard(store);
  const { session, table, list } = board;
  store.sessions.update(session.id, {
    phase: 'building',
    summaryConfirmed: true,
    summary: { appName: 'Bakery orders', users: [{ name: 'Clerk', description: 'takes orders' }], entities: [{ name: 'Order', fields: [{ name: 'customer', type: 'text', required: true }] }], features: ['list orders'], constraints: ['works offline'] },
  });
  store.messages.create({ sessionId: session.id, author: 'user', content: 'I sell *bread*.' });
  store.messages.create({
    sessionId: session.id,
    author: 'product_owner',
    content: 'Who uses it?',
    questions: [{ id: 'q1', kind: 'single', text: 'Who uses the app?', options: [{ id: 'me', label: 'Only me' }, { id: 'staff', label: 'My staff', recommended: true }], allowOther: true }],
  });
  store.messages.create({ sessionId: session.id, author: 'user', content: '', answers: [{ questionId: 'q1', selected: ['staff'], other: 'and my sister' }] });
  store.transitionTask(table.id, { to: 'needs_technical_shaping', by: 'project_manager' });
  store.transitionTask(list.id, { to: 'blocked', by: 'engineering_manager', why: 'needs the table | first' });
  store.comments.create({ taskId: table.id, author: 'user', body: 'Names can be long' });
  store.runs.create(sampleRun('run_1', { taskId: list.id, timings: { startedAt: Date.UTC(2025, 0, 11), totalMs: 2500 }, outcome: 'invalid' }));
  store.proposals.create({ taskId: list.id, runId: 'run_1', root: '/p', changeSet: { mode: 'diesel-model-fn', summary: 'add Order::list', files: [{ path: 'src/models/order.rs', original: null, proposed: 'x', ops: [] }] } });
  const other = store.sessions.create({ title: 'Other app' });
  return { store, board, other };
}

describe('export', () => {
  it('exports a session as JSON with everything needed to read it back', async () => {
    const { store, board } = await populated();
    const doc = JSON.parse(exportSession(store, board.session.id, 'json', { now: NOW }));
    expect(doc).toMatchObject({ kind: 'nocodo-session', version: 1, exportedAt: '2025-01-15T09:30:00.000Z' });
    expect(doc.session).toEqual(store.sessions.get(board.session.id));
    expect(doc.messages).toEqual(store.messages.list(board.session.id));
    expect(doc.epics).toHaveLength(1);
    const tasks = doc.epics[0].tasks;
    expect(tasks.map((t: { title: string }) => t.title)).toEqual(['Orders table', 'List orders']);
    expect(tasks[0].comments[0].body).toBe('Names can be long');
    expect(tasks[1].events[0]).toMatchObject({ from: 'draft', to: 'blocked', why: 'needs the table | first' });
    expect(doc.runs).toEqual([store.runs.get('run_1')]);
    expect(doc.proposals).toHaveLength(1);
    await store.close();
  });

  it('exports a session as readable Markdown', async () => {
    const { store, board } = await populated();
    const md = exportSession(store, board.session.id, 'markdown', { now: NOW });
    expect(md).toMatch(/^# Bakery\n/);
    expect(md).toContain('_Exported from nocodo 2025-01-15 09:30 UTC. Phase: building.');
    expect(md).toContain('## Product summary: Bakery orders');
    expect(md).toContain('| customer | text | yes |');
    expect(md).toContain('### You · 2025-01-10');
    expect(md).toContain('I sell *bread*.');
    expect(md).toContain('1. Who uses the app? _(choose one)_\n   - Only me\n   - My staff _(recommended)_\n   - Other…');
    expect(md).toContain('- Who uses the app? → My staff, Other: and my sister');
    expect(md).toContain('#### Orders table — Needs technical shaping');
    expect(md).toContain('- Role: Database Engineer · Mode: `diesel-schema`');
    expect(md).toContain('- [ ] has an id');
    expect(md).toContain('- Depends on: Orders table');
    expect(md).toContain('- Blocked: needs the table \\| first');
    expect(md).toMatch(/Draft → Blocked by Engineering Manager — needs the table \\\| first/);
    expect(md).toContain('- **You** (2025-01-10');
    expect(md).toContain('| 2025-01-11 00:00 UTC | rustEngineer | diesel-model-fn | qwen3.5-0.8b | invalid | 2.5 s |');
    expect(md).toContain('| pending | src/models/order.rs | add Order::list |');
    await store.close();
  });

  it('exports the whole board grouped by state, as JSON and Markdown', async () => {
    const { store, board, other } = await populated();
    const doc = JSON.parse(exportBoard(store, 'json', { now: NOW }));
    expect(doc.kind).toBe('nocodo-board');
    expect(doc.sessions.map((s: { session: { id: string } }) => s.session.id).sort()).toEqual([board.session.id, other.id].sort());
    const md = exportBoard(store, 'markdown', { now: NOW });
    expect(md).toContain('# nocodo board');
    expect(md).toContain('## Bakery');
    expect(md).toContain('Draft: 0 · Needs technical shaping: 1 · Ready: 0 · In progress: 0 · Done: 0 · Blocked: 1');
    expect(md).toContain('### Blocked (1)\n\n- **List orders** — Orders · Backend Engineer — blocked: needs the table \\| first');
    expect(md).toContain('## Other app\n\nNo tasks yet.');
    await store.close();
  });

  it('refuses an unknown session', async () => {
    const { store } = await open(':memory:');
    expect(() => exportSession(store, 'ses_nope', 'json')).toThrow(StoreNotFoundError);
    await store.close();
  });
});
