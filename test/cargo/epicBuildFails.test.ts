import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompileChecker } from '../../src/compile';
import { sharedTargetDir } from '../../src/compile/paths';
import { epicProgress, taskProgress } from '../../src/protocol';
import type { NocodoStore } from '../../src/store';
import { buildEpic, freshEpicApp, PLAN, type EpicApp } from '../fixtures/epic-app/scenario';
import type { ModelServer } from '../fixtures/model-server/server.mjs';

/**
 * The customers' epic on a fresh New App scaffold, auto-run and "accept automatically when every
 * check passes" on, with the real `cargo check` of each Rust change (in the scaffold's backend/
 * crate). One specialist answer compiles with nocodo's own checks but not with rustc, on the
 * first try and after the re-ask: the build fails. The failing task is named, what waits for it
 * is stopped with a comment, and nothing of it reaches the app, which still builds.
 */

let app = '';
let server: ModelServer;
let store: NocodoStore;
let fresh: EpicApp | undefined;
const cacheDir = mkdtempSync(path.join(tmpdir(), 'nocodo-epic-fail-cargo-'));
const checker = createCompileChecker({ cacheDir, targetDirFor: () => sharedTargetDir(), maxCacheBytes: Infinity, timeoutMs: 1_500_000 });
beforeAll(async () => {
  fresh = await freshEpicApp('nocodo-epic-fail-');
  ({ app, server, store } = fresh);
}, 120_000);
afterAll(async () => {
  await checker.dispose();
  await fresh?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** A text column compared with a number: nocodo's checks let it through, rustc does not (E0277). */
const WONT_BUILD = '```rust\npub fn list_all(conn: &mut SqliteConnection) -> QueryResult<Vec<Customer>> {\n    customers::table.filter(customers::name.eq(7)).select(Customer::as_select()).load(conn)\n}\n```';

describe('a failing build under auto-accept', () => {
  it('names the failing task, stops what needs it, and leaves nothing half-applied: the app still builds', async () => {
    const { team, epic, errors } = await buildEpic({
      store,
      server,
      app,
      compile: () => ({ checker, setting: 'on' }),
      // The first answer and the re-ask's (which carries rustc's errors) for "List customers".
      rules: [{ match: { system: 'You write ONE Rust function', anyMessage: 'Return every customer' }, reply: { content: WONT_BUILD } }],
    });
    expect(errors).toEqual([]);
    const byTitle = new Map(team.tasks().map((t) => [t.title, t]));
    const failing = byTitle.get('List customers')!;
    const waiting = byTitle.get('Customer list endpoint')!;
    expect(team.tasks().map((t) => [t.title, t.state])).toEqual(PLAN.tasks.map((t) => [t.title, t.title === failing.title || t.title === waiting.title ? 'ready' : 'done']));

    // Both runs were refused by rustc (the build, not nocodo's own checks), and the re-ask carried its error.
    const runs = store.runs.list({ taskId: failing.id }).filter((r) => r.mode === 'diesel-model-fn');
    expect(runs).toHaveLength(2);
    for (const r of runs) expect(r.compile, r.compile?.output).toMatchObject({ ran: true, ok: false });
    expect(runs[0]!.compile!.errors[0]).toMatchObject({ code: 'E0277', file: 'backend/src/models/customers.rs' });
    const asked = server.chatRequests().filter((r) => JSON.stringify(r.body.messages).includes('Return every customer'));
    expect(asked).toHaveLength(2);
    expect(JSON.stringify(asked[1]!.body.messages).includes('E0277'), 'the re-ask carries rustc’s error').toBe(true);

    // The failing task is named: on itself, on the task that needs it, and in the epic's progress.
    const said = store.comments.list(failing.id).at(-1)!;
    expect(said.author).toBe('backend');
    expect(said.body).toMatch(/^The diesel-model-fn run produced no usable change\.\n- The model's function failed the checks twice \(after being told what was wrong\), so nothing was written: - rustc: error\[E0277\]/);
    expect(store.comments.list(waiting.id).at(-1)!.body).toBe(
      'Stopped: "List customers" failed (The run produced no usable change), and this task needs it. Retry "List customers", edit its request, or take it over; this task can run once it is done.',
    );
    const now = Date.now();
    const progress = team.tasks().map((t) => ({ ...t, progress: taskProgress(t, store.events.list(t.id), false, now) }));
    expect(progress.find((t) => t.id === failing.id)!.progress).toMatchObject({ status: 'failed', attempts: 1 });
    expect(epicProgress([epic], progress)[0]).toMatchObject({ total: 6, done: 4, failed: 1, todo: 1, running: 0, review: 0 });

    // Nothing half-applied: no proposal of the failing task, none of its code (nor its handler) on disk.
    expect(store.proposals.list({ taskId: failing.id })).toEqual([]);
    expect(store.proposals.pending()).toEqual([]);
    const read = (rel: string) => readFileSync(path.join(app, rel), 'utf8');
    expect(read('backend/src/models/customers.rs')).toMatch(/pub fn create\(/);
    expect(read('backend/src/models/customers.rs')).not.toMatch(/list_all/);
    expect(read('backend/src/handlers/customers.rs')).toMatch(/create_customer/);
    expect(read('backend/src/handlers/customers.rs')).not.toMatch(/list_customers/);
    expect(read('frontend/src/api/client.ts')).not.toMatch(/listCustomers/);
    // The app as it is on disk builds (the shadow checks never touched it).
    execFileSync('cargo', ['check', '--locked', '--quiet'], { cwd: path.join(app, 'backend'), env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir() }, stdio: 'pipe' });
  }, 1_800_000);
});
