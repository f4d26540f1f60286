import type { Epic, Proposal } from '../domain';
import { applyOnDisk } from '../proposals/applyOnDisk';
import { autoAccept, NOT_ACCEPTED, type AutoApplyOutcome } from './autoAccept';
import { TeamError, isCancellation } from './errors';
import type { TeamRuntime } from './teamRuntime';

// What the team does by itself, each behind a user's setting: running ready tasks (auto-run) and
// accepting proposals whose checks all passed (auto-accept, per epic).

/**
 * Auto-run (setting `autoRun`): after shaping, resuming or an accepted proposal, the runnable
 * tasks run by themselves in the background, one at a time (one model server). Every proposal is
 * still reviewed by the user; failures go to the runtime's error sink, not to the caller.
 */
export class AutoRunner {
  private background: Promise<void> = Promise.resolve();

  /** `runTask` is the Team's own (exclusive) run, so auto-run never overlaps a user's step. */
  constructor(
    private readonly rt: TeamRuntime,
    private readonly runTask: (taskId: string) => Promise<unknown>,
  ) {}

  /** Queues a pass over the runnable tasks when auto-run is on. */
  kick(): void {
    if (!this.rt.settings().autoRun || !this.rt.sessionId) return;
    this.background = this.background.then(() => this.loop()).catch((err: unknown) => this.rt.report(err));
  }

  /** Resolves when the queued passes have settled. */
  idle(): Promise<void> {
    return this.background;
  }

  /** Runs runnable tasks one at a time; each task at most once per pass. */
  private async loop(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      if (!this.rt.settings().autoRun || this.rt.busy !== undefined) return;
      const next = this.rt.runnableTasks().find((t) => !tried.has(t.id));
      if (!next) return;
      tried.add(next.id);
      try {
        await this.runTask(next.id);
      } catch (err) {
        this.rt.report(err);
        if (isCancellation(err)) return;
      }
    }
  }
}

/**
 * Auto-accept (per epic, see autoAccept.ts): a proposal whose epic accepts automatically and whose
 * checks all passed is accepted without a click, through the host's accept path when it gave one.
 */
export class AutoAccepter {
  /** Proposals being accepted automatically right now (their decision is recorded as the system's). */
  private readonly deciding = new Set<string>();

  /** `decideAccepted` is the Team's own `onProposalDecided`, so an automatic accept is recorded (and kicks auto-run) like a click. */
  constructor(
    private readonly rt: TeamRuntime,
    private readonly decideAccepted: (proposalId: string) => void,
  ) {}

  /** Whether this proposal's decision comes from an automatic accept under way. */
  isDeciding(proposalId: string): boolean {
    return this.deciding.has(proposalId);
  }

  /** Accepts the proposal when its epic accepts automatically and its checks passed. */
  async consider(proposalId: string): Promise<void> {
    this.deciding.add(proposalId);
    try {
      await autoAccept(this.rt.store, proposalId, this.rt.opts.applyProposal ?? ((p) => this.applyOnDisk(p)));
    } finally {
      this.deciding.delete(proposalId);
      this.rt.emit('board', 'proposals');
    }
  }

  /**
   * Turns "accept automatically when every check passes" on or off for an epic. Turning it on
   * also decides the epic's proposals already waiting (each task's comments say what happened).
   */
  async setForEpic(epicId: string, on: boolean): Promise<Epic> {
    const { store } = this.rt;
    if (!store.epics.get(epicId)) throw new TeamError('not-found', `There is no epic ${epicId}.`);
    const epic = store.epics.update(epicId, { autoAccept: on });
    this.rt.emit('board');
    if (!on) return epic;
    const tasks = new Set(store.tasks.list({ epicId }).map((t) => t.id));
    for (const p of store.proposals.pending().filter((x) => x.taskId && tasks.has(x.taskId))) await this.consider(p.id);
    return store.epics.get(epicId)!;
  }

  /**
   * After a restart: the proposals of auto-accepting epics that nocodo closed before deciding
   * (none of them has an automatic decision noted on its task since it was made).
   */
  async resumePending(): Promise<void> {
    const { store } = this.rt;
    const sessionId = this.rt.sessionId;
    if (!sessionId) return;
    const tasks = new Map(store.tasks.list({ sessionId }).map((t) => [t.id, t]));
    for (const p of store.proposals.pending()) {
      const task = p.taskId ? tasks.get(p.taskId) : undefined;
      if (!task || store.epics.get(task.epicId)?.autoAccept !== true) continue;
      const decided = store.comments.list(task.id).some((c) => c.author === 'system' && c.createdAt >= p.createdAt && c.body.startsWith(NOT_ACCEPTED));
      if (!decided) await this.consider(p.id);
    }
  }

  /** The default applier: the files on disk, all or nothing, then the decision. */
  private async applyOnDisk(p: Proposal): Promise<AutoApplyOutcome> {
    const out = await applyOnDisk(p.changeSet, p.root);
    if (out.status === 'applied') this.decideAccepted(p.id);
    if (out.status !== 'reanchored') return out;
    this.rt.store.proposals.update(p.id, { changeSet: out.changeSet });
    return { status: 'reanchored', files: out.files };
  }
}
