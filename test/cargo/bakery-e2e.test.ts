import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedTargetDir } from '../../src/compile/paths';
import { isPortFree } from '../../src/runApp';
import { assembleBakeryShop } from '../../scripts/bakery-shop';
import { freePort } from '../../src/eval/render/backend';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

/**
 * The bakery sample app for real: a PostgreSQL from Debian's packages in a temp folder (Unix
 * socket only), the migrations, the Actix server started with `cargo run`, and the HTTP API of its
 * online shop (test/cargo/bakery-shop: sign up a customer, place orders with their lines, list
 * the customer's orders newest first) and back office. Every answer is checked against the rows
 * psql reads back. Everything started here is stopped at the end. .ci/run builds the app in the
 * shared cargo folder, so `cargo run` compiles nothing here.
 */

// Its own binary: the plain sample, also a crate named bakery, shares the cargo build folder.
const BAKERY = assembleBakeryShop();
const DB = 'bakery';
let pg: TestPostgres | undefined;
let server: ChildProcess | undefined;
let serverExit: Promise<number | null> | undefined;
let serverLog = '';
let port = 0;
let api = '';

/** Starts `cargo run` and resolves once actix says it listens (or rejects when it exits first). */
function startBakery(databaseUrl: string): Promise<void> {
  server = spawn('cargo', ['run', '--locked', '--quiet', '--bin', BAKERY.bin], {
    cwd: BAKERY.dir,
    env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir(), DATABASE_URL: databaseUrl, PORT: String(port), RUST_LOG: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it reaches cargo and the server alike.
    detached: true,
  });
  const listening = `listening on: 127.0.0.1:${port}`;
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      serverLog += d.toString();
      if (serverLog.includes(listening)) resolve();
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    serverExit = new Promise((done) =>
      server!.on('close', (code) => {
        reject(new Error(`the bakery server exited (${code}) before listening:\n${serverLog.slice(-4000)}`));
        done(code);
      }),
    );
  });
}

async function stopBakery(): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  process.kill(-server.pid!, 'SIGTERM');
  await serverExit;
}

interface CustomerJson {
  id: number;
  name: string;
}
interface OrderJson {
  id: number;
  customer_id: number;
  total_cents: number;
  created_at: string;
}

/** One request to the API; the JSON answer typed as the caller expects it (the test checks it). */
async function call<T = unknown>(method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${api}${route}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
}

const rows = (sql: string) => pg!.query(DB, sql);

beforeAll(async () => {
  pg = startPostgres();
  pg.query('postgres', `CREATE DATABASE ${DB}`);
  const migrations = path.join(BAKERY.dir, 'migrations');
  for (const m of readdirSync(migrations).sort()) pg.runFile(DB, path.join(migrations, m, 'up.sql'));
  // The shop's catalogue (the back office keeps it; the shop API only reads it).
  pg.query(DB, `INSERT INTO products (name, price_cents, available) VALUES ('Sourdough loaf', 650, true), ('Croissant', 220, true), ('Stollen', 1800, false)`);
  port = await freePort();
  api = `http://127.0.0.1:${port}/api`;
  await startBakery(pg.url(DB));
}, 900_000);

afterAll(async () => {
  try {
    await stopBakery();
  } finally {
    pg?.stop();
  }
  // Nothing left behind: the port is free again.
  if (port) expect(await isPortFree(port)).toBe(true);
}, 300_000);

