import * as path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createModelClient, resolveLlmConfig, type ModelClient } from '../../../src/llm';
import { initRustParser } from '../../../src/rust';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';

export const ROOT = path.resolve(__dirname, '../../..');
export const BAKERY = path.join(ROOT, 'test/fixtures/bakery');

/** A fixture model server for one test file (started before, closed after), and a client for it. */
export function fixtureModel(): { server: () => ModelServer; client: () => ModelClient } {
  let server: ModelServer;
  beforeAll(async () => {
    await initRustParser();
    server = await startModelServer();
  }, 60_000);
  afterEach(() => server.setScript([]));
  afterAll(() => server.close());
  return {
    server: () => server,
    client: () => {
      const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
      config.timeouts = { connectMs: 5000, firstTokenMs: 60_000, idleMs: 60_000 };
      return createModelClient({ config, retryDelayMs: 1 });
    },
  };
}

/** The first answer, then the answer to the re-ask. */
export const firstThenReask = (first: string, second: string): Rule[] => [
  { match: { messageCount: 2 }, reply: { content: first } },
  { match: { messageCount: 4 }, reply: { content: second } },
];

export const tsxBlock = (code: string): string => '```tsx\n' + code + '```';
