import type { Task } from '../domain';
import { inUsersHands, STATE_LABELS, TASK_REQUEST_MAX } from '../domain';
import type { NocodoStore } from '../store/types';
import { TeamError } from './errors';
import { cleanBlock, listText } from './text';

// A failed task and the tasks it stops. A run that fails puts its task back to `ready` (see
// dispatcher.runTask); what depends on it waits (whyNotRunnable) and the board says so on each of
// them. The user then retries the task (Run again), edits its request first, or takes it over and
// does it by hand; once it is done, the tasks it stopped can run again and the board says that too.

/** Tasks of the same epic that wait on `task`, directly or through others, and are not done. */
export function dependentsOf(store: NocodoStore, task: Task): Task[] {
  const all = store.tasks.list({ epicId: task.epicId });
  const stopped = new Set([task.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of all) {
      if (!stopped.has(t.id) && t.dependsOn.some((d) => stopped.has(d))) {
        stopped.add(t.id);
        grew = true;
      }
    }
  }
  return all.filter((t) => t.id !== task.id && stopped.has(t.id) && t.state !== 'done');
}

const stoppedPrefix = (failed: Pick<Task, 'title'>) => `Stopped: "${failed.title}" failed`;
const resumedPrefix = (done: Pick<Task, 'title'>) => `No longer stopped: "${done.title}" is done`;

/**
 * A failed task holds up what depends on it (whyNotRunnable keeps them waiting, auto-run skips
 * them); the board says so on each of them, once per failure reason, with what the user can do.
 */
export function noteStoppedDependents(store: NocodoStore, failed: Task, why: string): void {
  const body = `${stoppedPrefix(failed)} (${why.replace(/\.$/, '')}), and this task needs it. Retry "${failed.title}", edit its request, or take it over; this task can run once it is done.`;
  for (const t of dependentsOf(store, failed)) {
    if (store.comments.list(t.id).at(-1)?.body === body) continue;
    store.comments.create({ taskId: t.id, author: 'system', body });
  }
}

/**
 * `done` has just been done (its proposal accepted, or the user marked it done): each task it had
 * stopped is told the stop is lifted, and whether it can run now or still waits for another task.
 */
export function noteResumedDependents(store: NocodoStore, done: Task): void {
  for (const t of dependentsOf(store, done)) {
    // The latest word about `done` on this task: a stop not yet lifted gets its "no longer stopped".
    const last = store.comments
      .list(t.id)
      .filter((c) => c.author === 'system' && (c.body.startsWith(stoppedPrefix(done)) || c.body.startsWith(resumedPrefix(done))))
      .at(-1);
    if (!last?.body.startsWith(stoppedPrefix(done))) continue;
    const open = t.dependsOn.map((id) => store.tasks.get(id)).filter((d): d is Task => d !== undefined && d.state !== 'done');
    const next = open.length ? `this task still waits for ${listText(open.map((d) => `"${d.title}" (${STATE_LABELS[d.state]})`))}` : 'this task needs nothing else';
    store.comments.create({ taskId: t.id, author: 'system', body: `${resumedPrefix(done)}, and ${next}.` });
  }
}

function requireTask(store: NocodoStore, taskId: string): Task {
  const task = store.tasks.get(taskId);
  if (!task) throw new TeamError('not-found', `There is no task ${taskId}.`);
  return task;
}

/** Why the user cannot change the task's request or take it over while it is in progress. */
function inProgressReason(store: NocodoStore, task: Task, doing: string): string {
  if (inUsersHands(task, store.events.list(task.id))) return `You have already taken "${task.title}" over: mark it done when you have done it.`;
  if (store.proposals.list({ taskId: task.id, status: 'pending' }).length) return `"${task.title}" is waiting for you to accept or reject its proposed change; reject it first to ${doing}.`;
  return `A specialist is working on "${task.title}" now; stop the run first to ${doing}.`;
}

export const TAKEN_OVER_WHY = 'Taken over by you: no specialist runs it. Do it by hand, then mark it done.';

/**
 * The user takes a task over: it goes `in_progress` in the user's hands (inUsersHands), so no
 * specialist runs it and auto-run passes it by. Only a ready task (a failed one is ready again)
 * can be taken over; marking it done lets the tasks it stopped run.
 */
export function takeOverTask(store: NocodoStore, taskId: string): Task {
  const task = requireTask(store, taskId);
  if (task.state === 'in_progress') throw new TeamError('wrong-phase', inProgressReason(store, task, 'take it over'));
  if (task.state !== 'ready') throw new TeamError('wrong-phase', `Only a ready task can be taken over; "${task.title}" is "${STATE_LABELS[task.state]}".`);
  return store.transitionTask(task.id, { to: 'in_progress', by: 'user', why: TAKEN_OVER_WHY }).task;
}

/**
 * The user rewrites what the specialist is asked to do (the request the coding mode gets), e.g.
 * after a failed run; the next run (Run again) uses it. The old text is kept in a comment, which
 * the specialists do not read (it is the system's).
 */
export function editTaskRequest(store: NocodoStore, taskId: string, text: string): Task {
  const task = requireTask(store, taskId);
  const request = cleanBlock(text);
  if (!request) throw new TeamError('invalid-input', 'Write what the specialist should do: the request is empty.');
  if (request.length > TASK_REQUEST_MAX) throw new TeamError('invalid-input', `The request is ${request.length} characters long; at most ${TASK_REQUEST_MAX} fit.`);
  if (!task.mode) throw new TeamError('wrong-phase', `"${task.title}" has no coding mode: no specialist runs it, so it has no request to edit.`);
  if (task.state === 'in_progress') throw new TeamError('wrong-phase', inProgressReason(store, task, 'change its request'));
  if (task.state === 'done') throw new TeamError('wrong-phase', `"${task.title}" is done; move it back to Ready to change its request and run it again.`);
  const before = (task.request ?? task.description).trim();
  if (request === before) return task;
  const updated = store.tasks.update(task.id, { request });
  const was = before.length > 600 ? `${before.slice(0, 599)}…` : before;
  store.comments.create({ taskId: task.id, author: 'system', body: `You changed the request${task.state === 'ready' ? ' (Run it again to use it)' : ''}. It was:\n${was || '(empty)'}` });
  return updated;
}
