import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect, afterEach } from 'vitest';
import { findLlamaServer, isLocalBaseUrl, llamaServerCommand, portOf } from '../../../src/llm/localServer';

describe('llama-server command line', () => {
  it('builds `llama-server -hf <model> --port <port>` from a role config', () => {
    expect(llamaServerCommand({ model: 'unsloth/Qwen3.5-0.8B-GGUF', baseUrl: 'http://localhost:8080/v1' })).toEqual({
      command: 'llama-server',
      args: ['-hf', 'unsloth/Qwen3.5-0.8B-GGUF', '--port', '8080'],
      port: 8080,
      commandLine: 'llama-server -hf unsloth/Qwen3.5-0.8B-GGUF --port 8080',
    });
    const odd = llamaServerCommand({ model: "my model's:Q4", baseUrl: 'http://127.0.0.1:9001/v1' }, '/opt/llama/llama-server');
    expect(odd.commandLine).toBe(`/opt/llama/llama-server -hf 'my model'\\''s:Q4' --port 9001`);
    expect(odd.args).toEqual(['-hf', "my model's:Q4", '--port', '9001']);
  });

  it('knows ports and local hosts', () => {
    expect(portOf('http://localhost/v1')).toBe(8080);
    expect(portOf('https://api.example.com/v1')).toBe(443);
    expect(portOf('http://127.0.0.1:1234/v1')).toBe(1234);
    expect(isLocalBaseUrl('http://localhost:8080/v1')).toBe(true);
    expect(isLocalBaseUrl('http://127.0.0.1:8080/v1')).toBe(true);
    expect(isLocalBaseUrl('http://[::1]:8080/v1')).toBe(true);
    expect(isLocalBaseUrl('http://gpu-box:8080/v1')).toBe(false);
    expect(isLocalBaseUrl('nonsense')).toBe(false);
  });
});

describe('findLlamaServer', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });
  const tmp = async () => {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), 'nocodo-llama-'));
    dirs.push(d);
    return d;
  };

  it('finds an executable llama-server on PATH and skips non-executables', async () => {
    const a = await tmp();
    const b = await tmp();
    await fs.writeFile(path.join(a, 'llama-server'), '#!/bin/sh\n', { mode: 0o644 });
    await fs.writeFile(path.join(b, 'llama-server'), '#!/bin/sh\n', { mode: 0o755 });
    expect(findLlamaServer({ PATH: [a, b].join(':') }, 'linux')).toBe(path.join(b, 'llama-server'));
  });

  it('honours PATHEXT on Windows', async () => {
    const a = await tmp();
    await fs.writeFile(path.join(a, 'llama-server.EXE'), '');
    expect(findLlamaServer({ PATH: a, PATHEXT: '.COM;.EXE' }, 'win32')).toBe(path.join(a, 'llama-server.EXE'));
  });

  it('returns undefined when it is not installed', async () => {
    expect(findLlamaServer({ PATH: await tmp() }, 'linux')).toBeUndefined();
    expect(findLlamaServer({}, 'linux')).toBeUndefined();
  });
});
