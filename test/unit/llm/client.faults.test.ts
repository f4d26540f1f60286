import * as net from 'node:net';
import OpenAI from 'openai';
import { describe, it, expect } from 'vitest';
import { RunRecord } from '../../../src/domain';
import { AttemptFailure, runAttempt } from '../../../src/llm/attempt';
import { createModelClient } from '../../../src/llm/client';
import { resolveLlmConfig } from '../../../src/llm/config';
import { ModelError } from '../../../src/llm/errors';
import { probeConnect } from '../../../src/llm/endpoints';
import { startModelServer } from '../../fixtures/model-server/server.mjs';
import { RELAXED, configFor, failure, makeClient, useModelServer, user } from './helpers';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('timeouts', () => {
  const srv = useModelServer();

  it('gives up when the first token takes too long, and closes the connection', async () => {
    // 1.5 s, not less: on a loaded 2-core machine the first request of a file can take that long to reach the server.
    srv().setScript([{ reply: { content: 'late', firstTokenDelayMs: 8000 } }]);
    const { client, runs } = makeClient(srv(), { timeouts: { firstTokenMs: 1500 } });
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err).toBeInstanceOf(ModelError);
    expect(err.kind).toBe('timeout');
    expect(err.timeout).toBe('firstTokenMs');
    expect(err.message).toContain('`nocodo.llm.timeouts.firstTokenMs`');
    expect(err.message).toContain('1.5 s');
    await srv().waitUntilIdle();
    expect(srv().chatRequests().map((q) => q.state)).toEqual(['client-closed']); // timeouts are not retried
    expect(runs).toHaveLength(1);
    expect(RunRecord.parse(runs[0])).toMatchObject({ outcome: 'error', error: err.message });
    expect(err.run).toEqual(runs[0]);
  });

  it('counts slow prompt processing before the headers (llama-server sends them late) against the first-token timeout', async () => {
    srv().setScript([{ reply: { content: 'late', headersDelayMs: 5000 } }]);
    const { client } = makeClient(srv(), { timeouts: { firstTokenMs: 300, connectMs: 100 } });
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.timeout).toBe('firstTokenMs');
    await srv().waitUntilIdle();
    expect(srv().chatRequests()[0]?.state).toBe('client-closed');
  });

  it('gives up when tokens stop coming, keeping what arrived', async () => {
    srv().setScript([{ reply: { content: 'pub fn slow() {}', tokenDelayMs: 3000 } }]);
    const { client, runs } = makeClient(srv(), { timeouts: { idleMs: 300 } });
    const deltas: string[] = [];
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x'), onDelta: (d) => deltas.push(d.content ?? '') }));
    expect(err.kind).toBe('timeout');
    expect(err.timeout).toBe('idleMs');
    expect(err.message).toContain('`nocodo.llm.timeouts.idleMs`');
    expect(deltas.join('')).toBe('pub');
    expect(runs[0]).toMatchObject({ outcome: 'error', raw: 'pub' });
    expect(runs[0]?.timings.firstTokenMs).toBeGreaterThanOrEqual(0);
    await srv().waitUntilIdle();
    expect(srv().chatRequests()).toHaveLength(1);
    expect(srv().chatRequests()[0]?.state).toBe('client-closed');
  });

  it('waits as long as tokens keep coming, however long the answer takes', async () => {
    const content = 'a b c d e f g h i j k l m n o p';
    srv().setScript([{ reply: { content, tokenDelayMs: 100 } }]);
    const { client } = makeClient(srv(), { timeouts: { idleMs: 1000, firstTokenMs: 1000 } });
    const t0 = Date.now();
    const r = await client.chat({ role: 'rustEngineer', messages: user('x') });
    expect(r.content).toBe(content);
    expect(Date.now() - t0).toBeGreaterThan(1000); // longer than either timeout, as a whole
  });

  it('gives up when the connection is not established within connectMs', async () => {
    srv().setScript([{ reply: { fault: 'hang' } }]);
    // Loopback always completes the TCP handshake, so the stalled connect is simulated at the probe.
    const stalled = (_url: string, ms: number) => new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms));
    const openai = new OpenAI({ baseURL: srv().baseUrl, apiKey: 'x', maxRetries: 0, logLevel: 'off' });
    const attempt = runAttempt({
      openai,
      body: { model: 'unsloth/Qwen3.5-0.8B-GGUF', messages: user('x') },
      stream: true,
      streamOptions: true,
      baseUrl: srv().baseUrl,
      model: 'unsloth/Qwen3.5-0.8B-GGUF',
      timeouts: { ...RELAXED, connectMs: 100 },
      maxChars: 16_384,
      probe: stalled,
    });
    const err = await failure(attempt);
    expect(err).toBeInstanceOf(AttemptFailure);
    const failed = err as unknown as AttemptFailure;
    expect(failed.error.kind).toBe('timeout');
    expect(failed.error.timeout).toBe('connectMs');
    expect(failed.error.message).toContain('could not connect');
    expect(failed.error.message).toContain('`nocodo.llm.timeouts.connectMs`');
    await srv().waitUntilIdle();
    expect(srv().chatRequests()[0]?.state).toBe('client-closed');
  });

  it('probes the TCP connection for the connect timeout', async () => {
    expect(await probeConnect(srv().baseUrl, 2000)).toBe('connected');
    expect(await probeConnect(`http://127.0.0.1:${await closedPort()}/v1`, 2000)).toBe('failed');
    const ctl = new AbortController();
    ctl.abort();
    expect(await probeConnect(srv().baseUrl, 2000, ctl.signal)).toBe('aborted');
  });
});

