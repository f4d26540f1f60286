#!/usr/bin/env node
// What a user meets, in a real workbench (code-server + headless Chromium, the extension loaded
// from this checkout), for the promises of issue #22:
//   - the status item follows a model server that is down, comes back, and goes down again,
//     without a click, and offers only what works on this machine;
//   - a proposal that creates one file and changes another is accepted from its notice, and
//     "Undo this proposal" puts both back (the created file and nothing else is gone);
//   - the notice of a pending proposal closes once it is accepted or rejected elsewhere, and the
//     run inspector follows the proposal's state (accepted → Undo → undone).
//
//   node test/browser/ux.test.mjs [--no-build] [--keep]
//
// Screenshots go to test/.artifacts/ux-*.png (docs/ keeps chosen ones); counts to
// test/.artifacts/ux.json. The last line is `N passed, N failed`.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, copySampleProject, ensureCodeServer, exitGuards, freePort, makeScratch, payloadUrl, repoRoot, run, startCodeServer } from '../../scripts/lib/codeServer.mjs';
import { keepLogsOnFailure } from '../../scripts/lib/codeServerLogs.mjs';
import { startModelServer } from '../fixtures/model-server/server.mjs';
import { answerInputBox, assert, openFile, pickInQuickPick, runCommand, runLayer, runSteps, titleAction, toasts, until } from './lib/steps.mjs';

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.NOCODO_UX_TIMEOUT ?? '600000' },
  },
});

const EXTENSION_ID = 'nocodo.nocodo';
const artifacts = join(repoRoot, 'test', '.artifacts');
const log = (...a) => console.log('[ux]', ...a);
const results = [];
const { cleanups, hardKills } = exitGuards();

