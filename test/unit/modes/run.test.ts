import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initRustParser } from '../../../src/rust';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { createDieselSchemaMode } from '../../../modes/diesel-schema';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';
import { wrap } from '../../fixtures/model-server/messy.mjs';
import { bakeryFs } from './helpers';
import { firstAndReask } from '../../helpers/fixtureModel';

let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterEach(() => {
  server.setScript([]);
  server.requests.splice(0);
});
afterAll(() => server.close());

const client = (baseUrl = server.baseUrl) => {
  const config = resolveLlmConfig({ baseUrl, maxRetries: 0 }, {});
  config.timeouts = { connectMs: 5000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };
  return createModelClient({ config, retryDelayMs: 1 });
};

const BAD_FN = 'pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n    orders::table\n        .filter(orders::state.eq(status))\n        .count()\n        .get_result(conn)\n}';
const GOOD_FN = BAD_FN.replace('orders::state', 'orders::status');
/** First answer, then the answer to the re-ask. */
const script = (first: string, second: string): Rule[] => firstAndReask(first, second);

describe('diesel-model-fn run() over HTTP', () => {
  it('re-asks once with the diagnostics and the previous answer, then proposes the fixed function', async () => {
    server.setScript(script(wrap.think(wrap.fence(BAD_FN, 'rust')), wrap.proseAndFence(GOOD_FN, 'rs')));
    const input = { project: bakeryFs(), struct: 'Order', request: 'Count the orders with a given status.', taskId: 'task_1' };
    const r = await dieselModelFnMode.run(input, { client: client() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.deterministic).toBe(false);

    const [req1, req2] = server.chatRequests();
    const n = req1!.body.messages.length;
    expect(req1!.body.temperature).toBe(0.1);
    // The re-ask is the same conversation, then the answer and the problems.
    expect(req2!.body.messages.slice(0, n)).toEqual(req1!.body.messages);
    expect(req2!.body.messages).toHaveLength(n + 2);
    expect(req2!.body.messages[n]).toMatchObject({ role: 'assistant' });
    expect(req2!.body.messages[n].content).toContain('orders::state');
    expect(req2!.body.messages[n + 1].content).toMatch(/`orders::state` does not exist[\s\S]*Did you mean `orders::status`\?/);

    expect(r.runs).toHaveLength(2);
    expect(r.runs[0]).toMatchObject({ outcome: 'invalid', mode: 'diesel-model-fn', taskId: 'task_1' });
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toContain('unknown-column');
    expect(r.runs[0]!.extracted).toContain('orders::state');
    expect(r.runs[1]).toMatchObject({ outcome: 'ok', parentRunId: r.runs[0]!.id });
    expect(r.runs[1]!.extracted).toBe(r.code);
    expect(r.diagnostics.map((d) => d.code)).toContain('fixed-after-reask');

    const [file] = r.changeSet!.files;
    expect(file!.path).toBe('src/models/order.rs');
    expect(file!.proposed).toBe(applyOps(file!.original!, file!.ops).text);
    expect(file!.proposed).toMatch(/ {4}pub fn count_by_status\(conn: &mut PgConnection, status: &str\) -> QueryResult<i64> \{\n {8}orders::table\n/);
    expect(r.changeSet!.summary).toBe('Add `Order::count_by_status` to src/models/order.rs');
    expect(r.prompt.stablePrefixChars).toBe(req1!.body.messages.slice(0, -1).reduce((k: number, m: { content: string }) => k + m.content.length, 0));
    expect(r.timings.modelMs).toBeGreaterThan(0);
    expect(r.timings.totalMs).toBeGreaterThanOrEqual(r.timings.modelMs);
  });

  it('a second bad answer ends in a clear error and no change set', async () => {
    server.setScript(script(BAD_FN, BAD_FN.replace('orders::table', 'bookings::table')));
    const r = await dieselModelFnMode.run({ project: bakeryFs(), struct: 'Order', request: 'Count the orders with a given status.' }, { client: client() });
    expect(r.ok).toBe(false);
    expect(r.changeSet).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-answer' });
    expect(r.diagnostics[0]!.message).toMatch(/`bookings` is not a table/);
    expect(r.runs.map((x) => x.outcome)).toEqual(['invalid', 'invalid']);
  });

  it('a function name that already exists in the impl is sent back as a duplicate', async () => {
    const find = GOOD_FN.replace('count_by_status', 'find');
    server.setScript(script(find, GOOD_FN));
    const r = await dieselModelFnMode.run({ project: bakeryFs(), struct: 'Order', request: 'Count the orders with a status.' }, { client: client() });
    expect(r.ok).toBe(true);
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toContain('duplicate-fn');
  });

  it('the server down: one error naming the URL, the failed run kept', async () => {
    const down = await startModelServer();
    const url = down.baseUrl;
    await down.close();
    const r = await dieselModelFnMode.run({ project: bakeryFs(), struct: 'Order', request: 'Count orders.' }, { client: client(url) });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.at(-1)).toMatchObject({ code: 'model-unreachable' });
    expect(r.diagnostics.at(-1)!.message).toContain(url);
    expect(r.runs[0]?.outcome).toBe('error');
  });
});

describe('diesel-schema run() over HTTP', () => {
  const mode = createDieselSchemaMode(() => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
  const DELIVERIES = 'diesel::table! {\n    deliveries (id) {\n        id -> Int4,\n        order_id -> Int4,\n        address -> Text,\n        planned_on -> Date,\n        delivered_at -> Nullable<Timestamp>,\n        created_at -> Timestamp,\n    }\n}';

  it('writes table!, joinable!, the allow list and the migration; re-asks for an unknown SQL type', async () => {
    const bad = DELIVERIES.replace('planned_on -> Date', 'planned_on -> Datetime');
    server.setScript(script(wrap.prose(bad), wrap.fence(DELIVERIES, 'rust')));
    const r = await mode.run({ project: bakeryFs(), request: 'Deliveries for orders: address, planned day, when delivered.' }, { client: client() });
    expect(r.ok).toBe(true);
    expect(r.runs[0]!.diagnostics.find((d) => d.code === 'unknown-sql-type')!.message).toMatch(/`Datetime` is a MySQL type/);
    const files = Object.fromEntries(r.changeSet!.files.map((f) => [f.path, f]));
    expect(Object.keys(files)).toEqual(['src/schema.rs', 'migrations/2026-01-02-030405_create_deliveries/up.sql', 'migrations/2026-01-02-030405_create_deliveries/down.sql']);
    const schema = files['src/schema.rs']!.proposed;
    expect(schema).toContain(`${DELIVERIES}\n\ndiesel::joinable!(order_items -> orders`);
    expect(schema).toContain('diesel::joinable!(orders -> customers (customer_id));\ndiesel::joinable!(deliveries -> orders (order_id));');
    expect(schema).toContain('allow_tables_to_appear_in_same_query!(customers, order_items, orders, products, deliveries,);');
    expect(files['migrations/2026-01-02-030405_create_deliveries/up.sql']!.proposed).toBe(
      'CREATE TABLE deliveries (\n    id SERIAL PRIMARY KEY,\n    order_id INTEGER NOT NULL,\n    address TEXT NOT NULL,\n    planned_on DATE NOT NULL,\n    delivered_at TIMESTAMP,\n    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    FOREIGN KEY (order_id) REFERENCES orders (id)\n);\n',
    );
    expect(files['migrations/2026-01-02-030405_create_deliveries/down.sql']!.proposed).toBe('DROP TABLE deliveries;\n');
    expect(r.changeSet!.summary).toContain('references orders');
  });

  it('renames to the requested table, and rejects an existing name or a missing key', async () => {
    server.setScript(script(DELIVERIES, DELIVERIES));
    const renamed = await mode.run({ project: bakeryFs(), table: 'shipments', request: 'Shipments of orders.' }, { client: client() });
    expect(renamed.ok).toBe(true);
    expect(renamed.code).toContain('    shipments (id) {');
    expect(renamed.diagnostics.map((d) => d.code)).toContain('renamed-table');

    const orders = DELIVERIES.replace('deliveries (id)', 'orders (id)');
    const nokey = DELIVERIES.replace('deliveries (id)', 'deliveries (delivery_id)');
    server.setScript(script(orders, nokey));
    const r = await mode.run({ project: bakeryFs(), request: 'Deliveries.' }, { client: client() });
    expect(r.ok).toBe(false);
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toContain('table-exists');
    expect(r.runs[1]!.diagnostics.map((d) => d.code)).toContain('primary-key');
  });
});

describe('the formatter is a run option (ModeRunOptions.rustfmt)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nocodo-rustfmt-'));
  const marker = path.join(tmp, 'ran.txt');
  // Behaves like `rustfmt --emit stdout` and leaves a mark, so the test sees which program ran.
  const fakeRustfmt = path.join(tmp, 'rustfmt');
  writeFileSync(fakeRustfmt, `#!/bin/sh\necho "$*" >> '${marker}'\necho '// formatted'\ncat\n`);
  chmodSync(fakeRustfmt, 0o755);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const input = () => ({ project: bakeryFs(), struct: 'Order', request: 'Count the orders with a given status.' });
  // A function no other test formats (rustfmt's results are remembered by text).
  const FN = GOOD_FN.replace('count_by_status', 'orders_in_status');

  it('formats with the program the run names', async () => {
    server.setScript([{ reply: { content: wrap.fence(FN, 'rust') } }]);
    const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: { path: fakeRustfmt } });
    expect(r.ok).toBe(true);
    expect(r.code).toMatch(/^\/\/ formatted\n/);
    expect(readFileSync(marker, 'utf8')).toContain('--emit stdout');
  });

  it('runs no program when the run says false (Restricted Mode, --rustfmt off)', async () => {
    rmSync(marker, { force: true });
    server.setScript([{ reply: { content: wrap.fence(FN.replace('orders_in_status', 'orders_in_state'), 'rust') } }]);
    const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: false });
    expect(r.ok).toBe(true);
    expect(r.code).not.toContain('// formatted');
    expect(existsSync(marker)).toBe(false);
  });
});
