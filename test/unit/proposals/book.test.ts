import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet, RunRecord } from '../../../src/domain';
import { decideProposal } from '../../../src/agents';
import { ProposalBook, ProposalInputError, validateChangeSet } from '../../../src/proposals';
import { openStore, type NocodoStore } from '../../../src/store';

const CS: ChangeSet = {
  mode: 'diesel-model-struct',
  summary: 'Add Product',
  files: [{ path: './src/models/product.rs', original: null, proposed: 'pub struct Product;\n', ops: [{ op: 'createFile', content: 'pub struct Product;\n' }] }],
};

/** A book recording decisions the way the host's does (src/host/proposals/index.ts). */
const bookOn = (store: NocodoStore): ProposalBook => new ProposalBook(store, (id, decision, reason) => void decideProposal(store, id, decision, reason));

const run = (id: string): RunRecord => ({
  id,
  role: 'rustEngineer',
  mode: 'diesel-model-fn',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'm',
  params: { temperature: 0.1, maxTokens: 100 },
  messages: [{ role: 'user', content: 'q' }],
  raw: 'a',
  reasoning: '',
  diagnostics: [],
  timings: { startedAt: 1, totalMs: 2 },
  outcome: 'ok',
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('validateChangeSet', () => {
  it('normalises paths', () => {
    expect(validateChangeSet(CS).files[0]!.path).toBe('src/models/product.rs');
  });
  it.each([
    [{ ...CS, files: [{ ...CS.files[0]!, path: '../x.rs' }] }, '".."'],
    [{ ...CS, files: [{ ...CS.files[0]!, path: '/etc/x.rs' }] }, 'absolute'],
    [{ ...CS, files: [CS.files[0]!, { ...CS.files[0]!, path: 'src/models/product.rs' }] }, 'twice'],
    [{ ...CS, files: [] }, 'no files'],
    [{ mode: 'x', files: 'nope' }, 'malformed'],
    [null, 'malformed'],
  ])('refuses %#', (input, why) => {
    expect(() => validateChangeSet(input)).toThrow(ProposalInputError);
    expect(() => validateChangeSet(input)).toThrow(why);
  });
});

describe('ProposalBook over the real store', () => {
  it('keeps pending proposals across a close and reopen (a window reload)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nocodo-book-'));
    dirs.push(dir);
    const file = join(dir, 'nocodo.sqlite');
    const first = bookOn(await openStore({ file, saveDelayMs: 0 }));
    const p = first.create({ changeSet: CS, root: '/project' });
    const decided = first.create({ changeSet: CS, root: '/project' });
    first.decide(decided.id, 'accepted');
    await first.store.close();

    const second = bookOn(await openStore({ file, saveDelayMs: 0 }));
    expect(second.pending().map((x) => x.id)).toEqual([p.id]);
    expect(second.get(p.id)?.changeSet.files[0]?.path).toBe('src/models/product.rs');
    expect(second.get(decided.id)?.status).toBe('accepted');
    await second.store.close();
  });

  it('records a rejection with its reason on the proposal and on its run', async () => {
    const store = await openStore({ file: ':memory:' });
    const book = bookOn(store);
    store.runs.create(run('run_1'));
    const p = book.create({ changeSet: CS, root: '/project', runId: 'run_1' });
    let changes = 0;
    const sub = book.onChange(() => changes++);
    const after = book.decide(p.id, 'rejected', '  wrong table  ');
    sub.dispose();
    expect(after).toMatchObject({ status: 'rejected', rejectionReason: 'wrong table' });
    expect(store.runs.get('run_1')?.rejection?.reason).toBe('wrong table');
    expect(changes).toBeGreaterThan(0);
    expect(() => book.decide(p.id, 'accepted')).toThrow(/already rejected/);
    expect(() => book.decide('prop_missing', 'accepted')).toThrow(/no proposal/);
    await store.close();
  });

  it('moves a task back to ready on rejection through the task-bookkeeping recorder', async () => {
    const store = await openStore({ file: ':memory:' });
    const book = bookOn(store);
    const session = store.sessions.create({ title: 's' });
    const epic = store.epics.create({ sessionId: session.id, title: 'e', description: 'd' });
    const task = store.tasks.create({ epicId: epic.id, title: 't', description: 'd', role: 'backend', mode: 'diesel-model-fn', state: 'ready' });
    store.transitionTask(task.id, { to: 'in_progress', by: 'backend' });
    const p = book.create({ changeSet: CS, root: '/project', taskId: task.id });
    book.decide(p.id, 'rejected', 'not like this');
    expect(store.tasks.get(task.id)?.state).toBe('ready');
    expect(store.comments.list(task.id).map((c) => c.body).join('\n')).toContain('not like this');
    await store.close();
  });

  it('uses a plugged-in recorder (the team) instead of the default', async () => {
    const store = await openStore({ file: ':memory:' });
    const book = bookOn(store);
    const calls: unknown[] = [];
    book.setDecisionRecorder((id, decision, reason) => {
      calls.push([id, decision, reason]);
      store.proposals.update(id, { status: decision });
    });
    const p = book.create({ changeSet: CS, root: '/project' });
    expect(book.decide(p.id, 'accepted').status).toBe('accepted');
    expect(calls).toEqual([[p.id, 'accepted', undefined]]);
    await store.close();
  });

  it('lists the reasons of earlier rejections of the same mode and subject, newest first', async () => {
    let now = 1000;
    const store = await openStore({ file: ':memory:', now: () => now++ });
    const book = bookOn(store);
    const make = (mode: string, summary: string, reason?: string) => {
      const p = book.create({ changeSet: { ...CS, mode, summary }, root: '/project' });
      if (reason !== undefined) book.decide(p.id, 'rejected', reason);
      return p;
    };
    make('diesel-model-fn', 'Add `Product::list` to src/models/product.rs', 'sort by name');
    make('diesel-model-fn', 'Add `Product::cheap` to src/models/product.rs', 'use price_cents');
    make('diesel-model-fn', 'Add `ProductImage::list` to src/models/image.rs', 'other struct');
    make('diesel-model-struct', 'Add NewProduct for `products`', 'other mode');
    make('diesel-model-fn', 'Add `Product::x` to src/models/product.rs', '');
    make('diesel-model-fn', 'Add `Product::pending` to src/models/product.rs');
    expect(book.rejectionReasons('diesel-model-fn', 'Product')).toEqual(['use price_cents', 'sort by name']);
    expect(book.rejectionReasons('diesel-model-fn', 'Product', 1)).toEqual(['use price_cents']);
    expect(book.rejectionReasons('diesel-model-struct', 'products')).toEqual(['other mode']);
    expect(book.rejectionReasons('diesel-schema', undefined)).toEqual([]);
    await store.close();
  });

  it('validates a replaced change set', async () => {
    const store = await openStore({ file: ':memory:' });
    const book = bookOn(store);
    const p = book.create({ changeSet: CS, root: '/project' });
    expect(() => book.replaceChangeSet(p.id, { ...CS, files: [{ ...CS.files[0]!, path: '../../x' }] })).toThrow(ProposalInputError);
    const next = book.replaceChangeSet(p.id, { ...CS, summary: 'changed' });
    expect(next.changeSet.summary).toBe('changed');
    await store.close();
  });
});
