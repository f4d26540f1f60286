#!/usr/bin/env node
// The nocodo sidebar in a real VS Code workbench (code-server + headless Chromium), the way a user
// meets it: click the nocodo icon in the activity bar, see the team panel's webview, see the
// model-server status item. Two modes:
//   dev   the extension loaded from this checkout (workbench `payload` parameter)
//   vsix  `npm run package`, check the .vsix contents, install it with
//         `code-server --install-extension`, and open it like an installed extension
//
//   node test/browser/workbench.test.mjs [--mode dev|vsix|both] [--no-build] [--vsix <file>]
//
// Screenshots go to test/.artifacts/; counts to test/.artifacts/workbench.json. The last line is
// `N passed, N failed`; the exit code is non-zero when anything failed.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { CHROMIUM, CHROMIUM_ARGS, copySampleProject, ensureCodeServer, makeScratch, payloadUrl, repoRoot, run, startCodeServer, exitGuards, startFixtureModelServer } from '../../scripts/lib/codeServer.mjs';
import { keepCodeServerLogs, recordWindowLog } from '../../scripts/lib/codeServerLogs.mjs';
import { checkVsix } from '../../scripts/check-vsix.mjs';

const { values: opts } = parseArgs({
  options: {
    mode: { type: 'string', default: process.env.NOCODO_WORKBENCH_MODE ?? 'both' },
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    vsix: { type: 'string' },
    timeout: { type: 'string', default: process.env.NOCODO_WORKBENCH_TIMEOUT ?? '420000' },
    keep: { type: 'boolean', default: false },
  },
});

const EXTENSION_ID = 'nocodo.nocodo';
/** The chat tab's empty state (webview/src/chat/ChatView.tsx), shown once the host sent its first state snapshot. */
export const EMPTY_STATE_TEXT = process.env.NOCODO_EMPTY_STATE_TEXT ?? 'Describe the app you need';
const artifacts = join(repoRoot, 'test', '.artifacts');
const log = (...a) => console.log('[workbench]', ...a);

const { cleanups, hardKills } = exitGuards();

const results = [];
/** One named check; a failure is recorded and, with `fatal`, ends the mode (later checks count as failed). */
async function check(mode, name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ mode, name, ok: true, ms: Date.now() - started });
    log(`ok   [${mode}] ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    results.push({ mode, name, ok: false, ms: Date.now() - started, error });
    log(`FAIL [${mode}] ${name}: ${error}`);
    return false;
  }
}

/** Opens the workbench and runs the user-visible checks. */
async function exerciseWorkbench(mode, { browser, url, cs }) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const windowLog = recordWindowLog(page);
  const failedBefore = results.filter((r) => !r.ok).length;
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const shot = (name) => page.screenshot({ path: join(artifacts, `workbench-${mode}-${name}.png`) }).catch(() => undefined);

  try {
    if (!(await check(mode, 'the workbench loads', async () => {
      await page.goto(url);
      await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    }))) return;

    await check(mode, 'the status bar shows "nocodo" (model server ready)', async () => {
      const item = page.locator(`.part.statusbar [id="${EXTENSION_ID}.nocodo.modelServer"]`);
      await item.waitFor({ timeout: 60_000 });
      // The item starts as "checking" and turns into plain "nocodo" once the fixture server answered.
      const until = Date.now() + 30_000;
      let text = '';
      while (Date.now() < until) {
        text = (await item.innerText()).trim();
        if (text === 'nocodo') return `"${text}"`;
        await page.waitForTimeout(250);
      }
      throw new Error(`status item text is "${text}", expected "nocodo"`);
    });

    const icon = page.locator('.part.activitybar a.action-label[aria-label="nocodo"]');
    if (!(await check(mode, 'the activity bar has the nocodo container and it opens', async () => {
      await icon.waitFor({ timeout: 30_000 });
      await icon.click();
      await page.locator('.part.sidebar .composite.title', { hasText: /nocodo/i }).waitFor({ timeout: 15_000 });
    }))) {
      await shot('no-container');
      return;
    }

    let inner;
    if (!(await check(mode, 'the team webview loads in its iframe', async () => {
      const outer = page.locator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`);
      await outer.waitFor({ state: 'attached', timeout: 60_000 });
      const outerFrame = await (await outer.elementHandle())?.contentFrame();
      if (!outerFrame) throw new Error('the webview iframe has no frame');
      const active = await outerFrame.waitForSelector('#active-frame', { state: 'attached', timeout: 30_000 });
      inner = await active.contentFrame();
      if (!inner) throw new Error('#active-frame has no frame');
      await inner.waitForLoadState('load');
    }))) {
      await shot('no-webview');
      return;
    }

    await check(mode, `the team panel shows its empty state ("${EMPTY_STATE_TEXT}")`, async () => {
      const until = Date.now() + 30_000;
      let text = '';
      while (Date.now() < until) {
        text = (await inner.evaluate(() => globalThis.document.body?.innerText ?? '')).replace(/\s+/g, ' ').trim();
        if (text.includes(EMPTY_STATE_TEXT)) return `${text.length} chars of text`;
        await page.waitForTimeout(250);
      }
      throw new Error(`webview text: "${text.slice(0, 300)}"`);
    });
    await shot('sidebar');
  } finally {
    await shot('final');
    if (pageErrors.length) log(`[${mode}] page errors:\n  ${pageErrors.slice(-5).join('\n  ')}`);
    // A check of this mode failed: keep code-server's logs (test/.artifacts/workbench-logs/<mode>/) and print their tails.
    if (results.filter((r) => !r.ok).length > failedBefore) await keepCodeServerLogs({ name: 'workbench', session: mode, userDataDir: cs.userDataDir, page, windowLog: windowLog(), serverOutput: cs.output() });
    await page.close().catch(() => undefined);
  }
}

