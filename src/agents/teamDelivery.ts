import type { Epic, Task, TaskState } from '../domain';
import { MODE_IDS } from '../domain';
import { isModelError } from '../llm/errors';
import type { Mode } from '../pipeline/mode';
import type { AgentResult } from './agentCall';
import { applyShaping, isShaped, promoteIfReady, savePlan } from './board';
import { decideProposal, runTask, type ProposalDecision, type RunTaskOutcome } from './dispatcher';
import { shapeWithModel, type Shaping } from './engineeringManager';
import { editTaskRequest, noteResumedDependents, takeOverTask } from './stoppedTasks';
import { TeamError, throwIfAborted } from './errors';
import { planEpic } from './projectManager';
import { lastRunId } from './runs';
import { topologicalOrder } from './shapingChecks';
import type { TeamRuntime } from './teamRuntime';

// The delivery phases after a confirmed summary: the Project Manager plans an epic, the
// Engineering Manager shapes its tasks, specialists run them, and the user moves tasks, comments
// and decides proposals on the board. The `…Step` functions run inside TeamRuntime.exclusive.

/** The Project Manager turns the confirmed summary into an epic with tasks. */
export async function planStep(rt: TeamRuntime, signal: AbortSignal): Promise<{ epic: Epic; tasks: Task[] }> {
  const s = rt.requireSession();
  const { store } = rt;
  if (store.epics.list(s.id).length) throw new TeamError('wrong-phase', 'The work is already planned.');
  if (s.phase !== 'planning' || !s.summaryConfirmed || !s.summary) throw new TeamError('wrong-phase', 'Confirm the summary first: the Project Manager plans from it.');
  const summary = s.summary;
  const { value: plan, runs } = await rt.callAgent('project_manager', signal, undefined, (ctx) => planEpic(ctx, summary));
  const saved = savePlan(store, s.id, plan);
  const runId = lastRunId(runs);
  store.messages.create({
    sessionId: s.id,
    author: 'project_manager',
    content: `I planned "${saved.epic.title}" as ${saved.tasks.length} task${saved.tasks.length === 1 ? '' : 's'}. The Engineering Manager shapes them next.`,
    ...(runId ? { runId } : {}),
  });
  store.sessions.update(s.id, { phase: 'shaping' });
  rt.emit('board', 'messages', 'session');
  return saved;
}

/**
 * The Engineering Manager shapes every task waiting for it, then the deterministic checks decide
 * which become `ready`. Tasks shaped before are only checked again (cheap; picks up a table the
 * user has added since).
 */
export async function shapeStep(rt: TeamRuntime, signal: AbortSignal): Promise<Task[]> {
  const s = rt.requireSession();
  const { store, getMode } = rt.opts;
  if (s.phase !== 'shaping' && s.phase !== 'building') {
    if (s.phase === 'planning' && store.epics.list(s.id).length) store.sessions.update(s.id, { phase: 'shaping' });
    else throw new TeamError('wrong-phase', 'There are no planned tasks to shape yet.');
  }
  const project = await rt.loadProjectInfo();
  const modes = MODE_IDS.map((id) => getMode(id)).filter((m): m is Mode => m !== undefined);
  const counts = { ready: 0, manual: 0, waiting: 0, failed: 0 };
  for (const t of topologicalOrder(store.tasks.list({ sessionId: s.id }))) {
    throwIfAborted(signal);
    let task = store.tasks.get(t.id);
    if (!task || task.state !== 'needs_technical_shaping') continue;
    if (!isShaped(task)) {
      const current = task;
      const epicTasks = store.tasks.list({ epicId: task.epicId });
      let shaped: AgentResult<Shaping>;
      try {
        shaped = await rt.callAgent('engineering_manager', signal, task.id, (ctx) =>
          shapeWithModel(ctx, { task: current, tasks: epicTasks, ...(s.summary ? { summary: s.summary } : {}), ...(project ? { project } : {}), modes }),
        );
      } catch (err) {
        // One unusable answer should not hold up the other tasks; this one is shaped again on resume.
        if (!isModelError(err) || err.kind !== 'invalid-output') throw err;
        store.comments.create({ taskId: task.id, author: 'engineering_manager', body: `I could not shape this task: ${err.message.split('\n')[0]}` });
        counts.failed++;
        rt.emit('board');
        continue;
      }
      const inherited = task.role === 'frontend' || task.role === 'ui_designer' ? epicTasks.find((d) => task!.dependsOn.includes(d.id) && d.dataContract)?.dataContract : undefined;
      task = applyShaping(store, task, shaped.value, inherited);
    }
    const { check } = promoteIfReady(store, task, { ...(project ? { project } : {}), getMode });
    if (check.ready) counts.ready++;
    else if (check.manual) counts.manual++;
    else counts.waiting++;
    rt.emit('board');
  }
  const all = store.tasks.list({ sessionId: s.id });
  if (!all.some((t) => t.state === 'needs_technical_shaping' && !isShaped(t))) store.sessions.update(s.id, { phase: 'building' });
  const parts = [`${counts.ready} ready to build`];
  if (counts.manual) parts.push(`${counts.manual} left to you (no coding mode fits)`);
  if (counts.waiting) parts.push(`${counts.waiting} need attention (see their comments)`);
  if (counts.failed) parts.push(`${counts.failed} could not be shaped yet`);
  if (counts.ready + counts.manual + counts.waiting + counts.failed > 0) {
    store.messages.create({ sessionId: s.id, author: 'engineering_manager', content: `Shaped the tasks: ${parts.join(', ')}.` });
  }
  rt.emit('session', 'messages', 'board');
  return all;
}

