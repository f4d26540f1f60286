import { describe, it, expect } from 'vitest';
import { RunRecord } from '../../../src/domain';
import { createModelClient } from '../../../src/llm/client';
import { REPEAT_PENALTY_WINDOW } from '../../../src/llm/config';
import { fakeTokenize, startModelServer } from '../../fixtures/model-server/server.mjs';
import { configFor, failure, makeClient, useModelServer, user } from './helpers';

describe('chat through a real OpenAI-compatible server', () => {
  const srv = useModelServer();

  it('streams an answer and records a complete run', async () => {
    srv().setScript([{ match: { lastUser: 'customers' }, reply: { content: 'pub fn all() -> Vec<Customer> { vec![] }' } }]);
    const { client, runs } = makeClient(srv());
    const deltas: string[] = [];
    const messages = [
      { role: 'system' as const, content: 'You write one Rust function.' },
      { role: 'user' as const, content: 'List all customers' },
    ];
    const r = await client.chat({ role: 'rustEngineer', mode: 'diesel-model-fn', taskId: 'task_1', sessionId: 'ses_1', messages, onDelta: (d) => deltas.push(d.content ?? '') });

    expect(r.content).toBe('pub fn all() -> Vec<Customer> { vec![] }');
    expect(deltas.length).toBeGreaterThan(5); // really streamed, token by token
    expect(deltas.join('')).toBe(r.content);

    const body = srv().chatRequests()[0]?.body;
    expect(body).toMatchObject({ model: 'unsloth/Qwen3.5-0.8B-GGUF', stream: true, stream_options: { include_usage: true }, temperature: 0.1, max_tokens: 1024, messages });
    expect(body.response_format).toBeUndefined();

    expect(runs).toHaveLength(1);
    const run = RunRecord.parse(runs[0]); // the run has the domain's shape
    expect(run).toMatchObject({
      role: 'rustEngineer',
      mode: 'diesel-model-fn',
      taskId: 'task_1',
      sessionId: 'ses_1',
      baseUrl: srv().baseUrl,
      model: 'unsloth/Qwen3.5-0.8B-GGUF',
      params: { temperature: 0.1, maxTokens: 1024 },
      messages,
      raw: r.content,
      reasoning: '',
      outcome: 'ok',
    });
    expect(run.id).toMatch(/^run_/);
    expect(run.diagnostics).toEqual([]);
    expect(r.run).toEqual(runs[0]);
  });

  it('works without streaming too', async () => {
    srv().setScript([{ match: { stream: false }, reply: { content: '<think>x</think>Plain answer', reasoning: 'rc' } }]);
    const { client, runs } = makeClient(srv(), { stream: false });
    const deltas: string[] = [];
    const r = await client.chat({ role: 'projectManager', messages: user('plan'), onDelta: (d) => deltas.push(d.content ?? '') });
    expect(r.content).toBe('Plain answer');
    expect(r.reasoning).toBe('rc\nx');
    expect(deltas.join('')).toBe('Plain answer');
    expect(srv().chatRequests()[0]?.body.stream).toBe(false);
    expect(runs[0]?.usage?.promptTokens).toBeGreaterThan(0);
    expect(runs[0]?.outcome).toBe('ok');
  });

  it('fills usage and timings from the stream', async () => {
    const content = 'fn a() -> i32 { 42 }';
    srv().setScript([{ reply: { content, firstTokenDelayMs: 150, tokenDelayMs: 10 } }]);
    const { client, runs } = makeClient(srv());
    const messages = [
      { role: 'system' as const, content: 'Stable prefix shared by every call.' },
      { role: 'user' as const, content: 'varying part' },
    ];
    await client.chat({ role: 'rustEngineer', messages, stablePrefixChars: messages[0]!.content.length });
    const run = runs[0]!;
    const expectedPrompt = messages.reduce((n, m) => n + fakeTokenize(m.content).length + 3, 0);
    expect(run.usage).toEqual({
      promptTokens: expectedPrompt,
      completionTokens: fakeTokenize(' ' + content).length,
      stablePrefixTokens: fakeTokenize('Stable prefix shared by every call.').length,
    });
    expect(run.timings.firstTokenMs).toBeGreaterThanOrEqual(140);
    expect(run.timings.totalMs).toBeGreaterThanOrEqual(run.timings.firstTokenMs!);
    expect(run.timings.tokensPerSecond).toBeGreaterThan(0);
    // The server's own time (prompt_ms + predicted_ms) is kept apart from the client's wall time.
    expect(run.timings.serverMs).toBeGreaterThan(0);
    expect(run.timings.serverMs).toBeLessThanOrEqual(run.timings.totalMs + 1);
    expect(run.timings.startedAt).toBeLessThanOrEqual(Date.now());
    // /tokenize is at the server root, not under /v1.
    const tok = srv().requests.find((q) => q.path === '/tokenize');
    expect(tok?.body).toMatchObject({ content: 'Stable prefix shared by every call.' });
  });

  it('ignores a server without /tokenize', async () => {
    const bare = await startModelServer({ tokenize: false, script: [{ reply: { content: 'ok' } }] });
    try {
      const runs: RunRecord[] = [];
      const client = createModelClient({ config: configFor(bare.baseUrl), onRun: (r) => void runs.push(r) });
      const r = await client.chat({ role: 'rustEngineer', messages: user('x'), stablePrefixChars: 1 });
      expect(r.content).toBe('ok');
      expect(runs[0]?.usage?.stablePrefixTokens).toBeUndefined();
      expect(runs[0]?.usage?.promptTokens).toBeGreaterThan(0);
      expect(bare.requests.some((q) => q.path === '/tokenize')).toBe(true);
    } finally {
      await bare.close();
    }
  });

  it('applies per-role settings and per-call overrides', async () => {
    srv().setScript([{ reply: { content: 'ok' } }]);
    const { client, runs } = makeClient(srv());
    await client.chat({ role: 'productOwner', messages: user('a') });
    await client.chat({ role: 'rustEngineer', messages: user('b'), temperature: 0, maxTokens: 64 });
    const [a, b] = srv().chatRequests();
    expect(a?.body).toMatchObject({ temperature: 0.3, max_tokens: 2048 });
    expect(b?.body).toMatchObject({ temperature: 0, max_tokens: 64 });
    expect(runs[1]?.params).toMatchObject({ temperature: 0, maxTokens: 64 });
    expect(client.roleConfig('productOwner')).toMatchObject({ role: 'productOwner', temperature: 0.3, baseUrl: srv().baseUrl });
  });

  it("sends the role's repeat penalty as llama-server's repeat_penalty and window; 1 sends nothing", async () => {
    srv().setScript([{ reply: { content: 'ok' } }]);
    const cfg = configFor(srv().baseUrl);
    cfg.roles.rustEngineer.repeatPenalty = 1.25;
    const runs: RunRecord[] = [];
    const client = createModelClient({ config: cfg, onRun: (r) => void runs.push(r) });
    await client.chat({ role: 'rustEngineer', messages: user('a') });
    await client.chat({ role: 'rustEngineer', messages: user('b'), repeatPenalty: 1 });
    await client.chat({ role: 'productOwner', messages: user('c'), repeatPenalty: 1.1 });
    const [a, b, c] = srv().chatRequests();
    expect(a?.body).toMatchObject({ repeat_penalty: 1.25, repeat_last_n: REPEAT_PENALTY_WINDOW, temperature: 0.1 });
    expect(runs[0]?.params.repeatPenalty).toBe(1.25);
    expect(b?.body).not.toHaveProperty('repeat_penalty');
    expect(b?.body).not.toHaveProperty('repeat_last_n');
    expect(runs[1]?.params.repeatPenalty).toBeUndefined();
    expect(c?.body).toMatchObject({ repeat_penalty: 1.1, repeat_last_n: REPEAT_PENALTY_WINDOW });
    // Only llama.cpp's names: the OpenAI penalties keep their meaning and stay unset.
    for (const q of [a, b, c]) expect(q?.body).not.toHaveProperty('frequency_penalty');
  });

  it('drops the repeat penalty for a server that rejects the field, and says so', async () => {
    srv().setScript([
      { times: 1, reply: { fault: 'status', status: 400, message: 'Unrecognized request argument supplied: repeat_penalty', type: 'invalid_request_error' } },
      { reply: { content: 'ok' } },
    ]);
    const cfg = configFor(srv().baseUrl);
    cfg.roles.rustEngineer.repeatPenalty = 1.2;
    const runs: RunRecord[] = [];
    const client = createModelClient({ config: cfg, onRun: (r) => void runs.push(r) });
    const r = await client.chat({ role: 'rustEngineer', messages: user('a') });
    expect(r.content).toBe('ok');
    const [first, second] = srv().chatRequests();
    expect(first?.body.repeat_penalty).toBe(1.2);
    expect(second?.body).not.toHaveProperty('repeat_penalty');
    expect(second?.body).not.toHaveProperty('repeat_last_n');
    expect(runs[0]?.params.repeatPenalty).toBeUndefined();
    expect(runs[0]?.diagnostics.map((d) => d.code)).toContain('extensions-rejected');
  });

  it('reads settings through a getter on every call', async () => {
    srv().setScript([{ reply: { content: 'ok' } }]);
    let cfg = configFor(srv().baseUrl);
    const client = createModelClient({ config: () => cfg });
    await client.chat({ role: 'rustEngineer', messages: user('a') });
    cfg = configFor(srv().baseUrl);
    cfg.roles.rustEngineer.temperature = 0.2;
    await client.chat({ role: 'rustEngineer', messages: user('b') });
    expect(srv().chatRequests().map((q) => q.body.temperature)).toEqual([0.1, 0.2]);
  });

  it('warns when the answer hit max tokens', async () => {
    srv().setScript([{ reply: { content: 'pub fn half(', finishReason: 'length' } }]);
    const { client, runs } = makeClient(srv());
    await client.chat({ role: 'rustEngineer', messages: user('x') });
    const d = runs[0]!.diagnostics.find((x) => x.code === 'max-tokens');
    expect(d?.message).toContain('`nocodo.roles.rustEngineer.maxTokens`');
  });
});

