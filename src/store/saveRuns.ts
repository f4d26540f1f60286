import type { RunRecord } from '../domain';
import { capRunForStore } from './runCap';
import type { NocodoStore } from './types';

/**
 * Saves runs, linked to a session and task when given. Upserts: the model client reports a run
 * when its call ends, and a mode or agent adds what it extracted and found afterwards, so the
 * same run id arrives more than once. Huge texts are stored capped (./runCap).
 */
export function saveRuns(store: NocodoStore, runs: readonly RunRecord[], link: { sessionId?: string; taskId?: string } = {}): void {
  for (const r of runs) {
    const run: RunRecord = capRunForStore(r);
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
