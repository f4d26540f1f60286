#!/usr/bin/env node
// Runs the Mocha suites in test/exthost/suite inside a real VS Code extension host: code-server on
// 127.0.0.1 with scratch dirs, a copy of the bakery sample as the workspace, the extension and the
// tests loaded through the workbench `payload` URL parameter, and headless Chromium as the client
// (the extension host starts only when a workbench connects).
//
// Most suites share one session on a plain copy of the bakery, with workspace trust off. A suite
// in OWN_SESSIONS gets a session of its own (its workspace, its servers, workspace trust on): see
// hostileSession below. The counts of every session are summed.
//
//   node test/exthost/run.mjs [--no-build] [--keep] [--timeout <ms>] [--grep <re>] [suite ...]
//
// Suites are file names under test/exthost/suite without `.test.ts` (all when none are given);
// NOCODO_EXTHOST_SUITES=a,b does the same. Writes test/.artifacts/exthost.json
// ({ passed, failed, pending, failures, ... }) and exits non-zero unless every test passed.
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, parseArgs } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, copySampleProject, ensureCodeServer, makeScratch, payloadUrl, repoRoot, run, startCodeServer, exitGuards, startFixtureModelServer } from '../../scripts/lib/codeServer.mjs';
import { keepCodeServerLogs } from '../../scripts/lib/codeServerLogs.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.NOCODO_EXTHOST_TIMEOUT ?? '420000' },
    grep: { type: 'string', default: process.env.NOCODO_EXTHOST_GREP ?? '' },
    verbose: { type: 'boolean', short: 'v', default: process.env.NOCODO_VERBOSE === '1' },
  },
});

const suiteDir = join(repoRoot, 'test', 'exthost', 'suite');
const outDir = join(repoRoot, 'out', 'exthost');
const artifacts = join(repoRoot, 'test', '.artifacts');
const resultArtifact = join(artifacts, 'exthost.json');
const log = (...a) => console.log('[exthost]', ...a);

const guards = exitGuards();
const { cleanups, hardKills } = guards;


function selectSuites() {
  const all = readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length)).sort();
  const wanted = positionals.length ? positionals : (process.env.NOCODO_EXTHOST_SUITES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted.length) return all;
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')} (have: ${all.join(', ')})`);
  return wanted;
}

async function bundleSuites(suites, into) {
  const dir = join(outDir, into);
  rmSync(dir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(suiteDir, 'index.ts'), ...suites.map((s) => join(suiteDir, `${s}.test.ts`))],
    outdir: dir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    // mocha stays a real require: it loads its reporters dynamically, which bundling breaks.
    external: ['vscode', 'mocha'],
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    loader: { '.md': 'text' },
    logLevel: 'warning',
  });
  return join(dir, 'index.js');
}

/**
 * Issue #14: a cloned repository whose `.vscode/settings.json` is hostile. It names a script of
 * the repository as `nocodo.rustfmt.path` (the script leaves a marker file when it runs), a
 * listener of its choosing as `nocodo.llm.baseUrl` (a second fixture model server that logs every
 * request it receives), and turns on `nocodo.team.autoRun`. Workspace trust is on, so the folder
 * opens in Restricted Mode; the suite trusts it later by opening the Workspace Trust editor, whose
 * "Trust" button this runner clicks like a user would.
 */
async function hostileSession({ scratch, folder, guards }) {
  const dir = scratch.path('hostile');
  const marker = join(dir, 'rustfmt-ran.txt');
  const requestLog = join(dir, 'requests.jsonl');
  writeFileSync(requestLog, '');
  const rustfmt = join(folder, 'tools', 'rustfmt');
  mkdirSync(join(folder, 'tools'), { recursive: true });
  // Behaves like `rustfmt --emit stdout` (echoes its input) so that nothing else would give it away.
  writeFileSync(rustfmt, `#!/bin/sh\necho "ran: $*" >> '${marker}'\ncat\n`);
  chmodSync(rustfmt, 0o755);
  // Once the user allowed it, the listener answers like a model server (a Diesel function).
  const script = join(repoRoot, 'test', 'fixtures', 'model-server', 'cheaper-than.json');
  const baseUrl = await startFixtureModelServer(guards, log, { args: ['--request-log', requestLog, '--script', script] });
  if (!baseUrl) throw new Error('the hostile-settings session needs test/fixtures/model-server/server.mjs');
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  writeFileSync(join(folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'nocodo.rustfmt.path': rustfmt, 'nocodo.llm.baseUrl': baseUrl, 'nocodo.team.autoRun': true }, null, 2)}\n`);
  return { workspaceTrust: true, grantTrust: true, env: { NOCODO_HOSTILE: JSON.stringify({ rustfmt, marker, requestLog, baseUrl }) } };
}

/** Suites that run in a session of their own, and how to prepare it. */
const OWN_SESSIONS = { hostileSettings: hostileSession };

/**
 * Clicks "Trust" in the Workspace Trust editor whenever a suite opens it (the only way to grant
 * trust: extensions cannot). Runs until the page closes.
 */
async function clickTrustWhenAsked(page) {
  const editor = page.locator('.workspace-trust-editor');
  for (;;) {
    try {
      await editor.waitFor({ state: 'visible', timeout: 0 });
      await editor.getByRole('button', { name: 'Trust', exact: true }).first().click({ timeout: 30_000 });
      log('clicked "Trust" in the Workspace Trust editor');
      return;
    } catch (e) {
      if (page.isClosed()) return;
      log(`could not click "Trust" yet: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

