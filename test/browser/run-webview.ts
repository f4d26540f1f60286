// Headless-Chromium test of the BUILT team panel (dist/webview) under the production CSP, driven by a
// scripted host. Run: `node --import tsx test/browser/run-webview.ts` (add --no-build to skip the
// vite build). Prints `N passed, N failed` and exits non-zero on any failure.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { allowedTransitions, checkTransition } from '../../src/domain';
import type { Comment, Message, Task, TaskEvent } from '../../src/domain';
import { toBoardTasks } from '../../src/protocol/board';
import type { HostMessage, StateSnapshot } from '../../src/protocol/messages';
import { messages as fixtureMessages, snapshot, tasks as fixtureTasks } from '../webview/fixtures';
import { PAGE_INIT, ScriptedHost, serveWebview } from './webviewHost';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist', 'webview');
const artifacts = join(root, 'test', '.artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureBuilt(): Promise<void> {
  const main = join(dist, 'main.js');
  if (process.argv.includes('--no-build') && existsSync(main)) return;
  const sources = Math.max(newestMtime(join(root, 'webview')), newestMtime(join(root, 'src', 'protocol')), newestMtime(join(root, 'src', 'domain')));
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return;
  console.log('building the webview…');
  await build({ configFile: join(root, 'webview', 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
}

// ---------------------------------------------------------------- the scripted host's world

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Plain **words**';

class World {
  tasks: Task[] = structuredClone(fixtureTasks);
  // The hostile reply comes before the round of questions: anything from the team after a round closes it.
  messages: Message[] = (() => {
    const [first, ...rest] = structuredClone(fixtureMessages);
    return [first!, { id: 'msg_evil', sessionId: 'ses_1', author: 'product_owner', content: HOSTILE, createdAt: first!.createdAt + 500 }, ...rest];
  })();
  events: TaskEvent[] = [];
  comments: Comment[] = [];
  seq = 0;

  /** Tasks the user took over (the host derives it from their history). */
  yours = new Set<string>();

  boardTasks() {
    return toBoardTasks(this.tasks).map((t) => (this.yours.has(t.id) && t.state === 'in_progress' ? { ...t, progress: { status: 'yours' as const, workMs: 1_000, attempts: 1 } } : t));
  }

  snapshot(): StateSnapshot {
    return snapshot({ messages: this.messages, board: { epics: snapshot().board.epics, tasks: this.boardTasks() } });
  }

  detail(taskId: string): HostMessage {
    const task = this.boardTasks().find((t) => t.id === taskId);
    if (!task) throw new Error(`no task ${taskId}`);
    return { type: 'taskDetail', task, events: this.events.filter((e) => e.taskId === taskId), comments: this.comments.filter((c) => c.taskId === taskId), runs: [] };
  }
}

/** The host's behaviour: the parts of the real extension the panel talks to, minus the models. */
function script(host: ScriptedHost, world: World): void {
  host.onMessage = async (m) => {
    switch (m.type) {
      case 'ready':
        await host.reply(m.id);
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      case 'openTask':
        await host.reply(m.id);
        await host.send(world.detail(m.taskId));
        return;
      case 'moveTask': {
        const task = world.tasks.find((t) => t.id === m.taskId)!;
        checkTransition(task, { to: m.to, by: 'user', ...(m.why ? { why: m.why } : {}) });
        world.events.push({ id: `ev${++world.seq}`, taskId: task.id, from: task.state, to: m.to, by: 'user', at: Date.now(), ...(m.why ? { why: m.why } : {}) });
        task.state = m.to;
        await host.reply(m.id);
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      }
      case 'editTaskRequest': {
        const task = world.tasks.find((t) => t.id === m.taskId)!;
        world.comments.push({ id: `c${++world.seq}`, taskId: task.id, author: 'system', body: `You changed the request. It was:\n${task.request ?? task.description}`, createdAt: Date.now() });
        task.request = m.request;
        await host.reply(m.id);
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      }
      case 'takeOverTask': {
        const task = world.tasks.find((t) => t.id === m.taskId)!;
        checkTransition(task, { to: 'in_progress', by: 'user' });
        world.events.push({ id: `ev${++world.seq}`, taskId: task.id, from: task.state, to: 'in_progress', by: 'user', at: Date.now(), why: 'Taken over by you.' });
        task.state = 'in_progress';
        world.yours.add(task.id);
        await host.reply(m.id);
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      }
      case 'addComment':
        world.comments.push({ id: `c${++world.seq}`, taskId: m.taskId, author: 'user', body: m.body, createdAt: Date.now() });
        await host.reply(m.id);
        await host.send(world.detail(m.taskId));
        return;
      case 'answerQuestions': {
        const msg = world.messages.find((x) => x.id === m.messageId)!;
        msg.answers = m.answers;
        await host.reply(m.id);
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      }
      case 'sendChat':
        world.messages.push({ id: `u${++world.seq}`, sessionId: 'ses_1', author: 'user', content: m.text, createdAt: Date.now() });
        await host.send({ type: 'state', state: { ...world.snapshot(), busy: [{ requestId: m.id, label: 'The Product Owner is replying…' }] } });
        // The reply streams, then stalls: the test presses Stop, and the `cancel` handler answers.
        for (const part of ['Thanks! ', 'Bread and ', 'cakes then.']) await host.send({ type: 'streamDelta', requestId: m.id, author: 'product_owner', text: part });
        return;
      case 'cancel': {
        await host.send({ type: 'streamEnd', requestId: m.requestId });
        await host.send({ type: 'reply', id: m.requestId, ok: false, error: { code: 'cancelled', message: 'Stopped.' } });
        await host.send({ type: 'state', state: world.snapshot() });
        return;
      }
      case 'reportError':
        return;
      default:
        await host.reply(m.id);
    }
  };
}

// ---------------------------------------------------------------- a tiny runner

type Ctx = { page: Page; host: ScriptedHost; world: World; shot(name: string): Promise<void> };
const tests: { name: string; fn: (ctx: Ctx) => Promise<void> }[] = [];
const test = (name: string, fn: (ctx: Ctx) => Promise<void>) => tests.push({ name, fn });

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}
function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Reads `read` until it equals `expected` (the toolkit's components copy their `value` to the inner
 *  control on FAST's next update batch, not synchronously), or fails after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < until) {
    await new Promise((r) => setImmediate(r));
    last = await read();
  }
  assertEqual(last, expected, what);
}

// The steps share one page, in order, like a user's session.

test('loads under the strict CSP: toolkit components upgrade, codicons draw, nothing is blocked', async ({ page, shot }) => {
  await page.getByText('Who will use the app?').waitFor();
  const info = await page.evaluate(async () => {
    await document.fonts.ready;
    const btn = document.querySelector('vscode-button[appearance="primary"]') as HTMLElement | null;
    const inner = btn?.shadowRoot?.querySelector('button');
    return {
      defined: ['vscode-button', 'vscode-radio', 'vscode-radio-group', 'vscode-checkbox', 'vscode-text-area', 'vscode-text-field'].every((t) => !!customElements.get(t)),
      shadow: !!inner,
      adopted: (btn?.shadowRoot?.adoptedStyleSheets.length ?? 0) > 0,
      // The toolkit paints the host element; its colour comes from the design tokens FAST sets at runtime.
      innerBg: btn ? getComputedStyle(btn).backgroundColor : '',
      // Codicons are inline SVG (webview/src/icons.ts), drawn at the icon font's 16px.
      codicon: (() => {
        const svg = document.querySelector('.tabs .codicon > svg');
        const box = svg?.getBoundingClientRect();
        return !!box && Math.round(box.width) === 16 && Math.round(box.height) === 16 && !!svg?.querySelector('path');
      })(),
      width: document.documentElement.scrollWidth,
    };
  });
  assert(info.defined && info.shadow, 'toolkit components are not upgraded');
  assert(info.adopted, 'toolkit styles did not arrive through adoptedStyleSheets');
  assert(info.innerBg && info.innerBg !== 'rgba(0, 0, 0, 0)', `toolkit button has no background (${info.innerBg})`);
  assert(info.codicon, 'the codicons are not drawn (no 16px inline SVG icon)');
  assert(info.width <= 300, `the panel overflows 300px (${info.width}px wide)`);
  await shot('01-chat-loaded');
});

test('model output renders as text: no injected image or script runs', async ({ page }) => {
  const evil = page.locator('article.msg').filter({ hasText: 'Plain' });
  await evil.waitFor();
  assertEqual(await evil.locator('img, script').count(), 0, 'injected elements');
  assertEqual(await evil.locator('strong').textContent(), 'words', 'markdown bold');
  assertEqual(await page.evaluate(() => (window as { __pwned?: number }).__pwned ?? null), null, 'window.__pwned');
});

test('answers a radio and a checkbox question (mouse and keyboard) as structured answers', async ({ page, host, shot }) => {
  await page.getByRole('radio', { name: 'Staff and customers' }).click();
  await page.getByRole('checkbox', { name: 'Orders' }).click();
  const stock = page.getByRole('checkbox', { name: 'Stock' });
  await stock.focus();
  await page.keyboard.press('Space');
  await shot('02-questions-answered');
  const sent = host.waitFor('answerQuestions');
  await page.getByRole('button', { name: 'Send answers' }).click();
  const msg = await sent;
  assertEqual(msg.messageId, 'msg_q1', 'messageId');
  assertEqual(msg.answers, [{ questionId: 'q_users', selected: ['customers'] }, { questionId: 'q_data', selected: ['orders', 'stock'] }], 'answers');
  await page.getByText('Answers sent').waitFor();
  assert(await page.getByRole('radio', { name: 'Only shop staff (recommended)' }).isDisabled(), 'the radio is not locked after sending');
});

test('sends a chat message, shows the streamed reply, and Stop cancels that request', async ({ page, host, shot }) => {
  const box = page.getByRole('textbox', { name: 'Message to the team' });
  await box.fill('We also sell bread.');
  const sent = host.waitFor('sendChat');
  await box.press('Enter');
  const chat = await sent;
  assertEqual(chat.text, 'We also sell bread.', 'chat text');
  await page.locator('article.streaming').filter({ hasText: 'Thanks! Bread and cakes then.' }).waitFor();
  await shot('03-streaming');
  const cancel = host.waitFor('cancel');
  await page.getByRole('button', { name: 'Stop' }).click();
  assertEqual((await cancel).requestId, chat.id, 'cancelled request id');
  await page.getByRole('button', { name: 'Stop' }).waitFor({ state: 'detached' });
  await page.locator('article.msg.mine').filter({ hasText: 'We also sell bread.' }).waitFor();
});

test('moves a task on the board to a state the state machine allows', async ({ page, host, shot }) => {
  await page.getByRole('tab', { name: /Board/ }).click();
  await shot('04-board');
  const opened = host.waitFor('openTask');
  await page.getByRole('button', { name: /^Decide order statuses/ }).click();
  assertEqual((await opened).taskId, 't_draft', 'opened task');
  const offered = await page.locator('.move-buttons vscode-button').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')));
  assertEqual(offered, allowedTransitions('draft'), 'offered moves from draft');
  const moved = host.waitFor('moveTask');
  await page.getByRole('button', { name: 'Needs technical shaping' }).click();
  const move = await moved;
  assertEqual({ taskId: move.taskId, to: move.to }, { taskId: 't_draft', to: 'needs_technical_shaping' }, 'move');
  await page.locator('.state-chip').filter({ hasText: 'Needs technical shaping' }).waitFor();
  await page.getByText('Draft → Needs technical shaping').waitFor();
  const now = await page.locator('.move-buttons vscode-button').evaluateAll((els) => els.map((e) => e.getAttribute('data-to')));
  assertEqual(now, allowedTransitions('needs_technical_shaping'), 'offered moves after the move');
});

test('adds a comment to the task', async ({ page, host, shot }) => {
  const box = page.getByRole('textbox', { name: 'New comment' });
  await box.fill('Statuses: ordered, baked, collected.');
  const sent = host.waitFor('addComment');
  await page.getByRole('button', { name: 'Add comment' }).click();
  const msg = await sent;
  assertEqual({ taskId: msg.taskId, body: msg.body }, { taskId: 't_draft', body: 'Statuses: ordered, baked, collected.' }, 'comment');
  await page.locator('.comment').filter({ hasText: 'Statuses: ordered, baked, collected.' }).waitFor();
  await eventually(() => box.inputValue(), '', 'comment box after sending');
  await shot('05-task-comment');
});

test('ignores an invalid host message and reports it to the host', async ({ page, host }) => {
  const report = host.waitFor('reportError');
  await host.send({ type: 'state', state: { session: 'nope' } });
  await host.send({ type: 'runScript', code: 'alert(1)' });
  assert((await report).message.includes('state'), 'the report does not name the message');
  await page.locator('.detail-title').filter({ hasText: 'Decide order statuses' }).waitFor();
});

test('edits a task\'s request, takes the task over and marks it done', async ({ page, host, shot }) => {
  await page.getByRole('button', { name: 'Board' }).click();
  await page.getByRole('button', { name: /^Insert an order/ }).click();
  await page.locator('.detail-title').filter({ hasText: 'Insert an order' }).waitFor();
  await page.getByRole('button', { name: 'Edit request' }).click();
  const box = page.getByRole('textbox', { name: 'The request for the specialist' });
  await box.fill('Insert the order; refuse an empty customer name.');
  const edited = host.waitFor('editTaskRequest');
  await page.getByRole('button', { name: 'Save request' }).click();
  assertEqual(await edited.then((e) => [e.taskId, e.request]), ['t_ready', 'Insert the order; refuse an empty customer name.'], 'edited request');
  await page.locator('pre.task-request').filter({ hasText: 'refuse an empty customer name' }).waitFor();
  await page.locator('.comment').filter({ hasText: 'You changed the request.' }).waitFor();

  const taken = host.waitFor('takeOverTask');
  await page.getByRole('button', { name: 'Take it over' }).click();
  assertEqual((await taken).taskId, 't_ready', 'task taken over');
  await page.getByText('You took this task over: do it by hand, then mark it done.').waitFor();
  assertEqual(await page.getByRole('button', { name: 'Edit request' }).count(), 0, 'Edit request offered on a task the user took over');
  await shot('07-taken-over');
  const done = host.waitFor('moveTask');
  await page.getByRole('button', { name: 'Mark done' }).click();
  const move = await done;
  assertEqual({ taskId: move.taskId, to: move.to }, { taskId: 't_ready', to: 'done' }, 'mark done');
  await page.locator('.state-chip').filter({ hasText: 'Done' }).waitFor();
});

test('every message the page sent was valid, and the page raised no errors', async ({ page, host, shot }) => {
  await page.getByRole('tab', { name: /Runs/ }).click();
  await page.getByText('Waiting for your review').waitFor();
  await shot('06-runs');
  assertEqual(host.invalid, [], 'invalid messages from the page');
  assertEqual(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp), [], 'CSP violations');
});

