import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/types';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';

/**
 * `nocodo generate … --cargo --json` with the real compiler on the bakery: the JSON's
 * `compile: {ran, ok, ms, errors: [{message, line, column}]}`, and rustc's errors on the
 * generated code's own lines going into the one re-ask.
 */

const BAKERY = path.resolve(__dirname, '../fixtures/bakery');
let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ models: ['tiny-coder'] });
});
afterAll(async () => {
  await server.close();
});

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: path.dirname(BAKERY), env: { LLAMA_CPP_BASE_URL: server.baseUrl, RUST_ENGINEER_MODEL: 'tiny-coder' }, out: () => out, err: () => err };
}

const fence = (code: string) => ({ reply: { content: `\`\`\`rust\n${code}\n\`\`\`` } });
const args = ['generate', 'diesel-model-fn', '--project', 'bakery', '--struct', 'Order', '--cargo', '--cargo-timeout', '1500', '--json'];
interface Out {
  ok: boolean;
  summary: string | null;
  compile: { ran: boolean; ok: boolean; ms: number; errors: { message: string; line: number | null; column: number | null; code?: string }[]; skipped?: string };
}

describe('nocodo generate --cargo', () => {
  it('an answer that compiles: compile {ran: true, ok: true, ms, errors: []}, and the summary says "compiles"', async () => {
    const fn = 'pub fn count_with_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n    orders::table\n        .filter(orders::status.eq(status))\n        .count()\n        .get_result(conn)\n}';
    server.setScript([fence(fn)]);
    const a = io();
    expect(await runCli([...args, '--prompt', 'Count the orders with a status.'], a), a.err()).toBe(0);
    const out = JSON.parse(a.out()) as Out;
    expect(out.ok).toBe(true);
    expect(out.compile).toMatchObject({ ran: true, ok: true, errors: [] });
    expect(out.compile.ms).toBeGreaterThan(0);
    expect(out.summary).toMatch(/ — compiles$/);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('an Int4 column compared with &str passes the static checks, rustc says no on the line of the answer, the re-ask carries it', async () => {
    // Line 3 of the answer: `orders::customer_id.eq(name)`.
    const wrong = 'pub fn of_customer_named(conn: &mut PgConnection, name: &str) -> QueryResult<Vec<Order>> {\n    orders::table\n        .filter(orders::customer_id.eq(name))\n        .select(Order::as_select())\n        .load(conn)\n}';
    server.setScript([fence(wrong), fence(wrong)]);
    server.requests.splice(0);
    const a = io();
    expect(await runCli([...args, '--prompt', 'The orders of the customer with this name.'], a)).toBe(1);
    const out = JSON.parse(a.out()) as Out;
    expect(out.ok).toBe(false);
    expect(out.compile.ran).toBe(true);
    expect(out.compile.ok).toBe(false);
    expect(out.compile.errors.length).toBeGreaterThan(0);
    // The first error where the mistake is (rustc points at `.eq`), the rest on the answer's lines too.
    expect(out.compile.errors[0]).toMatchObject({ line: 3, column: 37, code: 'E0277' });
    expect(out.compile.errors[0]!.message).toContain('the trait bound `&str: AsExpression<Integer>` is not satisfied');
    expect(out.compile.errors.every((e) => e.line !== null && e.line >= 1 && e.line <= 6)).toBe(true);
    const reask = server.chatRequests()[1]!.body.messages.at(-1)!.content as string;
    expect(reask).toMatch(/rustc: error\[E\d{4}\]/);
  });
});
