import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/types';
import { checkCodeLimits } from '../../src/pipeline/answerLimits';
import { startModelServer, type ModelServer } from '../fixtures/model-server/server.mjs';

// Issue #14, section 5: model output that would hide from review is refused, or flagged where the user decides.

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-sec-output-'));
let server: ModelServer;
let project: string;
beforeAll(async () => {
  server = await startModelServer({ models: ['unsloth/Qwen3.5-0.8B-GGUF'] });
  project = path.join(tmp, 'bakery');
  cpSync(path.resolve(__dirname, '../fixtures/bakery'), project, { recursive: true, filter: (src) => !/[/\\](node_modules|frontend|target)$/.test(src) });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const ORDER = () => readFileSync(path.join(project, 'src/models/order.rs'), 'utf8');
const fn = (body: string, name = 'count_all') => `pub fn ${name}(conn: &mut PgConnection) -> QueryResult<i64> {\n${body}\n    orders::table.count().get_result(conn)\n}`;

async function generate(answer: string): Promise<{ code: number; out: { ok: boolean; diagnostics: { severity: string; code: string; message: string; line?: number }[]; edits: { proposed: string }[] }; requests: number }> {
  server.requests.splice(0);
  server.setScript([{ reply: { content: answer } }]);
  let out = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: () => undefined, cwd: tmp, env: { LLAMA_CPP_BASE_URL: server.baseUrl } };
  const code = await runCli(['generate', 'diesel-model-fn', '--project', project, '--struct', 'Order', '--prompt', 'Count the orders.', '--json', '--write'], io);
  return { code, out: JSON.parse(out), requests: server.chatRequests().length };
}

describe('model output that hides from review', () => {
  it('a NUL byte inside a string literal is refused (asked again), and nothing is written', async () => {
    const before = ORDER();
    const r = await generate(fn('    let _tag = "a\u0000b";'));
    expect(r.code).toBe(1);
    expect(r.requests).toBe(2);
    const d = r.out.diagnostics.find((x) => x.code === 'control-character')!;
    expect(d.message).toMatch(/^The code holds the control character U\+0000, which would hide the change from review/);
    expect(d.line).toBe(2);
    expect(ORDER()).toBe(before);
  }, 120_000);

  it('tabs, newlines and CR pass; ESC, DEL, C1 and bidi overrides (Trojan Source) do not', () => {
    expect(checkCodeLimits('fn a() {\r\n\t"x"\n}', 10)).toEqual([]);
    for (const c of ['\u001b', '\u007f', '\u0085', '\u202e', '\u2066']) expect(checkCodeLimits(`fn a() { "${c}" }`, 10).map((d) => d.code)).toEqual(['control-character']);
  });

  // 20 000 lines do not even arrive: the received text is cut at the max_tokens cap (section 2).
  // What fits under that cap is still refused past the mode's own cap.
  it('a 1 000-line function is refused at the mode cap', async () => {
    const before = ORDER();
    const r = await generate(fn(Array.from({ length: 1_000 }, () => '    x;').join('\n')));
    expect(r.code).toBe(1);
    expect(r.out.diagnostics.map((d) => d.message)).toContain('The code is 1003 lines long; this task takes at most 150. Write only what the request asks for.');
    expect(ORDER()).toBe(before);
  }, 120_000);

  it('a query function that spawns a process and writes a file is flagged in the proposal summary', async () => {
    const r = await generate(fn('    let _ = std::process::Command::new("sh").arg("-c").arg("id").output();\n    std::fs::write("/tmp/x", "y").ok();', 'count_with_effects'));
    expect(r.code).toBe(0);
    const d = r.out.diagnostics.find((x) => x.code === 'side-effects')!;
    expect(d.severity).toBe('warning');
    expect(d.message).toBe('Order::count_with_effects: it starts a process and writes, deletes or renames files, which a query function has no reason to do; read it before accepting.');
  }, 120_000);

  it('a plain query function carries no side-effect warning', async () => {
    const r = await generate(fn('', 'count_plain'));
    expect(r.code).toBe(0);
    expect(r.out.diagnostics.map((d) => d.code)).not.toContain('side-effects');
  }, 120_000);
});
