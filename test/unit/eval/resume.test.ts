import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import type { EvalReport } from '../../../src/eval';
import { RECORDED_MODEL as MODEL, recordedModelServer } from '../../helpers/fixtureModel';

/**
 * A long real-model eval runs in chunks (`--stop-after`) that add up (`--resume`): the joined
 * report must hold the same scores as one uninterrupted run, and no task is asked twice.
 */

const ROOT = path.resolve(__dirname, '../../..');
const BAKERY = path.join(ROOT, 'eval/tasks/bakery');
// Three diesel-schema tasks (model) then two diesel-model-struct ones (no model).
const MODES = 'diesel-schema,diesel-model-struct';
const TEST_MS = 180_000;

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: ROOT, env: {}, stderrIsTTY: false, out: () => out, err: () => err };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-resume-'));
// The recorded answers, each a little over a second late: a 1 s budget is spent by the first task.
const model = recordedModelServer(BAKERY, { adjust: (r) => ({ ...r, reply: { ...r.reply, headersDelayMs: 1100 } }) });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scores = (r: EvalReport): Record<string, unknown> => Object.fromEntries(r.results.map((x) => [x.taskId, x.score]));
const read = (f: string): EvalReport => JSON.parse(readFileSync(f, 'utf8')) as EvalReport;

describe('nocodo eval in chunks: --stop-after, then --resume', () => {
  it('a stopped run keeps what it scored; the resume asks only the rest; together they equal one run', async () => {
    const base = ['eval', '--base-url', model.server().baseUrl, '--model', MODEL, '--tasks', BAKERY, '--mode', MODES];
    const whole = path.join(tmp, 'whole.json');
    expect(await runCli([...base, '--out', whole], io())).toBe(0);
    const wholeCalls = model.server().chatRequests().length;
    expect(read(whole).results).toHaveLength(5);
    expect(read(whole).unfinished).toBeUndefined();

    const chunked = path.join(tmp, 'chunked.json');
    const first = io();
    expect(await runCli([...base, '--out', chunked, '--stop-after', '1'], first)).toBe(0);
    const part = read(chunked);
    expect(part.results.map((r) => r.taskId)).toEqual(['bakery/cake-orders-table']);
    expect(part.unfinished).toBe(4);
    expect(first.err()).toContain('4 task(s) not run; run the same command with --resume to continue');
    const firstCalls = model.server().chatRequests().length - wholeCalls;
    expect(firstCalls).toBe(part.results[0]!.calls);

    const second = io();
    expect(await runCli([...base, '--out', chunked, '--resume'], second)).toBe(0);
    expect(second.err()).toContain('1 task result(s) kept');
    const joined = read(chunked);
    expect(joined.unfinished).toBeUndefined();
    expect(joined.startedAt).toBe(part.startedAt);
    expect(joined.results.map((r) => r.taskId).sort()).toEqual(read(whole).results.map((r) => r.taskId).sort());
    expect(scores(joined)).toEqual(scores(read(whole)));
    // Every task asked once over both chunks: as many model calls as the uninterrupted run.
    expect(model.server().chatRequests().length - wholeCalls).toBe(wholeCalls);
    const counts = (r: EvalReport) => r.summary.map(({ mode, tasks, passed, cleaned, parses, consistent, matches, fixedByReask }) => ({ mode, tasks, passed, cleaned, parses, consistent, matches, fixedByReask }));
    expect(counts(joined)).toEqual(counts(read(whole)));

    // Resuming a finished run asks nothing and keeps the report.
    const before = model.server().chatRequests().length;
    expect(await runCli([...base, '--out', chunked, '--resume'], io())).toBe(0);
    expect(model.server().chatRequests().length).toBe(before);
    expect(scores(read(chunked))).toEqual(scores(joined));
  }, TEST_MS);

  it('a report it cannot read is never overwritten; --resume needs --out', async () => {
    const broken = path.join(tmp, 'broken.json');
    writeFileSync(broken, '{"version": 1, "results": [');
    const b = io();
    expect(await runCli(['eval', '--base-url', model.server().baseUrl, '--tasks', BAKERY, '--mode', 'diesel-model-struct', '--out', broken, '--resume'], b)).toBe(1);
    expect(b.err()).toMatch(/^nocodo eval: cannot resume from .*broken\.json: it is not JSON/);
    expect(readFileSync(broken, 'utf8')).toBe('{"version": 1, "results": [');

    const other = path.join(tmp, 'other.json');
    writeFileSync(other, '{"tasks": []}');
    const o = io();
    expect(await runCli(['eval', '--base-url', model.server().baseUrl, '--tasks', BAKERY, '--mode', 'diesel-model-struct', '--out', other, '--resume'], o)).toBe(1);
    expect(o.err()).toContain('it is not a `nocodo eval --out` report');

    const u = io();
    expect(await runCli(['eval', '--tasks', BAKERY, '--resume'], u)).toBe(2);
    expect(u.err()).toContain('--resume continues the report named by --out');
  }, TEST_MS);
});
