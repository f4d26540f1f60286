#!/usr/bin/env node
// A proposed change reviewed the way a user does it, in a real workbench (code-server + headless
// Chromium, the extension loaded from this checkout): open schema.rs, run "nocodo: Generate Diesel
// Model Struct…" from the command palette, pick a table, see the diff with Accept/Reject in the
// editor title bar, click Accept, and find the file changed on disk. Then a second proposal is
// rejected from the title bar and the file stays byte-identical.
//
//   node test/browser/proposal-accept.test.mjs [--no-build] [--keep]
//
// Screenshots go to test/.artifacts/proposal-accept-*.png; counts to
// test/.artifacts/proposal-accept.json. The last line is `N passed, N failed`.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, copySampleProject, ensureCodeServer, makeScratch, payloadUrl, repoRoot, run, startCodeServer, exitGuards } from '../../scripts/lib/codeServer.mjs';
import { keepLogsOnFailure } from '../../scripts/lib/codeServerLogs.mjs';
import { openFile, pickInQuickPick, runCommand, titleAction, until } from './lib/steps.mjs';

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.NOCODO_PROPOSAL_TIMEOUT ?? '300000' },
  },
});

const artifacts = join(repoRoot, 'test', '.artifacts');
const log = (...a) => console.log('[proposal-accept]', ...a);
const results = [];
const { cleanups, hardKills } = exitGuards();