describe('retries', () => {
  const srv = useModelServer();

  it('retries a 500 and then succeeds', async () => {
    srv().setScript([{ times: 2, reply: { fault: 'status', status: 500, message: 'slot crashed' } }, { reply: { content: 'ok now' } }]);
    const { client, runs } = makeClient(srv());
    const r = await client.chat({ role: 'rustEngineer', messages: user('x') });
    expect(r.content).toBe('ok now');
    expect(srv().chatRequests()).toHaveLength(3);
    expect(runs).toHaveLength(1);
    const retries = runs[0]!.diagnostics.filter((d) => d.code === 'retry');
    expect(retries).toHaveLength(2);
    expect(retries[0]?.message).toContain('slot crashed');
    expect(runs[0]?.outcome).toBe('ok');
  });

  it('stops after maxRetries', async () => {
    srv().setScript([{ reply: { fault: 'status', status: 502, message: 'bad gateway' } }]);
    const { client, runs } = makeClient(srv(), { maxRetries: 1 });
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('server');
    expect(err.status).toBe(502);
    expect(err.message).toContain('bad gateway');
    expect(srv().chatRequests()).toHaveLength(2);
    expect(runs[0]?.outcome).toBe('error');
  });

  it('never retries a 4xx', async () => {
    srv().setScript([{ reply: { fault: 'status', status: 400, message: 'Invalid temperature', type: 'invalid_request_error' } }]);
    const { client } = makeClient(srv());
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('bad-request');
    expect(err.status).toBe(400);
    expect(err.message).toContain('Invalid temperature');
    expect(srv().chatRequests()).toHaveLength(1);
  });

  it('never retries once tokens were streamed', async () => {
    srv().setScript([{ reply: { content: 'one two three four five six', fault: 'cut', afterChunks: 3 } }, { reply: { content: 'second try' } }]);
    const { client, runs } = makeClient(srv());
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('disconnected');
    expect(err.message).toContain('while the answer was streaming');
    expect(srv().chatRequests()).toHaveLength(1);
    expect(runs[0]).toMatchObject({ outcome: 'error', raw: 'one two three' });
  });

  it('retries a stream cut before the first token', async () => {
    srv().setScript([{ times: 1, reply: { content: 'lost', fault: 'cut', afterChunks: 0 } }, { reply: { content: 'second try' } }]);
    const { client } = makeClient(srv());
    const r = await client.chat({ role: 'rustEngineer', messages: user('x') });
    expect(r.content).toBe('second try');
    expect(srv().chatRequests().map((q) => q.state)).toEqual(['server-cut', 'done']);
  });

  it('retries an unreachable server, then says how to start one', async () => {
    const port = await closedPort();
    const cfg = resolveLlmConfig({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 2 }, {});
    cfg.timeouts = RELAXED;
    const runs: RunRecord[] = [];
    const client = createModelClient({ config: cfg, retryDelayMs: 10, onRun: (r) => void runs.push(r) });
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`nocodo can't reach the model server at http://127.0.0.1:${port}/v1`);
    expect(err.message).toContain(`\`llama-server -hf unsloth/Qwen3.5-0.8B-GGUF --port ${port}\``);
    expect(err.message).toContain('`nocodo.llm.baseUrl`');
    expect(err.message).toContain('ECONNREFUSED');
    expect(runs[0]?.diagnostics.filter((d) => d.code === 'retry')).toHaveLength(2);
  });
});

