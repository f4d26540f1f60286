import { allowedTransitions, STATE_LABELS } from '../domain';
import type { Proposal, RunRecord, Task, TaskState } from '../domain';
import { clip, LIMITS } from './limits';
import type { BoardTask, ProposalSummary, Runnable, RunSummary } from './messages';

// Pure projections from domain records to what the panel shows. The host calls these so the
// webview never has to re-derive rules (what may move where, what may run) on its own.

/** Whether "Run" may be pressed for a task, with the reason in the user's words when not. */
export function runnableOf(task: Task, tasksById: ReadonlyMap<string, Pick<Task, 'title' | 'state'>>): Runnable {
  if (!task.mode) return { ok: false, reason: 'This task has no coding mode: it stays with you.' };
  if (task.state !== 'ready') return { ok: false, reason: `Only ready tasks can run; this one is "${STATE_LABELS[task.state]}".` };
  const waiting = task.dependsOn.map((id) => tasksById.get(id)).filter((d) => !d || d.state !== 'done');
  if (waiting.length) {
    const names = waiting.map((d) => (d ? `"${d.title}"` : 'a task that no longer exists'));
    return { ok: false, reason: `Waiting for ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} to be done.` };
  }
  return { ok: true };
}

/** A task for the board. `extraGuard` lets the host withhold transitions it would refuse anyway. */
export function toBoardTask(task: Task, tasksById: ReadonlyMap<string, Pick<Task, 'title' | 'state'>>, extraGuard?: (to: TaskState) => boolean): BoardTask {
  return {
    ...task,
    transitions: allowedTransitions(task.state).filter((to) => !extraGuard || extraGuard(to)),
    runnable: runnableOf(task, tasksById),
    ...(staysWithUser(task) ? { withUser: true } : {}),
  };
}

/** The Engineering Manager shaped it (it has notes) and found no coding mode: it is the user's to do. */
function staysWithUser(task: Task): boolean {
  return !task.mode && !!task.technicalNotes?.trim() && (task.state === 'needs_technical_shaping' || task.state === 'ready');
}

export function toBoardTasks(tasks: readonly Task[]): BoardTask[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  return tasks.map((t) => toBoardTask(t, byId));
}

export function toRunSummary(run: RunRecord, proposalId?: string): RunSummary {
  return {
    id: run.id,
    ...(run.parentRunId ? { parentRunId: run.parentRunId } : {}),
    role: run.role,
    ...(run.mode ? { mode: clip(run.mode, 100) } : {}),
    ...(run.taskId ? { taskId: run.taskId } : {}),
    model: clip(run.model, LIMITS.short),
    outcome: run.outcome,
    ...(run.error ? { error: clip(run.error, LIMITS.short) } : {}),
    startedAt: run.timings.startedAt,
    totalMs: run.timings.totalMs,
    ...(run.timings.firstTokenMs !== undefined ? { firstTokenMs: run.timings.firstTokenMs } : {}),
    ...(run.timings.tokensPerSecond !== undefined ? { tokensPerSecond: run.timings.tokensPerSecond } : {}),
    ...(run.usage?.promptTokens !== undefined ? { promptTokens: run.usage.promptTokens } : {}),
    ...(run.usage?.completionTokens !== undefined ? { completionTokens: run.usage.completionTokens } : {}),
    errors: run.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: run.diagnostics.filter((d) => d.severity === 'warning').length,
    ...(proposalId ? { proposalId } : {}),
  };
}

/** Added/removed line counts by a multiset comparison: cheap, and good enough for a badge. */
function lineDelta(original: string | null, proposed: string): { added: number; removed: number } {
  const before = new Map<string, number>();
  if (original !== null) for (const l of original.split('\n')) before.set(l, (before.get(l) ?? 0) + 1);
  let added = 0;
  for (const l of proposed.split('\n')) {
    const n = before.get(l) ?? 0;
    if (n > 0) before.set(l, n - 1);
    else added++;
  }
  let removed = 0;
  for (const n of before.values()) removed += n;
  return { added, removed };
}

export function toProposalSummary(p: Proposal): ProposalSummary {
  return {
    id: p.id,
    ...(p.runId ? { runId: p.runId } : {}),
    ...(p.taskId ? { taskId: p.taskId } : {}),
    status: p.status,
    mode: clip(p.changeSet.mode, 100),
    summary: clip(p.changeSet.summary, LIMITS.short),
    files: p.changeSet.files.slice(0, 200).map((f) => ({ path: clip(f.path, 1_000), isNew: f.original === null, ...lineDelta(f.original, f.proposed) })),
    createdAt: p.createdAt,
    ...(p.rejectionReason ? { rejectionReason: clip(p.rejectionReason, LIMITS.short) } : {}),
  };
}
