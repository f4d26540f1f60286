// Steps and workbench gestures shared by the browser layers (code-server + headless Chromium).

/** Polls `probe` until it returns something truthy (an event seen from outside), or fails after `timeoutMs`. */
export async function until(what, probe, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (${last.message ?? last})` : ''}`);
}

export function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Runs named steps in order into `results`; once one fails, the rest are counted as failed
 * without running (they depend on it).
 */
export async function runSteps(results, log, steps, onFailure = async () => undefined) {
  let broken;
  for (const [name, fn] of steps) {
    const started = Date.now();
    if (broken) {
      results.push({ name, ok: false, ms: 0, error: `not run: "${broken}" failed` });
      log(`SKIP ${name}`);
      continue;
    }
    try {
      const detail = await fn();
      results.push({ name, ok: true, ms: Date.now() - started });
      log(`ok   ${name}${detail ? ` (${detail})` : ''}`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      results.push({ name, ok: false, ms: Date.now() - started, error });
      log(`FAIL ${name}: ${error}`);
      broken = name;
      await onFailure(name).catch(() => undefined);
    }
  }
}

const quickInput = (page) => page.locator('.quick-input-widget .quick-input-box input');

/** Runs a command through the command palette (F1), picking the entry whose label matches. */
export async function runCommand(page, label) {
  await page.keyboard.press('F1');
  await quickInput(page).waitFor({ timeout: 15_000 });
  await quickInput(page).fill(`>${label}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Opens a workspace file by name through Quick Open. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await quickInput(page).waitFor({ timeout: 15_000 });
  await quickInput(page).fill(name);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 15_000 });
}

/** Picks `label` in the quick pick a command opened. */
export async function pickInQuickPick(page, label) {
  await quickInput(page).waitFor({ timeout: 30_000 });
  await quickInput(page).fill(label);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Types into the input box a command opened, and confirms. */
export async function answerInputBox(page, text) {
  await quickInput(page).waitFor({ timeout: 30_000 });
  await quickInput(page).fill(text);
  await page.keyboard.press('Enter');
}

/** An action of the active editor's title bar (Accept / Reject Proposed Change). */
export const titleAction = (page, title) => page.locator(`.editor-group-container.active .editor-actions a.action-label[aria-label^="${title}"]`);

/** Notification toasts whose text contains `text`. */
export const toasts = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text });

/**
 * Runs a browser layer's `main` under an overall deadline, then the cleanups (last registered
 * first), writes test/.artifacts/<layer>.json and prints `N passed, N failed`; exits non-zero
 * when anything failed or nothing ran.
 */
export async function runLayer({ layer, artifacts, timeoutMs, results, cleanups, writeFileSync, join }, main) {
  const finish = async (forced) => {
    for (const c of cleanups.splice(0).reverse()) await Promise.resolve().then(c).catch(() => undefined);
    const failed = results.filter((r) => !r.ok);
    const summary = { layer, passed: results.length - failed.length, failed: failed.length, failures: failed.map((f) => ({ title: f.name, error: f.error })), results };
    writeFileSync(join(artifacts, `${layer}.json`), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`${summary.passed} passed, ${summary.failed} failed`);
    process.exit(forced ?? (failed.length || results.length === 0 ? 1 : 0));
  };
  const deadline = setTimeout(() => {
    results.push({ name: 'overall timeout', ok: false, error: `still running after ${timeoutMs} ms` });
    void finish(1);
  }, timeoutMs);
  deadline.unref();
  try {
    await main();
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    console.error(`[${layer}] crashed:`, error);
    results.push({ name: 'the test itself', ok: false, error });
  }
  await finish();
}
