import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTargetDir } from '../../src/compile/paths';
import { isPortFree } from '../../src/runApp';
import { createNewApp } from '../../src/scaffold';
import { bundleCli } from '../helpers/cliBundle';

/**
 * `nocodo run` on a fresh scaffold, through the built CLI: it starts, the health route answers,
 * Ctrl+C (SIGINT) stops everything it started; a port in use is handled; a backend that does not
 * compile is reported with its file and the nocodo task that wrote it. Builds use the shared cargo
 * folder (.ci/run builds the template's dependencies there), npm ci runs offline (test-all warms
 * npm's cache).
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-run-app-'));
const app = path.join(tmp, 'pickup');
let cli = '';
let blocker: Server | undefined;
afterAll(() => {
  blocker?.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeAll(async () => {
  cli = await bundleCli(path.join(tmp, 'cli'));
  await createNewApp({ dir: app, name: 'Pickup' });
  // npm ci of the scaffold's frontend must not download.
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: path.join(app, 'frontend'), stdio: 'ignore' });
}, 600_000);

interface Started {
  child: ReturnType<typeof spawn>;
  out: () => string;
  err: () => string;
  /** Resolves with the first stdout match of `re` (or rejects when the CLI exits first). */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<number | null>;
}

function startCli(args: string[]): Started {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir(), npm_config_offline: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = out.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    check();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    appendFileSync(path.join(tmp, 'run.log'), d);
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`nocodo run exited (${code}) before printing ${w.re}:\n${err.slice(-3000)}`));
      resolve(code);
    }),
  );
  return { child, out: () => out, err: () => err, exit, waitFor: (re) => new Promise((resolve, reject) => (waiters.push({ re, resolve, reject }), check())) };
}

/** Processes working in the app folder or naming it (cargo, the server, vite, esbuild): Linux /proc. */
function processesOf(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cwd.startsWith(dir) || cmd.includes(dir)) found.push(`${pid} ${cmd}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

describe('nocodo run', () => {
  it('starts the scaffold with port 8088 taken, answers /api/health, serves the page, and Ctrl+C leaves no process', async () => {
    // Whatever holds 8088 (another app, an earlier run): the backend must move to a free port.
    if (await isPortFree(8088)) {
      blocker = createServer();
      await new Promise<void>((r) => blocker!.listen(8088, '127.0.0.1', r));
    }
    const run = startCli(['run', app, '--timeout', '1500']);
    const m = await run.waitFor(/App running: (http:\/\/127\.0\.0\.1:(\d+)\/) \(API (http:\/\/127\.0\.0\.1:(\d+)),/);
    expect(run.err()).toMatch(/Port 8088 is in use; the backend gets port \d+\./);
    const [, page, , api, apiPort] = m;
    expect(apiPort).not.toBe('8088');
    const health = await fetch(`${api}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
    // Through Vite's proxy, as the page itself calls it.
    const proxied = await fetch(`${page}api/health`);
    expect(await proxied.json()).toEqual({ status: 'ok', database: 'ok' });
    expect(await (await fetch(page!)).text()).toContain('<title>Pickup</title>');
    expect(processesOf(app).length).toBeGreaterThan(0);

    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.out()).toContain('Stopped the backend and the frontend.');
    expect(processesOf(app)).toEqual([]);
    expect(await isPortFree(Number(apiPort))).toBe(true);
    expect(await isPortFree(Number(new URL(page!).port))).toBe(true);
  }, 1_800_000);

  it('kill -9 of nocodo run: the watchdogs stop cargo, the server and Vite, and free both ports', async () => {
    const run = startCli(['run', app, '--timeout', '1500']);
    const m = await run.waitFor(/App running: (http:\/\/127\.0\.0\.1:(\d+)\/) \(API (http:\/\/127\.0\.0\.1:(\d+)),/);
    const [, page, , , apiPort] = m;
    expect(processesOf(app).length).toBeGreaterThan(0);
    run.child.kill('SIGKILL');
    await run.exit;
    // Nothing of nocodo's stops them now: SIGTERM from the watchdogs, SIGKILL 5 s later at most.
    const deadline = Date.now() + 30_000;
    while (processesOf(app).length > 0 || !(await isPortFree(Number(apiPort))) || !(await isPortFree(Number(new URL(page!).port)))) {
      if (Date.now() > deadline) throw new Error(`still running 30 s after kill -9 of nocodo run:\n${processesOf(app).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 1_800_000);

  it('a backend that does not compile: names the file and the task that wrote it, exits 1, leaves nothing running', async () => {
    const file = path.join(app, 'backend/src/models/mod.rs');
    appendFileSync(file, 'pub fn broken() -> i32 { "not a number" }\n');
    const git = (...a: string[]) => execFileSync('git', a, { cwd: app, encoding: 'utf8' });
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'diesel-model-fn: Orders of a customer\n\nbody\n\nNocodo-Task: task_abc123\nNocodo-Run: run_xyz');
    const run = startCli(['run', app, '--timeout', '1500', '--quiet']);
    expect(await run.exit).toBe(1);
    expect(run.err()).toMatch(/nocodo run: The backend does not build: backend\/src\/models\/mod\.rs:\d+: mismatched types \(written by task task_abc123, “diesel-model-fn: Orders of a customer”\)/);
    expect(processesOf(app)).toEqual([]);
  }, 1_800_000);
});
