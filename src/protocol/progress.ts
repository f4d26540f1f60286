import { inUsersHands, SPECIALIST_ROLES } from '../domain';
import type { Epic, Task, TaskEvent } from '../domain';
import type { EpicProgress, TaskProgress } from './messages';

// Progress across an epic, derived from the tasks' histories alone (so a restarted nocodo shows
// the same figures): what is done, running, waiting for review or failed, and how long each task
// was in progress.

const SPECIALISTS: ReadonlySet<string> = new Set(SPECIALIST_ROLES);

/**
 * A run that fails puts its task back to `ready` as the specialist (see dispatcher.runTask); a
 * cancel, a rejection or an interrupted run does it as the user or the system, and is no failure.
 */
function lastRunFailed(task: Task, events: readonly TaskEvent[]): boolean {
  const last = events.at(-1);
  return task.state === 'ready' && last?.from === 'in_progress' && last.to === 'ready' && SPECIALISTS.has(last.by);
}

/** `events` oldest first; `pendingProposal`: the task's change waits for the user's decision. */
export function taskProgress(task: Task, events: readonly TaskEvent[], pendingProposal: boolean, now: number): TaskProgress {
  let workMs = 0;
  let attempts = 0;
  let since: number | undefined;
  for (const e of events) {
    if (e.to === 'in_progress' && since === undefined) {
      since = e.at;
      attempts++;
    } else if (e.from === 'in_progress' && since !== undefined) {
      workMs += Math.max(0, e.at - since);
      since = undefined;
    }
  }
  if (since !== undefined && task.state === 'in_progress') workMs += Math.max(0, now - since);
  const status: TaskProgress['status'] =
    task.state === 'done'
      ? 'done'
      : task.state === 'in_progress'
        ? pendingProposal
          ? 'review'
          : inUsersHands(task, events)
            ? 'yours'
            : 'running'
        : lastRunFailed(task, events)
          ? 'failed'
          : 'todo';
  return { status, workMs, attempts };
}

type WithProgress = Pick<Task, 'id' | 'title' | 'state' | 'dependsOn'> & { progress?: TaskProgress };

/**
 * For each task not done that waits on a failed task, directly or through others: the nearest
 * such failed task (a failed task itself is not "stopped"). The stop lifts once it is done.
 */
export function stoppedBy(tasks: readonly WithProgress[]): Map<string, { taskId: string; title: string }> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const out = new Map<string, { taskId: string; title: string }>();
  for (const task of tasks) {
    if (task.state === 'done' || task.progress?.status === 'failed') continue;
    // Breadth first, so the nearest failed dependency is named.
    const seen = new Set([task.id]);
    let level = task.dependsOn;
    while (level.length && !out.has(task.id)) {
      const next: string[] = [];
      for (const id of level) {
        const dep = byId.get(id);
        if (!dep || seen.has(id) || dep.state === 'done') continue;
        seen.add(id);
        if (dep.progress?.status === 'failed') {
          out.set(task.id, { taskId: dep.id, title: dep.title });
          break;
        }
        next.push(...dep.dependsOn);
      }
      level = next;
    }
  }
  return out;
}

/** The counts per epic, in the epics' order. */
export function epicProgress(epics: readonly Epic[], tasks: ReadonlyArray<Pick<Task, 'epicId'> & { progress?: TaskProgress; stoppedBy?: unknown }>): EpicProgress[] {
  return epics.map((epic) => {
    const p: EpicProgress = { epicId: epic.id, total: 0, todo: 0, running: 0, review: 0, failed: 0, yours: 0, stopped: 0, done: 0, workMs: 0 };
    for (const t of tasks) {
      if (t.epicId !== epic.id || !t.progress) continue;
      p.total++;
      p[t.progress.status]++;
      if (t.stoppedBy) p.stopped++;
      p.workMs += t.progress.workMs;
    }
    return p;
  });
}
