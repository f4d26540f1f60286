import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { createModelClient, resolveLlmConfig, type ModelClient } from '../../src/llm';
import type { RuntimeEndpoint } from '../../src/localModel/runtime';

export const ROOT = path.resolve(__dirname, '../..');
/** The child as TypeScript through tsx, so the tests need no build. */
export const SOURCE_ENTRY = { script: path.join(ROOT, 'src/localModel/child.ts'), execArgv: ['--import', 'tsx'] };

/** The real model: $NOCODO_TEST_MODEL, else what scripts/setup-local-model.sh installs (run it when missing). */
export function testModelPath(): string {
  const fromEnv = process.env.NOCODO_TEST_MODEL;
  if (fromEnv) return fromEnv;
  const installed = path.join(ROOT, '.tools/models/gemma-3-270m-q4_k_m.gguf');
  if (existsSync(installed) && existsSync(`${installed}.verified`)) return installed;
  return execFileSync('bash', [path.join(ROOT, 'scripts/setup-local-model.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
}

/** nocodo's one model client, pointed at the embedded runtime with its token. */
export function clientFor(ep: RuntimeEndpoint, maxTokens = 48): ModelClient {
  const roles = Object.fromEntries(['rustEngineer', 'productOwner', 'projectManager', 'engineeringManager'].map((r) => [r, { model: ep.modelId, temperature: 0, maxTokens }]));
  const config = resolveLlmConfig({ baseUrl: ep.baseUrl, maxRetries: 0, timeouts: { firstTokenMs: 600_000, idleMs: 300_000 }, roles }, {});
  return createModelClient({ config, getApiKey: async () => ep.token });
}

/** Polls until `check` holds (an event the runtime only exposes by state), failing after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
