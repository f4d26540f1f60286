import { describe, it, expect } from 'vitest';
import { MODEL_ROLES } from '../../../src/domain';
import { DEFAULT_BASE_URL, DEFAULT_TIMEOUTS, LlmSettings, resolveLlmConfig, ROLE_DEFAULTS } from '../../../src/llm/config';

describe('resolveLlmConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const cfg = resolveLlmConfig(undefined, {});
    expect(cfg.problems).toEqual([]);
    expect(cfg.timeouts).toEqual({ connectMs: 10_000, firstTokenMs: 180_000, idleMs: 60_000, totalMs: 900_000 });
    expect(cfg.maxRetries).toBe(2);
    for (const role of MODEL_ROLES) {
      expect(cfg.roles[role].role).toBe(role);
      expect(cfg.roles[role].baseUrl).toBe('http://localhost:8080/v1');
      expect(cfg.roles[role].maxTokens).toBeGreaterThan(0);
    }
    expect(cfg.roles.rustEngineer.model).toBe('unsloth/Qwen3.5-0.8B-GGUF');
    expect(cfg.roles.rustEngineer.temperature).toBe(0.1);
    expect(cfg.roles.frontendEngineer.temperature).toBeGreaterThanOrEqual(0.1);
    expect(cfg.roles.frontendEngineer.temperature).toBeLessThanOrEqual(0.2);
    for (const agent of ['productOwner', 'projectManager', 'engineeringManager'] as const) expect(cfg.roles[agent].temperature).toBe(0.3);
  });

  it('reads LLAMA_CPP_BASE_URL for every role and RUST_ENGINEER_MODEL for the rust engineer only', () => {
    const cfg = resolveLlmConfig({}, { LLAMA_CPP_BASE_URL: 'http://gpu-box:9000/v1/', RUST_ENGINEER_MODEL: 'Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF' });
    expect(cfg.problems).toEqual([]);
    for (const role of MODEL_ROLES) expect(cfg.roles[role].baseUrl).toBe('http://gpu-box:9000/v1');
    expect(cfg.roles.rustEngineer.model).toBe('Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF');
    expect(cfg.roles.frontendEngineer.model).toBe('unsloth/Qwen3.5-0.8B-GGUF');
  });

  it('prefers explicit settings over the environment, and a role setting over the global one', () => {
    const env = { LLAMA_CPP_BASE_URL: 'http://env-host:8080/v1', RUST_ENGINEER_MODEL: 'env-model' };
    const cfg = resolveLlmConfig(
      {
        baseUrl: 'http://settings-host:8080/v1',
        roles: { rustEngineer: { model: 'settings-model', temperature: 0.15, maxTokens: 512, repeatPenalty: 1.3 }, productOwner: { baseUrl: 'http://po-host:1234/v1' } },
      },
      env,
    );
    expect(cfg.problems).toEqual([]);
    expect(cfg.roles.rustEngineer).toEqual({ role: 'rustEngineer', baseUrl: 'http://settings-host:8080/v1', model: 'settings-model', temperature: 0.15, maxTokens: 512, repeatPenalty: 1.3 });
    expect(cfg.roles.productOwner.baseUrl).toBe('http://po-host:1234/v1');
    expect(cfg.roles.frontendEngineer.baseUrl).toBe('http://settings-host:8080/v1');
  });

  it('ignores empty environment variables', () => {
    const cfg = resolveLlmConfig({}, { LLAMA_CPP_BASE_URL: '  ', RUST_ENGINEER_MODEL: '' });
    expect(cfg.problems).toEqual([]);
    expect(cfg.roles.rustEngineer.baseUrl).toBe(DEFAULT_BASE_URL);
    expect(cfg.roles.rustEngineer.model).toBe('unsloth/Qwen3.5-0.8B-GGUF');
  });

  it('reports invalid values by their setting key and falls back', () => {
    const cfg = resolveLlmConfig(
      {
        baseUrl: 'localhost:8080',
        timeouts: { connectMs: -5, firstTokenMs: 'long', idleMs: 1500 },
        maxRetries: 99,
        roles: { rustEngineer: { temperature: 'hot', maxTokens: 0, model: '   ', repeatPenalty: 0.5 }, frontendEngineer: { baseUrl: 'ftp://x' }, qaEngineer: { model: 'x' } },
      },
      { LLAMA_CPP_BASE_URL: 'http://env-host:8080/v1' },
    );
    const text = cfg.problems.join('\n');
    expect(text).toContain('`nocodo.llm.baseUrl`');
    expect(text).toContain('"localhost:8080"');
    expect(text).toContain('`nocodo.llm.timeouts.connectMs`');
    expect(text).toContain('`nocodo.llm.timeouts.firstTokenMs`');
    expect(text).not.toContain('idleMs');
    expect(text).toContain('`nocodo.llm.maxRetries`');
    expect(text).toContain('`nocodo.roles.rustEngineer.temperature` should be a number from 0 to 2, but is "hot"; using 0.1 instead.');
    expect(text).toContain('`nocodo.roles.rustEngineer.maxTokens`');
    expect(text).toContain('`nocodo.roles.rustEngineer.model`');
    expect(text).toContain(`\`nocodo.roles.rustEngineer.repeatPenalty\` should be a number from 1 (off) to 2, but is 0.5; using ${ROLE_DEFAULTS.rustEngineer.repeatPenalty} instead.`);
    expect(text).toContain('`nocodo.roles.frontendEngineer.baseUrl`');
    expect(text).toContain('`nocodo.roles.qaEngineer` is not a known role');
    expect(cfg.problems).toHaveLength(10);

    // Bad values fall back to the next source: the bad global URL to the environment.
    expect(cfg.roles.rustEngineer.baseUrl).toBe('http://env-host:8080/v1');
    expect(cfg.roles.frontendEngineer.baseUrl).toBe('http://env-host:8080/v1');
    expect(cfg.roles.rustEngineer.temperature).toBe(0.1);
    expect(cfg.roles.rustEngineer.maxTokens).toBe(1024);
    expect(cfg.roles.rustEngineer.repeatPenalty).toBe(ROLE_DEFAULTS.rustEngineer.repeatPenalty);
    expect(cfg.roles.rustEngineer.model).toBe('unsloth/Qwen3.5-0.8B-GGUF');
    expect(cfg.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, idleMs: 1500 });
    expect(cfg.maxRetries).toBe(2);
  });

  it('reports a bad environment variable by name', () => {
    const cfg = resolveLlmConfig(undefined, { LLAMA_CPP_BASE_URL: 'not a url' });
    expect(cfg.problems).toEqual([
      'The environment variable LLAMA_CPP_BASE_URL should be an http(s) URL such as http://localhost:8080/v1, but is "not a url"; using http://localhost:8080/v1 instead.',
    ]);
    expect(cfg.roles.projectManager.baseUrl).toBe(DEFAULT_BASE_URL);
  });

  it('survives settings that are not objects at all', () => {
    const cfg = resolveLlmConfig('garbage', {});
    expect(cfg.problems).toHaveLength(1);
    expect(cfg.problems[0]).toContain('should be an object');
    expect(cfg.roles.rustEngineer.baseUrl).toBe(DEFAULT_BASE_URL);
    const cfg2 = resolveLlmConfig({ roles: [1, 2], timeouts: 5 }, {});
    expect(cfg2.problems.join('\n')).toContain('`nocodo.roles` should be an object');
    expect(cfg2.problems.join('\n')).toContain('`nocodo.llm.timeouts` should be an object');
  });

  it('never puts an API key in the resolved configuration', () => {
    const cfg = resolveLlmConfig({ roles: { rustEngineer: { apiKey: 'sk-secret' } } }, {});
    expect(JSON.stringify(cfg)).not.toContain('sk-secret');
  });
});

describe('LlmSettings schema', () => {
  it('accepts the documented shape and normalises URLs', () => {
    const parsed = LlmSettings.parse({
      baseUrl: 'http://localhost:8080/v1/',
      timeouts: { connectMs: 1000, firstTokenMs: 2000, idleMs: 3000 },
      maxRetries: 0,
      roles: { rustEngineer: { model: 'm', temperature: 0.2, maxTokens: 100, baseUrl: 'https://example.com/v1' } },
    });
    expect(parsed.baseUrl).toBe('http://localhost:8080/v1');
    expect(parsed.roles?.rustEngineer?.baseUrl).toBe('https://example.com/v1');
  });

  it('rejects bad values and unknown roles', () => {
    expect(LlmSettings.safeParse({ roles: { rustEngineer: { temperature: 3 } } }).success).toBe(false);
    expect(LlmSettings.safeParse({ timeouts: { idleMs: 0 } }).success).toBe(false);
    expect(LlmSettings.safeParse({ roles: { nobody: {} } }).success).toBe(false);
  });
});
