import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Token } from 'node-llama-cpp';
import OpenAI from 'openai';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import type { Engine, GenerateRequest } from '../../../src/localModel/engine';
import { BadRequest } from '../../../src/localModel/messages';
import { nodeLlamaRepeatPenalty, repeatPenaltyFromBody } from '../../../src/localModel/sampling';
import { startRuntimeServer, type RunningServer } from '../../../src/localModel/server';

// The embedded runtime reads llama-server's repetition fields and hands node-llama-cpp the same
// penalty; the real sampler is exercised in test/realModel/runtime.test.ts.

const CTX = 8192;

describe('repeatPenaltyFromBody (llama-server fields and defaults)', () => {
  it('is off without the fields, at repeat_penalty 1, or with a window of 0', () => {
    expect(repeatPenaltyFromBody({}, CTX)).toBeUndefined();
    expect(repeatPenaltyFromBody({ repeat_penalty: 1, repeat_last_n: 128 }, CTX)).toBeUndefined();
    expect(repeatPenaltyFromBody({ repeat_penalty: 1.3, repeat_last_n: 0 }, CTX)).toBeUndefined();
  });

  it('maps the penalty, the window (64 by default, -1 = the context) and the OpenAI penalties', () => {
    expect(repeatPenaltyFromBody({ repeat_penalty: 1.3 }, CTX)).toEqual({ penalty: 1.3, lastTokens: 64, frequencyPenalty: 0, presencePenalty: 0 });
    expect(repeatPenaltyFromBody({ repeat_penalty: 1.1, repeat_last_n: -1 }, CTX)).toMatchObject({ lastTokens: CTX });
    expect(repeatPenaltyFromBody({ frequency_penalty: 0.5, presence_penalty: 0.2, repeat_last_n: 32 }, CTX)).toEqual({ penalty: 1, lastTokens: 32, frequencyPenalty: 0.5, presencePenalty: 0.2 });
  });

  it('answers a bad value with a 400-worthy message naming the field', () => {
    expect(() => repeatPenaltyFromBody({ repeat_penalty: 'high' }, CTX)).toThrow(BadRequest);
    expect(() => repeatPenaltyFromBody({ repeat_penalty: 0 }, CTX)).toThrow(/repeat_penalty/);
    expect(() => repeatPenaltyFromBody({ repeat_penalty: 1.2, repeat_last_n: 2.5 }, CTX)).toThrow(/repeat_last_n/);
    expect(() => repeatPenaltyFromBody({ repeat_last_n: -2 }, CTX)).toThrow(/repeat_last_n/);
  });
});

describe("nodeLlamaRepeatPenalty (node-llama-cpp's option)", () => {
  const t = (...n: number[]) => n as Token[];

  it('is false when off, so node-llama-cpp applies none', () => {
    expect(nodeLlamaRepeatPenalty(undefined, t(1, 2, 3))).toBe(false);
  });

  it("punishes newlines too and starts the window on the prompt's last tokens, as llama-server does", () => {
    const o = nodeLlamaRepeatPenalty({ penalty: 1.3, lastTokens: 4, frequencyPenalty: 0.1, presencePenalty: 0.2 }, t(10, 11, 12, 13, 14, 15));
    expect(o).toMatchObject({ penalty: 1.3, lastTokens: 4, frequencyPenalty: 0.1, presencePenalty: 0.2, penalizeNewLine: true });
    const filter = (o as Exclude<typeof o, false>).punishTokensFilter!;
    expect(filter(t())).toEqual(t(12, 13, 14, 15));
    expect(filter(t(20))).toEqual(t(13, 14, 15, 20));
    expect(filter(t(20, 21, 22, 23))).toEqual(t(20, 21, 22, 23));
  });
});

describe('the runtime server hands the penalty to the engine', () => {
  const seen: GenerateRequest[] = [];
  // The engine is the one part not under test here: it records what the server asked of it.
  const engine: Engine = {
    info: { modelPath: '/m.gguf', modelId: 'm', fileBytes: 1, contextSize: CTX, trainContextSize: CTX, chatTemplate: 'test', threads: 1, loadMs: 0 },
    generate: async (req) => {
      seen.push(req);
      req.onText('ok');
      return { text: 'ok', finishReason: 'stop', promptTokens: 3, cachedTokens: 0, completionTokens: 1, promptMs: 1, predictedMs: 1 };
    },
    tokenize: () => [1],
    dispose: async () => {},
  };
  let server: RunningServer;
  beforeAll(async () => {
    server = await startRuntimeServer(engine, { token: 't' });
  });
  afterAll(async () => {
    await server.close();
  });

  it("maps nocodo's request (through the one model client) and a raw llama-server body alike", async () => {
    const config = resolveLlmConfig({ baseUrl: server.url, maxRetries: 0, roles: { rustEngineer: { model: 'm', repeatPenalty: 1.2 } } }, {});
    const client = createModelClient({ config, getApiKey: async () => 't' });
    await client.chat({ role: 'rustEngineer', messages: [{ role: 'user', content: 'x' }] });
    expect(seen.at(-1)?.repeatPenalty).toEqual({ penalty: 1.2, lastTokens: 64, frequencyPenalty: 0, presencePenalty: 0 });

    const openai = new OpenAI({ baseURL: server.url, apiKey: 't' });
    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], frequency_penalty: 0.4, repeat_last_n: -1 } as never);
    expect(seen.at(-1)?.repeatPenalty).toEqual({ penalty: 1, lastTokens: CTX, frequencyPenalty: 0.4, presencePenalty: 0 });

    await openai.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(seen.at(-1)?.repeatPenalty).toBeUndefined();
  });

  it('refuses a bad penalty with a 400', async () => {
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { Authorization: 'Bearer t' }, body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }], repeat_penalty: 'x' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/repeat_penalty/);
  });
});
