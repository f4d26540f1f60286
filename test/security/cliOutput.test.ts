import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commands, runCli } from '../../src/cli/main';
import type { CliCommand, CliIo } from '../../src/cli/types';
import { bundleCli } from '../helpers/cliBundle';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';
import { startHostileServer, type HostileServer } from './hostileServer';

// Issue #14, sections 2, 5 and 6: what the CLI prints, how it fails, and how it talks to servers.

const ROOT = path.resolve(__dirname, '../..');
const BAKERY = path.join(ROOT, 'test/fixtures/bakery');
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-sec-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: ROOT, env, out: () => out, err: () => err };
}
const genArgs = ['generate', 'diesel-model-fn', '--project', BAKERY, '--struct', 'Order', '--prompt', 'orders by status'];

describe('terminal output', () => {
  it('prints escape sequences from file names and answers as visible text', async () => {
    const a = io();
    await runCli(['schema', 'evil\x1b]0;owned\x07\x1b[2J.rs'], a);
    const all = a.out() + a.err();
    expect(all).toContain('evil\\x1b]0;owned\\x07\\x1b[2J.rs');
    // eslint-disable-next-line no-control-regex
    expect(all).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('prints one line and no stack for an unexpected error; the stack only with --debug', async () => {
    const boom: CliCommand = {
      name: 'boom',
      summary: 'throws',
      usage: 'boom',
      run: async () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    };
    commands.push(boom);
    try {
      const a = io();
      expect(await runCli(['boom'], a)).toBe(1);
      expect(a.err()).toBe('nocodo boom: Maximum call stack size exceeded (run again with --debug for details)\n');
      const b = io();
      expect(await runCli(['boom', '--debug'], b)).toBe(1);
      expect(b.err()).toMatch(/^nocodo boom: Maximum call stack size exceeded\nRangeError: Maximum call stack size exceeded\n\s+at /);
    } finally {
      commands.splice(commands.indexOf(boom), 1);
    }
  });
});

describe('base URLs and keys', () => {
  it.each([['generate', ...genArgs.slice(1)], ['eval', '--tasks', path.join(ROOT, 'eval/tasks')]])('%s refuses a base URL with user:password@, without repeating the password', async (...args) => {
    const a = io();
    expect(await runCli([...args, '--base-url', 'http://alice:s3cret@127.0.0.1:9/v1'], a)).toBe(2);
    expect(a.err()).toContain('without user:password@');
    expect(a.err()).not.toContain('s3cret');
  });

  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends NOCODO_API_KEY as the bearer key', async () => {
    server = await startModelServer({ apiKey: 'k-123' });
    server.setScript([{ reply: { content: 'pub fn by_status(conn: &mut PgConnection, s: &str) -> QueryResult<Vec<Order>> {\n    orders::table.filter(orders::status.eq(s)).load(conn)\n}' } }]);
    const a = io({ NOCODO_API_KEY: 'k-123' });
    expect(await runCli([...genArgs, '--base-url', server.baseUrl], a)).toBe(0);
    expect(server.chatRequests()[0]?.authorization).toBe('Bearer k-123');
  });
});

describe('CLI timeouts', () => {
  let hostile: HostileServer | undefined;
  afterEach(async () => {
    await hostile?.close();
    hostile = undefined;
  });

  it('--idle-timeout-ms ends a server that only sends empty chunks, and the message names the flag', async () => {
    hostile = await startHostileServer('token-then-empty');
    const a = io();
    expect(await runCli([...genArgs, '--base-url', hostile.baseUrl, '--idle-timeout-ms', '700'], a)).toBe(1);
    expect(a.err()).toContain('--idle-timeout-ms');
    expect(a.err()).not.toContain('nocodo.llm');
    expect(a.err().trim().split('\n')).toHaveLength(1);
  });

  it('--timeout-ms bounds an endless stream', async () => {
    hostile = await startHostileServer('endless-tokens');
    const a = io();
    expect(await runCli([...genArgs, '--base-url', hostile.baseUrl, '--timeout-ms', '1500'], a)).toBe(1);
    expect(a.err()).toContain('raise `--timeout-ms`');
  });

  it('rejects a timeout that is not a number, naming the flag', async () => {
    const a = io();
    expect(await runCli([...genArgs, '--timeout-ms', 'soon'], a)).toBe(2);
    expect(a.err()).toContain('--timeout-ms should be a whole number');
  });
});

describe('the built CLI in a pipe', () => {
  let cli = '';
  beforeAll(async () => {
    cli = await bundleCli(path.join(tmp, 'dist'));
  }, 180_000);

  it('ends quietly when the reader goes away (EPIPE)', async () => {
    const child = spawn(process.execPath, [cli, 'schema', path.join(ROOT, 'test/fixtures/corpus/crates-io/schema.rs'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // like `| head` having read enough
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
