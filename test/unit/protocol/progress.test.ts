import { describe, expect, it } from 'vitest';
import type { ActorRole, Epic, Task, TaskEvent, TaskState } from '../../../src/domain';
import { epicProgress, parseHostMessage, stoppedBy, taskProgress, toBoardTasks, type StateSnapshot } from '../../../src/protocol';

const T0 = 1_700_000_000_000;
const epic = (id: string): Epic => ({ id, sessionId: 's', title: id, description: '', createdAt: T0 });
const task = (id: string, state: TaskState, epicId = 'e1'): Task => ({ id, epicId, title: id, description: '', acceptanceCriteria: [], role: 'backend', state, dependsOn: [], createdAt: T0, updatedAt: T0 });
let n = 0;
const ev = (taskId: string, from: TaskState, to: TaskState, at: number, by: ActorRole = 'backend'): TaskEvent => ({ id: `ev${n++}`, taskId, from, to, by, at: T0 + at });

describe('task progress from its history', () => {
  it('a task that failed once and then was accepted: done, both attempts counted, time summed over them', () => {
    const events = [
      ev('a', 'draft', 'needs_technical_shaping', 0, 'project_manager'),
      ev('a', 'needs_technical_shaping', 'ready', 1_000, 'engineering_manager'),
      ev('a', 'ready', 'in_progress', 2_000),
      ev('a', 'in_progress', 'ready', 5_000), // the run failed
      ev('a', 'ready', 'in_progress', 60_000),
      ev('a', 'in_progress', 'done', 64_500, 'system'),
    ];
    expect(taskProgress(task('a', 'done'), events, false, T0 + 999_999)).toEqual({ status: 'done', workMs: 7_500, attempts: 2 });
  });

  it('running counts up to now; a pending proposal makes it "review"', () => {
    const events = [ev('b', 'ready', 'in_progress', 10_000)];
    expect(taskProgress(task('b', 'in_progress'), events, false, T0 + 12_000)).toEqual({ status: 'running', workMs: 2_000, attempts: 1 });
    expect(taskProgress(task('b', 'in_progress'), events, true, T0 + 15_000)).toEqual({ status: 'review', workMs: 5_000, attempts: 1 });
  });

  it('back to ready by its specialist is a failure; by a cancel, a rejection or an interrupted run it is not', () => {
    const run = [ev('c', 'ready', 'in_progress', 0)];
    expect(taskProgress(task('c', 'ready'), [...run, ev('c', 'in_progress', 'ready', 3_000, 'db')], false, T0 + 9_000).status).toBe('failed');
    expect(taskProgress(task('c', 'ready'), [...run, ev('c', 'in_progress', 'ready', 3_000, 'user')], false, T0).status).toBe('todo');
    expect(taskProgress(task('c', 'ready'), [...run, ev('c', 'in_progress', 'ready', 3_000, 'system')], false, T0).status).toBe('todo');
    // Moved on by hand after the failure (blocked): no longer counted as failed.
    const blocked = [...run, ev('c', 'in_progress', 'ready', 3_000, 'db'), ev('c', 'ready', 'blocked', 4_000, 'user')];
    expect(taskProgress(task('c', 'blocked'), blocked, false, T0)).toEqual({ status: 'todo', workMs: 3_000, attempts: 1 });
    expect(taskProgress(task('d', 'draft'), [], false, T0)).toEqual({ status: 'todo', workMs: 0, attempts: 0 });
  });

  it('taken over by the user (put in progress by the user, not a specialist): "yours", its time counted; done by hand is done', () => {
    const failedRun = [ev('e', 'ready', 'in_progress', 0), ev('e', 'in_progress', 'ready', 2_000)];
    const takenOver = [...failedRun, ev('e', 'ready', 'in_progress', 10_000, 'user')];
    expect(taskProgress(task('e', 'in_progress'), takenOver, false, T0 + 70_000)).toEqual({ status: 'yours', workMs: 62_000, attempts: 2 });
    expect(taskProgress(task('e', 'done'), [...takenOver, ev('e', 'in_progress', 'done', 40_000, 'user')], false, T0 + 99_000)).toEqual({ status: 'done', workMs: 32_000, attempts: 2 });
    // Run again by a specialist after the user gave it back: running, not the user's.
    const again = [...takenOver, ev('e', 'in_progress', 'ready', 20_000, 'user'), ev('e', 'ready', 'in_progress', 30_000)];
    expect(taskProgress(task('e', 'in_progress'), again, false, T0 + 31_000).status).toBe('running');
  });
});

