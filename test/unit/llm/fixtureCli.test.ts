import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect, afterEach } from 'vitest';
import { createModelClient } from '../../../src/llm/client';
import { configFor, user } from './helpers';

const SERVER = path.resolve(__dirname, '../../fixtures/model-server/server.mjs');

/** Starts the fixture as its own process, the way extension-host and CLI tests use it. */
function startProcess(args: string[]): Promise<{ child: ChildProcess; baseUrl: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${err}`)), 10_000);
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /^LISTENING (\S+)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, baseUrl: m[1] });
      }
    });
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture exited with ${code}: ${err}`));
    });
  });
}

describe('fixture server as a process', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGTERM');
  });

  it('prints LISTENING <baseUrl> and answers from a JSON script', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nocodo-fixture-'));
    try {
      const script = path.join(dir, 'rules.json');
      await fs.writeFile(
        script,
        JSON.stringify([
          { match: { lastUser: { regex: '^add', flags: 'i' } }, times: 1, reply: { content: 'first' } },
          { reply: { content: '<think>x</think>fallback' } },
        ]),
      );
      const { child, baseUrl } = await startProcess(['--port', '0', '--script', script, '--models', 'a-model,b-model']);
      children.push(child);
      expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const cfg = configFor(baseUrl);
      cfg.roles.rustEngineer.model = 'b-model';
      const client = createModelClient({ config: cfg });
      expect((await client.chat({ role: 'rustEngineer', messages: user('Add a table') })).content).toBe('first');
      expect((await client.chat({ role: 'rustEngineer', messages: user('Add a table') })).content).toBe('fallback');
      expect(await client.health()).toEqual({ kind: 'ready', baseUrl, models: ['a-model', 'b-model'] });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly on bad arguments', async () => {
    await expect(startProcess(['--bogus'])).rejects.toThrow(/unknown argument --bogus/);
  });
});
