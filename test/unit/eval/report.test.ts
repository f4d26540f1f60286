import { describe, expect, it } from 'vitest';
import { renderConsoleSummary, renderMarkdown, stats, summarize, type EvalReport, type TaskResult, type TaskScore } from '../../../src/eval';

const score = (over: Partial<TaskScore>): TaskScore => ({
  cleaned: true,
  parses: true,
  consistent: true,
  matches: true,
  checks: [],
  cargo: 'not-run',
  pass: true,
  fixedByReask: false,
  falseReject: false,
  acceptedNotCompiling: false,
  ...over,
});

function result(taskId: string, mode: TaskResult['mode'], over: Partial<TaskResult> & { s?: Partial<TaskScore> } = {}): TaskResult {
  const { s, ...rest } = over;
  return {
    taskId,
    set: taskId.split('/')[0]!,
    mode,
    model: 'm1',
    request: 'r',
    deterministic: mode === 'diesel-model-struct',
    score: score(s ?? {}),
    calls: mode === 'diesel-model-struct' ? 0 : 1,
    latencyMs: 100,
    overheadMs: 5,
    errors: [],
    ...(mode === 'diesel-model-struct' ? {} : { promptTokens: { stable: 300, variable: 100 } }),
    ...rest,
  };
}

describe('stats', () => {
  it('mean and nearest-rank p50/p95', () => {
    expect(stats([])).toBeUndefined();
    expect(stats([5])).toEqual({ mean: 5, p50: 5, p95: 5 });
    const xs = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20
    expect(stats(xs)).toEqual({ mean: 10.5, p50: 10, p95: 19 });
    expect(stats([30, 10, 20])).toEqual({ mean: 20, p50: 20, p95: 30 });
  });
});