/** One named check; returns false when it failed (later checks that depend on it are skipped as failed). */
async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true, ms: Date.now() - started });
    log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, ms: Date.now() - started, error });
    log(`FAIL ${name}: ${error}`);
    return false;
  }
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (!opts['no-build'] && !(await check('npm run build', () => run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')])))) return;
  const entry = ensureCodeServer();
  const scratch = makeScratch('nocodo-proposal-');
  cleanups.push(() => (opts.keep ? log(`kept ${scratch.dir}`) : scratch.remove()));
  const { dest: folder, placeholder } = copySampleProject(scratch.path('workspace/bakery'));
  if (placeholder) throw new Error('test/fixtures/bakery is missing');
  const customerRs = join(folder, 'src', 'models', 'customer.rs');
  const productRs = join(folder, 'src', 'models', 'product.rs');
  const customerBefore = readFileSync(customerRs, 'utf8');
  const productBefore = readFileSync(productRs);

  const cs = await startCodeServer({ entry, scratch, folder, env: { EXTENSIONS_GALLERY: '{}' } });
  hardKills.push(() => cs.proc.killNow());
  cleanups.push(() => cs.proc.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  const shot = (name) => page.screenshot({ path: join(artifacts, `proposal-accept-${name}.png`) }).catch(() => undefined);
  cleanups.unshift(() => shot('final'));
  // A failed run keeps code-server's logs in test/.artifacts/proposals-logs/ and prints their tails (first: before the browser closes).
  cleanups.unshift(keepLogsOnFailure({ name: 'proposals', cs, page, failed: () => results.some((r) => !r.ok) }));

  if (!(await check('the workbench loads with the extension', async () => {
    await page.goto(payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot }));
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
    // nocodo's status item appears once the extension activated.
    await page.locator('.part.statusbar [id="nocodo.nocodo.nocodo.modelServer"]').waitFor({ timeout: 90_000 });
  }))) return;

  if (!(await check('Generate Diesel Model Struct on schema.rs opens the proposal diff', async () => {
    await openFile(page, 'schema.rs');
    await runCommand(page, 'nocodo: Generate Diesel Model Struct…');
    await pickInQuickPick(page, 'customers');
    const tab = page.locator('.tabs-container .tab', { hasText: 'Diesel model structs — src/models/customer.rs (proposed)' });
    await tab.first().waitFor({ timeout: 60_000 });
    await page.locator('.editor-group-container.active .monaco-diff-editor').waitFor({ timeout: 15_000 });
  }))) {
    await shot('no-diff');
    return;
  }

  if (!(await check('the diff editor title bar shows Accept and Reject (resourceScheme == nocodo-proposal)', async () => {
    await titleAction(page, 'Accept Proposed Change').waitFor({ timeout: 15_000 });
    await titleAction(page, 'Reject Proposed Change').waitFor({ timeout: 15_000 });
    const aria = await titleAction(page, 'Accept Proposed Change').getAttribute('aria-label');
    return aria ?? '';
  }))) {
    await shot('no-actions');
    return;
  }
  await shot('diff');

  await check('clicking Accept writes the proposed structs to customer.rs and closes the diff', async () => {
    await titleAction(page, 'Accept Proposed Change').click();
    const text = await until('customer.rs to change on disk', () => {
      const t = readFileSync(customerRs, 'utf8');
      return t !== customerBefore ? t : undefined;
    }, 30_000, page);
    if (!/#\[derive\([^)]*AsChangeset/.test(text)) throw new Error('no AsChangeset struct in customer.rs');
    if (!text.startsWith(customerBefore.trimEnd())) throw new Error('the existing content was not kept as it was');
    await until('the proposal tab to close', async () => (await page.locator('.tabs-container .tab', { hasText: '(proposed)' }).count()) === 0, 15_000, page);
    return `${text.length - customerBefore.length} characters added`;
  });
  await shot('accepted');

  await check('Reject from the title bar (Enter on the reason box) leaves product.rs byte-identical', async () => {
    await openFile(page, 'product.rs');
    await runCommand(page, 'nocodo: Generate Diesel Model Struct…');
    await pickInQuickPick(page, 'products');
    await page.locator('.tabs-container .tab', { hasText: 'src/models/product.rs (proposed)' }).first().waitFor({ timeout: 60_000 });
    await titleAction(page, 'Reject Proposed Change').click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill('not needed yet');
    await page.keyboard.press('Enter');
    await until('the proposal tab to close', async () => (await page.locator('.tabs-container .tab', { hasText: '(proposed)' }).count()) === 0, 15_000, page);
    if (!readFileSync(productRs).equals(productBefore)) throw new Error('product.rs changed');
  });
  await shot('rejected');

  await check('Ctrl+Alt+Enter accepts the focused proposal (nocodo.proposalFocused follows the active diff)', async () => {
    const orderRs = join(folder, 'src', 'models', 'order.rs');
    const before = readFileSync(orderRs, 'utf8');
    await openFile(page, 'order.rs');
    await runCommand(page, 'nocodo: Generate Diesel Model Struct…');
    await pickInQuickPick(page, 'orders');
    await page.locator('.tabs-container .tab', { hasText: 'src/models/order.rs (proposed)' }).first().waitFor({ timeout: 60_000 });
    // Focus the proposed side, as a click into the diff does.
    await page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-lines').click();
    await page.keyboard.press('Control+Alt+Enter');
    const text = await until('order.rs to change on disk', () => {
      const t = readFileSync(orderRs, 'utf8');
      return t !== before ? t : undefined;
    }, 30_000, page);
    if (!/AsChangeset/.test(text)) throw new Error('no AsChangeset struct in order.rs');
  });
  await shot('keybinding');
}

const deadline = setTimeout(() => {
  results.push({ name: 'overall timeout', ok: false, error: `still running after ${opts.timeout} ms` });
  void finish(1);
}, Number(opts.timeout));
deadline.unref();

try {
  await main();
} catch (e) {
  const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  console.error('[proposal-accept] crashed:', error);
  results.push({ name: 'the test itself', ok: false, error });
}
await finish();

async function finish(forced) {
  for (const c of cleanups.splice(0)) await Promise.resolve().then(c).catch(() => undefined);
  const failed = results.filter((r) => !r.ok);
  const summary = { layer: 'proposal-accept', passed: results.length - failed.length, failed: failed.length, failures: failed.map((f) => ({ title: f.name, error: f.error })), results };
  writeFileSync(join(artifacts, 'proposal-accept.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  process.exit(forced ?? (failed.length || results.length === 0 ? 1 : 0));
}
