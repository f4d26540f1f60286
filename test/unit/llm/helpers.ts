import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunRecord } from '../../../src/domain';
import { resolveLlmConfig, type LlmConfig } from '../../../src/llm/config';
import { createModelClient, type ModelClientOptions } from '../../../src/llm/client';
import type { ModelError } from '../../../src/llm/errors';
import type { Timeouts } from '../../../src/llm/types';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../../fixtures/model-server/server.mjs';

/** Generous timeouts: tests that are not about timeouts must never hit one on a busy 2-core box. */
export const RELAXED: Timeouts = { connectMs: 5_000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };

export function configFor(baseUrl: string, over: { timeouts?: Partial<Timeouts>; maxRetries?: number } = {}): LlmConfig {
  const cfg = resolveLlmConfig({ baseUrl, maxRetries: over.maxRetries ?? 2 }, {});
  cfg.timeouts = { ...RELAXED, ...over.timeouts };
  return cfg;
}

/** One fixture server per test file; script and request log reset after each test. */
export function useModelServer(opts: ModelServerOptions = {}): () => ModelServer {
  let server: ModelServer | undefined;
  beforeAll(async () => {
    server = await startModelServer(opts);
  });
  afterEach(() => {
    server?.setScript([]);
    server?.setLoading(false);
    server?.requests.splice(0);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('fixture server not started');
    return server;
  };
}

export function makeClient(
  server: ModelServer,
  over: { timeouts?: Partial<Timeouts>; maxRetries?: number } & Partial<Omit<ModelClientOptions, 'config' | 'onRun'>> = {},
) {
  const runs: RunRecord[] = [];
  const { timeouts, maxRetries, ...rest } = over;
  const client = createModelClient({
    config: configFor(server.baseUrl, { timeouts, maxRetries }),
    onRun: (r) => {
      runs.push(r);
    },
    retryDelayMs: 20,
    ...rest,
  });
  return { client, runs };
}

export const user = (content: string) => [{ role: 'user' as const, content }];

/** Catches the rejection of `p` for assertions (tests check it really is a ModelError). */
export async function failure<T = unknown>(p: Promise<T>): Promise<ModelError> {
  try {
    await p;
  } catch (err) {
    return err as ModelError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
