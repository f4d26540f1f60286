import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksOf } from '../../../src/agents/autoAccept';
import { diag } from '../../../src/core/diagnostics';
import { epicProgress, taskProgress } from '../../../src/protocol';
import { useTeamTestEnv, answerRecommended, type Rig } from './rig';
import { FIRST_MESSAGE, OPEN_FOR_DATE_FN, happyScript } from './script';

const env = useTeamTestEnv();

const script = () => [...happyScript(), { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }];

/** A session through shaping: the struct and the function ready, the screen left to the user. */
async function shaped(rig: Rig, rules = script()) {
  env.server.setScript(rules);
  await rig.team.startSession(FIRST_MESSAGE);
  await answerRecommended(rig);
  rig.team.confirmSummary();
  const { epic } = await rig.team.plan();
  await rig.team.shapeAll();
  const fnTask = rig.team.tasks().find((t) => t.mode === 'diesel-model-fn')!;
  return { epic, fnTask, orderFile: path.join(rig.projectRoot, 'src/models/order.rs') };
}

describe('the checks verdict of a proposal', () => {
  it('lists the checks that passed and those that could not run; an error or a project that did not compile before fails it', () => {
    expect(checksOf([])).toEqual({ passed: true, ran: ['validation'], notRun: [], problems: [] });
    expect(checksOf([diag('info', 'compiles', 'Compiles (cargo check, 2.0 s).')])).toEqual({ passed: true, ran: ['validation', 'cargo check'], notRun: [], problems: [] });
    expect(checksOf([diag('info', 'typechecks', 'Type-checks.'), diag('warning', 'unused', 'x')])).toMatchObject({ passed: true, ran: ['validation', 'tsc'] });
    expect(checksOf([diag('info', 'compile-skipped', 'Not checked with cargo: cargo is not installed.')])).toEqual({ passed: true, ran: ['validation'], notRun: ['cargo check'], problems: [] });
    expect(checksOf([diag('warning', 'frontend-not-installed', 'run npm install')])).toMatchObject({ passed: true, notRun: ['tsc'] });
    const pre = checksOf([diag('warning', 'compile-pre-existing', 'The project did not compile before this change (1 error elsewhere).')]);
    expect(pre.passed).toBe(false);
    expect(pre.problems).toEqual(['cargo check did not pass: the project did not compile before this change either']);
    const failed = checksOf([diag('error', 'rustc', 'rustc: error[E0308]: mismatched types'), diag('error', 'x', 'second')]);
    expect(failed).toMatchObject({ passed: false, ran: [] });
    expect(failed.problems[0]).toBe('the checks found 2 errors (rustc: error[E0308]: mismatched types)');
  });
});

