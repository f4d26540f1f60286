import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCompileChecker } from '../../src/compile';
import { sharedTargetDir } from '../../src/compile/paths';
import { useTeamTestEnv, type Rig } from '../unit/agents/rig';
import { OPEN_FOR_DATE_FN, shapedFnTask } from '../unit/agents/script';

/**
 * A task run from the board with the real compiler: the same compile step as Generate… checks the
 * specialist's change in a shadow copy, and the run keeps what cargo said. The team's test project
 * gets the bakery's Cargo.toml and Cargo.lock, so its dependencies are the ones .ci/run built.
 */

const env = useTeamTestEnv();
const BAKERY = path.resolve(__dirname, '../fixtures/bakery');
// One checker for the file, as the extension keeps one per session (the rig's folders go after each test).
const cacheDir = mkdtempSync(path.join(tmpdir(), 'nocodo-board-cargo-'));
const checker = createCompileChecker({ cacheDir, targetDirFor: () => sharedTargetDir(), timeoutMs: 1_500_000 });
afterAll(async () => {
  await checker.dispose();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** The team's project with the bakery's dependencies (Cargo.toml and Cargo.lock). */
const withBakeryDependencies = (rig: Rig) => () => {
  writeFileSync(path.join(rig.projectRoot, 'Cargo.toml'), readFileSync(path.join(BAKERY, 'Cargo.toml'), 'utf8'));
  copyFileSync(path.join(BAKERY, 'Cargo.lock'), path.join(rig.projectRoot, 'Cargo.lock'));
};

describe('cargo check in a board task run (real cargo)', () => {
  it('the change compiles: the run records it, the proposal says "compiles", its checks ran cargo check', async () => {
    const rig = await env.makeRig({ compile: () => ({ checker, setting: 'auto' }) });
    const fnTask = await shapedFnTask(rig, [OPEN_FOR_DATE_FN], withBakeryDependencies(rig));
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error(`expected a proposal, got ${out.kind}: ${JSON.stringify(out)}`);
    const run = rig.store.runs.get(out.proposal.runId!)!;
    expect(run.compile, run.compile?.output).toMatchObject({ ran: true, ok: true, errors: [], preExisting: 0, staticOk: true });
    expect(run.compile!.ms).toBeGreaterThan(0);
    expect(out.proposal.changeSet.summary).toMatch(/ — compiles$/);
    expect(rig.store.proposals.get(out.proposal.id)!.checks).toMatchObject({ passed: true, ran: ['validation', 'cargo check'] });
  });

  it('a change rustc refuses twice: both runs keep the errors on the answer’s lines, the re-ask carried them, the task goes back to ready', async () => {
    // An Int4 column compared with a &str: nocodo's own checks let it through.
    const wrong = 'pub fn with_customer(conn: &mut PgConnection, customer: &str) -> QueryResult<Vec<Order>> {\n    orders::table\n        .filter(orders::customer_id.eq(customer))\n        .select(Order::as_select())\n        .load(conn)\n}';
    const rig = await env.makeRig({ compile: () => ({ checker, setting: 'auto' }) });
    const fnTask = await shapedFnTask(rig, [wrong, wrong], withBakeryDependencies(rig));
    const out = await rig.team.runTask(fnTask.id);
    expect(out.kind).toBe('failed');
    const runs = rig.store.runs.list({ taskId: fnTask.id }).filter((r) => r.mode === 'diesel-model-fn');
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      expect(r.compile).toMatchObject({ ran: true, ok: false, staticOk: true });
      expect(r.compile!.errors[0]).toMatchObject({ line: 3, code: 'E0277' });
      expect(r.compile!.output).toContain('error[E0277]');
    }
    expect(JSON.stringify(env.server.chatRequests().at(-1)!.body.messages)).toContain('rustc: error[E0277]');
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('ready');
  });
});