// The workbench forwards console calls as (type, args): args[0] may be a printf-style format.
function formatAutomationArgs(args) {
  const parts = Array.isArray(args) ? args : [args];
  return format(...parts);
}

// Workbench chatter that says nothing about the tests (shown with --verbose). The suites run at
// the debug log level (suite/index.ts), at which the workbench prints every workspace edit in full.
const NOISE = /^(_performTextEdits |Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore:|Started local extension host|Started initializing default profile|Completed initializing default profile|Ignoring fetching additional builtin extensions from gallery)/;

/**
 * One code-server + browser session running `suites`; resolves to the Mocha result (or a crash
 * note). `prepare` may change the workspace, start servers and ask for workspace trust.
 */
async function runSession({ name, suites, entry, deadline, prepare }) {
  const testsIndex = await bundleSuites(suites, name);
  log(`session ${name}: suites ${suites.join(', ')}`);
  const scratch = makeScratch(`nocodo-exthost-${name}-`);
  cleanups.push(() => (opts.keep ? log(`kept scratch dir ${scratch.dir}`) : scratch.remove()));
  const { dest: folder, placeholder } = copySampleProject(scratch.path('workspace/bakery'));
  if (placeholder) log('test/fixtures/bakery is missing: using a minimal placeholder project');

  const modelUrl = await startFixtureModelServer(guards, log);
  const resultFile = join(scratch.dir, 'result.json');
  // EXTENSIONS_GALLERY={}: no marketplace (open-vsx) lookups, which cannot reach the network here anyway.
  const env = { NOCODO_EXTHOST_RESULT_FILE: resultFile, EXTENSIONS_GALLERY: '{}' };
  if (modelUrl) env.LLAMA_CPP_BASE_URL = modelUrl;
  if (opts.grep) env.NOCODO_EXTHOST_GREP = opts.grep;
  const special = prepare ? await prepare({ scratch, folder, guards: guards }) : {};
  Object.assign(env, special.env ?? {});

  const serverLog = [];
  // VS Code for the Web saves dirty files after a second by default (files.autoSave: afterDelay).
  // The suites test what nocodo does with the user's unsaved edits; on a loaded machine a second
  // passes between the edit and the check, and the editor, not nocodo, saved them.
  // The model calls of the suites go to fixture servers that answer at once: a server that stays
  // silent (a request sent to the wrong one) ends as a model-timeout error naming its URL within
  // a test's time, not after the defaults' minutes (first token 180 s, retried twice).
  const userSettings = { 'files.autoSave': 'off', 'nocodo.llm.timeouts.firstTokenMs': 20_000, 'nocodo.llm.timeouts.idleMs': 20_000, 'nocodo.llm.maxRetries': 0 };
  const cs = await startCodeServer({ entry, scratch, folder, env, userSettings, workspaceTrust: special.workspaceTrust === true, onOutput: (s) => serverLog.push(s) });
  hardKills.push(() => cs.proc.killNow());
  cleanups.push(() => cs.proc.stop());
  log(`code-server at ${cs.url} (pid ${cs.proc.child.pid}), model server ${modelUrl ?? '(none)'}${special.workspaceTrust ? ', workspace trust on' : ''}`);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (opts.verbose) console.log(`[browser ${m.type()}]`, m.text());
  });

  let exitCode;
  const exited = new Promise((resolve) => {
    page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
      resolve();
    });
  });
  const lines = [];
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = formatAutomationArgs(args);
    lines.push(text);
    if (!opts.verbose && NOISE.test(text)) return;
    console.log(type === 'error' ? `[workbench:error] ${text}` : text);
  });

  const url = payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot, extensionTestsPath: testsIndex });
  await page.goto(url);
  if (special.grantTrust) void clickTrustWhenAsked(page);

  let timedOut = false;
  await Promise.race([exited, new Promise((r) => setTimeout(r, Math.max(deadline - Date.now(), 10_000))).then(() => (timedOut = true))]);

  let result;
  if (existsSync(resultFile)) {
    result = JSON.parse(readFileSync(resultFile, 'utf8'));
  } else {
    const line = lines.map((l) => /NOCODO_EXTHOST_RESULT (\{.*\})/.exec(l)?.[1]).find(Boolean);
    if (line) result = JSON.parse(line);
  }
  if (timedOut || !result) {
    console.error(`[exthost] session ${name}: ${timedOut ? `timed out after ${opts.timeout} ms` : `the tests exited with ${exitCode} without reporting results`}`);
    console.error('[exthost] code-server output (tail):\n' + serverLog.join('').slice(-6000));
    if (pageErrors.length) console.error('[exthost] page errors:\n' + pageErrors.slice(-10).join('\n'));
  }
  // A failed session keeps its logs (the scratch dir goes below) and shows their tails here.
  if (timedOut || !result || result.failed > 0 || exitCode !== 0) {
    await keepCodeServerLogs({ name: 'exthost', session: name, userDataDir: cs.userDataDir, page, windowLog: lines, serverOutput: serverLog.join('') });
  }
  // This session's code-server, browser and servers end before the next session starts.
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
  return { result, exitCode, crashed: result ? undefined : timedOut ? 'timeout' : 'no result' };
}

