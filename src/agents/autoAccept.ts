import type { Diagnostic } from '../core/diagnostics';
import type { Proposal, ProposalChecks } from '../domain';
import type { NocodoStore } from '../store/types';
import { clean, listText } from './text';

/**
 * "Accept automatically when every check passes", per epic. A task's proposal is accepted without
 * a click when its epic has the toggle on and every check that ran passed: the mode's validation
 * (always), `cargo check` of the change (Rust modes, when cargo could run) and `tsc` (Solid
 * modes, when the frontend's packages are installed). Anything else waits for the user, with a
 * comment on the task saying why. Every automatic decision is recorded in the task's comments.
 */

/** Writes a proposal's files the way the user's Accept would and records the decision. */
export type ProposalApplier = (proposal: Proposal) => Promise<AutoApplyOutcome>;

export type AutoApplyOutcome =
  /** Written, and the proposal recorded as accepted (the task is done). */
  | { status: 'applied'; written: string[]; /** Said after the list of written files (a type check out of time). */ notes?: string[] }
  /** A file was edited by hand since: the stored proposal now holds the change re-applied to it, for review. */
  | { status: 'reanchored'; files: string[] }
  /** Nothing written; why. */
  | { status: 'refused'; problems: string[] };

/** The diagnostic codes that say a check ran and passed, or could not run. */
const PASSED: Record<string, string> = { compiles: 'cargo check', typechecks: 'tsc' };
const NOT_RUN: Record<string, string> = { 'compile-skipped': 'cargo check', 'frontend-not-installed': 'tsc', 'typescript-missing': 'tsc' };

/** The checks' verdict on a mode result, from its final diagnostics. */
export function checksOf(diagnostics: readonly Diagnostic[]): ProposalChecks {
  const ran = new Set<string>();
  const notRun = new Set<string>();
  const problems: string[] = [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) problems.push(`the checks found ${errors.length} error${errors.length === 1 ? '' : 's'} (${clean(errors[0]!.message, 200)})`);
  else ran.add('validation');
  for (const d of diagnostics) {
    const passed = d.code ? PASSED[d.code] : undefined;
    const missing = d.code ? NOT_RUN[d.code] : undefined;
    if (passed) ran.add(passed);
    if (missing) notRun.add(missing);
    // Errors elsewhere in the project do not block a proposal, but then cargo check did not pass.
    if (d.code === 'compile-pre-existing') problems.push('cargo check did not pass: the project did not compile before this change either');
    // A type check stopped at its time limit neither passed nor failed: the user looks first.
    if (d.code === 'typecheck-unfinished') {
      notRun.add('tsc');
      problems.push(`type check not finished: tsc was stopped at its time limit (${d.file ?? 'the proposed file'} was not type-checked)`);
    }
  }
  return { passed: problems.length === 0, ran: [...ran], notRun: [...notRun].filter((c) => !ran.has(c)), problems };
}

/** Whether the task's epic accepts automatically. */
export function autoAcceptOn(store: NocodoStore, taskId: string | undefined): boolean {
  const task = taskId ? store.tasks.get(taskId) : undefined;
  return task ? store.epics.get(task.epicId)?.autoAccept === true : false;
}

/** How every comment about a proposal left for the user starts. */
export const NOT_ACCEPTED = 'Not accepted automatically';

const checksText = (c: ProposalChecks): string => `${listText(c.ran)}${c.notRun.length ? `; ${listText(c.notRun)} could not run` : ''}`;

/** The comment that records an automatic decision, or says why there was none. */
export function autoAcceptComment(p: Proposal, outcome: AutoApplyOutcome | { status: 'unchecked' }): string {
  const checks = p.checks;
  switch (outcome.status) {
    case 'applied':
      return `Accepted automatically: every check passed (${checks ? checksText(checks) : 'validation'}). ${outcome.written.length ? `Wrote ${listText(outcome.written)}.` : 'The files already had the change.'}${outcome.notes?.length ? ` ${outcome.notes.join(' ')}` : ''}`;
    case 'reanchored':
      return `${NOT_ACCEPTED}: ${listText(outcome.files)} ${outcome.files.length === 1 ? 'was' : 'were'} edited by hand after the change was proposed. nocodo re-applied the change to the current text without touching those edits; review the diff, then accept or reject it.`;
    case 'refused':
      return `${NOT_ACCEPTED}, and nothing was written: ${outcome.problems.map((x) => clean(x, 400)).join(' ')} Review the proposal, or reject it and run the task again.`;
    case 'unchecked':
      return checks && !checks.passed
        ? `${NOT_ACCEPTED}: ${checks.problems.join('; ')}. Review the proposal to accept or reject it.`
        : `${NOT_ACCEPTED}: this proposal was made without a record of its checks. Review it to accept or reject it.`;
  }
}

/**
 * Accepts one pending proposal of an auto-accepting epic when its checks all passed; otherwise,
 * or when applying it is refused or needs a review, the task gets a comment saying why. Returns
 * what happened ('skipped': not pending, or the epic does not accept automatically).
 */
export async function autoAccept(store: NocodoStore, proposalId: string, apply: ProposalApplier): Promise<AutoApplyOutcome['status'] | 'unchecked' | 'skipped'> {
  const p = store.proposals.get(proposalId);
  if (!p || p.status !== 'pending' || !p.taskId || !autoAcceptOn(store, p.taskId)) return 'skipped';
  const taskId = p.taskId;
  if (!p.checks?.passed) {
    // Said once per proposal, however often the toggle is switched.
    const body = autoAcceptComment(p, { status: 'unchecked' });
    if (store.comments.list(taskId).at(-1)?.body !== body) store.comments.create({ taskId, author: 'system', body });
    return 'unchecked';
  }
  let outcome: AutoApplyOutcome;
  try {
    outcome = await apply(p);
  } catch (e) {
    outcome = { status: 'refused', problems: [`applying it failed: ${e instanceof Error ? e.message : String(e)}.`] };
  }
  // The decision (task done) was recorded by the applier; the comment says it was automatic.
  store.comments.create({ taskId, author: 'system', body: autoAcceptComment(p, outcome) });
  return outcome.status;
}