describe('accept automatically when every check passes (per epic)', () => {
  it('is off by default: the proposal waits for the user, with its checks recorded', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    expect(rig.store.epics.get(epic.id)!.autoAccept).toBeUndefined();
    const before = readFileSync(orderFile, 'utf8');
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error(`expected a proposal, got ${out.kind}`);
    expect(rig.store.proposals.get(out.proposal.id)).toMatchObject({ status: 'pending', checks: { passed: true, ran: ['validation'], problems: [] } });
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('in_progress');
    expect(readFileSync(orderFile, 'utf8')).toBe(before);
    expect(rig.store.comments.list(fnTask.id).some((c) => /automatically/.test(c.body))).toBe(false);
  });

  it('when on, a run whose checks passed is written to disk and the task is done, recorded as automatic; the toggle survives a restart', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    await rig.team.setEpicAutoAccept(epic.id, true);
    await rig.restart();
    expect(rig.store.epics.get(epic.id)!.autoAccept).toBe(true);

    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error(`expected a proposal, got ${out.kind}`);
    expect(rig.store.proposals.get(out.proposal.id)!.status).toBe('accepted');
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('done');
    const written = readFileSync(orderFile, 'utf8');
    expect(written).toContain('pub fn open_for_date(');
    expect(written).toContain('pub fn find('); // the existing code is kept
    expect(rig.store.events.list(fnTask.id).at(-1)).toMatchObject({ from: 'in_progress', to: 'done', by: 'system', why: 'Accepted automatically: every check passed.' });
    expect(rig.store.comments.list(fnTask.id).at(-1)).toMatchObject({ author: 'system', body: 'Accepted automatically: every check passed (validation). Wrote src/models/order.rs.' });
  });

  it('turning it on decides the proposals already waiting; turning it off leaves the next one to the user', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    const first = await rig.team.runTask(fnTask.id);
    if (first.kind !== 'proposal') throw new Error('expected a proposal');
    await rig.team.setEpicAutoAccept(epic.id, true);
    expect(rig.store.proposals.get(first.proposal.id)!.status).toBe('accepted');
    expect(readFileSync(orderFile, 'utf8')).toContain('pub fn open_for_date(');

    await rig.team.setEpicAutoAccept(epic.id, false);
    expect(rig.store.epics.get(epic.id)!.autoAccept).toBe(false);
    const struct = rig.team.tasks().find((t) => t.mode === 'diesel-model-struct')!;
    const second = await rig.team.runTask(struct.id);
    if (second.kind !== 'proposal') throw new Error(`expected a proposal, got ${second.kind}`);
    expect(rig.store.proposals.get(second.proposal.id)!.status).toBe('pending');
    await expect(rig.team.setEpicAutoAccept('epic_nope', true)).rejects.toThrow(/no epic epic_nope/);
  });

  it('a proposal whose checks did not all pass waits, and the task says why (once)', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask } = await shaped(rig);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error('expected a proposal');
    // As a run against a project that did not compile before would have recorded it.
    rig.store.proposals.update(out.proposal.id, { checks: checksOf([diag('warning', 'compile-pre-existing', 'did not compile before')]) });
    await rig.team.setEpicAutoAccept(epic.id, true);
    await rig.team.setEpicAutoAccept(epic.id, true);
    expect(rig.store.proposals.get(out.proposal.id)!.status).toBe('pending');
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('in_progress');
    const said = rig.store.comments.list(fnTask.id).filter((c) => c.body.startsWith('Not accepted automatically'));
    expect(said.map((c) => c.body)).toEqual(['Not accepted automatically: cargo check did not pass: the project did not compile before this change either. Review the proposal to accept or reject it.']);
  });

  it('a file edited by hand meanwhile: the change is re-anchored on the edits for review, nothing written', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error('expected a proposal');
    const edited = readFileSync(orderFile, 'utf8').replace('impl Order {', '// Orders are picked up at the counter.\nimpl Order {');
    writeFileSync(orderFile, edited);

    await rig.team.setEpicAutoAccept(epic.id, true);
    expect(readFileSync(orderFile, 'utf8')).toBe(edited);
    const p = rig.store.proposals.get(out.proposal.id)!;
    expect(p.status).toBe('pending');
    expect(p.changeSet.files[0]!.original).toBe(edited);
    expect(p.changeSet.files[0]!.proposed).toContain('// Orders are picked up at the counter.');
    expect(p.changeSet.files[0]!.proposed).toContain('pub fn open_for_date(');
    expect(rig.store.comments.list(fnTask.id).at(-1)!.body).toMatch(/^Not accepted automatically: src\/models\/order\.rs was edited by hand after the change was proposed\. nocodo re-applied the change/);

    // Accepting the re-anchored change (as the user would) keeps the hand edit.
    rig.team.onProposalDecided(p.id, 'accepted');
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('done');
  });

  it('a file deleted meanwhile is a clear conflict: nothing is written and the proposal waits', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error('expected a proposal');
    rmSync(orderFile);
    await rig.team.setEpicAutoAccept(epic.id, true);
    expect(() => readFileSync(orderFile)).toThrow();
    expect(rig.store.proposals.get(out.proposal.id)!.status).toBe('pending');
    expect(rig.store.comments.list(fnTask.id).at(-1)!.body).toBe(
      'Not accepted automatically, and nothing was written: src/models/order.rs was deleted after the change was proposed; nocodo will not recreate it. Review the proposal, or reject it and run the task again.',
    );
  });

  it('with auto-run, the epic builds itself: every runnable task runs and is accepted, the manual one stays', async () => {
    const rig = await env.makeRig({ settings: { autoRun: true } });
    env.server.setScript(script());
    await rig.team.startSession(FIRST_MESSAGE);
    await answerRecommended(rig);
    rig.team.confirmSummary();
    const { epic } = await rig.team.plan();
    await rig.team.setEpicAutoAccept(epic.id, true);
    await rig.team.shapeAll();
    await rig.team.idle();
    expect(rig.errors).toEqual([]);
    const states = Object.fromEntries(rig.team.tasks().map((t) => [t.title, t.state]));
    expect(states).toEqual({ 'Customer record': 'done', 'Open orders for a pickup date': 'done', 'Orders screen': 'needs_technical_shaping' });
    expect(readFileSync(path.join(rig.projectRoot, 'src/models/order.rs'), 'utf8')).toContain('pub fn open_for_date(');
    for (const t of rig.team.tasks().filter((x) => x.state === 'done')) {
      expect(rig.store.comments.list(t.id).at(-1)!.body).toMatch(/^Accepted automatically: every check passed/);
    }
    // The board's progress, from the stored histories.
    const withProgress = rig.team.tasks().map((t) => ({ ...t, progress: taskProgress(t, rig.store.events.list(t.id), false, Date.now()) }));
    expect(withProgress.map((t) => [t.title, t.progress.status, t.progress.attempts])).toEqual([
      ['Customer record', 'done', 1],
      ['Open orders for a pickup date', 'done', 1],
      ['Orders screen', 'todo', 0],
    ]);
    expect(epicProgress([epic], withProgress)[0]).toMatchObject({ total: 3, done: 2, todo: 1, running: 0, review: 0, failed: 0 });
  });

  it('a failed run is counted as failed on the board, and nothing is accepted', async () => {
    const rig = await env.makeRig();
    const badFn = OPEN_FOR_DATE_FN.replace('orders::status.eq("open")', 'orders::colour.eq("open")');
    const { epic, fnTask } = await shaped(rig, [...happyScript(), { match: { system: 'Diesel' }, times: 2, reply: { content: '```rust\n' + badFn + '\n```' } }]);
    await rig.team.setEpicAutoAccept(epic.id, true);
    expect((await rig.team.runTask(fnTask.id)).kind).toBe('failed');
    const progress = taskProgress(rig.store.tasks.get(fnTask.id)!, rig.store.events.list(fnTask.id), false, Date.now());
    expect(progress).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rig.store.proposals.list({ taskId: fnTask.id })).toEqual([]);
  });
});

