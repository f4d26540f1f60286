import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actixHandlerMode } from '../../modes/actix-handler';
import { NodeProjectFs } from '../../src/core/projectFs';
import { evalCompileStep } from '../../src/eval';
import { loadRecordedSet } from '../../src/eval/recorded';
import { loadTasks } from '../../src/eval/tasks';
import { createModelClient, resolveLlmConfig } from '../../src/llm';
import { initRustParser } from '../../src/rust';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';
import { GET_PROFILE } from '../unit/actix/helpers';
import { firstAndReask } from '../helpers/fixtureModel';

/**
 * The six Actix layout tasks one by one (free query functions, a repository struct, `Arc<AppState>`,
 * a configure function under a scope, the `actix_web::Result` alias, a session guard), with real
 * cargo: the expected handler and the recorded small-model answer each go through actix-handler
 * (placed, imported, registered) and the whole change set compiles in the task's sample crate.
 */

const ROOT = path.resolve(__dirname, '../..');
const LAYOUT_TASKS = ['garage-free-fn', 'garage-arc-state', 'garage-result-alias', 'clinic-repository', 'clinic-configure-scope', 'studio-session-guard'];
const step = evalCompileStep(process.env, { timeoutMs: 1_800_000 });
let server: ModelServer;

beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterAll(async () => {
  await step.checker.dispose();
  await server?.close();
});

describe('actix layout tasks compile with cargo, each on its own', async () => {
  const tasks = (await loadTasks(path.join(ROOT, 'eval/tasks/actix'))).filter((t) => LAYOUT_TASKS.includes(t.id.split('/').pop()!));
  const recorded = await loadRecordedSet(path.join(ROOT, 'eval/recorded/actix.json'));
  it('has every layout', () => expect(tasks.map((t) => t.id.split('/').pop()).sort()).toEqual([...LAYOUT_TASKS].sort()));

  for (const id of LAYOUT_TASKS) {
    it(`${id}: the expected handler and the recorded answer compile where nocodo puts them`, async () => {
      const t = tasks.find((x) => x.id.endsWith(`/${id}`))!;
      const root = t.fixtureDir!;
      for (const [label, answer] of [
        ['expected', `\`\`\`rust\n${t.reference!}\n\`\`\``],
        ['recorded', recorded.answers[id]!.answer],
      ] as const) {
        server.setScript(firstAndReask(answer));
        const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
        config.timeouts = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000 };
        const project = new NodeProjectFs(root);
        const input = { project, request: t.request, ...(t.function ? { function: t.function } : {}), ...(t.handler ? { handler: t.handler } : {}), ...(t.route ? { route: t.route } : {}) };
        const r = await actixHandlerMode.run(input, { client: createModelClient({ config, retryDelayMs: 1 }) });
        expect([label, r.diagnostics.filter((d) => d.severity === 'error')]).toEqual([label, []]);
        const home = r.changeSet!.files[0]!.path;
        const c = await step.checker.check({ project, changeSet: r.changeSet!, generated: { file: home, code: r.code! } });
        expect([label, c.ran, c.errors.map((e) => `${e.code} ${e.message} (line ${e.line})`)]).toEqual([label, true, []]);
        expect(c.ok, `${id} ${label}: ${c.output.slice(0, 2000)}`).toBe(true);
      }
    });
  }
});

describe('a Cargo workspace (Diesel in app/, Actix in api/)', () => {
  it('the handler nocodo writes into the api crate, calling app::domains::users, compiles with the whole workspace', async () => {
    const root = path.join(ROOT, 'test/fixtures/actix-workspace');
    server.setScript(firstAndReask(`\`\`\`rust\n${GET_PROFILE}\n\`\`\``));
    const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
    config.timeouts = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000 };
    const project = new NodeProjectFs(root);
    const r = await actixHandlerMode.run({ project, function: 'app::domains::users::get_profile', request: 'Show a user’s profile.' }, { client: createModelClient({ config, retryDelayMs: 1 }) });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['api/src/handlers/users.rs']);
    const c = await step.checker.check({ project, changeSet: r.changeSet!, generated: { file: 'api/src/handlers/users.rs', code: r.code! } });
    expect([c.ran, c.errors.map((e) => `${e.code} ${e.message} (line ${e.line})`)]).toEqual([true, []]);
    expect(c.ok, c.output.slice(0, 2000)).toBe(true);
  });
});
