import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { evalCompileStep, loadTasks, MemoryProjectFs, type EvalReport } from '../../src/eval';
import { harnessChecker, loadHarness } from '../../src/eval/harness';
import { recordedModelServer } from '../helpers/fixtureModel';

/**
 * `nocodo eval --cargo` on the recorded answers, with the real compiler: the rustc set (answers
 * that look right but do not compile, right ones written in unusual ways), the bakery set and the
 * Actix set. Every answer with a change is compiled, the rejected ones too, so the report counts
 * where nocodo's validation and rustc disagree. The goal is no false reject.
 */

const ROOT = path.resolve(__dirname, '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-cargo-'));
const model = recordedModelServer([path.join(ROOT, 'eval/cargo'), path.join(ROOT, 'eval/tasks')]);

/** rustc set: task → [static checks accept it, rustc compiles it]. */
const RUSTC: Record<string, [boolean, boolean]> = {
  'async-belonging-to': [true, true],
  'async-join': [true, true],
  'async-load-without-await': [false, false],
  'async-with-await': [true, true],
  'async-without-await': [false, false],
  'belonging-to': [true, true],
  'bool-filter-with-string': [true, false],
  'boxed-query': [true, true],
  'column-of-another-table': [true, false],
  'count-as-i32': [true, false],
  'count-as-i64': [true, true],
  'dsl-glob-in-body': [true, true],
  'eq-any-list': [true, true],
  'execute-as-bool': [true, false],
  'exists-query': [true, true],
  'find-then-optional': [true, true],
  'first-returning-vec': [true, false],
  'get-result-as-vec': [true, false],
  'i32-for-int8-param': [true, false],
  'i32-for-int8-result': [true, false],
  'insert-returning-id': [true, true],
  'int4-compared-with-str': [true, false],
  'join-selecting-both': [true, true],
  'join-through-joinable': [true, true],
  'join-without-joinable': [true, false],
  'like-on-int4': [true, false],
  'limit-offset-paging': [true, true],
  'missing-optional': [true, false],
  'nullable-as-non-null': [true, false],
  'nullable-column-as-option': [true, true],
  'nullable-is-null': [true, true],
  'set-text-to-integer': [true, false],
  'sqlite-connection-in-pg-project': [false, false],
  'sync-connection-in-async-project': [false, false],
  'tuple-with-nullable-as-string': [true, false],
  'update-get-result': [true, true],
};

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function evalSet(tasksDir: string, name: string): Promise<EvalReport> {
  // Kept for reading after a run (CI artifacts).
  mkdirSync(path.join(ROOT, 'test/.artifacts'), { recursive: true });
  const out = path.join(ROOT, 'test/.artifacts', `eval-cargo-${name}.json`);
  let err = '';
  const code = await runCli(['eval', '--base-url', model.server().baseUrl, '--tasks', tasksDir, '--cargo', '--cargo-timeout', '1800', '--out', out], {
    stdout: () => undefined,
    stderr: (t) => (err += t),
    cwd: ROOT,
    env: process.env as Record<string, string>,
    stderrIsTTY: false,
  });
  expect(code, err).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8')) as EvalReport;
  expect(report.cargo).toBe('used');
  return report;
}

describe('nocodo eval --cargo on the recorded answers', () => {
  it('rustc set: every verdict as expected, no false reject, and rustc catches what validation lets through', async () => {
    const report = await evalSet(path.join(ROOT, 'eval/cargo'), 'rustc');
    const got = Object.fromEntries(report.results.map((r) => [r.taskId.replace(/^rustc\//, ''), [r.score.consistent, r.score.cargo === 'pass']]));
    expect(got).toEqual(RUSTC);
    const row = report.summary.find((r) => r.mode === 'diesel-model-fn')!;
    expect(row).toMatchObject({ tasks: 36, falseRejects: 0, acceptedNotCompiling: 15, cargo: { pass: 17, fail: 19, skipped: 0 } });
    // A rustc error is located on the answer's own line and told to the model in the re-ask.
    const vec = report.results.find((r) => r.taskId === 'rustc/first-returning-vec')!;
    expect(vec.score.cargoDetail).toMatch(/E0308 mismatched types \(answer line 2\)/);
    expect(vec.calls).toBe(2);
  });

  it('bakery and Actix sets: no false reject, nothing accepted that does not compile', async () => {
    for (const set of ['bakery', 'actix']) {
      const report = await evalSet(path.join(ROOT, 'eval/tasks', set), set);
      const all = report.summary.find((r) => r.mode === 'all')!;
      expect(all.falseRejects, set).toBe(0);
      expect(all.acceptedNotCompiling, set).toBe(0);
      expect(all.cargo.skipped, set).toBe(0);
      expect(all.cargo.pass, set).toBeGreaterThan(0);
    }
  });

  it('corpus-real set: every answer compiles as written in its project’s harness crate, the same code as upstream', async () => {
    const report = await evalSet(path.join(ROOT, 'eval/tasks/corpus-real'), 'corpus-real');
    const harnessed = report.results.filter((r) => HARNESSED.includes(r.taskId.replace(/^corpus-real\//, '')));
    expect(harnessed.map((r) => r.taskId.replace(/^corpus-real\//, '')).sort()).toEqual([...HARNESSED].sort());
    for (const r of harnessed) {
      expect([r.taskId, r.score.cargo, r.score.cargoDetail ?? '']).toEqual([r.taskId, 'pass', '']);
      expect(r.score.pass, r.taskId).toBe(true);
    }
    const all = report.summary.find((r) => r.mode === 'all')!;
    expect(all).toMatchObject({ falseRejects: 0, acceptedNotCompiling: 0 });
    expect(all.cargo.pass).toBe(HARNESSED.length);
  });

  it('a harness crate catches what does not compile: a Vec where the query gives one row, on its own line', async () => {
    const harness = await loadHarness(path.join(ROOT, 'eval/tasks/corpus-real/_crates/rfcbot-rs'));
    const task = (await loadTasks(path.join(ROOT, 'eval/tasks/corpus-real'))).find((t) => t.id === 'corpus-real/existing-proposal')!;
    const original = task.files.get('src/github/nag.rs')!;
    const code = 'fn open_proposals(issue: &Issue) -> DashResult<Vec<FcpProposal>> {\n    let conn = &*DB_POOL.get()?;\n    Ok(fcp_proposal::table.filter(fcp_proposal::fk_issue.eq(issue.id)).first::<FcpProposal>(conn)?)\n}';
    const step = evalCompileStep();
    const checker = harnessChecker(step.checker, harness);
    const changeSet = { mode: 'diesel-model-fn', summary: 'test', files: [{ path: 'src/github/nag.rs', original, proposed: `${original}\n${code}\n`, ops: [] }] };
    const r = await checker.check({ project: new MemoryProjectFs('unused', task.files), changeSet, generated: { file: 'src/github/nag.rs', code } });
    await step.checker.dispose();
    expect(r.ran).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.code, e.line])).toContainEqual(['E0308', 3]);
    expect(r.preExisting).toEqual([]);
  });
});

/** corpus-real tasks with a compile harness (eval/tasks/corpus-real/_crates). */
const HARNESSED = ['existing-proposal', 'concerns-with-authors', 'teams-structs', 'feed', 'find-user', 'favorites-structs', 'service-update', 'remove-policy', 'article-with-author', 'favorited-article-ids', 'create-post-mysql', 'find-by-login', 'keywords-find-or-create'];
