import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ModelError, type ModelClient } from '../../src/llm';
import { EmbeddedRuntime, type RuntimeEndpoint } from '../../src/localModel/runtime';
import { clientFor, SOURCE_ENTRY, testModelPath, waitFor } from './model';

// Real completions from Gemma 3 270M (a base model, Q4_K_M) through the embedded runtime and
// nocodo's ordinary model client. Assertions are about what the pipeline does with whatever
// the model says, never about the model being right.

let runtime: EmbeddedRuntime;
let ep: RuntimeEndpoint;
let client: ModelClient;
const figures: Record<string, number> = {};

beforeAll(async () => {
  runtime = new EmbeddedRuntime({ modelPath: testModelPath(), idleStopMs: 0, threads: 1, entry: SOURCE_ENTRY });
  const t = performance.now();
  ep = await runtime.ensure();
  figures.startMs = Math.round(performance.now() - t);
  client = clientFor(ep);
});

afterAll(async () => {
  await runtime?.stop();
  console.log(`[real-model] figures: ${JSON.stringify(figures)}`);
});

const root = () => ep.baseUrl.replace(/\/v1$/, '');

describe('embedded runtime with a real model', () => {
  it('serves /health, /v1/models (context length, chat template) and /tokenize, and wants its token', async () => {
    expect(runtime.status.state).toBe('ready');
    const health = (await (await fetch(`${root()}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    const models = await new OpenAI({ baseURL: ep.baseUrl, apiKey: ep.token }).models.list();
    const meta = (models.data[0] as unknown as { meta: { n_ctx: number; n_ctx_train: number; chat_template: string } }).meta;
    expect(models.data[0]!.id).toBe(ep.modelId);
    expect(meta.n_ctx_train).toBe(32768); // Gemma 3 270M's own context length, read from the file
    expect(meta.n_ctx).toBeGreaterThan(0);
    expect(meta.chat_template).toMatch(/Gemma/);
    const tok = await fetch(`${root()}/tokenize`, { method: 'POST', headers: { Authorization: `Bearer ${ep.token}` }, body: JSON.stringify({ content: 'fn main() {}' }) });
    expect(((await tok.json()) as { tokens: number[] }).tokens.length).toBeGreaterThan(2);
    const refused = await fetch(`${ep.baseUrl}/models`, { headers: { Authorization: 'Bearer wrong' } });
    expect(refused.status).toBe(401);
    expect((await client.health('rustEngineer')).kind).toBe('ready');
  });

  it('streams an answer through the one model client; the run records usage and timings', async () => {
    const deltas: string[] = [];
    const r = await client.chat({ role: 'rustEngineer', messages: [{ role: 'user', content: 'Write a Rust function that returns 1.' }], onDelta: (d) => d.content && deltas.push(d.content) });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(r.content);
    expect(r.run.outcome).toBe('ok');
    expect(r.run.usage?.completionTokens).toBeGreaterThan(0);
    expect(r.run.timings.firstTokenMs).toBeGreaterThan(0);
    expect(r.run.timings.tokensPerSecond).toBeGreaterThan(0);
    figures.generationTokPerS = Math.round(r.run.timings.tokensPerSecond! * 10) / 10;
  });

  it('reuses the common prompt prefix: the second call evaluates only the new tail', async () => {
    const openai = new OpenAI({ baseURL: ep.baseUrl, apiKey: ep.token });
    const system = `You write Diesel code for a bakery.\n${Array.from({ length: 40 }, (_, i) => `Rule ${i + 1}: keep functions small and typed.`).join('\n')}`;
    type Timed = { timings: { cache_n: number; prompt_n: number; prompt_ms: number } };
    const ask = async (q: string) =>
      (await openai.chat.completions.create({ model: ep.modelId, max_tokens: 4, temperature: 0, messages: [{ role: 'system', content: system }, { role: 'user', content: q }] })) as unknown as Timed;
    // A different prompt first, so the first call below starts cold.
    await openai.chat.completions.create({ model: ep.modelId, max_tokens: 1, messages: [{ role: 'user', content: 'x' }] });
    const first = await ask('Count the products.');
    const second = await ask('Find a customer by email.');
    expect(first.timings.cache_n).toBeLessThan(5);
    expect(second.timings.cache_n).toBeGreaterThan(first.timings.prompt_n * 0.8);
    expect(second.timings.prompt_ms).toBeLessThan(first.timings.prompt_ms);
    figures.prefillFirstMs = Math.round(first.timings.prompt_ms);
    figures.prefillCachedMs = Math.round(second.timings.prompt_ms);
    figures.prefixTokens = second.timings.cache_n;
  });

  it('stops generating when the caller aborts mid-stream (measured)', async () => {
    const ctl = new AbortController();
    let deltas = 0;
    const call = client.chat({
      role: 'rustEngineer',
      maxTokens: 400,
      messages: [{ role: 'user', content: 'List one hundred bakery products, one per line.' }],
      signal: ctl.signal,
      onDelta: () => {
        if (++deltas === 3) ctl.abort();
      },
    });
    const err = await call.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).kind).toBe('cancelled');
    const health = await waitFor('the runtime to record the cancel', async () => {
      const h = (await (await fetch(`${root()}/health`)).json()) as { busy: boolean; last_cancel_ms?: number };
      return !h.busy && h.last_cancel_ms !== undefined ? h : undefined;
    });
    expect(health.last_cancel_ms).toBeLessThan(10_000);
    figures.cancelStopMs = health.last_cancel_ms!;
  });

  it('continues a final assistant message (prefill) instead of answering anew', async () => {
    const openai = new OpenAI({ baseURL: ep.baseUrl, apiKey: ep.token });
    const question = { role: 'user' as const, content: 'Count from 1 to 20, separated by commas.' };
    const prefill = '1, 2, 3, 4, 5,';
    const ask = (messages: OpenAI.ChatCompletionMessageParam[]) => openai.chat.completions.create({ model: ep.modelId, max_tokens: 12, temperature: 0, messages });
    const fresh = await ask([question]);
    const continued = await ask([question, { role: 'assistant', content: prefill }]);
    const tok = await fetch(`${root()}/tokenize`, { method: 'POST', headers: { Authorization: `Bearer ${ep.token}` }, body: JSON.stringify({ content: prefill }) });
    const prefillTokens = ((await tok.json()) as { tokens: number[] }).tokens.length;
    // The prompt is the fresh one plus the prefill and nothing else: no end of turn, no new model turn.
    expect(continued.usage!.prompt_tokens).toBe(fresh.usage!.prompt_tokens + prefillTokens);
    // The answer holds only what the model added (as llama-server sends it), not the prefill again.
    const text = continued.choices[0]!.message.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(text.trimStart().startsWith(prefill)).toBe(false);
  });

  it('applies the repeat penalty in the sampler: a loop the prefill starts stops looping with a strong penalty', async () => {
    const loop = '///*\n'.repeat(8);
    const messages = [
      { role: 'user' as const, content: 'Write the comment line ///* many times.' },
      { role: 'assistant' as const, content: loop },
    ];
    const loops = (s: string) => (s.match(/\/\/\/\*/g) ?? []).length;
    const off = await client.chat({ role: 'rustEngineer', maxTokens: 32, repeatPenalty: 1, messages });
    const strong = await client.chat({ role: 'rustEngineer', maxTokens: 32, repeatPenalty: 2, messages });
    expect(off.run.params.repeatPenalty).toBeUndefined();
    expect(strong.run.params.repeatPenalty).toBe(2);
    // Greedy decoding repeats the pattern without a penalty; the penalty (over the prompt's tail and
    // the answer, as llama-server counts) must change what the sampler picks.
    expect(loops(off.content)).toBeGreaterThan(2);
    expect(loops(strong.content)).toBeLessThan(loops(off.content));
    figures.loopsWithoutPenalty = loops(off.content);
    figures.loopsWithPenalty2 = loops(strong.content);
  });

  it('enforces response_format json_schema with a grammar: the answer parses with zod on the first try', async () => {
    const Product = z.object({ name: z.string().max(40), priceCents: z.number().int(), available: z.boolean() });
    const r = await client.structured({ role: 'projectManager', schema: Product, schemaName: 'Product', maxTokens: 80, messages: [{ role: 'user', content: 'Describe one bakery product.' }] });
    expect(Product.safeParse(r.value).success).toBe(true);
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]!.params.jsonSchema).toBe(true);
    expect(r.runs[0]!.outcome).toBe('ok');
  });

  it('answers a bad grammar with a 400 naming the problem, and keeps serving', async () => {
    const res = await fetch(`${ep.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ep.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], grammar: 'root ::= (' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/grammar/);
    expect((await client.health()).kind).toBe('ready');
  });

  it('refuses a prompt over the context with llama-server\'s 400 (no empty answer, no silent cut), and keeps serving', async () => {
    const models = await new OpenAI({ baseURL: ep.baseUrl, apiKey: ep.token }).models.list();
    const nCtx = (models.data[0] as unknown as { meta: { n_ctx: number } }).meta.n_ctx;
    const long = 'bread '.repeat(nCtx + 500);
    const res = await fetch(`${ep.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ep.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: long }], stream: true, max_tokens: 8 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { type: string; n_ctx: number; n_prompt_tokens: number } };
    expect(body.error).toMatchObject({ type: 'exceed_context_size_error', n_ctx: nCtx });
    expect(body.error.n_prompt_tokens).toBeGreaterThan(nCtx);
    const err = await client.chat({ role: 'rustEngineer', maxTokens: 8, messages: [{ role: 'user', content: long }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).kind).toBe('context-too-long');
    expect((err as ModelError).message).toContain(`context holds ${nCtx}`);
    expect((await client.health()).kind).toBe('ready');
  });
});
