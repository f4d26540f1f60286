import * as path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { loadRecorded, loadTasks, replayRules, type EvalTask, type ReplayRule } from '../../src/eval';
import { createModelClient, resolveLlmConfig, type ModelClient } from '../../src/llm';
import { initRustParser } from '../../src/rust';
import { REASK_MARKER } from '../../src/eval/recorded';
import { startModelServer, type ModelServer, type Rule } from '../fixtures/model-server/server.mjs';

/** The one home of the tests' client timeouts: sized for a loaded 2-core machine, no retries. */
export const FIXTURE_CLIENT_TIMEOUTS = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000, totalMs: 600_000 };

/** A model client for the fixture model server. */
export function fixtureClient(baseUrl: string): ModelClient {
  const config = resolveLlmConfig({ baseUrl, maxRetries: 0 }, {});
  config.timeouts = { ...FIXTURE_CLIENT_TIMEOUTS };
  return createModelClient({ config, retryDelayMs: 1 });
}

/** A fixture model server for one test file (started before, its script cleared after each test, closed after), and a client for it. */
export function fixtureModel(): { server: () => ModelServer; client: () => ModelClient } {
  let server: ModelServer;
  beforeAll(async () => {
    await initRustParser();
    server = await startModelServer();
  }, 60_000);
  afterEach(() => server.setScript([]));
  afterAll(() => server.close());
  return { server: () => server, client: () => fixtureClient(server.baseUrl) };
}

/** The model eval/recorded's answers were recorded from (the replaying server lists it). */
export const RECORDED_MODEL = 'unsloth/Qwen3.5-0.8B-GGUF';

/**
 * A fixture model server for one test file that replays eval/recorded's answers to the tasks of
 * `sets` (task folders), started before the file's tests and closed after; the loaded tasks and
 * replay rules too (a test that starts its own server process passes the rules on). `models`: the
 * names the server lists; `adjust`: each rule as the test needs it (a reply made slow, say).
 */
export function recordedModelServer(
  sets: string | readonly string[],
  { models = [RECORDED_MODEL], adjust = (rule) => rule }: { models?: readonly string[]; adjust?: (rule: ReplayRule) => ReplayRule } = {},
): { server: () => ModelServer; tasks: () => EvalTask[]; rules: () => ReplayRule[] } {
  let server: ModelServer | undefined;
  let tasks: EvalTask[] = [];
  let rules: ReplayRule[] = [];
  beforeAll(async () => {
    await initRustParser();
    tasks = (await Promise.all((typeof sets === 'string' ? [sets] : sets).map((dir) => loadTasks(dir)))).flat();
    rules = replayRules(tasks, await loadRecorded(path.resolve(__dirname, '../../eval/recorded'), tasks)).map(adjust);
    server = await startModelServer({ script: rules as Rule[], models: [...models] });
  }, 120_000);
  afterAll(() => server?.close());
  return { server: () => server!, tasks: () => tasks, rules: () => rules };
}

/**
 * Fixture rules for a mode's first answer and, when given, the answer to nocodo's re-ask, told
 * apart by the last user message (the prompt's example turns make the message count vary).
 */
export function firstAndReask(first: string, second?: string): Rule[] {
  return [
    { match: { lastUser: new RegExp(`^(?!${REASK_MARKER})`) }, reply: { content: first } },
    ...(second !== undefined ? [{ match: { lastUser: REASK_MARKER }, reply: { content: second } }] : []),
  ];
}
