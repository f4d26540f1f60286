import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import type { EvalReport } from '../../../src/eval';
import { forgetFormattedAnswers } from '../../../src/pipeline/rust/rustfmt';
import { bundleCli } from '../../helpers/cliBundle';
import { RECORDED_MODEL as MODEL, recordedModelServer } from '../../helpers/fixtureModel';

/**
 * `nocodo eval` end to end against the fixture server replaying eval/recorded/*.json: the scores
 * below are exactly what the recorded answers must get. A change here means nocodo's post-
 * processing, validation or scoring changed behaviour on real-looking answers: look at why.
 */

const ROOT = path.resolve(__dirname, '../../..');
const TASKS = path.join(ROOT, 'eval/tasks');
const OTHER = 'tiny/other-model';
/** The Rust modes: the `solid` set has its own end-to-end test (test/unit/frontend/solidEval.test.ts), kept apart for time. */
const RUST_MODES = 'diesel-model-fn,diesel-model-struct,diesel-schema,actix-handler,actix-router,actix-middleware';

/** taskId → [pass@1, fixed by re-ask, stage the first answer failed at]. */
const EXPECTED: Record<string, [boolean, boolean, string?]> = {
  'actix/admin-request-id': [false, false, 'consistent'],
  'actix/clinic-configure-scope': [true, false],
  'actix/clinic-repository': [true, false],
  'actix/garage-arc-state': [true, false],
  'actix/garage-free-fn': [true, false],
  'actix/garage-result-alias': [true, false],
  'actix/studio-session-guard': [true, false],
  'actix/create-customer': [false, true, 'consistent'],
  'actix/get-customer': [true, false],
  'actix/loan-returned': [true, false],
  'actix/loans-of-book': [false, false, 'consistent'],
  'actix/log-request-time': [true, false],
  'actix/product-count-route': [true, false],
  'actix/register-book-handlers': [true, false],
  'actix/search-books': [false, true, 'consistent'],
  'bakery/cake-orders-table': [false, false, 'matches'],
  'bakery/count-available-products': [true, false],
  'bakery/customer-by-email': [false, false, 'consistent'],
  'bakery/delete-order': [true, false],
  'bakery/gift-cards-table': [true, false],
  'bakery/ingredients-table': [false, true, 'cleaned'],
  'bakery/order-items-structs': [true, false],
  'bakery/orders-of-customer': [true, false],
  'bakery/orders-with-customer': [false, false, 'matches'],
  'bakery/products-structs': [true, false],
  'bakery/ready-for-pickup': [false, true, 'consistent'],
  'bakery/search-customers': [false, false, 'matches'],
  'bakery/set-order-status': [true, false],
  'corpus-real/article-with-author': [true, false],
  'corpus-real/concerns-with-authors': [true, false],
  'corpus-real/create-post-mysql': [true, false],
  'corpus-real/existing-proposal': [true, false],
  'corpus-real/favorited-article-ids': [true, false],
  'corpus-real/favorites-structs': [true, false],
  'corpus-real/feed': [true, false],
  'corpus-real/find-by-login': [true, false],
  'corpus-real/find-user': [true, false],
  'corpus-real/keywords-find-or-create': [true, false],
  'corpus-real/remove-policy': [true, false],
  'corpus-real/service-update': [true, false],
  'corpus-real/teams-structs': [true, false],
  'corpus/article-with-author': [false, true, 'cleaned'],
  'corpus/concerns-with-authors': [true, false],
  'corpus/crate-authors': [false, true, 'consistent'],
  'corpus/create-post-mysql': [false, false, 'matches'],
  'corpus/existing-fcp-proposal': [true, false],
  'corpus/favorited-article-ids': [false, false, 'cleaned'],
  'corpus/feed': [false, false, 'matches'],
  'corpus/find-user-by-login': [false, false, 'matches'],
  'corpus/keywords-find-or-create': [false, false, 'cleaned'],
  'corpus/remove-policy': [true, false],
  'corpus/service-update': [true, false],
};

function failedAt(s: EvalReport['results'][number]['score']): string | undefined {
  if (!s.cleaned) return 'cleaned';
  if (!s.parses) return 'parses';
  if (!s.consistent) return 'consistent';
  if (!s.matches) return 'matches';
  return undefined;
}

function io(opts: { tty?: boolean } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: ROOT, env: {}, stderrIsTTY: opts.tty ?? false, out: () => out, err: () => err };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-e2e-'));
const model = recordedModelServer(TASKS, { models: [MODEL, OTHER] });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function checkScores(report: EvalReport, model: string): void {
  const mine = report.results.filter((r) => r.model === model);
  const got = Object.fromEntries(mine.map((r) => [r.taskId, [r.score.pass, r.score.fixedByReask, failedAt(r.score)].filter((x) => x !== undefined)]));
  const want = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, v.filter((x) => x !== undefined)]));
  expect(got).toEqual(want);
}

// Each eval runs every recorded task (66 mode runs for two models) in process: on a loaded 2-core
// machine that takes well over vitest's default, so every test here has its own, generous limit.
const EVAL_TEST_MS = 240_000;

