import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTargetDir } from '../../src/compile/paths';
import { startApp, type RunningApp } from '../../src/runApp';
import type { NocodoStore } from '../../src/store';
import { buildEpic, freshEpicApp, PLAN, type EpicApp } from '../fixtures/epic-app/scenario';
import type { ModelServer } from '../fixtures/model-server/server.mjs';

/**
 * From an approved epic to a running app, with the fixture model server replaying the messy
 * answers a small model gives: a fresh New App scaffold, the confirmed summary of a bakery's
 * customers, the Project Manager's epic, the Engineering Manager's shaping, then every task run
 * and accepted automatically (auto-run + "accept automatically when every check passes").
 */

let tmp = '';
let app = '';
let server: ModelServer;
let store: NocodoStore;
let fresh: EpicApp | undefined;
beforeAll(async () => {
  fresh = await freshEpicApp('nocodo-epic-app-');
  ({ tmp, app, server, store } = fresh);
}, 120_000);
afterAll(() => fresh?.close());

describe('from an approved epic to a running app', () => {
  it('the team builds every task of the epic on the New App scaffold, each accepted automatically', async () => {
    const { team, errors } = await buildEpic({ store, server, app });
    expect(errors).toEqual([]);
    expect(team.tasks().map((t) => [t.title, t.state])).toEqual(PLAN.tasks.map((t) => [t.title, 'done']));
    for (const t of team.tasks()) {
      expect(store.events.list(t.id).at(-1), t.title).toMatchObject({ to: 'done', by: 'system', why: 'Accepted automatically: every check passed.' });
      expect(store.comments.list(t.id).at(-1)!.body, t.title).toMatch(/^Accepted automatically: every check passed/);
    }
    // What the epic wrote: a migration, the table, the model with its functions, the routes, the client.
    const read = (rel: string) => readFileSync(path.join(app, rel), 'utf8');
    expect(read('backend/src/schema.rs')).toMatch(/customers \(id\) \{/);
    expect(read('backend/src/models/customers.rs')).toMatch(/pub fn create\([\s\S]*pub fn list_all\(/);
    expect(read('backend/src/handlers/mod.rs')).toMatch(/customers::create_customer/);
    expect(read('frontend/src/api/client.ts')).toMatch(/\/api\/customers/);
    // Model calls per task (the PM plans once, the EM shapes each task, the struct needs none).
    const calls = server.chatRequests().length;
    expect(calls).toBe(1 + PLAN.tasks.length + 2 + 2 + 1);
  }, 600_000);

  it('the app compiles and starts; a customer created over HTTP is listed, through the frontend too, and is a row in the SQLite file', async () => {
    // The frontend's packages from npm's cache (test-all warms it); the backend in the shared cargo folder.
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: path.join(app, 'frontend'), stdio: 'ignore' });
    const dbFile = path.join(tmp, 'bakery-data.sqlite');
    let running: RunningApp | undefined;
    const lines: string[] = [];
    try {
      running = await startApp({
        dir: app,
        timeoutMs: 25 * 60_000,
        env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir(), DATABASE_URL: dbFile },
        onLine: (part, line) => lines.push(`${part}: ${line}`),
      });
      const api = running.backendUrl;
      const created = await fetch(`${api}/api/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada Baker', phone: '555-0101' }) });
      expect(created.status).toBe(201);
      const customer = (await created.json()) as { id: number; name: string; phone: string | null };
      expect(customer).toMatchObject({ name: 'Ada Baker', phone: '555-0101' });
      expect(customer.id).toBeGreaterThan(0);
      const bad = await fetch(`${api}/api/customers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"phone":"1"}' });
      expect(bad.status).toBe(400);
      // Listed, by the backend and through Vite's proxy as the page calls it.
      // The list route as the generated client calls it (the handler mode names it from the function).
      const listPath = /request<Customer\[\]>\('GET', '([^']+)'\)/.exec(readFileSync(path.join(app, 'frontend/src/api/client.ts'), 'utf8'))?.[1];
      expect(listPath).toMatch(/^\/api\/customers/);
      const listed = (await (await fetch(`${api}${listPath!}`)).json()) as unknown[];
      expect(listed).toEqual([customer]);
      const proxied = (await (await fetch(`${running.appUrl.replace(/\/$/, '')}${listPath!}`)).json()) as unknown[];
      expect(proxied).toEqual([customer]);
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${lines.slice(-40).join('\n')}`);
    } finally {
      await running?.stop();
    }
    // The row is in the app's SQLite file (read by SQLite itself: the app writes through a WAL).
    const rows = execFileSync('python3', ['-c', 'import json,sqlite3,sys; print(json.dumps(sqlite3.connect(sys.argv[1]).execute("SELECT id, name, phone FROM customers").fetchall()))', dbFile], { encoding: 'utf8' });
    expect(JSON.parse(rows)).toEqual([[1, 'Ada Baker', '555-0101']]);
  }, 1_800_000);
});