describe('faults mid-epic', () => {
  it('nocodo closed mid-epic (a run interrupted, a proposal not yet accepted): after a restart it resumes and the epic builds to the end', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error('expected a proposal');
    // As the store looked when nocodo stopped: the toggle on, the proposal not decided yet, and
    // the struct's run cut off in the middle.
    rig.store.epics.update(epic.id, { autoAccept: true });
    const struct = rig.team.tasks().find((t) => t.mode === 'diesel-model-struct')!;
    rig.store.transitionTask(struct.id, { to: 'in_progress', by: 'db', why: 'Running diesel-model-struct.' });
    await rig.store.flush();

    const team = await rig.restart({ settings: { autoRun: true } });
    expect(team.pendingWork()).toEqual({ kind: 'user', waitingFor: 'review' });
    await team.resume();
    await team.idle();
    expect(rig.errors).toEqual([]);
    expect(rig.store.proposals.get(out.proposal.id)!.status).toBe('accepted');
    expect(readFileSync(orderFile, 'utf8')).toContain('pub fn open_for_date(');
    expect(rig.store.events.list(struct.id).map((e) => `${e.from}→${e.to} by ${e.by}`).slice(-4)).toEqual([
      'ready→in_progress by db',
      'in_progress→ready by system',
      'ready→in_progress by db',
      'in_progress→done by system',
    ]);
    expect(Object.fromEntries(team.tasks().map((t) => [t.title, t.state]))).toEqual({ 'Customer record': 'done', 'Open orders for a pickup date': 'done', 'Orders screen': 'needs_technical_shaping' });
    expect(team.pendingWork()).toEqual({ kind: 'user', waitingFor: 'tasks' });

    // Resuming again changes nothing and says nothing twice.
    const comments = rig.store.comments.list(fnTask.id).length;
    await team.resume();
    await team.idle();
    expect(rig.store.comments.list(fnTask.id)).toHaveLength(comments);
  });

  it('a proposal that cannot be written whole leaves nothing half-applied, and its task says why', async () => {
    const rig = await env.makeRig();
    const { epic, fnTask, orderFile } = await shaped(rig);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error('expected a proposal');
    const before = readFileSync(orderFile, 'utf8');
    // The same change plus a second file whose folder is a file on disk: that write must fail.
    const first = out.proposal.changeSet.files[0]!;
    const changeSet = { ...out.proposal.changeSet, files: [first, { path: 'src/main.rs/extra.rs', original: null, proposed: 'pub fn extra() {}\n', ops: [] }] };
    rig.store.proposals.update(out.proposal.id, { changeSet });

    await rig.team.setEpicAutoAccept(epic.id, true);
    expect(readFileSync(orderFile, 'utf8')).toBe(before);
    expect(rig.store.proposals.get(out.proposal.id)!.status).toBe('pending');
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('in_progress');
    const said = rig.store.comments.list(fnTask.id).at(-1)!.body;
    expect(said).toMatch(/^Not accepted automatically, and nothing was written: .*src\/main\.rs\/extra\.rs/);
  });
});
