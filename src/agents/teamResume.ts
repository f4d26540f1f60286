import { inUsersHands } from '../domain';
import { isShaped } from './board';
import { requestState } from './changeRequest';
import { planStep, shapeStep } from './teamDelivery';
import { requestStep, takesRequests } from './teamChangeRequest';
import { productOwnerStep, summaryStep } from './teamDiscovery';
import type { TeamRuntime } from './teamRuntime';

// Resuming a session after a stop (cancel, crash, editor reload). Nothing is kept in memory
// between steps: what comes next is derived from the stored session, messages and board alone.

/** What the session needs next, derived from stored state alone (so a restarted nocodo knows). */
export type PendingWork =
  | { kind: 'product-owner-turn' }
  | { kind: 'summary' }
  | { kind: 'plan' }
  /** A new request after the plan waits for the Product Owner (teamChangeRequest.ts). */
  | { kind: 'request' }
  | { kind: 'shape'; taskIds: string[] }
  /** Ready tasks whose dependencies are done. */
  | { kind: 'run'; taskIds: string[] }
  | { kind: 'user'; waitingFor: 'first-message' | 'answers' | 'message' | 'summary-confirmation' | 'review' | 'tasks' | 'nothing' };

/** What the session needs next, from stored state only. */
export function pendingWork(rt: TeamRuntime): PendingWork {
  const s = rt.session;
  if (!s) return { kind: 'user', waitingFor: 'first-message' };
  const { store } = rt;
  switch (s.phase) {
    case 'discovery': {
      const last = store.messages.list(s.id).filter((m) => m.author !== 'system').pop();
      if (!last) return { kind: 'user', waitingFor: 'first-message' };
      if (last.author === 'user') return { kind: 'product-owner-turn' };
      return last.questions?.length ? { kind: 'user', waitingFor: 'answers' } : { kind: 'summary' };
    }
    case 'summary':
      return s.summary ? { kind: 'user', waitingFor: 'summary-confirmation' } : { kind: 'summary' };
    case 'planning':
    case 'shaping':
    case 'building': {
      if (s.phase === 'planning' && store.epics.list(s.id).length === 0) return { kind: 'plan' };
      // The user is waiting in the chat: a request comes before the board's work.
      const request = takesRequests(rt, s) ? requestState(store.messages.list(s.id)) : 'none';
      if (request === 'product-owner') return { kind: 'request' };
      if (request === 'answers') return { kind: 'user', waitingFor: 'answers' };
      const tasks = store.tasks.list({ sessionId: s.id });
      const unshaped = tasks.filter((t) => t.state === 'needs_technical_shaping' && !isShaped(t));
      if (unshaped.length) return { kind: 'shape', taskIds: unshaped.map((t) => t.id) };
      const runnable = rt.runnableTasks();
      if (runnable.length) return { kind: 'run', taskIds: runnable.map((t) => t.id) };
      if (store.proposals.pending().some((p) => tasks.some((t) => t.id === p.taskId))) return { kind: 'user', waitingFor: 'review' };
      return tasks.every((t) => t.state === 'done') ? { kind: 'user', waitingFor: 'nothing' } : { kind: 'user', waitingFor: 'tasks' };
    }
  }
}

/**
 * Puts back tasks whose run was interrupted, then does the pending model step (a Product Owner
 * turn, the summary, the plan, the shaping). Runs inside TeamRuntime.exclusive; running ready
 * tasks is left to auto-run. Returns what was pending.
 */
export async function continuePendingWork(rt: TeamRuntime, signal: AbortSignal): Promise<PendingWork> {
  recoverInterruptedRuns(rt);
  const work = pendingWork(rt);
  switch (work.kind) {
    case 'product-owner-turn':
      await productOwnerStep(rt, signal);
      break;
    case 'summary':
      await summaryStep(rt, signal);
      break;
    case 'plan':
      await planStep(rt, signal);
      break;
    case 'request':
      await requestStep(rt, signal);
      break;
    case 'shape':
      await shapeStep(rt, signal);
      break;
    default:
      break;
  }
  return work;
}

/** A task left `in_progress` without a proposal was interrupted (nocodo closed mid-run), unless it is in the user's hands. */
function recoverInterruptedRuns(rt: TeamRuntime): void {
  const s = rt.session;
  if (!s) return;
  const { store } = rt;
  for (const t of store.tasks.list({ sessionId: s.id, state: 'in_progress' })) {
    if (store.proposals.list({ taskId: t.id, status: 'pending' }).length) continue;
    if (inUsersHands(t, store.events.list(t.id))) continue;
    store.transitionTask(t.id, { to: 'ready', by: 'system', why: 'The run was interrupted before it finished; the task can run again.' });
    rt.emit('board');
  }
}