async function main() {
  const timeoutMs = Number(opts.timeout);
  const started = Date.now();
  mkdirSync(artifacts, { recursive: true });
  rmSync(resultArtifact, { force: true });

  const suites = selectSuites();
  if (!opts['no-build']) {
    log('building the extension (node scripts/build.mjs)');
    run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  }
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build`');
  rmSync(outDir, { recursive: true, force: true });
  // Logs kept by an earlier failed run (keepCodeServerLogs) must not pass for this run's.
  rmSync(join(artifacts, 'exthost-logs'), { recursive: true, force: true });
  const entry = ensureCodeServer();

  const sessions = [];
  const shared = suites.filter((s) => !(s in OWN_SESSIONS));
  if (shared.length) sessions.push({ name: 'suite', suites: shared });
  for (const s of suites.filter((x) => x in OWN_SESSIONS)) sessions.push({ name: s, suites: [s], prepare: OWN_SESSIONS[s] });

  const summary = { layer: 'exthost', suites, passed: 0, failed: 0, pending: 0, failures: [], sessions: [] };
  for (const session of sessions) {
    const { result, exitCode, crashed } = await runSession({ ...session, entry, deadline: started + timeoutMs });
    summary.passed += result?.passed ?? 0;
    summary.failed += result ? Math.max(result.failed, exitCode === 0 ? 0 : 1) : 1;
    summary.pending += result?.pending ?? 0;
    summary.failures.push(...(result?.failures ?? []).map((f) => ({ ...f, session: session.name })));
    summary.sessions.push({ name: session.name, suites: session.suites, passed: result?.passed ?? 0, failed: result?.failed ?? 1, exitCode: exitCode ?? null, crashed });
    if (crashed) summary.crashed = [summary.crashed, `${session.name}: ${crashed}`].filter(Boolean).join('; ');
  }
  summary.durationMs = Date.now() - started;
  writeFileSync(resultArtifact, `${JSON.stringify(summary, null, 2)}\n`);
  log(`${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} pending` : ''} in ${Math.round(summary.durationMs / 1000)} s`);
  return summary.failed === 0 && summary.passed > 0 ? 0 : 1;
}

// Last line of defence against a hang anywhere (build, server start, browser launch).
const watchdog = setTimeout(() => {
  console.error(`[exthost] overall timeout (${opts.timeout} ms + 60 s): killing everything`);
  hardKills.forEach((k) => k());
  writeFileSync(resultArtifact, `${JSON.stringify({ layer: 'exthost', passed: 0, failed: 1, crashed: 'overall timeout' }, null, 2)}\n`);
  process.exit(1);
}, Number(opts.timeout) + 60_000);
watchdog.unref();

let code = 1;
try {
  code = await main();
} catch (e) {
  console.error('[exthost] crashed:', e instanceof Error ? (e.stack ?? e.message) : e);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(resultArtifact, `${JSON.stringify({ layer: 'exthost', passed: 0, failed: 1, crashed: String(e instanceof Error ? e.message : e) }, null, 2)}\n`);
} finally {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
}
process.exit(code);
