import type { RunRecord } from '../domain';
import type { NocodoStore } from '../store/types';

/** The runs a failed model call or mode left behind (ModelError carries them). */
export function runsOf(err: unknown): RunRecord[] {
  if (!err || typeof err !== 'object') return [];
  const e = err as { runs?: unknown; run?: unknown };
  if (Array.isArray(e.runs) && e.runs.length) return e.runs as RunRecord[];
  return e.run && typeof e.run === 'object' ? [e.run as RunRecord] : [];
}

/**
 * Saves runs, linked to the session and task. Upserts: the host's model client may already have
 * saved the same run through its onRun hook, and a mode adds what it extracted afterwards.
 */
export function saveRuns(store: NocodoStore, runs: readonly RunRecord[], link: { sessionId?: string; taskId?: string } = {}): void {
  for (const r of runs) {
    const run: RunRecord = { ...r };
    if (link.sessionId && !run.sessionId) run.sessionId = link.sessionId;
    if (link.taskId && !run.taskId) run.taskId = link.taskId;
    if (store.runs.get(run.id)) {
      const { id, ...rest } = run;
      store.runs.update(id, rest);
    } else {
      store.runs.create(run);
    }
  }
}

export const lastRunId = (runs: readonly RunRecord[]): string | undefined => runs[runs.length - 1]?.id;

/**
 * Writes pending changes to disk before a long model call, so closing nocodo mid-call loses
 * nothing. A failed save is reported by the store itself (and retried), so it does not stop the team.
 */
export async function checkpoint(store: NocodoStore): Promise<void> {
  try {
    await store.flush();
  } catch {
    // the store's onNotice already told the user; the changes stay in memory and are retried
  }
}
