import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMode } from '../../../modes';
import { loadTasks, type EvalTask } from '../../../src/eval';
import { matchAnswer } from '../../../src/eval/score';
import { MemoryProjectFs } from '../../../src/core/projectFs';
import { initRustParser } from '../../../src/rust';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { messyRight } from '../../fixtures/model-server/messy.mjs';
import { fixtureClient } from '../modes/helpers';
import { firstAndReask } from '../../helpers/fixtureModel';

/**
 * Real projects never lose a right answer: every corpus-real task is answered with the upstream
 * function itself, once clean and once wrapped the way a tiny model wraps it (think block, prose,
 * fence, a `dsl::*` glob and stray `use` lines). Both must be accepted on the first answer, give
 * the same code, match the upstream function and land in the file the project keeps it in.
 */

const TASKS = path.resolve(__dirname, '../../../eval/tasks/corpus-real');
let server: ModelServer;
let tasks: EvalTask[];
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
  tasks = await loadTasks(TASKS);
}, 60_000);
afterAll(() => server.close());

const client = () => fixtureClient(server.baseUrl);

async function runWith(task: EvalTask, answer: string) {
  // The same answer to the re-ask, so a rejection shows as the first run's diagnostics.
  server.setScript(firstAndReask(answer, answer));
  const input = { project: new MemoryProjectFs(`t:${task.id}`, task.files), request: task.request, ...(task.file ? { file: task.file } : {}), ...(task.struct ? { struct: task.struct } : {}) };
  return getMode(task.mode)!.run(input, { client: client() });
}

describe('corpus-real: the upstream function, clean and messy, is accepted as it is', () => {
  const ids = ['find-by-login', 'keywords-find-or-create', 'existing-proposal', 'concerns-with-authors', 'article-with-author', 'favorited-article-ids', 'feed', 'find-user', 'remove-policy', 'service-update', 'create-post-mysql'];
  for (const id of ids) {
    it(id, async () => {
      const task = tasks.find((t) => t.id === `corpus-real/${id}`)!;
      expect(task, id).toBeDefined();
      const clean = await runWith(task, task.reference!);
      const errors = (r: typeof clean) => (r.runs[0]?.diagnostics ?? r.diagnostics).filter((d) => d.severity === 'error').map((d) => d.message);
      expect(errors(clean), 'clean answer').toEqual([]);
      expect(clean.runs.length, 'accepted on the first answer').toBe(1);
      const messy = await runWith(task, messyRight(task.reference!));
      expect(errors(messy), 'messy answer').toEqual([]);
      expect(messy.runs.length).toBe(1);
      expect(messy.code).toBe(clean.code);
      const m = matchAnswer(task, clean.code!, clean.changeSet);
      if (!m.matches) console.log(id, JSON.stringify(m.checks), clean.changeSet?.files.map((f) => f.path), clean.code);
      expect(m, 'same code as upstream, in the right file').toMatchObject({ matches: true, matchedBy: 'reference' });
      expect(messy.changeSet!.files[0]!.proposed).toBe(clean.changeSet!.files[0]!.proposed);
    }, 60_000);
  }
});
