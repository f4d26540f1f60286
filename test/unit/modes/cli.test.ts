import { mkdtempSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { lineDiff } from '../../../src/cli/commands/generate';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { BAKERY } from './helpers';
import { withoutBuildDirs } from '../actix/helpers';

let server: ModelServer;
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-generate-'));
beforeAll(async () => {
  server = await startModelServer({ models: ['unsloth/Qwen3.5-0.8B-GGUF', 'tiny-coder'] });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function io(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: path.dirname(BAKERY), env, out: () => out, err: () => err };
}

const FN = 'pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n    orders::table\n        .filter(orders::status.eq(status))\n        .count()\n        .get_result(conn)\n}';
const args = ['generate', 'diesel-model-fn', '--project', 'bakery', '--struct', 'Order', '--prompt', 'Count the orders with a status.'];

describe('nocodo generate', () => {
  it('--dry-run prints the prompt, calls no model', async () => {
    const a = io();
    expect(await runCli([...args, '--dry-run'], a)).toBe(0);
    expect(a.out()).toMatch(/^----- system \(stable prefix: \d+ chars, this message and the example turns before the request\) -----\nYou write ONE Rust function/);
    expect(a.out()).toContain('----- assistant -----\n```rust\n');
    expect(a.out()).toContain('----- user -----\nContext:\n```rust\n');
    expect(a.out().trimEnd().endsWith('Request: Count the orders with a status.\nAnswer:')).toBe(true);
    const j = io();
    expect(await runCli([...args, '--dry-run', '--json'], j)).toBe(0);
    const { prompt } = JSON.parse(j.out()) as { prompt: { messages: { role: string }[]; stablePrefixChars: number } };
    // Instructions, the examples as user/assistant turns, the request last.
    expect(prompt.messages.map((m) => m.role)).toEqual(['system', ...prompt.messages.slice(1, -1).map((_, i) => (i % 2 ? 'assistant' : 'user')), 'user']);
    expect(prompt.messages.length).toBeGreaterThan(20);
    expect(server.requests).toHaveLength(0);
  });

  it('--json against the fixture server (URL from LLAMA_CPP_BASE_URL, model from RUST_ENGINEER_MODEL)', async () => {
    server.setScript([{ reply: { content: `<think>count rows</think>\n\`\`\`rust\n${FN}\n\`\`\`` } }]);
    const a = io({ LLAMA_CPP_BASE_URL: server.baseUrl, RUST_ENGINEER_MODEL: 'tiny-coder' });
    expect(await runCli([...args, '--json'], a)).toBe(0);
    const out = JSON.parse(a.out()) as { ok: boolean; prompt: unknown; raw: string; code: string; edits: { path: string; proposed: string; diff: string }[]; diagnostics: unknown[]; timings: { totalMs: number } };
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['prompt', 'raw', 'code', 'edits', 'diagnostics', 'timings']));
    expect(out.ok).toBe(true);
    expect(out.raw).toContain('```rust');
    expect(out.code).toBe(FN);
    expect(out.edits.map((e) => e.path)).toEqual(['src/models/order.rs']);
    expect(out.edits[0]!.diff).toContain('+    pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {');
    expect(server.chatRequests()[0]!.body.model).toBe('tiny-coder');
    server.setScript([]);
  });

  it('--rustfmt off formats nothing; a --rustfmt that does not exist is a usage error', async () => {
    const messy = 'pub fn count_by_status(conn:&mut PgConnection,status:&str)->QueryResult<i64>{orders::table.filter(orders::status.eq(status)).count().get_result(conn)}';
    server.setScript([{ reply: { content: `\`\`\`rust\n${messy}\n\`\`\`` } }]);
    const a = io({ LLAMA_CPP_BASE_URL: server.baseUrl });
    expect(await runCli([...args, '--json', '--rustfmt', 'off'], a)).toBe(0);
    expect((JSON.parse(a.out()) as { code: string }).code).toBe(messy);
    server.setScript([]);
    const b = io({ LLAMA_CPP_BASE_URL: server.baseUrl });
    expect(await runCli([...args, '--rustfmt', 'no/such/rustfmt'], b)).toBe(2);
    expect(b.err()).toContain('--rustfmt names');
  });

  it('plain output: the code and a diff; --write writes the file', async () => {
    const project = path.join(tmp, 'bakery');
    cpSync(BAKERY, project, { recursive: true, filter: withoutBuildDirs });
    server.setScript([{ reply: { content: FN } }]);
    const a = io();
    const code = await runCli(['generate', 'diesel-model-fn', '--project', project, '--struct', 'Order', '--prompt', 'Count by status.', '--base-url', server.baseUrl, '--write'], a);
    expect(a.err()).toBe('');
    expect(code).toBe(0);
    expect(a.out().startsWith(`${FN}\n\n--- a/src/models/order.rs\n+++ b/src/models/order.rs\n@@ `)).toBe(true);
    expect(a.out()).toContain('Wrote src/models/order.rs');
    expect(readFileSync(path.join(project, 'src/models/order.rs'), 'utf8')).toContain('    pub fn count_by_status(');
    server.setScript([]);
  });

  it('--write re-applies the edits when the file changed after the proposal', async () => {
    const project = path.join(tmp, 'bakery2');
    cpSync(BAKERY, project, { recursive: true, filter: withoutBuildDirs });
    const file = path.join(project, 'src/models/order.rs');
    // Someone edits the file while the model runs: the fixture holds its answer until the edit is made.
    server.requests.splice(0);
    server.setScript([{ reply: { content: FN, headersDelayMs: 400 } }]);
    const run = runCli(['generate', 'diesel-model-fn', '--project', project, '--struct', 'Order', '--prompt', 'Count by status.', '--base-url', server.baseUrl, '--write'], io());
    while (!server.chatRequests().length) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(file, `// edited by hand\n${readFileSync(file, 'utf8')}`);
    expect(await run).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('// edited by hand\n')).toBe(true);
    expect(text).toContain('    pub fn count_by_status(');
    server.setScript([]);
  });

  it('failures exit 1 with one line: server down names the URL; invalid answers say why', async () => {
    const down = await startModelServer();
    const url = down.baseUrl;
    await down.close();
    const a = io();
    expect(await runCli([...args, '--base-url', url], a)).toBe(1);
    expect(a.err().trimEnd().split('\n')).toHaveLength(1);
    expect(a.err()).toContain(`can't reach the model server at ${url}`);

    server.setScript([{ reply: { content: FN.replace(/orders::status/, 'orders::state') } }]);
    const b = io();
    expect(await runCli([...args, '--base-url', server.baseUrl], b)).toBe(1);
    expect(b.err().trimEnd().split('\n')).toHaveLength(1);
    expect(b.err()).toMatch(/^nocodo generate: The model's function failed the checks twice .* `orders::state` does not exist/);
    server.setScript([]);
  });

  it('usage errors: unknown mode, missing prompt, bad URL', async () => {
    const a = io();
    expect(await runCli(['generate', 'nope', '--prompt', 'x'], a)).toBe(2);
    expect(a.err()).toContain('unknown mode "nope"; known: diesel-model-fn, diesel-model-struct, diesel-schema');
    expect(await runCli(['generate', 'diesel-model-fn', '--struct', 'Order'], io())).toBe(2);
    const c = io();
    expect(await runCli([...args, '--base-url', 'not a url'], c)).toBe(2);
    expect(c.err()).toContain('--base-url should be an http(s) URL');
    const d = io();
    expect(await runCli(['generate', 'diesel-model-fn', '--project', 'bakery', '--struct', 'Nope', '--prompt', 'x', '--dry-run'], d)).toBe(1);
    expect(d.err()).toMatch(/^nocodo generate: No struct `Nope`/);
  });

  it('diesel-model-struct needs no server', async () => {
    const a = io({ LLAMA_CPP_BASE_URL: 'http://127.0.0.1:9/v1' });
    expect(await runCli(['generate', 'diesel-model-struct', '--project', 'bakery', '--table', 'order_items', '--json'], a)).toBe(0);
    expect((JSON.parse(a.out()) as { edits: { path: string }[] }).edits.map((e) => e.path)).toEqual(['src/models/order_item.rs', 'src/models/mod.rs']);
  });

  it('lineDiff shows hunks with context', () => {
    const d = lineDiff('a\nb\nc\nd\ne\nf\ng\nh\n', 'a\nb\nc\nd\nX\ne\nf\ng\nh\n', 'f.rs');
    expect(d).toBe('--- a/f.rs\n+++ b/f.rs\n@@ -2,6 +2,7 @@\n b\n c\n d\n+X\n e\n f\n g');
  });

  it('lineDiff hunk headers carry real line counts', () => {
    expect(lineDiff('', 'a\nb\n', 'new.rs')).toBe('--- /dev/null\n+++ b/new.rs\n@@ -0,0 +1,2 @@\n+a\n+b');
    expect(lineDiff('a\nb\nc\n', 'a\nc\n', 'f.rs')).toBe('--- a/f.rs\n+++ b/f.rs\n@@ -1,3 +1,2 @@\n a\n-b\n c');
  });
});