async function main(): Promise<number> {
  await ensureBuilt();
  mkdirSync(artifacts, { recursive: true });
  const server = await serveWebview(dist);
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    // A typical sidebar: 300px wide.
    const page = await browser.newPage({ viewport: { width: 300, height: 760 } });
    page.setDefaultTimeout(10_000);
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    const host = new ScriptedHost(page);
    const world = new World();
    await host.attach();
    script(host, world);
    await page.addInitScript(PAGE_INIT);
    await page.goto(`${server.origin}/`);
    const ctx: Ctx = { page, host, world, shot: (name) => page.screenshot({ path: join(artifacts, `webview-${name}.png`), fullPage: true }).then(() => undefined) };

    let broken = false;
    for (const t of [...tests, { name: 'no page errors or console errors', fn: async () => assertEqual(pageErrors, [], 'page errors') }]) {
      if (broken) {
        failed++;
        console.log(`✗ ${t.name} (skipped: an earlier step failed)`);
        continue;
      }
      try {
        await t.fn(ctx);
        passed++;
        console.log(`✓ ${t.name}`);
      } catch (e) {
        failed++;
        broken = true;
        console.log(`✗ ${t.name}\n    ${e instanceof Error ? e.message : String(e)}`);
        if (pageErrors.length) console.log(`    page errors:\n      ${pageErrors.join('\n      ')}`);
        await ctx.shot(`failure`).catch(() => undefined);
      }
    }
  } catch (e) {
    failed++;
    console.log(`✗ setup: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    await browser?.close();
    await server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