describe('nocodo eval on the recorded answers', () => {
  it('in process: exact scores per task, per mode and per model; JSON and Markdown reports; progress lines', async () => {
    const out = path.join(tmp, 'report.json');
    const md = path.join(tmp, 'report.md');
    const a = io();
    const code = await runCli(['eval', '--base-url', model.server().baseUrl, '--model', MODEL, '--model', OTHER, '--tasks', TASKS, '--mode', RUST_MODES, '--out', out, '--markdown', md], a);
    expect(a.err()).not.toMatch(/nocodo eval: /);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as EvalReport;
    expect(report.models).toEqual([MODEL, OTHER]);
    expect(report.results).toHaveLength(104);
    checkScores(report, MODEL);
    checkScores(report, OTHER);

    const row = (model: string, mode: string) => report.summary.find((r) => r.model === model && r.mode === mode)!;
    for (const m of [MODEL, OTHER]) {
      expect(row(m, 'all')).toMatchObject({ tasks: 52, passed: 35, cleaned: 48, parses: 48, consistent: 41, matches: 37, fixedByReask: 6, falseRejects: 0 });
      expect(row(m, 'diesel-model-fn')).toMatchObject({ tasks: 30, passed: 19, fixedByReask: 3, falseRejects: 0 });
      expect(row(m, 'diesel-schema')).toMatchObject({ tasks: 3, passed: 1, fixedByReask: 1 });
      expect(row(m, 'diesel-model-struct')).toMatchObject({ tasks: 4, passed: 4, fixedByReask: 0 });
      expect(row(m, 'actix-handler')).toMatchObject({ tasks: 11, passed: 8, consistent: 8, fixedByReask: 2 });
      expect(row(m, 'actix-router')).toMatchObject({ tasks: 2, passed: 2, fixedByReask: 0 });
      expect(row(m, 'actix-middleware')).toMatchObject({ tasks: 2, passed: 1, fixedByReask: 0 });
      expect(row(m, 'all').pass1).toBeCloseTo(35 / 52);
    }
    // Model calls: one per model task, plus a re-ask for each first answer that failed post-processing or validation.
    const calls = report.results.filter((r) => r.model === MODEL).reduce((n, r) => n + r.calls, 0);
    expect(calls).toBe(46 + 11);
    expect(model.server().chatRequests()).toHaveLength(2 * calls);

    // Prompt tokens come from the server's /tokenize; the stable prefix is the same for every call of a mode in a project.
    expect(report.tokenCount).toBe('server /tokenize');
    const fn = report.results.filter((r) => r.model === MODEL && r.set === 'bakery' && r.mode === 'diesel-model-fn');
    expect(new Set(fn.map((r) => r.promptTokens!.stable)).size).toBe(1);
    for (const r of report.results.filter((x) => !x.deterministic)) expect(r.promptTokens!.stable).toBeGreaterThan(r.promptTokens!.variable);
    expect(row(MODEL, 'diesel-model-fn').stableShare).toBeGreaterThan(0.5);
    expect(row(MODEL, 'diesel-model-struct').stableShare).toBeUndefined();
    expect(row(MODEL, 'actix-router').stableShare).toBeUndefined();
    // Issue #18: the model's time is split into the server's own (llama.cpp's timings) and the client's.
    const modelTasks = report.results.filter((r) => r.model === MODEL && !r.deterministic);
    expect(modelTasks.length).toBeGreaterThan(0);
    for (const r of modelTasks) expect(r.modelClientMs, r.taskId).toBeGreaterThanOrEqual(0);
    // The actix tasks reach the modes with their function and route: the handler is named and placed as asked.
    const returned = report.results.find((r) => r.model === MODEL && r.taskId === 'actix/loan-returned')!;
    expect(returned.code).toContain('#[put("/loans/{loan_id}/returned")]');

    const markdown = readFileSync(md, 'utf8');
    expect(markdown).toContain('| model | mode | tasks | pass@1 |');
    expect(markdown).toContain(`| ${MODEL} | **all** | 52 | **67%** (35/52) | 48/52 | 48/52 | 41/52 | 37/52 | 6 | 0 |`);
    expect(markdown).toContain('| corpus/find-user-by-login | diesel-model-fn |');
    expect(a.out()).toMatch(/pass@1 {2}67% \(35\/52\)/);
    expect(a.out()).toContain(`Wrote ${out}, ${md}`);
    // Non-TTY progress: one line per task.
    const lines = a.err().trim().split('\n');
    expect(lines).toHaveLength(104);
    expect(lines[0]).toMatch(/^\[1\/104\] actix\/admin-request-id \[unsloth\/Qwen3\.5-0\.8B-GGUF\] actix-middleware: FAIL rejected by validation: .*uuid/);
    expect(lines[103]).toMatch(/^\[104\/104\] corpus-real\/teams-structs \[tiny\/other-model\] diesel-model-struct: pass/);
  }, EVAL_TEST_MS);

  it('on a terminal the progress is one line rewritten in place; without --out the Markdown goes to stdout', async () => {
    const a = io({ tty: true });
    expect(await runCli(['eval', '--base-url', model.server().baseUrl, '--tasks', path.join(TASKS, 'bakery'), '--mode', 'diesel-model-struct'], a)).toBe(0);
    expect(a.err()).toContain('\r\x1b[K[');
    expect(a.err()).toMatch(/\[#{24}\] 2\/2 bakery\/products-structs \[unsloth\/Qwen3\.5-0\.8B-GGUF\] pass\n$/);
    expect(a.out()).toMatch(/^# nocodo eval\n/);
    expect(a.out()).toContain('| **all** | 2 | **100%** (2/2) |');
  }, EVAL_TEST_MS);

  it('--rustfmt <path> formats the answers with that program; --rustfmt off runs none, not even the one on PATH', async () => {
    // A stand-in rustfmt that notes each start and gives its input back unchanged.
    const bin = path.join(tmp, 'fake-rustfmt-bin');
    mkdirSync(bin, { recursive: true });
    const fake = (name: string, log: string): string => {
      const file = path.join(bin, name);
      writeFileSync(file, `#!/bin/sh\necho "$*" >> '${log}'\ncat\n`);
      chmodSync(file, 0o755);
      return file;
    };
    const named = path.join(tmp, 'named.log');
    const onPath = path.join(tmp, 'on-path.log');
    const args = ['eval', '--base-url', model.server().baseUrl, '--tasks', path.join(TASKS, 'bakery'), '--mode', 'diesel-model-fn'];
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
    try {
      fake('rustfmt', onPath);
      forgetFormattedAnswers();
      const a = io();
      expect(await runCli([...args, '--rustfmt', fake('my-rustfmt', named)], a), a.err()).toBe(0);
      expect(a.out()).toContain('| **all** |');
      expect(readFileSync(named, 'utf8')).toContain('--edition 2021 --emit stdout');
      expect(existsSync(onPath)).toBe(false);

      forgetFormattedAnswers();
      const off = io();
      expect(await runCli([...args, '--rustfmt', 'off'], off), off.err()).toBe(0);
      expect(existsSync(onPath)).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
    const missing = io();
    expect(await runCli([...args, '--rustfmt', 'no/such/rustfmt'], missing)).toBe(2);
    expect(missing.err()).toContain('--rustfmt names');
  }, EVAL_TEST_MS);

  it('harness errors exit 1 with one line: server down (naming the URL), bad task files; bad usage exits 2', async () => {
    const down = io();
    expect(await runCli(['eval', '--base-url', 'http://127.0.0.1:9/v1', '--tasks', path.join(TASKS, 'bakery')], down)).toBe(1);
    expect(down.err().trim().split('\n')).toHaveLength(1);
    expect(down.err()).toMatch(/^nocodo eval: .*http:\/\/127\.0\.0\.1:9\/v1/);

    const unknownModel = io();
    expect(await runCli(['eval', '--base-url', model.server().baseUrl, '--model', 'no-such-model', '--tasks', path.join(TASKS, 'corpus', 'feed')], unknownModel)).toBe(1);
    expect(unknownModel.err()).toMatch(/nocodo eval: .*no-such-model/);

    const bad = path.join(tmp, 'bad', 'x');
    mkdirSync(bad, { recursive: true });
    writeFileSync(path.join(bad, 'task.json'), '{"mode": "diesel-model-fn"');
    const b = io();
    expect(await runCli(['eval', '--base-url', model.server().baseUrl, '--tasks', path.join(tmp, 'bad')], b)).toBe(1);
    expect(b.err()).toMatch(/^nocodo eval: .*x[/\\]task\.json: not valid JSON/);

    const u = io();
    expect(await runCli(['eval', '--mode', 'diesel-magic'], u)).toBe(2);
    expect(u.err()).toContain('unknown mode "diesel-magic"');
    expect(await runCli(['eval', '--base-url', 'localhost:8080'], io())).toBe(2);
  }, EVAL_TEST_MS);

  it('the bundled CLI against the fixture server as a separate process gives the same scores', async () => {
    const cli = await bundleCli(path.join(tmp, 'dist'));

    const script = path.join(tmp, 'rules.json');
    writeFileSync(script, JSON.stringify(model.rules()));
    const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'test/fixtures/model-server/server.mjs'), '--port', '0', '--script', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const m = /LISTENING (\S+)/.exec(buf);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (c) => reject(new Error(`fixture server exited with ${c}`)));
      });
      const out = path.join(tmp, 'bundled.json');
      const r = await promisify(execFile)(process.execPath, [cli, 'eval', '--base-url', baseUrl, '--model', MODEL, '--tasks', TASKS, '--mode', RUST_MODES, '--out', out], { cwd: tmp, timeout: 200_000 });
      expect(r.stdout).toMatch(/ all +pass@1 +67% \(35\/52\)/);
      expect(r.stdout).toContain('Wrote bundled.json');
      checkScores(JSON.parse(readFileSync(out, 'utf8')) as EvalReport, MODEL);
    } finally {
      if (child.pid) child.kill('SIGTERM');
    }
  }, EVAL_TEST_MS);
});
