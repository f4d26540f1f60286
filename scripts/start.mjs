#!/usr/bin/env node
// `npm start`: from a fresh clone to VS Code with nocodo on the sample bakery project.
//   1. `npm ci` when node_modules is missing, 2. build, 3. a copy of test/fixtures/bakery in
//   .tools/workspace/bakery (kept between runs; `--fresh` copies it again), 4. desktop VS Code
//   (`code --extensionDevelopmentPath=<repo>`) when `code` is on PATH, otherwise code-server on
//   127.0.0.1 with nocodo loaded, printing the URL to open; it runs until Ctrl+C.
//
// Options: --fresh, --code-server (even when `code` exists), --port <n>.
// NOCODO_START_SMOKE=1: code-server in scratch dirs, exit 0 once the URL answers (used by npm test).
// Only Node built-ins: this runs before node_modules exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copySampleProject, ensureCodeServer, freePort, makeScratch, payloadUrl, repoRoot, startCodeServer, waitForHttp } from './lib/codeServer.mjs';
import { quietStep } from './lib/quietStep.mjs';

const { values: opts } = parseArgs({
  options: {
    fresh: { type: 'boolean', default: false },
    'code-server': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.NOCODO_PORT ?? '' },
  },
});
const smoke = process.env.NOCODO_START_SMOKE === '1';
const say = (msg) => console.log(`[nocodo] ${msg}`);
const fail = (msg) => {
  console.error(`[nocodo] ${msg}`);
  process.exit(1);
};

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) fail(`Node 20 or newer is needed (this is ${process.version}).`);

function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) fail(`${what} failed (${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}).`);
}

if (!existsSync(join(repoRoot, 'node_modules', '.package-lock.json'))) {
  const code = await quietStep('npm-ci', 'npm', ['ci', '--no-audit', '--no-fund'], { say, expect: 'about 400 MB; 2–5 min the first time' });
  if (code !== 0) fail('npm ci failed: see the log above.');
}
if (process.env.NOCODO_SKIP_BUILD !== '1') {
  say('building…');
  sh(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], 'the build');
}
if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) fail('dist/extension.js is missing after the build.');

const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

if (!smoke && !opts['code-server'] && onPath('code')) {
  const tools = join(repoRoot, '.tools');
  const folder = join(tools, 'workspace', 'bakery');
  if (opts.fresh) rmSync(folder, { recursive: true, force: true });
  if (!existsSync(folder)) copySampleProject(folder);
  say(`opening VS Code on ${folder} with nocodo loaded from ${repoRoot}`);
  sh('code', ['--new-window', `--extensionDevelopmentPath=${repoRoot}`, folder], 'starting VS Code');
  say('VS Code is starting. Reload its window (Developer: Reload Window) after `npm run build` to pick up changes.');
  process.exit(0);
}

say('no desktop `code` on PATH: using code-server (VS Code in the browser)…');
let entry;
try {
  entry = ensureCodeServer();
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

// Smoke runs leave nothing behind; real runs keep settings, extensions and the project copy in .tools/.
let area;
let folder;
if (smoke) {
  area = makeScratch('nocodo-start-');
  folder = copySampleProject(area.path('workspace/bakery')).dest;
} else {
  const base = join(repoRoot, '.tools', 'start');
  const path = (name) => {
    const p = join(base, name);
    mkdirSync(p, { recursive: true });
    return p;
  };
  area = { dir: base, env: { ...process.env }, path, remove: () => undefined };
  folder = join(repoRoot, '.tools', 'workspace', 'bakery');
  if (opts.fresh) rmSync(folder, { recursive: true, force: true });
  if (!existsSync(folder)) copySampleProject(folder);
}

let port = Number(opts.port) || undefined;
if (!port) {
  // A stable port keeps the URL (and the browser tab) valid across restarts when it is free.
  const preferred = 7654;
  port = (await isFree(preferred)) ? preferred : await freePort();
}

let cs;
try {
  // Smoke runs have no network: no marketplace. Real runs keep code-server's (Open VSX) for rust-analyzer & co.
  cs = await startCodeServer({ entry, scratch: area, folder, port, env: smoke ? { EXTENSIONS_GALLERY: '{}' } : {} });
} catch (e) {
  area.remove();
  fail(e instanceof Error ? e.message : String(e));
}
let stopping = false;
const stop = async (code) => {
  stopping = true;
  await cs.proc.stop();
  if (smoke) area.remove();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('exit', () => cs.proc.killNow());

const url = payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot });
const status = await waitForHttp(url, { timeoutMs: 30_000, alive: () => cs.proc.alive }).catch((e) => e);
if (typeof status !== 'number' || status >= 400) {
  console.error(cs.output().slice(-3000));
  await cs.proc.stop();
  fail(`code-server started but the workbench page did not load (${status instanceof Error ? status.message : `HTTP ${status}`}).`);
}
console.log('');
say(`nocodo is running: open ${url}`);
say(`project: ${folder}${smoke ? '' : ' (a copy; `npm start -- --fresh` makes a new one)'}`);
say('the model server is read from nocodo.llm.baseUrl / LLAMA_CPP_BASE_URL (default http://localhost:8080/v1)');
if (smoke) {
  say('smoke run: the server answered, stopping');
  await stop(0);
}
say('press Ctrl+C to stop');
cs.proc.child.on('exit', (code) => {
  if (stopping) return;
  say(`code-server exited on its own (${code}); its last output:\n${cs.output().slice(-3000)}`);
  process.exit(code ?? 1);
});

async function isFree(p) {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
