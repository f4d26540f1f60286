import { afterAll, afterEach, beforeAll } from 'vitest';
import { createModelClient, resolveLlmConfig, type ModelClient } from '../../src/llm';
import { initRustParser } from '../../src/rust';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';

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
