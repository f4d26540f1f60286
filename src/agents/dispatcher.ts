import type { Diagnostic } from '../core/diagnostics';
import { hasErrors } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';
import type { ActorRole, ModeId, Proposal, Task } from '../domain';
import { inUsersHands, ROLE_LABELS, STATE_LABELS } from '../domain';
import type { ModelClient } from '../llm/types';
import type { CompileStepOptions } from '../pipeline/compileStep';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';
import type { Mode, ModeInput, ModeResult } from '../pipeline/mode';
import type { NocodoStore } from '../store/types';
import { checksOf } from './autoAccept';
import { TeamError, isCancellation, throwIfAborted } from './errors';
import { checkpoint, lastRunId, runsOf, saveRuns } from './runs';
import { noteResumedDependents, noteStoppedDependents } from './stoppedTasks';
import { clean, listText } from './text';

export type ModeLookup = (id: ModeId) => Mode | undefined;

export interface DispatchDeps {
  store: NocodoStore;
  client: ModelClient;
  project?: ProjectFs;
  getMode: ModeLookup;
  onDelta?: (author: ActorRole, text: string) => void;
  now?: () => number;
  /**
   * Runs before a task starts (the host switches to the task's git branch). Resolves a reason when
   * the task must not start now (the user cancelled, git refused); the task then stays ready.
   */
  prepareTask?: (task: Task) => Promise<string | undefined>;
  /** The compile check for Rust modes (`cargo check` of the change), read per run; absent or undefined: none. */
  compile?: () => CompileStepOptions | undefined;
  /** How the specialists' Rust is formatted, read per run (absent: rustfmt from PATH). */
  rustfmt?: () => RustfmtSetting;
}

export type RunTaskOutcome =
  /** The specialist proposed a change; the task waits `in_progress` for the user's review. */
  | { kind: 'proposal'; task: Task; proposal: Proposal; result: ModeResult }
  /** The mode produced nothing usable; the task is `ready` again with the diagnostics as a comment. */
  | { kind: 'failed'; task: Task; message: string; diagnostics: Diagnostic[] };

const MAX_DIAGNOSTICS_IN_COMMENT = 8;

/** Why the task cannot run now, or undefined when it can. */
export function whyNotRunnable(store: NocodoStore, task: Task, getMode: ModeLookup, project: ProjectFs | undefined): string | undefined {
  if (task.state !== 'ready') {
    if (inUsersHands(task, store.events.list(task.id))) return `"${task.title}" is yours: you took it over. Mark it done when you have done it.`;
    const pending = task.state === 'in_progress' && store.proposals.list({ taskId: task.id, status: 'pending' }).length > 0;
    if (pending) return `"${task.title}" is waiting for you to accept or reject its proposed change.`;
    return `"${task.title}" is "${STATE_LABELS[task.state]}"; only a ready task can run.`;
  }
  if (!task.mode) return `"${task.title}" has no coding mode: it is yours to do by hand.`;
  if (!getMode(task.mode)) return `The coding mode ${task.mode} of "${task.title}" is not available in this version of nocodo.`;
  const open = task.dependsOn.map((id) => store.tasks.get(id)).filter((d): d is Task => d !== undefined && d.state !== 'done');
  const missing = task.dependsOn.filter((id) => !store.tasks.get(id));
  if (open.length) return `"${task.title}" waits for ${listText(open.map((d) => `"${d.title}" (${STATE_LABELS[d.state]})`))}.`;
  if (missing.length) return `"${task.title}" depends on tasks that no longer exist; shape it again.`;
  if (!project) return 'Open the Rust project folder first: the specialist needs it to write code.';
  return undefined;
}

/** Ready tasks whose dependencies are done, in board order. */
export function runnableTasks(store: NocodoStore, sessionId: string, getMode: ModeLookup, project: ProjectFs | undefined): Task[] {
  return store.tasks.list({ sessionId, state: 'ready' }).filter((t) => whyNotRunnable(store, t, getMode, project) === undefined);
}

