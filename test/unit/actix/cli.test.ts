import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { BAKERY, FIXTURES, GET_CUSTOMER, LIBRARY, withoutBuildDirs } from './helpers';

let server: ModelServer;
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-actix-cli-'));
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function io(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: FIXTURES, env, out: () => out, err: () => err };
}

describe('nocodo generate (Actix modes)', () => {
  it('actix-handler --dry-run prints the prompt with the planned handler, no model called', async () => {
    const a = io();
    const code = await runCli(['generate', 'actix-handler', '--project', 'bakery', '--struct', 'Customer', '--function', 'find', '--prompt', 'Show one customer.', '--dry-run'], a);
    expect(a.err()).toBe('');
    expect(code).toBe(0);
    expect(a.out()).toMatch(/^----- system \(stable prefix: \d+ chars, this message and the example turns before the request\) -----\nYou write ONE Actix Web 4 handler/);
    expect(a.out()).toContain('Request: Show one customer. Handler: `get_customer`, route #[get("/customers/{customer_id}")]');
    expect(server.requests).toHaveLength(0);
  });

  it('actix-handler against the fixture server, --write writes every file', async () => {
    const project = path.join(tmp, 'bakery');
    cpSync(BAKERY, project, { recursive: true, filter: withoutBuildDirs });
    server.setScript([{ reply: { content: `\`\`\`rust\n${GET_CUSTOMER}\n\`\`\`` } }]);
    const a = io({ LLAMA_CPP_BASE_URL: server.baseUrl });
    const code = await runCli(['generate', 'actix-handler', '--project', project, '--struct', 'Customer', '--function', 'find', '--prompt', 'Show one customer.', '--write'], a);
    expect(a.err()).toBe('');
    expect(code).toBe(0);
    expect(a.out()).toContain('+++ b/src/handlers/customers.rs');
    expect(a.out()).toContain('+            .service(customers::get_customer),');
    expect(a.out()).toContain('Wrote ');
    expect(readFileSync(path.join(project, 'src/handlers/customers.rs'), 'utf8')).toContain(GET_CUSTOMER);
    expect(readFileSync(path.join(project, 'src/handlers/mod.rs'), 'utf8')).toContain('pub mod customers;');
    server.setScript([]);

    // The same request again: the route is now taken, so nothing is asked and the exit code says so.
    const again = io({ LLAMA_CPP_BASE_URL: server.baseUrl });
    expect(await runCli(['generate', 'actix-handler', '--project', project, '--struct', 'Customer', '--function', 'find', '--prompt', 'Show one customer.'], again)).toBe(1);
    expect(again.err()).toMatch(/already taken by `get_customer`|already has `get_customer`/);
  });

  it('actix-router needs no prompt and no model; a second run changes nothing', async () => {
    const project = path.join(tmp, 'library');
    cpSync(LIBRARY, project, { recursive: true, filter: withoutBuildDirs });
    const a = io();
    expect(await runCli(['generate', 'actix-router', '--project', project, '--write'], a)).toBe(0);
    expect(a.out()).toContain('+    cfg.service(create_book);');
    const before = readFileSync(path.join(project, 'src/api/books.rs'), 'utf8');
    expect(before).toContain('cfg.service(delete_book);');
    const b = io();
    expect(await runCli(['generate', 'actix-router', '--project', project, '--write'], b)).toBe(0);
    expect(readFileSync(path.join(project, 'src/api/books.rs'), 'utf8')).toBe(before);
  });

  it('names the missing --function', async () => {
    const a = io();
    expect(await runCli(['generate', 'actix-handler', '--project', 'bakery', '--struct', 'Order', '--prompt', 'x', '--dry-run'], a)).toBe(1);
    expect(a.err()).toContain('Say which Diesel function the handler calls (--function name, `Type::method` or `module::function`). The project\'s Diesel functions for `Order`: `Order::find` (src/models/order.rs), `Order::create` (src/models/order.rs).');
  });
});
