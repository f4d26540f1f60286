// Starting and stopping code-server for the test layers and `npm start`.
// Only Node built-ins: `npm start` imports this before node_modules exist.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.NOCODO_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Installs code-server when needed (scripts/setup-code-server.sh) and returns its entry script. */
export function ensureCodeServer({ quiet = false } = {}) {
  const script = join(repoRoot, 'scripts', 'setup-code-server.sh');
  const r = spawnSync('bash', [script], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`scripts/setup-code-server.sh failed (exit ${r.status})${quiet && r.stderr ? `:\n${r.stderr.slice(-4000)}` : ''}`);
  }
  const entry = r.stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(entry)) throw new Error(`setup-code-server.sh printed '${entry}', which does not exist`);
  return entry;
}

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A scratch area for one run: its own HOME, TMPDIR and XDG dirs, so nothing the run does touches
 * the user's real settings, and CI leaves nothing behind. `env` is the environment for children.
 */
export function makeScratch(prefix = 'nocodo-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const d = (name) => {
    const p = join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  const cargoBin = join(homedir(), '.cargo', 'bin');
  // HOME moves, so keep ~/.cargo/bin (rustfmt) reachable through PATH.
  const PATH = existsSync(cargoBin) ? `${process.env.PATH ?? ''}:${cargoBin}` : (process.env.PATH ?? '');
  const env = {
    ...process.env,
    PATH,
    HOME: d('home'),
    TMPDIR: d('tmp'),
    XDG_CONFIG_HOME: d('config'),
    XDG_DATA_HOME: d('data'),
    XDG_CACHE_HOME: d('cache'),
    XDG_RUNTIME_DIR: d('runtime'),
  };
  // npm reads its cache location from HOME; keep using the real one so nothing is downloaded twice.
  env.npm_config_cache ??= join(homedir(), '.npm');
  delete env.VSCODE_IPC_HOOK_CLI;
  return {
    dir,
    env,
    path: d,
    remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/**
 * A copy of the sample project in `dest`. When test/fixtures/bakery is not there (yet), a minimal
 * Actix + Diesel skeleton is written instead, so the extension still sees a Rust project.
 */
export function copySampleProject(dest) {
  const src = join(repoRoot, 'test', 'fixtures', 'bakery');
  mkdirSync(dest, { recursive: true });
  if (existsSync(join(src, 'Cargo.toml'))) {
    cpSync(src, dest, { recursive: true, filter: (p) => !/[\\/](target|node_modules|\.git)$/.test(p) });
    return { dest, placeholder: false };
  }
  mkdirSync(join(dest, 'src'), { recursive: true });
  writeFileSync(
    join(dest, 'Cargo.toml'),
    '[package]\nname = "bakery"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nactix-web = "4"\ndiesel = { version = "2", features = ["sqlite"] }\n',
  );
  writeFileSync(join(dest, 'diesel.toml'), '[print_schema]\nfile = "src/schema.rs"\n');
  writeFileSync(
    join(dest, 'src', 'schema.rs'),
    'diesel::table! {\n    customers (id) {\n        id -> Integer,\n        name -> Text,\n    }\n}\n',
  );
  writeFileSync(join(dest, 'src', 'main.rs'), 'mod schema;\n\nfn main() {}\n');
  return { dest, placeholder: true };
}

/** Resolves when `url` answers HTTP (any status), rejects after `timeoutMs` or when `alive()` turns false. */
export async function waitForHttp(url, { timeoutMs = 60_000, alive = () => true } = {}) {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (!alive()) throw new Error(`the server exited before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.status;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/**
 * Starts a detached process (its own process group) so that `stop()` can end it together with
 * everything it spawned: extension hosts outlive the browser otherwise.
 */
export function spawnGroup(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  let exited = child.exitCode !== null;
  child.once('exit', () => {
    exited = true;
  });
  const kill = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  return {
    child,
    get alive() {
      return !exited;
    },
    /** SIGTERM to the group, SIGKILL after `graceMs`. */
    async stop(graceMs = 3000) {
      if (child.pid === undefined) return;
      kill('SIGTERM');
      const deadline = Date.now() + graceMs;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      // Children in the group may outlive the leader: always finish with SIGKILL.
      kill('SIGKILL');
    },
    /** Synchronous last resort for process 'exit' handlers. */
    killNow() {
      if (child.pid !== undefined) kill('SIGKILL');
    },
  };
}

/** User settings for a fresh user-data dir: no welcome page, tips, trust prompts or network chatter. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
};

/**
 * Workspace trust as a user meets it: on, and a folder opened for the first time is not trusted
 * (Restricted Mode) until the user trusts it. No startup dialog: the test grants trust itself.
 */
const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

/**
 * Starts code-server on 127.0.0.1 on a free port with scratch user-data and extensions dirs.
 * Workspace trust is off (every folder is trusted) unless `workspaceTrust` is true; a fresh
 * user-data dir and browser have trusted nothing yet.
 * Returns `{ url, port, proc, userDataDir, output() }`; stop it with `proc.stop()`. Its logs are under
 * `<userDataDir>/logs` (keepCodeServerLogs in codeServerLogs.mjs keeps them when a layer fails).
 */
export async function startCodeServer({ entry, scratch, folder, extensionsDir, userDataDir, userSettings = {}, workspaceTrust = false, env = {}, port, onOutput, extraArgs = [] }) {
  port ??= await freePort();
  const configFile = join(scratch.path('config'), 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  userDataDir ??= scratch.path('user-data');
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, `${JSON.stringify({ ...QUIET_SETTINGS, ...(workspaceTrust ? TRUST_SETTINGS : {}), ...userSettings }, null, 2)}\n`);
  }
  const args = [
    entry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir ?? scratch.path('extensions'),
    ...extraArgs,
  ];
  if (folder) args.push(folder);
  let out = '';
  const proc = spawnGroup(process.execPath, args, { cwd: scratch.dir, env: { ...scratch.env, ...env } });
  const collect = (chunk) => {
    const s = chunk.toString();
    out += s;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
    onOutput?.(s);
  };
  proc.child.stdout?.on('data', collect);
  proc.child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, { timeoutMs: 90_000, alive: () => proc.alive });
  } catch (e) {
    await proc.stop();
    throw new Error(`code-server did not start: ${e instanceof Error ? e.message : e}\n${out.slice(-4000)}`);
  }
  return { url, port, proc, userDataDir, output: () => out };
}

/** The workbench URL that loads an extension from source (and optionally runs its tests): code-server has no --extensionDevelopmentPath. */
export function payloadUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const q = new URLSearchParams();
  if (folder) q.set('folder', folder);
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${url}/?${q.toString()}`;
}

/** Runs `cmd args` with inherited stdio; throws on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: repoRoot, ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/**
 * What a test runner must undo however it ends: `cleanups` run in order by the runner's own
 * finish (async, graceful); `hardKills` run synchronously on exit and on Ctrl+C, so code-server
 * and its extension hosts never outlive the runner.
 */
export function exitGuards() {
  const cleanups = [];
  const hardKills = [];
  process.on('exit', () => hardKills.forEach((k) => k()));
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      hardKills.forEach((k) => k());
      process.exit(130);
    });
  }
  return { cleanups, hardKills };
}

/**
 * The fixture model server (test/fixtures/model-server/server.mjs) as its own process, killed with
 * the runner through `guards` (from exitGuards). Resolves to its base URL, or undefined when the
 * fixture is missing. `args` go to server.mjs (e.g. `['--request-log', file]`).
 */
export async function startFixtureModelServer(guards, log = console.log, { args = [] } = {}) {
  const script = join(repoRoot, 'test', 'fixtures', 'model-server', 'server.mjs');
  if (!existsSync(script)) {
    log('test/fixtures/model-server/server.mjs is missing: LLAMA_CPP_BASE_URL stays unset');
    return undefined;
  }
  const proc = spawnGroup(process.execPath, [script, '--port', '0', ...args], { cwd: repoRoot });
  guards.hardKills.push(() => proc.killNow());
  guards.cleanups.push(() => proc.stop());
  let out = '';
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture model server did not print LISTENING: ${out}`)), 15_000);
    proc.child.stderr.on('data', (d) => (out += d));
    proc.child.stdout.on('data', (d) => {
      out += d;
      const m = /LISTENING (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fixture model server exited with ${code}: ${out}`));
    });
  });
}