describe('summaries and rendering', () => {
  const results: TaskResult[] = [
    result('a/one', 'diesel-model-fn', { latencyMs: 1000, tokensPerSecond: 20 }),
    result('a/two', 'diesel-model-fn', { latencyMs: 3000, tokensPerSecond: 10, s: { pass: false, matches: false, failure: 'wrong: contains `a | b`' } }),
    result('a/three', 'diesel-model-fn', { latencyMs: 2000, promptTokens: { stable: 300, variable: 300 }, s: { pass: false, consistent: false, matches: false, fixedByReask: true, failure: 'rejected by validation: x' } }),
    result('a/four', 'diesel-model-struct', { latencyMs: 7 }),
    result('a/one', 'diesel-model-fn', { model: 'm2', s: { pass: false, cleaned: false, parses: false, consistent: false, matches: false, failure: 'no usable code: y' } }),
  ];

  it('one row per model × mode and an `all` row per model', () => {
    const rows = summarize(results);
    expect(rows.map((r) => `${r.model}:${r.mode}`)).toEqual(['m1:diesel-model-fn', 'm1:diesel-model-struct', 'm1:all', 'm2:diesel-model-fn', 'm2:all']);
    const fn = rows[0]!;
    expect(fn).toMatchObject({ tasks: 3, passed: 1, cleaned: 3, parses: 3, consistent: 2, matches: 1, fixedByReask: 1, latencyMs: { mean: 2000, p50: 2000, p95: 3000 }, tokensPerSecond: 15 });
    expect(fn.pass1).toBeCloseTo(1 / 3);
    expect(fn.stableTokens).toBe(300);
    expect(fn.variableTokens).toBeCloseTo(500 / 3);
    expect(fn.stableShare).toBeCloseTo(900 / 1400);
    expect(rows[1]).toMatchObject({ tasks: 1, passed: 1 });
    expect(rows[1]!.stableShare).toBeUndefined();
    expect(rows[2]).toMatchObject({ tasks: 4, passed: 2 });
    expect(rows[4]).toMatchObject({ tasks: 1, passed: 0, cleaned: 0 });
  });

  const report: EvalReport = {
    version: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    baseUrl: 'http://localhost:8080/v1',
    models: ['m1', 'm2'],
    tasksDir: 'eval/tasks',
    sets: ['a'],
    tokenCount: 'estimate (chars/4)',
    cargo: 'not requested (--cargo)',
    skipped: [{ taskId: 'a/handler', reason: 'mode actix-handler is not implemented yet' }],
    summary: summarize(results),
    results,
  };

  it('counts false rejects (right answers validation threw away) and accepted answers that do not compile', () => {
    const rs = [
      result('r/right-rejected', 'diesel-model-fn', { s: { pass: false, consistent: false, matches: true, falseReject: true, failure: 'rejected by validation (a right answer: false reject): x' } }),
      result('r/accepted-broken', 'diesel-model-fn', { s: { pass: false, cargo: 'fail', acceptedNotCompiling: true, failure: 'cargo check failed: E0599' } }),
      result('r/fine', 'diesel-model-fn', { s: { cargo: 'pass' } }),
    ];
    const [fnRow] = summarize(rs);
    expect(fnRow).toMatchObject({ tasks: 3, falseRejects: 1, acceptedNotCompiling: 1, cargo: { pass: 1, fail: 1, skipped: 0 } });
    const md = renderMarkdown({ ...report, summary: summarize(rs), results: rs });
    expect(md).toContain('| r/right-rejected | diesel-model-fn | m1 | ❌ validation (false reject) |');
    expect(md).toMatch(/\| false rejects \|.*\| accepted, not compiling \|/);
    expect(renderConsoleSummary({ ...report, summary: summarize(rs), results: rs })).toContain('false rejects 1  accepted, not compiling 1');
  });

  it('Markdown: header facts, the score table, one row per task with why it failed (pipes escaped)', () => {
    const md = renderMarkdown(report);
    expect(md).toMatch(/^# nocodo eval\n/);
    expect(md).toContain('- Prompt tokens: estimate (chars/4)');
    expect(md).toContain('- Skipped: a/handler (mode actix-handler is not implemented yet)');
    expect(md).toContain('| m1 | diesel-model-fn | 3 | **33%** (1/3) | 3/3 | 3/3 | 2/3 | 1/3 | 1 | 0 | 2000 ms / 2000 ms / 3000 ms | 300 + 167 | 64% | 15.0 |');
    expect(md).toContain('| m1 | diesel-model-struct | 1 | **100%** (1/1) | 1/1 | 1/1 | 1/1 | 1/1 | 0 | 0 | 7 ms / 7 ms / 7 ms | – (no model) | – | – |');
    expect(md).not.toContain('cargo check |');
    expect(md).toContain('| a/two | diesel-model-fn | m1 | ❌ reference/checks | wrong: contains `a \\| b` |');
    expect(md).toContain('| a/three | diesel-model-fn | m1 | 🔁 validation | rejected by validation: x |');
    expect(md).toContain('| a/one | diesel-model-fn | m2 | ❌ post-processing | no usable code: y |');
    // Every table row has the same number of cells as its header.
    const table = md.split('\n').filter((l) => l.startsWith('| m1') || l.startsWith('| model'));
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const l of table) expect(cells(l)).toBe(cells(table[0]!));
  });

  it('adds a cargo column once cargo ran, and a console summary per row', () => {
    const withCargo = { ...report, results: results.map((r, i) => (i === 0 ? { ...r, score: { ...r.score, cargo: 'pass' as const } } : r)) };
    withCargo.summary = summarize(withCargo.results);
    expect(renderMarkdown(withCargo)).toContain('| 1 ok, 0 failed, 0 skipped |');
    const text = renderConsoleSummary(report);
    expect(text.split('\n').filter(Boolean)).toHaveLength(5);
    expect(text).toContain('m1  all                  pass@1  50% (2/4)  latency p50 1000 ms  stable prefix 64%');
  });
});