describe('API keys', () => {
  it('sends the key from getApiKey and never records it', async () => {
    const server = await startModelServer({ apiKey: 'sk-very-secret', script: [{ reply: { content: 'ok' } }] });
    try {
      const runs: RunRecord[] = [];
      const asked: string[] = [];
      const client = createModelClient({
        config: configFor(server.baseUrl),
        getApiKey: async (url) => {
          asked.push(url);
          return 'sk-very-secret';
        },
        onRun: (r) => void runs.push(r),
      });
      const r = await client.chat({ role: 'rustEngineer', messages: user('x'), stablePrefixChars: 1 });
      expect(r.content).toBe('ok');
      expect(asked).toContain(server.baseUrl);
      expect(server.chatRequests()[0]?.authorization).toBe('Bearer sk-very-secret');
      expect(runs[0]?.usage?.stablePrefixTokens).toBe(1); // /tokenize got the key too
      expect(JSON.stringify(runs)).not.toContain('sk-very-secret');

      const keyless = createModelClient({ config: configFor(server.baseUrl), onRun: (x) => void runs.push(x) });
      const err = await failure(keyless.chat({ role: 'rustEngineer', messages: user('x') }));
      expect(err.kind).toBe('auth');
      expect(err.status).toBe(401);
      expect(server.chatRequests()).toHaveLength(2); // 4xx: not retried
      expect(JSON.stringify(runs)).not.toContain('sk-very-secret');
    } finally {
      await server.close();
    }
  });
});
