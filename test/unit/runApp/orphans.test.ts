import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isPortFree, startApp } from '../../../src/runApp';
import { AppProcess, WATCHDOG_NAME } from '../../../src/runApp/processes';

/**
 * Run App's programs die with the process that started them. The backend and the frontend run in
 * process groups of their own (so stopping them stops what they started), which also means that
 * nothing takes them down when the extension host is killed: a watchdog per group does. Here a
 * stand-in host (children/host.ts) starts an app through startApp, is killed with SIGKILL, and
 * every program of the app must be gone and its ports free. The programs are small Node servers
 * in the places of the real ones (a `cargo` that starts the server as its child, Vite's
 * bin/vite.js); the first real build of an app takes minutes.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-run-orphans-'));
const CHILDREN = path.join(__dirname, 'children');
const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
const apps: string[] = [];
afterAll(() => {
  // Whatever a failed test left running: the pids the app's programs wrote.
  for (const pids of apps)
    for (const pid of pidsIn(pids))
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
  rmSync(tmp, { recursive: true, force: true });
});

/** An app folder whose cargo and vite are the stand-in servers; its programs write their pids into `pids/`. */
function app(name: string): { dir: string; cargo: string; pids: string; env: NodeJS.ProcessEnv } {
  const dir = path.join(tmp, name);
  const pids = path.join(dir, 'pids');
  const server = path.join(CHILDREN, 'appServer.mjs');
  mkdirSync(path.join(dir, 'backend'), { recursive: true });
  mkdirSync(path.join(dir, 'frontend', 'node_modules', 'vite', 'bin'), { recursive: true });
  mkdirSync(pids);
  apps.push(pids);
  writeFileSync(path.join(dir, 'backend', 'Cargo.toml'), '[package]\nname = "x"\nversion = "0.1.0"\n');
  writeFileSync(path.join(dir, 'frontend', 'package.json'), '{}\n');
  writeFileSync(path.join(dir, 'frontend', 'node_modules', '.package-lock.json'), '{}\n');
  writeFileSync(path.join(dir, 'frontend', 'node_modules', 'vite', 'bin', 'vite.js'), `import(${JSON.stringify(pathToFileURL(server).href)});\n`);
  // Like cargo: the server is its child (same process group), and cargo waits for it.
  const cargo = path.join(dir, 'cargo');
  writeFileSync(cargo, `#!/bin/sh\n: > "$APP_PIDS/cargo-$$"\n'${process.execPath}' '${server}' backend &\nwait\n`);
  chmodSync(cargo, 0o755);
  return { dir, cargo, pids, env: { ...process.env, APP_PIDS: pids } };
}

const pidsIn = (dir: string): number[] => readdirSync(dir).map((f) => Number(f.split('-')[1]));

/** Alive and not a zombie (an orphan's zombie may wait for a PID 1 that does not reap it). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The pids of the running watchdogs guarding one of `groups`. */
function watchdogsOf(groups: readonly number[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf(WATCHDOG_NAME);
      if (at > 0 && groups.includes(Number(argv[at + 1])) && alive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits until `probe` holds, checking every 50 ms; fails naming `what` after `timeoutMs`. */
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first stdout line of `child` that starts with `started ` or `failed `. */
function startedLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the host did not start the app within ${timeoutMs} ms:\n${err}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => /^(started|failed) /.test(l));
      if (!line) return;
      clearTimeout(timer);
      if (line.startsWith('failed ')) reject(new Error(`the host could not start the app: ${line}\n${err}`));
      else resolve(line.slice('started '.length));
    });
    child.once('exit', (code, signal) => reject(new Error(`the host exited (${code ?? signal}) before starting the app:\n${err}`)));
  });
}

describe.skipIf(process.platform !== 'linux')('Run App when its host dies', () => {
  it('kill -9 of the process that started the app stops the backend, the server under cargo and the frontend, and frees their ports', async () => {
    const a = app('killed-host');
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(CHILDREN, 'host.ts'), a.dir, a.cargo], { env: a.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(host);
    const ports = JSON.parse(await startedLine(host, 90_000)) as { backendPort: number; frontendPort: number };
    const pids = pidsIn(a.pids);
    // cargo, the server it started, and vite: each running, with a watchdog for each of the two groups.
    expect(readdirSync(a.pids).map((f) => f.split('-')[0]).sort()).toEqual(['backend', 'cargo', 'frontend']);
    expect(pids.every(alive)).toBe(true);
    expect(await isPortFree(ports.backendPort)).toBe(false);
    expect(await isPortFree(ports.frontendPort)).toBe(false);
    const groups = readdirSync(a.pids)
      .filter((f) => !f.startsWith('backend-'))
      .map((f) => Number(f.split('-')[1]));
    expect(watchdogsOf(groups)).toHaveLength(2);

    const hostExit = new Promise((resolve) => host.once('exit', (_code, signal) => resolve(signal)));
    host.kill('SIGKILL');
    expect(await hostExit).toBe('SIGKILL');
    // The backend ignores SIGTERM: it goes at the SIGKILL after the watchdog's 5 s of grace.
    await until('every program of the app to be gone', () => !pids.some(alive), 30_000);
    await until('the ports to be free', async () => (await isPortFree(ports.backendPort)) && (await isPortFree(ports.frontendPort)), 10_000);
    await until('the watchdogs to end', () => watchdogsOf(groups).length === 0, 10_000);
  }, 150_000);

  it('a normal stop leaves no watchdog behind, nor does a program that ends by itself', async () => {
    const a = app('stopped');
    const started = await startApp({ dir: a.dir, cargo: a.cargo, env: a.env, timeoutMs: 60_000 });
    const groups = readdirSync(a.pids)
      .filter((f) => !f.startsWith('backend-'))
      .map((f) => Number(f.split('-')[1]));
    expect(watchdogsOf(groups)).toHaveLength(2);
    const pids = pidsIn(a.pids);
    await started.stop();
    expect(pids.filter(alive)).toEqual([]);
    await until('the watchdogs to end', () => watchdogsOf(groups).length === 0, 10_000);

    const short = new AppProcess('install', '/bin/sh', ['-c', 'exit 0'], { cwd: a.dir, env: a.env });
    const dog = short.watchdogPid;
    expect(dog && alive(dog)).toBe(true);
    expect((await short.exited).code).toBe(0);
    await until('the finished program’s watchdog to end', () => !alive(dog!), 10_000);
  }, 120_000);
});