/** A specialist runs the task's coding mode; a usable result becomes a pending proposal. */
export async function runStep(rt: TeamRuntime, taskId: string, signal: AbortSignal): Promise<RunTaskOutcome> {
  const s = rt.session;
  const { opts } = rt;
  try {
    return await runTask(
      {
        store: opts.store,
        client: opts.client,
        getMode: opts.getMode,
        ...(opts.project ? { project: opts.project } : {}),
        ...(opts.onDelta ? { onDelta: opts.onDelta } : {}),
        ...(rt.taskPreparer ? { prepareTask: rt.taskPreparer } : {}),
        ...(opts.compile ? { compile: opts.compile } : {}),
        ...(opts.rustfmt ? { rustfmt: opts.rustfmt } : {}),
      },
      taskId,
      { signal, ...(s ? { sessionId: s.id } : {}) },
    );
  } finally {
    rt.emit('board', 'proposals');
  }
}

/** The user accepted or rejected a proposal (the host's diff view reports it), or an automatic accept did (`automatic`). */
export function decide(rt: TeamRuntime, proposalId: string, decision: 'accepted' | 'rejected', reason: string | undefined, automatic: boolean): ProposalDecision {
  const result = decideProposal(rt.store, proposalId, decision, reason, automatic ? { by: 'system', why: 'Accepted automatically: every check passed.' } : {});
  rt.emit('proposals', 'board');
  return result;
}

/** A user-driven move on the board (e.g. a task done by hand). Illegal moves throw IllegalTransitionError. */
export function moveTask(rt: TeamRuntime, taskId: string, to: TaskState, why?: string): Task {
  const { store } = rt;
  if (!store.tasks.get(taskId)) throw new TeamError('not-found', `There is no task ${taskId}.`);
  const moved = store.transitionTask(taskId, { to, by: 'user', ...(why?.trim() ? { why: why.trim() } : {}) }).task;
  // A proposal waiting on a task the user moved away from "in progress" no longer decides anything.
  for (const p of store.proposals.list({ taskId, status: 'pending' })) store.proposals.update(p.id, { status: 'stale', decidedAt: Date.now() });
  // Done by hand (a task the user took over): what it stopped may run again.
  if (to === 'done') noteResumedDependents(store, moved);
  rt.emit('board', 'proposals');
  return moved;
}

/** The user takes a ready task over (a failed one, typically): see stoppedTasks.takeOverTask. */
export function takeOver(rt: TeamRuntime, taskId: string): Task {
  const task = takeOverTask(rt.store, taskId);
  rt.emit('board');
  return task;
}

/** The user rewrites the request a task's specialist gets: see stoppedTasks.editTaskRequest. */
export function editRequest(rt: TeamRuntime, taskId: string, text: string): Task {
  const task = editTaskRequest(rt.store, taskId, text);
  rt.emit('board');
  return task;
}

/** A comment the next specialist run takes into account. */
export function addComment(rt: TeamRuntime, taskId: string, text: string): void {
  if (!rt.store.tasks.get(taskId)) throw new TeamError('not-found', `There is no task ${taskId}.`);
  rt.store.comments.create({ taskId, author: 'user', body: text });
  rt.emit('board');
}
