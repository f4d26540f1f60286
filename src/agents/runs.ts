import type { RunRecord } from '../domain';
import type { NocodoStore } from '../store/types';

/** The runs a failed model call or mode left behind (ModelError carries them). */
export function runsOf(err: unknown): RunRecord[] {
  if (!err || typeof err !== 'object') return [];
  const e = err as { runs?: unknown; run?: unknown };
  if (Array.isArray(e.runs) && e.runs.length) return e.runs as RunRecord[];
  return e.run && typeof e.run === 'object' ? [e.run as RunRecord] : [];
}

export { saveRuns } from '../store/saveRuns';

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
