import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/types';
import { initRustParser, parseRustFile, parseSchema, readActixFile } from '../../src/rust';
import { bracketDepth, withRustTree } from '../../src/rust/parser';
import { flatten } from '../../src/rust/tokens';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';

// Issue #14, section 4: deeply nested input gets a clear diagnostic, never a stack overflow.

const N = 100_000;
const parens = `fn f() -> i32 { ${'('.repeat(N)}1${')'.repeat(N)} }\n`;
const braces = `fn g() { ${'{'.repeat(N)}${'}'.repeat(N)} }\n`;
// No brackets at all, yet a tree as deep: `1+1+…` and `a.b.b.…` are left-deep chains.
const CHAIN = 30_000;
const chains = `fn h() -> i32 { ${'1+'.repeat(CHAIN)}1 }\nfn k() { a${'.b'.repeat(CHAIN)}; }\n`;

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-sec-deep-'));
let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer({ models: ['unsloth/Qwen3.5-0.8B-GGUF'] });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: tmp, env: { LLAMA_CPP_BASE_URL: server.baseUrl }, out: () => out, err: () => err };
}

function project(name: string, extra: Record<string, string>): string {
  const dir = path.join(tmp, name);
  cpSync(path.resolve(__dirname, '../fixtures/actix-library'), dir, { recursive: true, filter: (src) => !/[/\\]target$/.test(src) });
  for (const [rel, text] of Object.entries(extra)) writeFileSync(path.join(dir, rel), text);
  return dir;
}

describe('deep input', () => {
  it('bracketDepth skips strings, chars and comments', () => {
    expect(bracketDepth('fn a() { f(1); let s = "((((("; let c = \'{\'; // {{{{\n /* [[[ */ }')).toBe(2);
    expect(bracketDepth(parens)).toBe(N + 1);
  });

  it('each reader turns 100 000 nested parens or braces into one clear diagnostic for the file', () => {
    for (const text of [parens, braces]) {
      const rust = parseRustFile(text, 'src/deep.rs');
      expect(rust.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'rust-too-deep', file: 'src/deep.rs' })]);
      expect(rust.diagnostics[0]!.message).toBe(`The Rust code nests brackets ${N + 1} deep (nocodo reads up to 512). The file was skipped.`);
      expect(readActixFile(text, 'src/deep.rs').diagnostics.filter((d) => d.code === 'rust-too-deep')).toHaveLength(1);
      const schema = parseSchema([{ file: 'src/schema.rs', text }]);
      expect(schema.diagnostics.map((d) => d.code)).toEqual(['rust-too-deep']);
    }
  });

  it('trees 60 000 levels deep without brackets are walked without recursion', () => {
    const tokens = withRustTree(chains, (tree) => flatten(tree.rootNode));
    expect(tokens.filter((t) => t.text === '+')).toHaveLength(CHAIN);
    const rust = parseRustFile(chains, 'src/chains.rs');
    expect(rust.functions.map((f) => f.name)).toEqual(['h', 'k']);
    expect(rust.diagnostics).toEqual([]);
    expect(readActixFile(chains, 'src/chains.rs').diagnostics).toEqual([]);
    expect(parseSchema([{ file: 'src/schema.rs', text: chains }]).diagnostics).toEqual([]);
  }, 120_000);

  it('a deep file under src/ leaves the Actix modes and `nocodo types` working, with the file named', async () => {
    const dir = project('deep-src', { 'src/deep.rs': parens + braces });
    const types = io();
    expect(await runCli(['types', '--project', dir], types)).toBe(0);
    expect(types.err()).toContain('error [rust-too-deep]: The Rust code nests brackets 100001 deep (nocodo reads up to 512). The file was skipped. (src/deep.rs)');
    expect(types.out()).toContain('export function listBooks(');
    const dry = io();
    expect(await runCli(['generate', 'actix-handler', '--project', dir, '--function', 'Loan::list_overdue', '--route', 'GET /overdue', '--prompt', 'List the overdue loans.', '--dry-run'], dry)).toBe(0);
    expect(dry.err()).toBe('');
    expect(dry.out()).toContain('Request: List the overdue loans.');
  }, 120_000);

  it('an answer with 5 000 nested braces is a rejected answer (asked again), not a crash', async () => {
    const deep = `pub fn count_all(conn: &mut PgConnection) -> QueryResult<i64> {\n    let _x = ${'{'.repeat(5000)}1${'}'.repeat(5000)};\n    books::table.count().get_result(conn)\n}`;
    server.setScript([{ reply: { content: deep } }, { reply: { content: deep } }]);
    const a = io();
    const code = await runCli(['generate', 'diesel-model-fn', '--project', project('deep-answer', {}), '--struct', 'Book', '--prompt', 'Count the books.', '--json'], a);
    expect(code).toBe(1);
    const out = JSON.parse(a.out()) as { ok: boolean; diagnostics: { code: string; message: string }[] };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.map((d) => d.code)).toContain('answer-too-deep');
    expect(out.diagnostics.find((d) => d.code === 'answer-too-deep')!.message).toBe('The answer could not be read: it nests brackets 5001 deep (nocodo reads up to 512).');
    expect(server.chatRequests()).toHaveLength(2);
    server.setScript([]);
  }, 120_000);
});
