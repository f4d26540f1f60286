import type { ActorRole } from './roles';
import type { Task, TaskEvent, TaskState } from './task';

/** Allowed transitions. The forward path plus the returns a user needs (back to draft, blocked and back). */
const TRANSITIONS: Record<TaskState, readonly TaskState[]> = {
  draft: ['needs_technical_shaping', 'blocked'],
  needs_technical_shaping: ['ready', 'draft', 'blocked'],
  ready: ['in_progress', 'needs_technical_shaping', 'draft', 'blocked'],
  in_progress: ['done', 'ready', 'blocked'],
  done: ['ready', 'draft'],
  blocked: ['draft', 'needs_technical_shaping', 'ready'],
};

export const STATE_LABELS: Record<TaskState, string> = {
  draft: 'Draft',
  needs_technical_shaping: 'Needs technical shaping',
  ready: 'Ready',
  in_progress: 'In progress',
  done: 'Done',
  blocked: 'Blocked',
};

export function allowedTransitions(from: TaskState): readonly TaskState[] {
  return TRANSITIONS[from];
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: TaskState,
    readonly to: TaskState,
    reason?: string,
  ) {
    super(reason ?? `A task can't go from "${STATE_LABELS[from]}" to "${STATE_LABELS[to]}". From here it can go to: ${TRANSITIONS[from].map((s) => `"${STATE_LABELS[s]}"`).join(', ')}.`);
    this.name = 'IllegalTransitionError';
  }
}

export interface TransitionRequest {
  to: TaskState;
  by: ActorRole;
  why?: string;
}

/**
 * Checks a transition and returns the task as it will be after it. Guards beyond the table:
 * a blocked task needs a reason; `ready` needs a mode or is explicitly left to the user by the caller's checks.
 */
export function checkTransition(task: Pick<Task, 'state'>, req: TransitionRequest): void {
  if (task.state === req.to) throw new IllegalTransitionError(task.state, req.to, `The task is already "${STATE_LABELS[req.to]}".`);
  if (!TRANSITIONS[task.state].includes(req.to)) throw new IllegalTransitionError(task.state, req.to);
  if (req.to === 'blocked' && !req.why?.trim()) throw new IllegalTransitionError(task.state, req.to, 'Say why the task is blocked.');
}

/**
 * The task is in the user's hands: in progress, and the user (not a specialist) put it there, by
 * taking it over or moving it by hand. No specialist runs it, and nocodo never treats it as an
 * interrupted run. `events` oldest first.
 */
export function inUsersHands(task: Pick<Task, 'state'>, events: readonly Pick<TaskEvent, 'to' | 'by'>[]): boolean {
  if (task.state !== 'in_progress') return false;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.to === 'in_progress') return events[i]!.by === 'user';
  return false;
}
