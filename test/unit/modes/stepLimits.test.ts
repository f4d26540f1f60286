// The steps of a mode run after the model answered (post-processing with rustfmt, validation, the
// compile check, the API files) each end within a limit, and say what they did in the run's
// trace: a generation never hangs after the model call with nothing in the log (a CI failure of
// the exthost diesel-model-fn test, the model "ok in 146 ms", then no line at all).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initRustParser } from '../../../src/rust';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import { getMode } from '../../../modes';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { createCompileChecker } from '../../../src/compile';
import { standbyRustfmtPid } from '../../../src/pipeline/rust/rustfmt';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { wrap } from '../../fixtures/model-server/messy.mjs';
import { bakeryFs } from './helpers';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'nocodo-steps-'));
let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterEach(() => server.setScript([]));
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const client = () => {
  const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
  config.timeouts = { connectMs: 5000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };
  return createModelClient({ config, retryDelayMs: 1 });
};

/** A function for Order; `name` differs per test (rustfmt's results are remembered by text). */
const fn = (name: string) => `pub fn ${name}(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n    orders::table\n        .filter(orders::status.eq(status))\n        .count()\n        .get_result(conn)\n}`;
const input = () => ({ project: bakeryFs(), file: 'src/models/order.rs', struct: 'Order', request: 'Count the orders with a given status.' });

/** A stand-in rustfmt: a shell script, for the faults a real one cannot be made to show on demand. */
function program(name: string, body: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const gone = (pid: number): boolean => !existsSync(`/proc/${pid}/stat`) || /^[ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '');

describe.runIf(process.platform !== 'win32')('steps after the model call end within their limits', () => {
  it('a rustfmt started ahead that never answers: stopped at its limit, the function proposed unformatted, the trace says so', async () => {
    const silent = program('rustfmt-silent', 'exec sleep 600');
    server.setScript([{ reply: { content: wrap.fence(fn('count_silent'), 'rust') } }]);
    const trace: string[] = [];
    const started = Date.now();
    const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: { path: silent, timeoutMs: 1000, onOutcome: (n) => trace.push(n) }, trace: (m) => trace.push(m) });
    expect(r.ok).toBe(true);
    expect(r.code).toContain('pub fn count_silent');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(trace.find((l) => l.startsWith('rustfmt ('))).toMatch(/^rustfmt \(started ahead, pid \d+\): not formatted, rustfmt took longer than 1000 ms in \d+ ms$/);
    const pid = Number(/pid (\d+)/.exec(trace.find((l) => l.startsWith('rustfmt ('))!)![1]);
    await expect.poll(() => gone(pid), { timeout: 10_000 }).toBe(true);
    expect(standbyRustfmtPid({ path: silent })).toBeUndefined();
  }, 30_000);

  it('a rustfmt that fails at once (rustup\'s proxy without a toolchain, as under the exthost layer\'s scratch HOME): the answer goes on unformatted', async () => {
    const proxy = program('rustfmt-proxy', "echo \"error: rustup could not choose a version of rustfmt to run, because one wasn't specified explicitly, and no default is configured.\" >&2\nexit 1");
    const outcomes: string[] = [];
    for (const name of ['count_proxy_a', 'count_proxy_b']) {
      server.setScript([{ reply: { content: wrap.fence(fn(name), 'rust') } }]);
      const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: { path: proxy, onOutcome: (n) => outcomes.push(n) } });
      expect(r.ok).toBe(true);
      expect(r.code).toContain(`pub fn ${name}`);
    }
    // Taken while it waited or after it died, never waited for: the one-line reason both times.
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) expect(o).toMatch(/: not formatted, rustfmt failed: error: rustup could not choose a version of rustfmt to run/);
  }, 30_000);

  it('post-processing past its limit ends the run with an error naming the step; the answer and the run are kept', async () => {
    const slow = program('rustfmt-slow', 'sleep 3\ncat');
    server.setScript([{ reply: { content: wrap.fence(fn('count_slow'), 'rust') } }]);
    const trace: string[] = [];
    const started = Date.now();
    const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: { path: slow, timeoutMs: 10_000 }, limits: { postProcessMs: 300 }, trace: (m) => trace.push(m) });
    expect(Date.now() - started).toBeLessThan(2_900);
    expect(r.ok).toBe(false);
    expect(r.changeSet).toBeUndefined();
    const error = r.diagnostics.find((d) => d.severity === 'error');
    expect(error).toMatchObject({ code: 'step-timeout' });
    expect(error?.message).toMatch(/^Post-processing the answer \(cleaning, rustfmt\) did not finish within 300 ms, so nothing was proposed/);
    expect(r.raw).toContain('count_slow');
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0]).toMatchObject({ outcome: 'invalid' });
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toContain('step-timeout');
    expect(trace).toContain('diesel-model-fn: Post-processing the answer (cleaning, rustfmt) did not finish within 300 ms');
  }, 30_000);

  it('a compile check that gives no answer within the step limit: stopped, the change proposed as not checked', async () => {
    const pidFile = path.join(tmp, 'cargo.pid');
    const cargo = program('cargo-stuck', `if [ "$1" = "--version" ]; then echo "cargo 1.95.0"; exit 0; fi\nif [ "$1" = "fetch" ]; then exit 0; fi\necho $$ > ${pidFile}\nsleep 60`);
    // The checker's own limits are far away: the step's limit is what ends it.
    const checker = createCompileChecker({ cacheDir: path.join(tmp, 'cargo-cache'), cargo, timeoutMs: 60_000, runLimitMs: 60_000 });
    server.setScript([{ reply: { content: wrap.fence(fn('count_unchecked'), 'rust') } }]);
    const trace: string[] = [];
    const started = Date.now();
    const r = await dieselModelFnMode.run(input(), { client: client(), rustfmt: false, compile: { checker, setting: 'on', limitMs: 1_000 }, trace: (m) => trace.push(m) });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.ok).toBe(true);
    expect(r.compile).toMatchObject({ ran: false, skipped: 'the check gave no answer within 1 s and was stopped' });
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', code: 'compile-skipped' }));
    expect(r.changeSet?.summary).toMatch(/not checked with cargo: the check gave no answer within 1 s and was stopped$/);
    expect(trace).toContain('diesel-model-fn: compile check started');
    expect(trace.some((l) => l.startsWith('diesel-model-fn: compile check done in '))).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => gone(pid), { timeout: 10_000 }).toBe(true);
    await checker.dispose();
  }, 40_000);

  it('the trace names every step of a normal run, in order (the API files included)', async () => {
    server.setScript([{ reply: { content: wrap.fence(fn('count_traced'), 'rust') } }]);
    const trace: string[] = [];
    const r = await getMode('diesel-model-fn')!.run(input(), { client: client(), rustfmt: false, trace: (m) => trace.push(m) });
    expect(r.ok).toBe(true);
    const steps = trace.map((l) => l.replace(/\d+ ms/g, 'N ms').replace(/\(\d+ characters\)/, '(N characters)'));
    expect(steps).toEqual([
      'diesel-model-fn: context read in N ms',
      'diesel-model-fn: model call 1 started',
      'diesel-model-fn: model call 1 answered in N ms (N characters)',
      'diesel-model-fn: post-processed in N ms (6 lines, 0 diagnostics)',
      'diesel-model-fn: validated in N ms (0 errors, change to src/models/order.rs)',
      'diesel-model-fn: attempt 1: ok',
      'diesel-model-fn: API files unchanged in N ms',
    ]);
  }, 30_000);
});
