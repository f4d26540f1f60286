import { ChangeSet, type Proposal } from '../domain';
import type { Disposable, NocodoStore } from '../store/types';
import { checkRelativePath } from './paths';

/**
 * Proposals as the editor works with them, persisted in the store (so they survive a window
 * reload and the team panel lists the same ones). Every change set is validated before it is
 * stored; decisions go through one recorder so the task board and the run inspector learn of them.
 */

export type Decision = 'accepted' | 'rejected';

/** Records a decision: updates the proposal, its run and its task (src/agents decideProposal, or the Team's onProposalDecided). */
export type DecisionRecorder = (proposalId: string, decision: Decision, reason?: string) => void;

export interface NewProposalInput {
  changeSet: ChangeSet;
  /** Absolute project folder the change set's paths are relative to. */
  root: string;
  runId?: string;
  taskId?: string;
}

export class ProposalInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
    this.name = 'ProposalInputError';
  }
}

/** Validates a change set from anywhere (a mode, another extension, the store) and normalises its paths. */
export function validateChangeSet(input: unknown): ChangeSet {
  const parsed = ChangeSet.safeParse(input);
  if (!parsed.success) throw new ProposalInputError([`The change set is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`]);
  const problems: string[] = [];
  const seen = new Set<string>();
  const files = parsed.data.files.map((f) => {
    const c = checkRelativePath(f.path);
    if (!c.ok) {
      problems.push(`Refusing to write ${JSON.stringify(f.path)}: ${c.reason}.`);
      return f;
    }
    if (seen.has(c.rel)) problems.push(`The change set changes ${c.rel} twice.`);
    seen.add(c.rel);
    return { ...f, path: c.rel };
  });
  if (files.length === 0) problems.push('The change set changes no files.');
  if (problems.length) throw new ProposalInputError(problems);
  return { ...parsed.data, files };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class ProposalBook {
  private recorder: DecisionRecorder;

  /** `recorder`: how decisions are recorded (the layer above, src/agents, owns the task bookkeeping). */
  constructor(
    readonly store: NocodoStore,
    recorder: DecisionRecorder,
  ) {
    this.recorder = recorder;
  }

  /** The team records decisions with its own bookkeeping (auto-run, events); it plugs in here. */
  setDecisionRecorder(recorder: DecisionRecorder): void {
    this.recorder = recorder;
  }

  create(input: NewProposalInput): Proposal {
    const changeSet = validateChangeSet(input.changeSet);
    return this.store.proposals.create({
      root: input.root,
      changeSet,
      ...(input.runId ? { runId: input.runId } : {}),
      ...(input.taskId ? { taskId: input.taskId } : {}),
    });
  }

  get(id: string): Proposal | undefined {
    return this.store.proposals.get(id);
  }

  /** Pending proposals, oldest first. */
  pending(): Proposal[] {
    return this.store.proposals.pending();
  }

  /** Replaces a pending proposal's change set (after re-anchoring). */
  replaceChangeSet(id: string, changeSet: ChangeSet): Proposal {
    return this.store.proposals.update(id, { changeSet: validateChangeSet(changeSet) });
  }

  /** Records the user's decision; throws when the proposal is unknown or already decided. */
  decide(id: string, decision: Decision, reason?: string): Proposal {
    const p = this.get(id);
    if (!p) throw new Error(`There is no proposal ${id}.`);
    if (p.status !== 'pending') throw new Error(`This proposal was already ${p.status}.`);
    this.recorder(id, decision, reason?.trim() || undefined);
    return this.get(id) ?? p;
  }

  /**
   * Reasons the user gave for rejecting earlier proposals of `mode` that mention `subject` (a
   * struct or table name) in their summary, newest first: the next attempt is told about them.
   */
  rejectionReasons(mode: string, subject: string | undefined, limit = 3): string[] {
    const word = subject ? new RegExp(`\\b${escapeRegExp(subject)}\\b`) : undefined;
    const mentions = (summary: string): boolean => !word || word.test(summary);
    return this.store.proposals
      .list({ status: 'rejected' })
      .filter((p) => p.changeSet.mode === mode && !!p.rejectionReason?.trim() && mentions(p.changeSet.summary))
      .sort((a, b) => (b.decidedAt ?? b.createdAt) - (a.decidedAt ?? a.createdAt))
      .slice(0, limit)
      .map((p) => p.rejectionReason!.trim());
  }

  /** Fires when any proposal changed (here or in another window). */
  onChange(listener: () => void): Disposable {
    return this.store.onChange((c) => {
      if (c.tables.includes('proposals')) listener();
    });
  }

  /** Waits for the store to write (decisions must survive a crash right after). */
  flush(): Promise<void> {
    return this.store.flush();
  }
}
