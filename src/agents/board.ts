import { newId } from '../core/ids';
import type { Epic, Task } from '../domain';
import type { NocodoStore } from '../store/types';
import type { Shaping } from './engineeringManager';
import type { PlannedEpic } from './projectManager';
import { checkShaping, type CheckContext, type CheckResult } from './shapingChecks';

// Board writes: each function makes all of its writes synchronously, one after the other, so no
// model call or other step can see (or persist) half of them.

/** Creates the epic and its tasks (draft → needs_technical_shaping, recorded as the Project Manager). */
export function savePlan(store: NocodoStore, sessionId: string, plan: PlannedEpic): { epic: Epic; tasks: Task[] } {
  const epic = store.epics.create({ sessionId, title: plan.title, description: plan.description });
  const ids = plan.tasks.map(() => newId('task'));
  for (const [i, t] of plan.tasks.entries()) {
    store.tasks.create({
      id: ids[i]!,
      epicId: epic.id,
      title: t.title,
      description: t.description,
      acceptanceCriteria: t.acceptanceCriteria,
      role: t.role,
      dependsOn: t.dependsOn.map((d) => ids[d]!),
    });
    if (t.notes.length) store.comments.create({ taskId: ids[i]!, author: 'project_manager', body: t.notes.join('\n') });
  }
  const tasks = ids.map((id) => store.transitionTask(id, { to: 'needs_technical_shaping', by: 'project_manager', why: 'Planned; waiting for technical shaping.' }).task);
  return { epic, tasks };
}

export const NO_MODE_NOTE = 'No coding mode fits this task: it stays with you (do it by hand, then mark it done).';

/** Whether the Engineering Manager has shaped the task (shaping always leaves technical notes). */
export const isShaped = (t: Task): boolean => t.technicalNotes !== undefined;

/** Stores the Engineering Manager's shaping on the task (state unchanged). */
export function applyShaping(store: NocodoStore, task: Task, shaping: Shaping, inheritedContract?: string): Task {
  const notes = shaping.technicalNotes.trim();
  const technicalNotes = shaping.mode ? notes || 'Shaped by the Engineering Manager.' : `${NO_MODE_NOTE}${notes ? `\n${notes}` : ''}`;
  const contract = shaping.dataContract ?? inheritedContract;
  const hasTarget = Object.keys(shaping.target).length > 0;
  const updated = store.tasks.update(task.id, {
    mode: shaping.mode ?? null,
    target: hasTarget ? shaping.target : null,
    request: shaping.request || task.description,
    technicalNotes,
    dataContract: contract ?? null,
  });
  if (shaping.notes.length) store.comments.create({ taskId: task.id, author: 'engineering_manager', body: shaping.notes.join('\n') });
  return updated;
}

/**
 * Runs the deterministic checks on a shaped task: adds the dependencies it needs, and moves it to
 * `ready` when everything holds. Otherwise it stays in shaping with the problems as a comment
 * (not repeated when the same problems are found again).
 */
export function promoteIfReady(store: NocodoStore, task: Task, ctx: Omit<CheckContext, 'tasks'>): { task: Task; check: CheckResult } {
  const tasks = store.tasks.list({ epicId: task.epicId });
  const check = checkShaping(task, { ...ctx, tasks });
  let current = task;
  if (check.addDependsOn.length) current = store.tasks.update(task.id, { dependsOn: [...task.dependsOn, ...check.addDependsOn] });
  const said = new Set(store.comments.list(task.id).map((c) => c.body));
  if (check.notes.length && !said.has(check.notes.join('\n'))) store.comments.create({ taskId: task.id, author: 'engineering_manager', body: check.notes.join('\n') });
  if (check.ready) {
    const target = [current.target?.table, current.target?.struct && current.target.function ? `${current.target.struct}::${current.target.function}` : current.target?.struct]
      .filter(Boolean)
      .join(', ');
    current = store.transitionTask(task.id, { to: 'ready', by: 'engineering_manager', why: `Shaped for ${current.mode}${target ? ` (${target})` : ''}; checks passed.` }).task;
  } else {
    const body = check.manual ? check.problems.join('\n') : `Not ready yet:\n${check.problems.map((p) => `- ${p}`).join('\n')}`;
    const last = store.comments
      .list(task.id)
      .filter((c) => c.author === 'engineering_manager' && c.body !== check.notes.join('\n'))
      .pop();
    if (last?.body !== body) store.comments.create({ taskId: task.id, author: 'engineering_manager', body });
  }
  return { task: current, check };
}
