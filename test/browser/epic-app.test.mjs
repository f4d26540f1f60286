#!/usr/bin/env node
// From a description to a running app, in a real workbench (code-server + headless Chromium, the
// extension loaded from this checkout) with the fixture model server replaying the messy answers
// a small model gives (test/fixtures/epic-app/answers.ts, shared with the cargo layer):
//
//   an empty folder → "Create a new app here" (New App) → "A bakery that takes pickup orders:
//   customers, products, orders with items" → the Product Owner's questions, answered → the
//   summary, confirmed → the Project Manager's epic and the Engineering Manager's shaping on the
//   board → "Accept automatically when every check passes" → every task done by itself (auto-run;
//   each change checked with cargo check or tsc) → nocodo: Run App (cargo run + vite) → in a
//   second Chromium page, the generated UI: a customer, a pickup order, a product and the order's
//   item created through its forms and seen in its lists → the four rows in the app's SQLite file
//   (sqlite3) → nocodo: Stop App.
//
// cargo builds into the machine's shared build folder (NOCODO_CARGO_TARGET_DIR, default
// ~/.cache/nocodo/cargo-target), which .ci/run warms with New App's dependencies.
//
//   node --import tsx test/browser/epic-app.test.mjs [--no-build] [--keep] [--timeout <ms>]
//
// Screenshots: test/.artifacts/epic-app-*.png. Counts and step timings: test/.artifacts/epic-app.json.
// The last line is `N passed, N failed`.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, ensureCodeServer, exitGuards, makeScratch, payloadUrl, repoRoot, run, startCodeServer } from '../../scripts/lib/codeServer.mjs';
import { keepLogsOnFailure } from '../../scripts/lib/codeServerLogs.mjs';
import { APP_NAME, BAKERY_PLAN, FIRST_MESSAGE, QUESTIONS, script } from '../fixtures/epic-app/answers.ts';
import { startModelServer } from '../fixtures/model-server/server.mjs';
import { answerInputBox, assert, runCommand, runLayer, runSteps, toasts, until } from './lib/steps.mjs';

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.NOCODO_EPIC_APP_TIMEOUT ?? String(55 * 60_000) },
  },
});

const EXTENSION_ID = 'nocodo.nocodo';
const artifacts = join(repoRoot, 'test', '.artifacts');
const log = (...a) => console.log('[epic-app]', ...a);
const results = [];
const { cleanups, hardKills } = exitGuards();
const TASKS = BAKERY_PLAN.tasks.length;
const CUSTOMER = { name: 'Ada Baker', phone: '555-0101' };
const ORDER = { pickup: '2026-12-24', notes: 'Two sourdough loaves' };
const PRODUCT = { name: 'Sourdough loaf', priceCents: 650 };
const ITEM = { quantity: 2 };

// Generous bounds for a loaded 2-core machine: the first cargo check or build of a fresh app
// compiles its own crate; the dependencies come from the shared build folder.
const EPIC_TIMEOUT_MS = 30 * 60_000;
const APP_START_TIMEOUT_MS = 20 * 60_000;

