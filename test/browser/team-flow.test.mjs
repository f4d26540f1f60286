#!/usr/bin/env node
// The whole product the way a user meets it, in a real workbench (code-server + headless Chromium,
// the extension loaded from this checkout, a scratch copy of the bakery sample as the workspace)
// against the fixture model server with a scripted team (test/fixtures/team-flow/script.json):
//
//   first message → the Product Owner's reply streams in with question widgets → a radio and two
//   checkboxes → answers sent → summary card → confirm → the board fills (Project Manager's tasks,
//   shaped by the Engineering Manager) → a comment on a task → Run on the ready backend task →
//   the proposal diff opens in the editor → Accept in its title bar → the task is Done.
//   Then Stop: a reply that never starts, Stop, the model server sees the connection closed, and
//   the panel carries on. Back in the first app, a new request after the summary: the Product Owner
//   asks about it, and the Project Manager's new epic shows on the board.
//
// Every check reads the visible DOM (the webview is two nested iframes) or the workspace files,
// plus, at the end, what the model server received.
//
//   node test/browser/team-flow.test.mjs [--no-build] [--keep] [--timeout <ms>]
//
// Screenshots: test/.artifacts/team-flow-*.png. Counts: test/.artifacts/team-flow.json. The last
// line is `N passed, N failed`; every planned step is counted (steps after a failed one count as
// failed), and the exit code is non-zero when anything failed.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM, CHROMIUM_ARGS, copySampleProject, ensureCodeServer, makeScratch, payloadUrl, repoRoot, run, startCodeServer, exitGuards } from '../../scripts/lib/codeServer.mjs';
import { keepLogsOnFailure } from '../../scripts/lib/codeServerLogs.mjs';
import { requestHasSchema, startModelServer } from '../fixtures/model-server/server.mjs';
import { assert, runSteps as runStepsInto, until } from './lib/steps.mjs';

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: process.env.NOCODO_SKIP_BUILD === '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: process.env.NOCODO_TEAM_FLOW_TIMEOUT ?? '480000' },
  },
});

const EXTENSION_ID = 'nocodo.nocodo';
const artifacts = join(repoRoot, 'test', '.artifacts');
const scriptFile = join(repoRoot, 'test', 'fixtures', 'team-flow', 'script.json');
const log = (...a) => console.log('[team-flow]', ...a);

// What the user types, and the markers of the agents' system prompts (prompts/team, prompts/diesel).
const FIRST_MESSAGE = 'I run a bakery and need to track cake orders';
const COMMENT = 'Include the orders of every status, cancelled ones too.';
const STOP_MESSAGE = 'We also sell bread to cafés and need a price list';
/** A request for the first app once its summary is confirmed and its tasks are on the board. */
const REQUEST_MESSAGE = 'Customers should leave a review of their cake order';
/** The backend task the Engineering Manager shapes for diesel-model-fn (Order::list_for_customer). */
const FN_TASK = 'Orders of a customer';
const AGENTS = [
  ['po', 'You are the Product Owner of a small team'],
  ['summary', 'Write the product summary'],
  ['pm', 'You are the Project Manager'],
  ['em', 'You are the Engineering Manager'],
  ['diesel-fn', 'You write ONE Rust function'],
];

const results = [];
const { cleanups, hardKills } = exitGuards();

/** Runs the steps in order; once one fails, the rest are counted as failed without running. */
const runSteps = (steps, onFailure) => runStepsInto(results, log, steps, onFailure);

const textOf = (m) => (typeof m?.content === 'string' ? m.content : Array.isArray(m?.content) ? m.content.map((p) => p?.text ?? '').join('') : '');
const systemOf = (r) => r.body.messages.filter((m) => m.role === 'system').map(textOf).join('\n');
const lastUserOf = (r) => textOf(r.body.messages.filter((m) => m.role === 'user').at(-1));
const agentOf = (r) => AGENTS.find(([, marker]) => systemOf(r).includes(marker))?.[0] ?? 'unknown';