/** The notes a specialist gets: the Engineering Manager's notes, then the task's comments (rejections included). */
export function notesForTask(store: NocodoStore, task: Task): string[] {
  const notes: string[] = [];
  if (task.technicalNotes?.trim()) notes.push(`Technical notes: ${task.technicalNotes.trim()}`);
  if (task.dataContract?.trim()) notes.push(`Data contract: ${task.dataContract.trim()}`);
  for (const c of store.comments.list(task.id)) {
    if (c.author === 'system') continue; // status lines, not guidance
    notes.push(`${ROLE_LABELS[c.author]}: ${c.body}`);
  }
  return notes;
}

function modeInput(store: NocodoStore, task: Task, project: ProjectFs): ModeInput {
  const t = task.target ?? {};
  const named = t.function ? ` Name the function ${t.function}.` : '';
  return {
    project,
    request: `${(task.request ?? task.description).trim()}${named}`,
    notes: notesForTask(store, task),
    taskId: task.id,
    ...(t.file ? { file: t.file } : {}),
    ...(t.struct ? { struct: t.struct } : {}),
    ...(t.table ? { table: t.table } : {}),
  };
}

function diagnosticsText(ds: readonly Diagnostic[]): string {
  const shown = ds.filter((d) => d.severity === 'error').slice(0, MAX_DIAGNOSTICS_IN_COMMENT);
  const lines = (shown.length ? shown : ds.slice(0, MAX_DIAGNOSTICS_IN_COMMENT)).map((d) => `- ${d.file ? `${d.file}${d.line ? `:${d.line}` : ''}: ` : ''}${clean(d.message, 400)}`);
  return lines.join('\n') || '- (no diagnostics)';
}

/**
 * Runs a ready task's coding mode as its specialist. The task is `in_progress` while the mode
 * runs; a usable change set becomes a pending Proposal (the task stays `in_progress` until the
 * user decides); anything else puts the task back to `ready` with the reason as a comment.
 * Cancellation also puts it back and rethrows.
 */