describe('bakery on a real PostgreSQL', () => {
  const product = (name: string) => Number(rows(`SELECT id FROM products WHERE name = '${name}'`)[0]![0]);

  it('signs up a customer, places orders with their lines, and lists them newest first', async () => {
    const signUp = await call<CustomerJson>('POST', '/shop/customers', { name: 'Ada Baker', email: 'ada@example.com', phone: null });
    expect(signUp.status).toBe(201);
    const customer = signUp.json;
    expect(customer).toMatchObject({ name: 'Ada Baker', email: 'ada@example.com', phone: null });
    expect(Number.isInteger(customer.id)).toBe(true);
    expect(rows(`SELECT name, email, coalesce(phone, '<null>') FROM customers WHERE id = ${customer.id}`)).toEqual([['Ada Baker', 'ada@example.com', '<null>']]);

    const sourdough = product('Sourdough loaf');
    const croissant = product('Croissant');
    const first = await call<OrderJson>('POST', `/shop/customers/${customer.id}/orders`, {
      pickup_at: null,
      notes: 'no nuts please',
      lines: [
        { product_id: sourdough, quantity: 2 },
        { product_id: croissant, quantity: 3 },
      ],
    });
    expect(first.status).toBe(201);
    // The total comes from the products table: 2 × 650 + 3 × 220.
    expect(first.json).toMatchObject({ customer_id: customer.id, status: 'new', notes: 'no nuts please', total_cents: 1960, pickup_at: null });
    expect(rows(`SELECT product_id, quantity, unit_price_cents FROM order_items WHERE order_id = ${first.json.id} ORDER BY product_id`)).toEqual(
      [
        [String(sourdough), '2', '650'],
        [String(croissant), '3', '220'],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );

    const second = await call<OrderJson>('POST', `/shop/customers/${customer.id}/orders`, {
      pickup_at: '2026-12-24T08:30:00',
      notes: null,
      lines: [{ product_id: croissant, quantity: 1 }],
    });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ customer_id: customer.id, total_cents: 220, pickup_at: '2026-12-24T08:30:00', notes: null });
    expect(rows(`SELECT count(*) FROM order_items WHERE order_id = ${second.json.id}`)).toEqual([['1']]);

    // Another customer's order must not show up in Ada's list.
    const other = await call<CustomerJson>('POST', '/shop/customers', { name: 'Bo Brioche', email: null, phone: '555-0100' });
    expect(other.status).toBe(201);
    expect((await call('POST', `/shop/customers/${other.json.id}/orders`, { pickup_at: null, notes: null, lines: [{ product_id: sourdough, quantity: 1 }] })).status).toBe(201);

    const list = await call<OrderJson[]>('GET', `/shop/customers/${customer.id}/orders`);
    expect(list.status).toBe(200);
    expect(list.json.map((o) => o.id)).toEqual([second.json.id, first.json.id]);
    expect(list.json.map((o) => o.total_cents)).toEqual([220, 1960]);
    // The same order as the database's own newest-first.
    expect(rows(`SELECT id FROM orders WHERE customer_id = ${customer.id} ORDER BY created_at DESC, id DESC`).map((r) => Number(r[0]))).toEqual([second.json.id, first.json.id]);
    const [newest, older] = list.json;
    expect(Date.parse(newest!.created_at)).toBeGreaterThanOrEqual(Date.parse(older!.created_at));

    // The back office sees the same order.
    const backOffice = await call('GET', `/orders/${first.json.id}`);
    expect(backOffice.status).toBe(200);
    expect(backOffice.json).toEqual(first.json);
  });

  it('refuses bad orders with a clear error and writes nothing', async () => {
    const customer = (await call<CustomerJson>('POST', '/shop/customers', { name: 'Cy Crumb', email: null, phone: null })).json;
    const before = rows('SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM order_items)');
    const stollen = product('Stollen');
    const croissant = product('Croissant');

    const unavailable = await call('POST', `/shop/customers/${customer.id}/orders`, {
      pickup_at: null,
      notes: null,
      lines: [
        { product_id: croissant, quantity: 1 },
        { product_id: stollen, quantity: 1 },
      ],
    });
    expect(unavailable.status).toBe(400);
    expect(unavailable.json).toEqual({ error: `product ${stollen} does not exist or is not available` });

    const empty = await call('POST', `/shop/customers/${customer.id}/orders`, { pickup_at: null, notes: null, lines: [] });
    expect(empty.status).toBe(400);
    expect(empty.json).toEqual({ error: 'an order needs at least one line' });

    const zero = await call('POST', `/shop/customers/${customer.id}/orders`, { pickup_at: null, notes: null, lines: [{ product_id: croissant, quantity: 0 }] });
    expect(zero.status).toBe(400);

    const nobody = await call('POST', '/shop/customers/999999/orders', { pickup_at: null, notes: null, lines: [{ product_id: croissant, quantity: 1 }] });
    expect(nobody.status).toBe(404);
    expect(nobody.json).toEqual({ error: 'no customer 999999' });

    const nameless = await call('POST', '/shop/customers', { name: '  ', email: null, phone: null });
    expect(nameless.status).toBe(400);
    expect(nameless.json).toEqual({ error: 'a customer needs a name' });

    expect(rows('SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM order_items)')).toEqual(before);
    expect((await call('GET', `/shop/customers/${customer.id}/orders`)).json).toEqual([]);
  });
});