/** The machine's cargo and rustup (the scratch HOME would hide them) and its shared build folder. */
function cargoEnv() {
  const home = homedir();
  const target = process.env.NOCODO_CARGO_TARGET_DIR || join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'nocodo', 'cargo-target');
  return {
    CARGO_HOME: process.env.CARGO_HOME || join(home, '.cargo'),
    RUSTUP_HOME: process.env.RUSTUP_HOME || join(home, '.rustup'),
    NOCODO_CARGO_TARGET_DIR: target,
    CARGO_TARGET_DIR: target,
  };
}

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (!opts['no-build']) run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const entry = ensureCodeServer();

  const model = await startModelServer({ script: script({ plan: BAKERY_PLAN, appName: APP_NAME, productOwner: true }) });
  cleanups.push(() => model.close());
  log(`fixture model server at ${model.baseUrl}`);

  const scratch = makeScratch('nocodo-epic-app-');
  cleanups.push(() => (opts.keep ? log(`kept ${scratch.dir}`) : scratch.remove()));
  // Run App's programs live in their own process groups, so a workbench killed in the middle (a
  // failed step) leaves them: whatever still runs in the app's folder goes after code-server.
  cleanups.push(() => {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (readlinkSync(`/proc/${pid}/cwd`).startsWith(scratch.dir)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone, or not ours to read
      }
    }
  });
  // An empty folder: the Team panel offers New App there.
  const folder = scratch.path('workspace/bakery-pickup');
  const identity = { GIT_AUTHOR_NAME: 'Baker', GIT_AUTHOR_EMAIL: 'baker@example.invalid', GIT_COMMITTER_NAME: 'Baker', GIT_COMMITTER_EMAIL: 'baker@example.invalid' };
  const cs = await startCodeServer({
    entry,
    scratch,
    folder,
    userSettings: { 'nocodo.team.autoRun': true },
    env: { EXTENSIONS_GALLERY: '{}', LLAMA_CPP_BASE_URL: model.baseUrl, ...identity, ...cargoEnv() },
  });
  hardKills.push(() => cs.proc.killNow());
  cleanups.push(() => cs.proc.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const consoleTail = [];
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    consoleTail.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    if (consoleTail.length > 30) consoleTail.shift();
  });
  const shot = (name, p = page) => p.screenshot({ path: join(artifacts, `epic-app-${name}.png`) }).catch(() => undefined);
  cleanups.push(() => shot('final'));
  // A failed run keeps code-server's logs in test/.artifacts/epic-app-logs/ and prints their tails.
  cleanups.push(keepLogsOnFailure({ name: 'epic-app', cs, page, failed: () => results.some((r) => !r.ok) }));

  const panel = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
  const composer = panel.getByRole('textbox', { name: 'Message to the team' });
  const tab = (name) => panel.getByRole('tab', { name: new RegExp(`^\\s*${name}`) });
  const column = (label) => panel.locator('section.column').filter({ has: panel.locator('.column-title', { hasText: new RegExp(`^${label}$`) }) });
  const epicRow = panel.locator('li.epic').filter({ hasText: BAKERY_PLAN.epic });
  const errorNotices = async () => (await panel.locator('.notice-error .notice-text').allInnerTexts()).join(' | ');
  const chats = () => model.chatRequests();

  /** What the board says about each task that is not done, for a failure message. */
  async function boardState() {
    const counts = await epicRow.locator('.epic-counts').innerText().catch(() => '?');
    const cols = [];
    for (const label of ['Ready', 'In progress', 'Needs shaping', 'Draft']) {
      const titles = await column(label).locator('.card-title').allInnerTexts().catch(() => []);
      if (titles.length) cols.push(`${label}: ${titles.join(', ')}`);
    }
    return `${counts}${cols.length ? `; ${cols.join('; ')}` : ''}`;
  }

  const diagnose = async () => {
    log(`console (latest):\n  ${consoleTail.join('\n  ')}`);
    if (pageErrors.length) log(`page errors:\n  ${pageErrors.slice(-5).join('\n  ')}`);
    const unscripted = chats().filter((r) => r.state !== 'done');
    if (unscripted.length) log(`model requests not answered: ${unscripted.map((r) => JSON.stringify(r.body.messages.at(-1)?.content ?? '').slice(0, 300)).join('\n  ')}`);
    log(`board: ${await boardState()}`);
  };

  let app; // { url, api }
  let appPage;
  const sqlite = (sql) => {
    const backend = join(folder, 'backend');
    const db = readdirSync(backend).find((f) => f.endsWith('.sqlite'));
    assert(db, `no .sqlite file in ${backend}: ${readdirSync(backend).join(', ')}`);
    return execFileSync('sqlite3', ['-json', join(backend, db), sql], { encoding: 'utf8' }).trim();
  };

  await runSteps(
    results,
    log,
    [
      [
        'the workbench loads with nocodo on an empty folder, and the Team panel offers to create a new app there',
        async () => {
          await page.goto(payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot }));
          await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 120_000 });
          // Nothing in an empty folder activates nocodo: opening its view does.
          await page.locator('.part.activitybar a.action-label[aria-label="nocodo"]').click({ timeout: 60_000 });
          await panel.getByText('This folder is empty.', { exact: false }).waitFor({ timeout: 60_000 });
        },
      ],
      [
        'New App: named "Bakery Pickup", it writes backend/ and frontend/ with a first commit (the frontend packages installed from npm\'s cache)',
        async () => {
          await panel.getByTestId('new-app').click();
          await answerInputBox(page, APP_NAME);
          await toasts(page, `Created ${APP_NAME}`).first().waitFor({ timeout: 120_000 });
          for (const rel of ['backend/Cargo.toml', 'backend/src/main.rs', 'frontend/package.json', 'frontend/src/App.tsx', 'README.md']) assert(existsSync(join(folder, rel)), `New App did not write ${rel}`);
          const commits = execFileSync('git', ['log', '--oneline'], { cwd: folder, encoding: 'utf8' }).trim().split('\n');
          assert(commits.length === 1, `git log: ${commits.join(' | ')}`);
          // As the app's README says: install the frontend's packages (the checks' tsc needs them).
          execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: join(folder, 'frontend'), stdio: 'ignore', env: { ...process.env, npm_config_cache: scratch.env.npm_config_cache } });
          await shot('new-app');
        },
      ],
      [
        "the description is sent; the Product Owner's questions come back as widgets, and are answered",
        async () => {
          await composer.fill(FIRST_MESSAGE);
          await panel.getByRole('button', { name: 'Send' }).click();
          const reply = panel.locator('article.msg-product_owner:not(.streaming)').filter({ hasText: QUESTIONS.reflection });
          await reply.waitFor({ timeout: 60_000 });
          const form = reply.getByRole('form', { name: 'Questions from the Product Owner' });
          await form.getByText(QUESTIONS.who).waitFor();
          await form.getByText(QUESTIONS.record).waitFor();
          await form.getByRole('radio', { name: `${QUESTIONS.whoOptions[0]} (recommended)` }).click();
          await form.getByRole('checkbox', { name: 'Pickup date' }).click();
          await form.getByRole('checkbox', { name: 'Notes' }).click();
          await shot('questions');
          await form.getByRole('button', { name: 'Send answers' }).click();
          await panel.locator('article.msg.mine').filter({ hasText: `${QUESTIONS.who} → ${QUESTIONS.whoOptions[0]}` }).waitFor({ timeout: 30_000 });
        },
      ],
      [
        "the Product Owner's summary shows the bakery's data (customers, products, orders with items), and is confirmed",
        async () => {
          const card = panel.getByRole('region', { name: 'Product summary' });
          await card.waitFor({ timeout: 90_000 });
          await card.locator('h3', { hasText: APP_NAME }).waitFor();
          const text = (await card.innerText()).replace(/\s+/g, ' ');
          for (const want of ['Customer:', 'Product:', 'OrderItem:', 'pickup date (date)', 'Every order belongs to one customer']) assert(text.includes(want), `the summary lacks "${want}": ${text}`);
          await shot('summary');
          await card.getByRole('button', { name: 'Confirm summary' }).click();
        },
      ],
      [
        `the Project Manager plans the epic as ${TASKS} tasks and the Engineering Manager shapes every one ready to build`,
        async () => {
          await panel.locator('article.msg-project_manager').filter({ hasText: `I planned "${BAKERY_PLAN.epic}" as ${TASKS} tasks` }).waitFor({ timeout: 120_000 });
          await panel.locator('article.msg-engineering_manager').filter({ hasText: 'Shaped the tasks:' }).waitFor({ timeout: 180_000 });
          const shaped = await panel.locator('article.msg-engineering_manager').filter({ hasText: 'Shaped the tasks:' }).last().innerText();
          assert(shaped.includes(`${TASKS} ready to build`), `the Engineering Manager said: ${shaped}`);
          const errors = await errorNotices();
          assert(!errors, `error notices: ${errors}`);
        },
      ],
      [
        'the board shows the epic with its tasks; "Accept automatically when every check passes" is turned on',
        async () => {
          await tab('Board').click();
          await epicRow.waitFor({ timeout: 30_000 });
          const cards = await panel.locator('button.card .card-title').allInnerTexts();
          for (const t of BAKERY_PLAN.tasks) assert(cards.some((c) => c.includes(t.title)), `no card for "${t.title}" (cards: ${cards.join(', ')})`);
          const box = epicRow.locator('vscode-checkbox.auto-accept');
          await box.click();
          await until('the auto-accept box to be checked', async () => (await box.getAttribute('aria-checked')) === 'true' || (await box.evaluate((el) => el.checked === true)), 15_000);
          await shot('board-start');
        },
      ],
      [
        `every task is built and accepted by itself: ${TASKS} of ${TASKS} done, none failed`,
        async () => {
          const started = Date.now();
          let last = '';
          await until(
            `"${TASKS} of ${TASKS} done"`,
            async () => {
              const counts = (await epicRow.locator('.epic-counts').innerText().catch(() => '')).trim();
              if (counts !== last) {
                last = counts;
                log(`  ${Math.round((Date.now() - started) / 1000)} s: ${counts}`);
              }
              if (/failed/.test(counts)) throw new Error(`a task failed: ${await boardState()}`);
              return counts.startsWith(`${TASKS} of ${TASKS} done`);
            },
            EPIC_TIMEOUT_MS,
          ).catch(async (e) => {
            throw new Error(`${e.message}; board: ${await boardState()}`);
          });
          assert((await column('Done').locator('button.card').count()) === TASKS, `Done holds ${await column('Done').locator('button.card').count()} cards`);
          const unanswered = chats().filter((r) => r.state !== 'done');
          assert(unanswered.length === 0, `${unanswered.length} model requests had no scripted answer`);
          await shot('board-done');
          return `${Math.round((Date.now() - started) / 1000)} s from auto-accept to the last task done; ${chats().length} model requests`;
        },
      ],
      [
        'every automatic accept passed its checks: cargo check for the Rust tasks, tsc for the pages',
        async () => {
          // A card's detail shows its comments; the last comment of each task records the decision.
          const checks = [];
          for (const [title, want] of [
            ['Add an order', 'validation and cargo check'],
            ['Order list endpoint', 'validation and cargo check'],
            ['New order form', 'validation and tsc'],
          ]) {
            await column('Done').locator('button.card').filter({ has: panel.locator('.card-title', { hasText: new RegExp(`^${title}$`) }) }).click();
            const said = panel.getByText(`Accepted automatically: every check passed (${want})`, { exact: false }).first();
            await said.waitFor({ timeout: 20_000 });
            checks.push(`${title}: ${want}`);
            await panel.locator('.detail-nav vscode-button', { hasText: 'Board' }).click();
            await panel.locator('.board .columns').waitFor();
          }
          return checks.join('; ');
        },
      ],
      [
        'nocodo: Run App builds and starts the generated app (cargo run + vite), and says where it runs',
        async () => {
          const started = Date.now();
          // Earlier notices out of the way: the step ends at the first error notification (a
          // failed build names the file and the task), not at the timeout.
          await runCommand(page, 'Notifications: Clear All Notifications');
          await runCommand(page, 'nocodo: Run App');
          const said = toasts(page, 'The app runs at');
          const failed = page.locator('.notifications-toasts .notification-toast').filter({ has: page.locator('.codicon-error') });
          await said.or(failed).first().waitFor({ timeout: APP_START_TIMEOUT_MS }).catch(async (e) => {
            throw new Error(`${e.message}; notices: ${(await toasts(page, '').allInnerTexts().catch(() => [])).join(' | ')}`);
          });
          if (!(await said.count())) throw new Error(`Run App failed: ${(await failed.first().innerText()).replace(/\s+/g, ' ')}`);
          const text = await said.first().innerText();
          const m = /The app runs at (http:\/\/\S+?) \(API (http:\/\/\S+?)\)/.exec(text);
          assert(m, `the notice says: ${text}`);
          app = { url: m[1], api: m[2] };
          const health = await fetch(`${app.api}/api/health`);
          assert(health.ok, `GET /api/health answered ${health.status}`);
          await shot('running');
          return `${Math.round((Date.now() - started) / 1000)} s from Run App to the app answering (${app.url})`;
        },
      ],
      [
        'in the generated UI, a customer created through its form is listed',
        async () => {
          appPage = await browser.newPage({ viewport: { width: 1200, height: 800 } });
          appPage.setDefaultTimeout(30_000);
          await appPage.goto(app.url);
          await appPage.getByRole('link', { name: 'New customer' }).click();
          await appPage.getByRole('heading', { name: 'New customer' }).waitFor();
          await appPage.getByLabel('Name').fill(CUSTOMER.name);
          await appPage.getByLabel('Phone').fill(CUSTOMER.phone);
          await appPage.getByRole('button', { name: 'Save' }).click();
          await appPage.waitForURL(/\/customers$/);
          const row = appPage.getByRole('row').filter({ hasText: CUSTOMER.name });
          await row.waitFor();
          assert((await row.innerText()).includes(CUSTOMER.phone), `the row says: ${await row.innerText()}`);
          await shot('customers', appPage);
        },
      ],
      [
        'in the generated UI, a pickup order for that customer created through its form is listed',
        async () => {
          const id = JSON.parse(sqlite(`SELECT id FROM customers WHERE name = '${CUSTOMER.name}'`))[0].id;
          await appPage.getByRole('link', { name: 'New order', exact: true }).click();
          await appPage.getByRole('heading', { name: 'New pickup order' }).waitFor();
          await appPage.getByLabel('Customer id').fill(String(id));
          await appPage.getByLabel('Pickup date').fill(ORDER.pickup);
          await appPage.getByLabel('Notes').fill(ORDER.notes);
          await appPage.getByRole('button', { name: 'Save' }).click();
          await appPage.waitForURL(/\/orders$/);
          const row = appPage.getByRole('row').filter({ hasText: ORDER.notes });
          await row.waitFor();
          const text = await row.innerText();
          assert(text.includes(ORDER.pickup) && text.includes(String(id)), `the row says: ${text}`);
          await shot('orders', appPage);
        },
      ],
      [
        'in the generated UI, a product created through its form is listed',
        async () => {
          await appPage.getByRole('link', { name: 'New product' }).click();
          await appPage.getByRole('heading', { name: 'New product' }).waitFor();
          await appPage.getByLabel('Name').fill(PRODUCT.name);
          await appPage.getByLabel('Price (cents)').fill(String(PRODUCT.priceCents));
          await appPage.getByRole('button', { name: 'Save' }).click();
          await appPage.waitForURL(/\/products$/);
          const row = appPage.getByRole('row').filter({ hasText: PRODUCT.name });
          await row.waitFor();
          assert((await row.innerText()).includes(String(PRODUCT.priceCents)), `the row says: ${await row.innerText()}`);
          await shot('products', appPage);
        },
      ],
      [
        'in the generated UI, the product is added to the order as an item, and the item is listed',
        async () => {
          const order = JSON.parse(sqlite(`SELECT id FROM orders WHERE notes = '${ORDER.notes}'`))[0].id;
          const product = JSON.parse(sqlite(`SELECT id FROM products WHERE name = '${PRODUCT.name}'`))[0].id;
          await appPage.getByRole('link', { name: 'New order item' }).click();
          await appPage.getByRole('heading', { name: 'Add a product to an order' }).waitFor();
          await appPage.getByLabel('Order id').fill(String(order));
          await appPage.getByLabel('Product id').fill(String(product));
          await appPage.getByLabel('Quantity').fill(String(ITEM.quantity));
          await appPage.getByRole('button', { name: 'Save' }).click();
          await appPage.waitForURL(/\/order-items$/);
          const rows = appPage.getByRole('row').filter({ has: appPage.getByRole('cell') });
          await rows.first().waitFor();
          const cells = (await rows.first().getByRole('cell').allInnerTexts()).map((c) => c.trim());
          assert(JSON.stringify(cells) === JSON.stringify([String(order), String(product), String(ITEM.quantity)]), `the item row says: ${cells.join(' | ')}`);
          await shot('order-items', appPage);
        },
      ],
      [
        "the rows are in the app's SQLite file",
        async () => {
          const customers = JSON.parse(sqlite('SELECT id, name, phone FROM customers'));
          assert(JSON.stringify(customers) === JSON.stringify([{ id: 1, name: CUSTOMER.name, phone: CUSTOMER.phone }]), `customers: ${JSON.stringify(customers)}`);
          const orders = JSON.parse(sqlite('SELECT id, customer_id, pickup_date, notes FROM orders'));
          assert(JSON.stringify(orders) === JSON.stringify([{ id: 1, customer_id: 1, pickup_date: ORDER.pickup, notes: ORDER.notes }]), `orders: ${JSON.stringify(orders)}`);
          const products = JSON.parse(sqlite('SELECT id, name, price_cents FROM products'));
          assert(JSON.stringify(products) === JSON.stringify([{ id: 1, name: PRODUCT.name, price_cents: PRODUCT.priceCents }]), `products: ${JSON.stringify(products)}`);
          const items = JSON.parse(sqlite('SELECT id, order_id, product_id, quantity FROM order_items'));
          assert(JSON.stringify(items) === JSON.stringify([{ id: 1, order_id: 1, product_id: 1, quantity: ITEM.quantity }]), `order_items: ${JSON.stringify(items)}`);
        },
      ],
      [
        'nocodo: Stop App stops both parts',
        async () => {
          await appPage?.close();
          await runCommand(page, 'nocodo: Stop App');
          await until('the backend to stop answering', async () => !(await fetch(`${app.api}/api/health`).then(() => true, () => false)), 30_000);
          await until('the frontend to stop answering', async () => !(await fetch(app.url).then(() => true, () => false)), 30_000);
        },
      ],
    ],
    diagnose,
  );
  const timings = results.map((r) => `${String(Math.round(r.ms / 1000)).padStart(5)} s  ${r.name}`).join('\n');
  log(`timings:\n${timings}`);
}

await runLayer({ layer: 'epic-app', artifacts, timeoutMs: Number(opts.timeout), results, cleanups, writeFileSync, join }, main);