async function runMode(mode, { entry, browser, modelUrl }) {
  const scratch = makeScratch(`nocodo-wb-${mode}-`);
  const local = [];
  try {
    const { dest: folder } = copySampleProject(scratch.path('workspace/bakery'));
    const extensionsDir = scratch.path('extensions');
    if (mode === 'vsix') {
      let vsix = opts.vsix ?? join(repoRoot, 'nocodo.vsix');
      if (!opts.vsix) {
        if (!(await check(mode, 'npm run package builds nocodo.vsix', () => run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] })))) return;
        vsix = join(repoRoot, 'nocodo.vsix');
      }
      await check(mode, 'the .vsix holds only run-time files', () => {
        const { checks, entries } = checkVsix(vsix);
        const bad = checks.filter((c) => !c.ok);
        if (bad.length) throw new Error(bad.map((c) => `${c.name}: ${c.detail}`).join(' | '));
        return `${entries.length} entries`;
      });
      if (!(await check(mode, 'code-server --install-extension installs it', () => {
        const r = spawnSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', scratch.path('user-data'), '--install-extension', vsix], {
          env: scratch.env,
          encoding: 'utf8',
          timeout: 120_000,
        });
        if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr || r.stdout}`);
        const installed = join(extensionsDir, `${EXTENSION_ID}-${readVersion()}`, 'package.json');
        if (!existsSync(installed)) throw new Error(`${installed} is missing after the install`);
      }))) return;
    }
    const env = { EXTENSIONS_GALLERY: '{}' };
    if (modelUrl) env.LLAMA_CPP_BASE_URL = modelUrl;
    const cs = await startCodeServer({ entry, scratch, folder, extensionsDir, env });
    hardKills.push(() => cs.proc.killNow());
    local.push(() => cs.proc.stop());
    log(`[${mode}] code-server at ${cs.url}`);
    const url = mode === 'dev' ? payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot }) : payloadUrl({ url: cs.url, port: cs.port, folder });
    await exerciseWorkbench(mode, { browser, url, cs });
  } finally {
    for (const c of local.reverse()) await c().catch(() => undefined);
    if (opts.keep) log(`kept ${scratch.dir}`);
    else scratch.remove();
  }
}

function readVersion() {
  return JSON.parse(spawnSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: repoRoot, encoding: 'utf8' }).stdout);
}

async function main() {
  const modes = opts.mode === 'both' ? ['dev', 'vsix'] : [opts.mode];
  if (modes.some((m) => m !== 'dev' && m !== 'vsix')) throw new Error(`--mode must be dev, vsix or both (got ${opts.mode})`);
  mkdirSync(artifacts, { recursive: true });
  if (modes.includes('dev') && !opts['no-build']) {
    if (!(await check('dev', 'npm run build', () => run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')])))) modes.splice(modes.indexOf('dev'), 1);
  }
  const entry = ensureCodeServer();
  const modelUrl = await startFixtureModelServer({ cleanups, hardKills }, log);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  // dev first: `npm run package` rebuilds dist/ for production.
  for (const mode of modes) await runMode(mode, { entry, browser, modelUrl });
}

const deadline = setTimeout(() => {
  results.push({ mode: '-', name: 'overall timeout', ok: false, error: `still running after ${opts.timeout} ms` });
  finish(1);
}, Number(opts.timeout));
deadline.unref();

let crashed;
try {
  await main();
} catch (e) {
  crashed = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error('[workbench] crashed:', crashed);
  results.push({ mode: '-', name: 'the test itself', ok: false, error: crashed });
}
await finish();

async function finish(forced) {
  for (const c of cleanups.reverse()) await Promise.resolve().then(c).catch(() => undefined);
  const failed = results.filter((r) => !r.ok);
  const summary = { layer: 'workbench', passed: results.length - failed.length, failed: failed.length, failures: failed.map((f) => ({ title: `[${f.mode}] ${f.name}`, error: f.error })), results, crashed };
  writeFileSync(join(artifacts, 'workbench.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  process.exit(forced ?? (failed.length || results.length === 0 ? 1 : 0));
}