export async function runTask(deps: DispatchDeps, taskId: string, opts: { signal?: AbortSignal; sessionId?: string } = {}): Promise<RunTaskOutcome> {
  const { store } = deps;
  const task = store.tasks.get(taskId);
  if (!task) throw new TeamError('not-found', `There is no task ${taskId}.`);
  const why = whyNotRunnable(store, task, deps.getMode, deps.project);
  if (why) throw new TeamError('not-runnable', why);
  throwIfAborted(opts.signal);
  const notNow = await deps.prepareTask?.(task);
  if (notNow) throw new TeamError('not-runnable', notNow);
  throwIfAborted(opts.signal);
  const mode = deps.getMode(task.mode!)!;
  const project = deps.project!;
  const specialist: ActorRole = task.role;
  const link = { taskId, ...(opts.sessionId ? { sessionId: opts.sessionId } : {}) };

  store.transitionTask(taskId, { to: 'in_progress', by: specialist, why: `Running ${mode.id}.` });
  await checkpoint(store);

  const backToReady = (why: string, comment: string) => {
    store.comments.create({ taskId, author: specialist, body: comment });
    const back = store.transitionTask(taskId, { to: 'ready', by: specialist, why }).task;
    noteStoppedDependents(store, back, why);
    return back;
  };

  let result: ModeResult;
  const compile = deps.compile?.();
  try {
    result = await mode.run(modeInput(store, task, project), {
      client: deps.client,
      ...(compile ? { compile } : {}),
      ...(deps.rustfmt ? { rustfmt: deps.rustfmt() } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(deps.onDelta ? { onDelta: (d) => d.content && deps.onDelta?.(specialist, d.content) } : {}),
    });
  } catch (err) {
    saveRuns(store, runsOf(err), link);
    if (isCancellation(err) || opts.signal?.aborted) {
      store.transitionTask(taskId, { to: 'ready', by: 'user', why: 'The run was cancelled.' });
      throw err instanceof TeamError ? err : new TeamError('cancelled', 'Cancelled.');
    }
    const message = err instanceof Error ? err.message : String(err);
    const t = backToReady('The run failed.', `The ${mode.id} run failed: ${message}`);
    return { kind: 'failed', task: t, message, diagnostics: [{ severity: 'error', code: 'mode-failed', message }] };
  }
  saveRuns(store, result.runs, link);

  const files = result.changeSet?.files ?? [];
  if (!result.ok || !result.changeSet || files.length === 0 || hasErrors(result.diagnostics)) {
    if (opts.signal?.aborted || result.diagnostics.some((d) => d.code === 'cancelled')) {
      store.transitionTask(taskId, { to: 'ready', by: 'user', why: 'The run was cancelled.' });
      throw new TeamError('cancelled', 'Cancelled.');
    }
    const message = `The ${mode.id} run produced no usable change.`;
    const t = backToReady('The run produced no usable change.', `${message}\n${diagnosticsText(result.diagnostics)}`);
    return { kind: 'failed', task: t, message, diagnostics: result.diagnostics };
  }

  const runId = lastRunId(result.runs);
  const proposal = store.proposals.create({
    taskId,
    root: project.root,
    changeSet: result.changeSet,
    checks: checksOf(result.diagnostics),
    ...(runId ? { runId } : {}),
  });
  store.comments.create({
    taskId,
    author: 'system',
    body: `${ROLE_LABELS[specialist]} proposed a change to ${listText(files.map((f) => f.path))}: ${clean(result.changeSet.summary, 300) || mode.title}. Review it to accept or reject.`,
  });
  return { kind: 'proposal', task: store.tasks.get(taskId)!, proposal, result };
}

export interface ProposalDecision {
  proposal: Proposal;
  /** The task after the decision (done / ready), when the proposal belongs to one. */
  task?: Task;
}

/**
 * Records the user's decision on a proposal: accepted → its task is done; rejected → its task is
 * ready again and the reason becomes a comment the specialist reads on the next run, and the run
 * that produced the proposal is marked rejected (for the run inspector and evaluations).
 */
export function decideProposal(
  store: NocodoStore,
  proposalId: string,
  decision: 'accepted' | 'rejected',
  reason?: string,
  opts: { now?: () => number; /** Who decided (default the user; the system for an automatic accept) and why, for the task's history. */ by?: ActorRole; why?: string } = {},
): ProposalDecision {
  const now = opts.now ?? Date.now;
  const current = store.proposals.get(proposalId);
  if (!current) throw new TeamError('not-found', `There is no proposal ${proposalId}.`);
  if (current.status !== 'pending') throw new TeamError('wrong-phase', `This proposal was already ${current.status}.`);
  const at = now();
  const why = reason?.trim() ? clean(reason, 2000) : undefined;
  const proposal = store.proposals.update(proposalId, { status: decision, decidedAt: at, ...(decision === 'rejected' && why ? { rejectionReason: why } : {}) });
  if (decision === 'rejected' && current.runId && store.runs.get(current.runId)) {
    store.runs.update(current.runId, { rejection: { at, ...(why ? { reason: why } : {}) } });
  }
  if (!current.taskId) return { proposal };
  const task = store.tasks.get(current.taskId);
  if (!task || task.state !== 'in_progress') return { proposal, ...(task ? { task } : {}) };
  if (decision === 'accepted') {
    const done = store.transitionTask(task.id, { to: 'done', by: opts.by ?? 'user', why: opts.why ?? 'Accepted the proposed change.' }).task;
    noteResumedDependents(store, done);
    return { proposal, task: done };
  }
  store.comments.create({ taskId: task.id, author: 'user', body: why ? `Rejected the proposed change: ${why}` : 'Rejected the proposed change (no reason given).' });
  return { proposal, task: store.transitionTask(task.id, { to: 'ready', by: 'user', why: why ?? 'Rejected the proposed change.' }).task };
}