describe('tasks stopped by a failed one', () => {
  const withStatus = (t: Task, status: 'todo' | 'failed' | 'done', dependsOn: string[] = []) => ({ ...t, dependsOn, progress: { status, workMs: 0, attempts: 0 } });
  it('names the nearest failed task up the chain, for every task not done behind it; none once it is done', () => {
    const failed = withStatus(task('f', 'ready'), 'failed');
    const tasks = [
      failed,
      withStatus(task('a', 'ready'), 'todo', ['f']),
      withStatus(task('b', 'ready'), 'todo', ['a']),
      withStatus(task('c', 'done'), 'done', ['f']),
      withStatus(task('d', 'ready'), 'todo', ['x_gone']),
      withStatus(task('g', 'ready'), 'failed', ['f']),
      withStatus(task('h', 'ready'), 'todo', ['g', 'f']),
    ];
    expect(Object.fromEntries(stoppedBy(tasks))).toEqual({ a: { taskId: 'f', title: 'f' }, b: { taskId: 'f', title: 'f' }, h: { taskId: 'g', title: 'g' } });
    const fixed = tasks.map((t) => (t.id === 'f' ? { ...t, state: 'done' as const, progress: { status: 'done' as const, workMs: 0, attempts: 1 } } : t));
    expect(Object.fromEntries(stoppedBy(fixed))).toEqual({ h: { taskId: 'g', title: 'g' } });
  });
});

describe('epic progress', () => {
  it('counts each epic apart and adds up the time; the snapshot carrying it passes validation, a malformed one does not', () => {
    const tasks = toBoardTasks([task('a', 'done'), task('b', 'in_progress'), task('c', 'ready'), task('d', 'ready'), task('x', 'done', 'e2')]);
    const withProgress = tasks.map((t) => ({
      ...t,
      progress: t.id === 'a' ? { status: 'done' as const, workMs: 4_000, attempts: 1 } : t.id === 'b' ? { status: 'review' as const, workMs: 1_000, attempts: 1 } : t.id === 'c' ? { status: 'failed' as const, workMs: 500, attempts: 2 } : t.id === 'x' ? { status: 'done' as const, workMs: 10, attempts: 1 } : { status: 'todo' as const, workMs: 0, attempts: 0 },
      // d waits on the failed c.
      ...(t.id === 'd' ? { stoppedBy: { taskId: 'c', title: 'c' } } : {}),
    }));
    const progress = epicProgress([epic('e1'), epic('e2'), epic('e3')], withProgress);
    expect(progress).toEqual([
      { epicId: 'e1', total: 4, todo: 1, running: 0, review: 1, failed: 1, yours: 0, stopped: 1, done: 1, workMs: 5_500 },
      { epicId: 'e2', total: 1, todo: 0, running: 0, review: 0, failed: 0, yours: 0, stopped: 0, done: 1, workMs: 10 },
      { epicId: 'e3', total: 0, todo: 0, running: 0, review: 0, failed: 0, yours: 0, stopped: 0, done: 0, workMs: 0 },
    ]);

    const state: StateSnapshot = { session: null, messages: [], hasMoreMessages: false, board: { epics: [epic('e1'), epic('e2'), epic('e3')], tasks: withProgress, progress }, runs: [], proposals: [], busy: [] };
    const ok = parseHostMessage({ type: 'state', state });
    expect(ok.ok).toBe(true);
    if (ok.ok && ok.message.type === 'state') expect(ok.message.state.board.tasks[0]!.progress).toEqual({ status: 'done', workMs: 4_000, attempts: 1 });

    const badStatus = parseHostMessage({ type: 'state', state: { ...state, board: { ...state.board, tasks: [{ ...withProgress[0]!, progress: { status: 'stuck', workMs: 1, attempts: 1 } }] } } });
    expect(badStatus.ok).toBe(false);
    const badCount = parseHostMessage({ type: 'state', state: { ...state, board: { ...state.board, progress: [{ ...progress[0]!, done: -1 }] } } });
    expect(badCount.ok).toBe(false);
    const extra = parseHostMessage({ type: 'state', state: { ...state, board: { ...state.board, progress: [{ ...progress[0]!, secret: 1 }] } } });
    expect(extra.ok).toBe(false);
  });
});