async function main() {
  mkdirSync(artifacts, { recursive: true });
  if (!opts['no-build']) run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')]);
  const entry = ensureCodeServer();

  // In process (not the CLI) so the test can see what the server received and when a client hung up.
  const model = await startModelServer({ script: JSON.parse(readFileSync(scriptFile, 'utf8')) });
  cleanups.push(() => model.close());
  log(`fixture model server at ${model.baseUrl}`);
  const chats = () => model.chatRequests();

  const scratch = makeScratch('nocodo-team-flow-');
  cleanups.push(() => (opts.keep ? log(`kept ${scratch.dir}`) : scratch.remove()));
  const { dest: folder, placeholder } = copySampleProject(scratch.path('workspace/bakery'));
  if (placeholder) throw new Error('test/fixtures/bakery is missing');
  const orderRs = join(folder, 'src', 'models', 'order.rs');
  const orderBefore = readFileSync(orderRs, 'utf8');
  // The project is a git repository, as a user's would be: the accepted change becomes a commit.
  const git = (...args) => execFileSync('git', args, { cwd: folder, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Baker', GIT_AUTHOR_EMAIL: 'baker@example.invalid', GIT_COMMITTER_NAME: 'Baker', GIT_COMMITTER_EMAIL: 'baker@example.invalid' } });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'bakery');

  const cs = await startCodeServer({ entry, scratch, folder, env: { EXTENSIONS_GALLERY: '{}', LLAMA_CPP_BASE_URL: model.baseUrl } });
  hardKills.push(() => cs.proc.killNow());
  cleanups.push(() => cs.proc.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // What the workbench and the webview said lately, printed when a step fails.
  const consoleTail = [];
  const panelWarnings = [];
  page.on('console', (m) => {
    if (m.text().startsWith('nocodo:')) panelWarnings.push(m.text().slice(0, 300));
    if (m.type() !== 'error' && m.type() !== 'warning' && !/service worker|webview/i.test(m.text())) return;
    consoleTail.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    if (consoleTail.length > 30) consoleTail.shift();
  });
  const diagnose = async () => {
    log(`frames: ${page.frames().map((f) => `${f.name() || '-'} ${f.url().slice(0, 120)}`).join('\n  ')}`);
    log(`console (latest):\n  ${consoleTail.join('\n  ')}`);
    if (pageErrors.length) log(`page errors:\n  ${pageErrors.slice(-5).join('\n  ')}`);
  };
  const shot = (name) => page.screenshot({ path: join(artifacts, `team-flow-${name}.png`) }).catch(() => undefined);
  cleanups.push(() => shot('final'));
  // A failed run keeps code-server's logs in test/.artifacts/team-flow-logs/ and prints their tails.
  cleanups.push(keepLogsOnFailure({ name: 'team-flow', cs, page, failed: () => results.some((r) => !r.ok) }));

  // The team panel: the view's iframe, then the page inside it.
  const panel = page.frameLocator(`iframe.webview.ready[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('#active-frame');
  const composer = panel.getByRole('textbox', { name: 'Message to the team' });
  const stopButton = panel.getByRole('button', { name: 'Stop' });
  const tab = (name) => panel.getByRole('tab', { name: new RegExp(`^\\s*${name}`) });
  const column = (label) => panel.locator('section.column').filter({ has: panel.locator('.column-title', { hasText: new RegExp(`^${label}$`) }) });
  const card = (title) => panel.locator('button.card').filter({ has: panel.locator('.card-title', { hasText: title }) });
  const proposedTab = page.locator('.tabs-container .tab', { hasText: '(proposed)' });
  const titleAction = (title) => page.locator(`.editor-group-container.active .editor-actions a.action-label[aria-label^="${title}"]`);
  const errorNotices = async () => (await panel.locator('.notice-error .notice-text').allInnerTexts()).join(' | ');

  /** Whether `el` lies fully inside the visible part of the scrolling `box`. */
  async function inView(el, box) {
    const [a, b] = [await el.boundingBox(), await box.boundingBox()];
    return !!a && !!b && a.y >= b.y - 1 && a.y + a.height <= b.y + b.height + 1;
  }

  async function send(text) {
    await composer.fill(text);
    await panel.getByRole('button', { name: 'Send' }).click();
  }

  /** Back to the board's columns (a task detail may be open). */
  async function showBoard() {
    await tab('Board').click();
    const back = panel.locator('.detail-nav vscode-button', { hasText: 'Board' });
    if (await back.isVisible()) await back.click();
    await panel.locator('.board .columns').waitFor();
  }


  await runSteps([
    [
      'the workbench loads with nocodo, and its status item says the model server is ready',
      async () => {
        await page.goto(payloadUrl({ url: cs.url, port: cs.port, folder, extensionDevelopmentPath: repoRoot }));
        await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
        const item = page.locator(`.part.statusbar [id="${EXTENSION_ID}.nocodo.modelServer"]`);
        await item.waitFor({ timeout: 90_000 });
        await until('the status item to read "nocodo"', async () => (await item.innerText()).trim() === 'nocodo', 30_000);
      },
    ],
    [
      'the team panel opens on its empty state',
      async () => {
        await page.locator('.part.activitybar a.action-label[aria-label="nocodo"]').click();
        await panel.getByText('Describe the app you need', { exact: false }).first().waitFor({ timeout: 60_000 });
        await composer.waitFor();
        // The panel's console reaches this test (the last step relies on it).
        await panel.locator('body').evaluate(() => console.warn('nocodo: probe'));
        await until("the panel's console message", () => panelWarnings.includes('nocodo: probe'), 5_000);
        panelWarnings.splice(panelWarnings.indexOf('nocodo: probe'), 1);
      },
    ],
    [
      "the first message is sent and the Product Owner's reply streams in as words, not JSON",
      async () => {
        await send(FIRST_MESSAGE);
        await panel.locator('article.msg.mine').filter({ hasText: FIRST_MESSAGE }).waitFor();
        const streaming = panel.locator('article.msg.streaming.msg-product_owner');
        await streaming.filter({ hasText: 'You want to keep track' }).waitFor({ timeout: 30_000 });
        await stopButton.waitFor({ timeout: 5_000 });
        const streamedText = await streaming.innerText();
        assert(!/[{}]|"reflection"|"questions"/.test(streamedText), `the streamed reply shows raw JSON: ${JSON.stringify(streamedText)}`);
        await shot('streaming');
        return `${streamedText.length} characters seen while streaming`;
      },
    ],
    [
      'the question widgets show: radios for the single choice, checkboxes for the multiple choice',
      async () => {
        const reply = panel.locator('article.msg-product_owner:not(.streaming)').filter({ hasText: 'You want to keep track of the cake orders your bakery takes.' });
        await reply.waitFor({ timeout: 30_000 });
        const form = reply.getByRole('form', { name: 'Questions from the Product Owner' });
        await form.getByText('Who will use the app?').waitFor();
        await form.getByText('What should an order record?').waitFor();
        const radios = await form.getByRole('radio').allInnerTexts();
        const boxes = await form.getByRole('checkbox').allInnerTexts();
        const norm = (l) => l.map((s) => s.replace(/\s+/g, ' ').trim());
        assert(JSON.stringify(norm(radios)) === JSON.stringify(['Only bakery staff (recommended)', 'Staff and customers', 'Other…']), `radios: ${JSON.stringify(norm(radios))}`);
        assert(
          JSON.stringify(norm(boxes)) === JSON.stringify(['Customer (recommended)', 'Cake and quantity', 'Pickup date', 'Price paid', 'Other…']),
          `checkboxes: ${JSON.stringify(norm(boxes))}`,
        );
        await stopButton.waitFor({ state: 'detached', timeout: 10_000 });
      },
    ],
    [
      'a radio option and two checkboxes are chosen and the answers are sent',
      async () => {
        await panel.getByRole('radio', { name: 'Staff and customers' }).click();
        await panel.getByRole('checkbox', { name: 'Cake and quantity' }).click();
        await panel.getByRole('checkbox', { name: 'Pickup date' }).click();
        assert((await panel.getByRole('radio', { name: 'Staff and customers' }).getAttribute('aria-checked')) === 'true', 'the radio is not checked');
        await shot('answers');
        await panel.getByRole('button', { name: 'Send answers' }).click();
        await panel.getByText('Answers sent').waitFor({ timeout: 15_000 });
        await panel.locator('article.msg.mine').filter({ hasText: 'Who will use the app? → Staff and customers' }).filter({ hasText: 'Cake and quantity; Pickup date' }).waitFor();
        assert(await panel.getByRole('radio', { name: 'Only bakery staff (recommended)' }).isDisabled(), 'the questions are not locked after sending');
      },
    ],
    [
      'the summary card appears, ready to confirm',
      async () => {
        const summaryCard = panel.getByRole('region', { name: 'Product summary' });
        await summaryCard.waitFor({ timeout: 60_000 });
        await summaryCard.locator('h3', { hasText: 'Cake Orders' }).waitFor();
        const text = (await summaryCard.innerText()).replace(/\s+/g, ' ');
        for (const want of ['Who uses it', 'Staff', 'What it keeps track of', 'phone (text, optional)', 'Customers see the list of their orders, newest first', 'Every order belongs to one customer']) {
          assert(text.includes(want), `the summary card lacks "${want}": ${text}`);
        }
        await summaryCard.getByRole('button', { name: 'Confirm summary' }).waitFor();
        await summaryCard.scrollIntoViewIfNeeded();
        await shot('chat');
        const errors = await errorNotices();
        assert(!errors, `error notices: ${errors}`);
      },
    ],
    [
      'confirming the summary: the Project Manager plans and the Engineering Manager shapes',
      async () => {
        await panel.getByRole('button', { name: 'Confirm summary' }).click();
        await panel.locator('article.msg-project_manager').filter({ hasText: 'I planned "Cake Orders" as 3 tasks' }).waitFor({ timeout: 60_000 });
        await panel.locator('article.msg-engineering_manager').filter({ hasText: 'Shaped the tasks: 2 ready to build, 1 left to you' }).waitFor({ timeout: 60_000 });
        await panel.getByRole('region', { name: 'Product summary' }).getByText('Confirmed').waitFor();
        await stopButton.waitFor({ state: 'detached', timeout: 15_000 });
        // The chat follows the team's replies: the newest message is in view without scrolling.
        await until('the newest message to be scrolled into view', () => inView(panel.locator('article.msg-engineering_manager').last(), panel.locator('.chat-list')), 5_000);
        await shot('chat-planned');
      },
    ],
    [
      'the board shows the tasks in their states',
      async () => {
        await showBoard();
        await column('Ready').locator('button.card').nth(1).waitFor();
        const ready = await column('Ready').locator('.card-title').allInnerTexts();
        const withUser = await column('Stays with you').locator('.card-title').allInnerTexts();
        assert(JSON.stringify([...ready].sort()) === JSON.stringify(['Order item record', 'Orders of a customer']), `Ready: ${JSON.stringify(ready)}`);
        assert(JSON.stringify(withUser) === JSON.stringify(['Customer orders screen']), `Stays with you: ${JSON.stringify(withUser)}`);
        assert((await column('Needs technical shaping').locator('button.card').count()) === 0, 'a task is still waiting for shaping');
        assert((await column('Done').locator('button.card').count()) === 0, 'a task is already done');
        const fnCard = await card(FN_TASK).innerText();
        assert(/Backend Engineer/.test(fnCard) && /Diesel model function/.test(fnCard), `the backend card: ${fnCard}`);
        assert(/Diesel model structs/.test(await card('Order item record').innerText()), 'the record task has no struct mode');
        assert(/stays with you/.test(await card('Customer orders screen').innerText()), 'the screen task does not say it stays with the user');
        await shot('board');
      },
    ],
    [
      'a comment on the backend task shows in its thread',
      async () => {
        await card(FN_TASK).click();
        await panel.locator('.detail-title', { hasText: FN_TASK }).waitFor();
        await panel.locator('.state-chip', { hasText: 'Ready' }).waitFor();
        await panel.getByText('table: orders · struct: Order · function: list_for_customer').waitFor();
        await panel.getByRole('textbox', { name: 'New comment' }).fill(COMMENT);
        await panel.getByRole('button', { name: 'Add comment' }).click();
        await panel.locator('.comment').filter({ hasText: COMMENT }).waitFor({ timeout: 15_000 });
        assert((await panel.locator('.comment').filter({ hasText: COMMENT }).innerText()).includes('You'), 'the comment is not marked as yours');
        assert((await panel.getByRole('textbox', { name: 'New comment' }).inputValue()) === '', 'the comment box was not cleared');
        await shot('task-comment');
      },
    ],
    [
      'Run on the ready backend task opens the proposal diff in the editor',
      async () => {
        await panel.getByRole('button', { name: 'Run' }).click();
        await proposedTab.first().waitFor({ timeout: 60_000 });
        const title = await proposedTab.first().innerText();
        assert(title.includes('src/models/order.rs'), `the proposal tab is "${title}"`);
        const diff = page.locator('.editor-group-container.active .monaco-diff-editor');
        await diff.waitFor({ timeout: 15_000 });
        // Monaco renders spaces as no-break spaces.
        const modified = async () => (await diff.locator('.editor.modified .view-lines').innerText()).replace(/\u00a0/g, ' ');
        await until('the proposed side to show list_for_customer', async () => (await modified()).includes('pub fn list_for_customer('), 15_000);
        const proposed = await modified();
        assert(!/<think>|```|Here is the function/.test(proposed), 'the proposal carries the model\'s chatter (think block, fence or prose)');
        await titleAction('Accept Proposed Change').waitFor({ timeout: 15_000 });
        // The run is over: nothing is left to stop while the user reviews.
        await stopButton.waitFor({ state: 'detached', timeout: 10_000 });
        await panel.getByRole('region', { name: /^Proposed change: / }).getByText('waiting for review').waitFor();
        await shot('diff');
        return title.replace(/\s+/g, ' ').trim();
      },
    ],
    [
      'Accept in the diff editor title bar writes order.rs and closes the diff',
      async () => {
        await titleAction('Accept Proposed Change').click();
        const text = await until('order.rs to change on disk', () => {
          const t = readFileSync(orderRs, 'utf8');
          return t !== orderBefore ? t : undefined;
        }, 30_000);
        assert(/pub fn list_for_customer\(conn: &mut PgConnection, customer_id: i32\) -> QueryResult<Vec<Order>>/.test(text), 'order.rs has no list_for_customer');
        assert(!/<think>|```/.test(text), 'order.rs has model chatter in it');
        assert(text.includes('pub fn create(conn: &mut PgConnection, new_order: &NewOrder)'), 'the existing functions of order.rs were lost');
        await until('the proposal tab to close', async () => (await proposedTab.count()) === 0, 15_000);
        return `${text.length - orderBefore.length} characters added`;
      },
    ],
    [
      'the backend task ends up Done on the board',
      async () => {
        await showBoard();
        await column('Done').locator('button.card').filter({ hasText: FN_TASK }).waitFor({ timeout: 30_000 });
        const ready = await column('Ready').locator('.card-title').allInnerTexts();
        assert(JSON.stringify(ready) === JSON.stringify(['Order item record']), `Ready after the run: ${JSON.stringify(ready)}`);
        assert((await column('In progress').locator('button.card').count()) === 0, 'a task is still in progress');
        const errors = await errorNotices();
        assert(!errors, `error notices: ${errors}`);
        await shot('done');
      },
    ],
    [
      "the accepted change is a git commit of order.rs alone, and the task's Commits list shows it",
      async () => {
        const body = await until('the commit of the accepted change', () => {
          const b = git('log', '-1', '--format=%B');
          return b.includes('Nocodo-Task: ') ? b : undefined;
        }, 30_000);
        assert(/^diesel-model-fn: /.test(body), `commit subject: ${body.split('\n')[0]}`);
        const files = git('show', '--name-only', '--format=', 'HEAD').trim();
        assert(files === 'src/models/order.rs', `committed files: ${files}`);
        const short = git('rev-parse', '--short', 'HEAD').trim();
        await showBoard();
        await column('Done').locator('button.card').filter({ hasText: FN_TASK }).click();
        const commits = panel.locator('section[aria-labelledby="task-commits"]');
        await commits.locator('code.hash', { hasText: short }).waitFor({ timeout: 20_000 });
        await commits.getByRole('button', { name: 'src/models/order.rs' }).waitFor();
        await shot('commits');
        await showBoard();
        return `commit ${short}`;
      },
    ],
    [
      'the model server received the expected requests, in order',
      async () => {
        const reqs = chats();
        const kinds = reqs.map(agentOf);
        const want = ['po', 'po', 'summary', 'pm', 'em', 'em', 'em', 'diesel-fn'];
        assert(JSON.stringify(kinds) === JSON.stringify(want), `requests: ${JSON.stringify(kinds)}`);
        const bad = reqs.filter((r) => r.state !== 'done' || !r.reply);
        assert(bad.length === 0, `unanswered or unscripted requests: ${bad.map((r) => `${agentOf(r)}:${r.state}`).join(', ')}`);
        const [po1, po2, summary, pm, em1, em2, em3, fn] = reqs;
        assert(lastUserOf(po1).includes(`Customer: ${FIRST_MESSAGE}`), 'the first PO request lacks the first message');
        assert(/Who will use the app\? → Staff and customers\s+What should an order record\? → Cake and quantity; Pickup date/.test(lastUserOf(po2)), 'the answers did not reach the Product Owner as chosen');
        assert(lastUserOf(summary).includes('Cake and quantity; Pickup date'), 'the summary request lacks the answers');
        assert(lastUserOf(pm).includes('App: Cake Orders'), 'the Project Manager did not get the confirmed summary');
        assert(['Task: Order item record', 'Task: Orders of a customer', 'Task: Customer orders screen'].every((t, i) => lastUserOf([em1, em2, em3][i]).startsWith(t)), 'the Engineering Manager did not shape the tasks in order');
        for (const r of [po1, po2, summary, pm, em1, em2, em3]) assert(requestHasSchema(r.body), `${agentOf(r)} did not ask for structured output`);
        const fnPrompt = JSON.stringify(fn.body.messages);
        assert(fnPrompt.includes('list_for_customer'), 'the specialist was not asked for list_for_customer');
        assert(fnPrompt.includes(COMMENT), "the user's comment did not reach the specialist");
        return `${reqs.length} chat requests`;
      },
    ],
    [
      'Stop cancels a reply that has not started: the model server sees the connection closed',
      async () => {
        await tab('Chat').click();
        await panel.getByRole('button', { name: 'Start a new app' }).click();
        await panel.getByRole('button', { name: 'Start', exact: true }).click();
        await panel.getByText('Describe the app you need').first().waitFor({ timeout: 15_000 });
        const before = chats().length;
        await send(STOP_MESSAGE);
        const slow = await until('the slow Product Owner request to arrive', () => chats().slice(before).find((r) => agentOf(r) === 'po' && lastUserOf(r).includes('price list')), 30_000);
        await stopButton.waitFor({ timeout: 10_000 });
        assert(slow.state === 'open', `the slow request is ${slow.state} before Stop`);
        await shot('before-stop');
        await stopButton.click();
        await until('the model server to see the connection closed', () => slow.state === 'client-closed', 15_000);
        await stopButton.waitFor({ state: 'detached', timeout: 15_000 });
        return `closed ${Date.now() - slow.startedAt} ms after it was sent`;
      },
    ],
    [
      'after Stop the panel is usable again: the message stays, no error, the next message is answered',
      async () => {
        await panel.locator('article.msg.mine').filter({ hasText: STOP_MESSAGE }).waitFor();
        assert((await panel.locator('article.msg.streaming').count()) === 0, 'a reply is still shown as streaming');
        const errors = await errorNotices();
        assert(!errors, `error notices after Stop: ${errors}`);
        await send('Please go on.');
        await panel.getByRole('form', { name: 'Questions from the Product Owner' }).getByText('Who reads the price list?').waitFor({ timeout: 30_000 });
        const last = chats().at(-1);
        assert(last && last.state === 'done' && lastUserOf(last).includes('Customer: Please go on.'), 'the follow-up request did not reach the Product Owner');
        await stopButton.waitFor({ state: 'detached', timeout: 10_000 });
        await shot('after-stop');
      },
    ],
    [
      'the first app is still there: switching back shows its chat and its board',
      async () => {
        await tab('Chat').click();
        const picker = panel.getByRole('combobox', { name: 'Switch to another app' });
        await picker.waitFor({ timeout: 10_000 });
        const options = await picker.locator('option').allTextContents();
        assert(options.includes('Cake Orders') && options.length === 2, `the app picker offers: ${options.join(', ')}`);
        await picker.selectOption({ label: 'Cake Orders' });
        await panel.getByText('Here is what I understood').first().waitFor({ timeout: 15_000 });
        await tab('Board').click();
        await panel.getByText('Orders of a customer').first().waitFor({ timeout: 15_000 });
        await shot('switched-back');
      },
    ],
    [
      'a new request after the summary: the Product Owner asks about it, and the Project Manager adds its epic to the board',
      async () => {
        await tab('Chat').click();
        const hint = await composer.evaluate((el) => el.placeholder);
        assert(hint === 'Ask for a change or a new feature…', `the composer says: ${hint}`);
        await send(REQUEST_MESSAGE);
        const asked = panel.locator('article.msg-product_owner').filter({ hasText: 'You want customers to review the cakes they ordered.' });
        const form = asked.getByRole('form', { name: 'Questions from the Product Owner' });
        await form.getByText('What should a review hold?').waitFor({ timeout: 60_000 });
        await form.getByRole('radio', { name: 'A rating and a comment (recommended)' }).click();
        await form.getByRole('button', { name: 'Send answers' }).click();
        await panel.locator('article.msg-product_owner').filter({ hasText: 'Here is the change I understood' }).filter({ hasText: 'New data: Review (rating, comment)' }).waitFor({ timeout: 60_000 });
        await panel.locator('article.msg-project_manager').filter({ hasText: 'I added "Reviews" to the board as 2 tasks' }).waitFor({ timeout: 60_000 });
        await stopButton.waitFor({ state: 'detached', timeout: 60_000 });
        assert((await panel.locator('article.msg.sending').count()) === 0, 'the request is still shown as being sent');
        const errors = await errorNotices();
        assert(!errors, `error notices: ${errors}`);
        await shot('new-request-chat');
        await showBoard();
        await card('Review record').waitFor({ timeout: 15_000 });
        await card('Review form').waitFor({ timeout: 15_000 });
        // The first epic's tasks are still there, next to the new ones.
        await column('Done').locator('button.card').filter({ hasText: FN_TASK }).waitFor();
        await shot('new-request-board');
      },
    ],
    [
      'the panel found nothing invalid in what the host sent it',
      async () => {
        assert(panelWarnings.length === 0, `the panel logged: ${panelWarnings.join(' | ')}`);
      },
    ],
  ], diagnose);
  log(`uncaught page errors: ${pageErrors.length}${pageErrors.length ? `\n  ${pageErrors.slice(-5).join('\n  ')}` : ''}`);
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
  console.error('[team-flow] crashed:', error);
  results.push({ name: 'the test itself', ok: false, error });
}
await finish();

async function finish(forced) {
  // Last registered first: the final screenshot, the browser, code-server, then the scratch dir.
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve().then(c).catch(() => undefined);
  const failed = results.filter((r) => !r.ok);
  const summary = { layer: 'team-flow', passed: results.length - failed.length, failed: failed.length, failures: failed.map((f) => ({ title: f.name, error: f.error })), results };
  writeFileSync(join(artifacts, 'team-flow.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`${summary.passed} passed, ${summary.failed} failed`);
  process.exit(forced ?? (failed.length || results.length === 0 ? 1 : 0));
}