describe('server errors', () => {
  const srv = useModelServer({ models: ['unsloth/Qwen3.5-0.8B-GGUF', 'Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF'] });

  it('names the missing model and lists what the server offers', async () => {
    srv().setScript([{ reply: { content: 'never' } }]);
    const cfg = configFor(srv().baseUrl);
    cfg.roles.rustEngineer.model = 'qwen-typo';
    const client = createModelClient({ config: cfg, retryDelayMs: 10 });
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('model-not-found');
    expect(err.models).toEqual(['unsloth/Qwen3.5-0.8B-GGUF', 'Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF']);
    expect(err.message).toContain('no model `qwen-typo`');
    expect(err.message).toContain('`unsloth/Qwen3.5-0.8B-GGUF`, `Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF`');
    expect(srv().chatRequests()).toHaveLength(1);
    expect(srv().requests.some((q) => q.path === '/v1/models')).toBe(true);
  });

  it('says the server is still loading (503), without retrying', async () => {
    srv().setLoading(true);
    const { client, runs } = makeClient(srv());
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('loading');
    expect(err.message).toContain('still loading');
    expect(srv().chatRequests()).toHaveLength(1);
    expect(runs[0]?.outcome).toBe('error');
  });

  it("explains llama.cpp's context-too-long error", async () => {
    srv().setScript([{ reply: { fault: 'contextTooLong', nCtx: 4096 } }]);
    const { client } = makeClient(srv());
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('context-too-long');
    expect(err.message).toContain("the server's context holds 4096");
    expect(err.message).toContain('-c 8192');
    expect(srv().chatRequests()).toHaveLength(1);
  });

  it('detects a too-long prompt against a small context', async () => {
    const small = await startModelServer({ nCtx: 20, script: [{ reply: { content: 'fits' } }] });
    try {
      const client = createModelClient({ config: configFor(small.baseUrl) });
      expect((await client.chat({ role: 'rustEngineer', messages: user('short') })).content).toBe('fits');
      const err = await failure(client.chat({ role: 'rustEngineer', messages: user('word '.repeat(50)) }));
      expect(err.kind).toBe('context-too-long');
      expect(err.message).toMatch(/The prompt is \d+ tokens; the server's context holds 20\./);
    } finally {
      await small.close();
    }
  });

  it('reports a malformed JSON answer', async () => {
    srv().setScript([{ reply: { fault: 'malformedJson' } }]);
    const plain = makeClient(srv(), { stream: false });
    const e1 = await failure(plain.client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(e1.kind).toBe('bad-response');
    expect(e1.message).toContain('malformed');

    const streaming = makeClient(srv());
    const e2 = await failure(streaming.client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(e2.kind).toBe('bad-response');
    expect(srv().chatRequests()).toHaveLength(2); // not retried
  });

  it('reports a stream that is not server-sent events', async () => {
    srv().setScript([{ reply: { fault: 'malformedSse' } }]);
    const { client, runs } = makeClient(srv());
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x') }));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toContain('without sending anything');
    expect(runs[0]?.outcome).toBe('error');
  });
});

describe('cancellation', () => {
  const srv = useModelServer();

  it('cancels a hanging request and the server sees the connection close', async () => {
    srv().setScript([{ reply: { fault: 'hang' } }]);
    const { client, runs } = makeClient(srv());
    const ctl = new AbortController();
    const p = client.chat({ role: 'rustEngineer', messages: user('x'), signal: ctl.signal });
    await until(() => srv().openRequests().length === 1);
    ctl.abort();
    const err = await failure(p);
    expect(err.kind).toBe('cancelled');
    expect(err.message).toBe('Cancelled.');
    await srv().waitUntilIdle();
    expect(srv().chatRequests().map((q) => q.state)).toEqual(['client-closed']);
    expect(srv().openRequests()).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(RunRecord.parse(runs[0])).toMatchObject({ outcome: 'cancelled', error: 'Cancelled.' });
  });

  it('cancels mid-stream, keeping the partial answer', async () => {
    srv().setScript([{ reply: { content: 'a b c d e f g h i j', tokenDelayMs: 50 } }]);
    const { client, runs } = makeClient(srv());
    const ctl = new AbortController();
    let seen = '';
    const err = await failure(
      client.chat({
        role: 'rustEngineer',
        messages: user('x'),
        signal: ctl.signal,
        onDelta: (d) => {
          seen += d.content ?? '';
          if (seen.length >= 3) ctl.abort();
        },
      }),
    );
    expect(err.kind).toBe('cancelled');
    expect(runs[0]?.outcome).toBe('cancelled');
    expect(runs[0]?.raw).toBe(seen);
    expect(seen.length).toBeLessThan('a b c d e f g h i j'.length);
    await srv().waitUntilIdle();
    expect(srv().chatRequests()[0]?.state).toBe('client-closed');
  });

  it('cancels during the retry back-off', async () => {
    srv().setScript([{ reply: { fault: 'status', status: 500 } }]);
    const { client } = makeClient(srv(), { retryDelayMs: 5000 });
    const ctl = new AbortController();
    const p = client.chat({ role: 'rustEngineer', messages: user('x'), signal: ctl.signal });
    await until(() => srv().chatRequests().length === 1 && srv().openRequests().length === 0);
    const t0 = Date.now();
    ctl.abort();
    const err = await failure(p);
    expect(err.kind).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(srv().chatRequests()).toHaveLength(1);
  });

  it('does not call the server when already cancelled, but still records the run', async () => {
    const { client, runs } = makeClient(srv());
    const ctl = new AbortController();
    ctl.abort();
    const err = await failure(client.chat({ role: 'rustEngineer', messages: user('x'), signal: ctl.signal }));
    expect(err.kind).toBe('cancelled');
    expect(srv().requests).toHaveLength(0);
    expect(runs[0]?.outcome).toBe('cancelled');
  });
});
