import * as net from 'node:net';
import { describe, it, expect } from 'vitest';
import { createModelClient } from '../../../src/llm/client';
import { checkServer } from '../../../src/llm/health';
import { startModelServer } from '../../fixtures/model-server/server.mjs';
import { configFor, useModelServer } from './helpers';

describe('server health', () => {
  const srv = useModelServer({ models: ['unsloth/Qwen3.5-0.8B-GGUF', 'other-model'] });

  it('is ready and lists the models', async () => {
    const client = createModelClient({ config: configFor(srv().baseUrl) });
    expect(await client.health('rustEngineer')).toEqual({ kind: 'ready', baseUrl: srv().baseUrl, models: ['unsloth/Qwen3.5-0.8B-GGUF', 'other-model'] });
    // /health is at the server root, /models under /v1.
    expect(srv().requests.map((r) => r.path)).toEqual(['/health', '/v1/models']);
  });

  it('reports loading while llama-server answers 503, then ready', async () => {
    srv().setLoading(true);
    const client = createModelClient({ config: configFor(srv().baseUrl) });
    const loading = await client.health();
    expect(loading.kind).toBe('loading');
    if (loading.kind === 'loading') expect(loading.detail).toContain('still loading');
    srv().setLoading(false);
    expect((await client.health()).kind).toBe('ready');
  });

  it('reports an unreachable server with the command to start one', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const state = await checkServer(`http://127.0.0.1:${port}/v1`, { timeoutMs: 2000, model: 'my/model-GGUF' });
    expect(state.kind).toBe('unreachable');
    if (state.kind === 'unreachable') {
      expect(state.detail).toContain(`llama-server -hf my/model-GGUF --port ${port}`);
      expect(state.detail).toContain('nocodo.llm.baseUrl');
    }
  });

  it('points at the base URL when /models is missing', async () => {
    const state = await checkServer(`${srv().origin}/api`, { timeoutMs: 2000 });
    expect(state.kind).toBe('error');
    if (state.kind === 'error') expect(state.detail).toContain('ends with /v1');
  });

  it('uses the API key, and says so when it is refused', async () => {
    const locked = await startModelServer({ apiKey: 'k1' });
    try {
      const withKey = createModelClient({ config: configFor(locked.baseUrl), getApiKey: async () => 'k1' });
      expect((await withKey.health()).kind).toBe('ready');
      const without = createModelClient({ config: configFor(locked.baseUrl) });
      const state = await without.health();
      expect(state.kind).toBe('error');
      if (state.kind === 'error') expect(state.detail).toContain('401');
      const broken = createModelClient({
        config: configFor(locked.baseUrl),
        getApiKey: async () => {
          throw new Error('keychain locked');
        },
      });
      const b = await broken.health();
      expect(b.kind === 'error' && b.detail).toContain('keychain locked');
    } finally {
      await locked.close();
    }
  });
});
