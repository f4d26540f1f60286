import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/domain';
import { createModelClient, resolveLlmConfig, type ModelError, type Timeouts } from '../../src/llm';
import { startHostileServer, type Behaviour, type HostileServer } from './hostileServer';

// Issue #14, section 2: a server that never stops must not hold a call (or memory) forever.

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function callAgainst(behaviour: Behaviour, timeouts: Partial<Timeouts>, maxTokens = 64) {
  server = await startHostileServer(behaviour);
  const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0, roles: { rustEngineer: { maxTokens } } }, {});
  config.timeouts = { connectMs: 5_000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 60_000, ...timeouts };
  const runs: RunRecord[] = [];
  const client = createModelClient({ config, onRun: (r) => void runs.push(r) });
  const started = Date.now();
  try {
    const r = await client.chat({ role: 'rustEngineer', messages: [{ role: 'user', content: 'x' }] });
    return { ok: r, runs, ms: Date.now() - started };
  } catch (err) {
    return { err: err as ModelError, runs, ms: Date.now() - started };
  }
}

describe('runaway model servers', () => {
  it('empty chunks after the first token are not progress: the idle timeout ends the call', async () => {
    const r = await callAgainst('token-then-empty', { idleMs: 800 });
    expect(r.err?.kind).toBe('timeout');
    expect(r.err?.timeout).toBe('idleMs');
    expect(r.runs[0]?.raw).toBe('pub');
  }, 60_000);

  it('an endless stream of real tokens ends at the total deadline, naming its setting', async () => {
    const r = await callAgainst('endless-tokens', { totalMs: 1_500 }, 100_000);
    expect(r.err?.kind).toBe('timeout');
    expect(r.err?.timeout).toBe('totalMs');
    expect(r.err?.message).toContain('nocodo.llm.timeouts.totalMs');
  }, 60_000);

  it('a flood of 64 KB chunks is cut at the cap derived from max_tokens, and the cut is reported', async () => {
    const r = await callAgainst('flood', {}, 64);
    expect(r.err).toBeUndefined();
    const run = r.runs[0]!;
    // 64 tokens allow 16 384 characters (the floor of answerCharCap).
    expect(run.raw.length).toBe(16_384);
    expect(run.diagnostics.map((d) => d.code)).toContain('answer-cut');
    expect(run.diagnostics.find((d) => d.code === 'answer-cut')?.message).toMatch(/kept the first 16384/);
  }, 60_000);
});