/** The diesel-model-fn answer of the fixture model (a function the bakery's schema accepts). */
const FN_ANSWER = [
  '```rust',
  'pub fn list_for_customer(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Vec<Order>> {',
  '    orders::table',
  '        .filter(orders::customer_id.eq(customer_id))',
  '        .order(orders::created_at.desc())',
  '        .select(Order::as_select())',
  '        .load(conn)',
  '}',
  '```',
].join('\n');

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (!opts['no-build']) run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const entry = ensureCodeServer();

  // The model server's port is fixed, but nothing listens there yet: the user starts nocodo first.
  const modelPort = await freePort();
  const baseUrl = `http://127.0.0.1:${modelPort}/v1`;
  let model;
  const startModel = async () => {
    model = await startModelServer({ port: modelPort, script: [{ match: { system: 'You write ONE Rust function' }, reply: { content: FN_ANSWER } }] });
  };
  cleanups.push(() => model?.close());

  const scratch = makeScratch('nocodo-ux-');
  cleanups.push(() => (opts.keep ? log(`kept ${scratch.dir}`) : scratch.remove()));
  const { dest: folder, placeholder } = copySampleProject(scratch.path('workspace/bakery'));
  if (placeholder) throw new Error('test/fixtures/bakery is missing');
  const file = (rel) => join(folder, ...rel.split('/'));
  const modRs = file('src/models/mod.rs');
  const orderRs = file('src/models/order.rs');
  const modBefore = readFileSync(modRs, 'utf8');
  const orderBefore = readFileSync(orderRs, 'utf8');

  // PATH without llama-server (the machine has none; say so if that changes).
  const cs = await startCodeServer({ entry, scratch, folder, env: { EXTENSIONS_GALLERY: '{}', LLAMA_CPP_BASE_URL: baseUrl } });
  hardKills.push(() => cs.proc.killNow());
  cleanups.push(() => cs.proc.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(20_000);
  const shot = (name) => page.screenshot({ path: join(artifacts, `ux-${name}.png`) }).catch(() => undefined);
  cleanups.push(() => shot('final'));
  // A failed run keeps code-server's logs in test/.artifacts/ux-logs/ and prints their tails.
  cleanups.push(keepLogsOnFailure({ name: 'ux', cs, page, failed: () => results.some((r) => !r.ok) }));

  const status = page.locator(`.part.statusbar [id="${EXTENSION_ID}.nocodo.modelServer"]`);
  const statusText = async () => (await status.innerText()).trim();
  const panel = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
  const proposalNotice = toasts(page, 'nocodo proposes');
  let appearedAt = 0;

  await runSteps(
    results,
    log,
    [
      [
        'with no server listening, the status item says "no model server" at once, not "checking…" for the connect timeout',
        async () => {
          await page.goto(payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot }));
          await status.waitFor({ timeout: 120_000 });
          appearedAt = Date.now();
          await until('the status item to say "no model server"', async () => /no model server/.test(await statusText()), 9_000);
          return `${Date.now() - appearedAt} ms after the item appeared`;
        },
      ],
      [
        'its tooltip names the configured server only, and offers how to get llama-server (not on PATH) instead of starting it',
        async () => {
          await status.hover();
          const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Model server not reachable' }).first();
          await hover.waitFor({ timeout: 15_000 });
          const text = await hover.innerText();
          await shot('status-down');
          assert(text.includes(`--port ${modelPort}`), `no "--port ${modelPort}" in: ${text}`);
          assert(!text.includes('8080'), `a hard-coded 8080 in: ${text}`);
          assert(text.includes('How to get llama-server'), `no "How to get llama-server" in: ${text}`);
          assert(!text.includes('Start llama-server'), `"Start llama-server" offered without llama-server on PATH: ${text}`);
          await page.mouse.move(700, 400);
        },
      ],
      [
        'the server starts: the status item turns to "nocodo" without a click (polled with backoff)',
        async () => {
          await startModel();
          const started = Date.now();
          await until('the status item to read "nocodo"', async () => (await statusText()) === 'nocodo', 90_000);
          return `${Date.now() - started} ms after the server started`;
        },
      ],
      [
        'a proposal that creates a file and changes mod.rs: Accept in its notice writes both, and the notice closes',
        async () => {
          await openFile(page, 'schema.rs');
          await runCommand(page, 'nocodo: Generate Diesel Model Struct…');
          await pickInQuickPick(page, 'order_items');
          await proposalNotice.first().waitFor({ timeout: 60_000 });
          await shot('notice-pending');
          await proposalNotice.first().locator('a', { hasText: /^Accept$/ }).click();
          const created = await until('a new model file on disk', () => ['src/models/order_item.rs', 'src/models/order_items.rs'].find((r) => existsSync(file(r))), 30_000);
          await until('mod.rs to be saved with the new module', () => readFileSync(modRs, 'utf8') !== modBefore, 30_000);
          await until('the proposal notice to close', async () => (await proposalNotice.count()) === 0, 15_000);
          return created;
        },
      ],
      [
        'Undo this proposal (in the accept notice) deletes the created file and puts mod.rs back, byte for byte',
        async () => {
          const accepted = toasts(page, 'accepted — changed');
          await accepted.first().waitFor({ timeout: 15_000 });
          await shot('notice-accepted');
          await accepted.first().getByRole('button', { name: 'Undo this proposal' }).click();
          await until('the created file to be gone', () => !existsSync(file('src/models/order_item.rs')) && !existsSync(file('src/models/order_items.rs')), 30_000);
          await until('mod.rs to be as before', () => readFileSync(modRs, 'utf8') === modBefore, 15_000);
          await toasts(page, 'undid the proposal').first().waitFor({ timeout: 15_000 });
          await shot('notice-undone');
        },
      ],
      [
        'a proposal rejected from the title bar closes its notice too',
        async () => {
          await openFile(page, 'schema.rs');
          await runCommand(page, 'nocodo: Generate Diesel Model Struct…');
          await pickInQuickPick(page, 'order_items');
          await proposalNotice.first().waitFor({ timeout: 60_000 });
          await titleAction(page, 'Reject Proposed Change').click();
          await answerInputBox(page, 'not now');
          await until('the proposal notice to close', async () => (await proposalNotice.count()) === 0, 15_000);
          assert(readFileSync(modRs, 'utf8') === modBefore, 'mod.rs changed although the proposal was rejected');
        },
      ],
      [
        'the run inspector follows a model-made proposal: waiting → accepted (with Undo) → undone',
        async () => {
          await openFile(page, 'order.rs');
          await runCommand(page, 'nocodo: Generate Diesel Function…');
          await pickInQuickPick(page, 'Order');
          await answerInputBox(page, 'the orders of a customer, newest first');
          await proposalNotice.first().waitFor({ timeout: 120_000 });
          await page.locator('.part.activitybar a.action-label[aria-label="nocodo"]').click();
          await panel.getByRole('tab', { name: /^\s*Runs/ }).click();
          await panel.locator('button.card').first().click();
          const block = panel.locator('section.proposal');
          await block.getByText('waiting for review').waitFor({ timeout: 30_000 });
          await shot('inspector-pending');
          // Accepted elsewhere (the diff's title bar): the inspector must follow.
          await titleAction(page, 'Accept Proposed Change').click();
          await until('order.rs to change on disk', () => readFileSync(orderRs, 'utf8') !== orderBefore, 30_000);
          await block.getByText('accepted', { exact: true }).waitFor({ timeout: 30_000 });
          assert((await block.locator('vscode-button', { hasText: 'Accept' }).count()) === 0, 'Accept is still offered after the accept');
          await until('the proposal notice to close', async () => (await proposalNotice.count()) === 0, 15_000);
          await shot('inspector-accepted');
          await block.locator('vscode-button', { hasText: 'Undo this proposal' }).click();
          await block.getByText('undone', { exact: true }).waitFor({ timeout: 30_000 });
          await until('order.rs to be as before', () => readFileSync(orderRs, 'utf8') === orderBefore, 15_000);
          await shot('inspector-undone');
        },
      ],
      [
        'the server goes down: the next call that fails turns the status to "no model server" without a click',
        async () => {
          await model.close();
          model = undefined;
          await openFile(page, 'order.rs');
          await runCommand(page, 'nocodo: Generate Diesel Function…');
          await pickInQuickPick(page, 'Order');
          await answerInputBox(page, 'the orders with a given status');
          await until('the status item to say "no model server"', async () => /no model server/.test(await statusText()), 60_000);
          await shot('status-down-after-call');
        },
      ],
    ],
    () => shot('failure'),
  );
}

await runLayer({ layer: 'ux', artifacts, timeoutMs: Number(opts.timeout), results, cleanups, writeFileSync, join }, main);
