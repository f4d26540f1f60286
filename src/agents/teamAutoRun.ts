import { isCancellation } from './errors';
import type { TeamRuntime } from './teamRuntime';

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
