import { describe, expect, it } from 'vitest';
import { createCompileChecker, skippingChecker } from '../../../src/compile';
import { tempDir } from './project';
import { useTeamTestEnv } from './rig';
import { OPEN_FOR_DATE_FN, shapedFnTask } from './script';

/**
 * Board runs use the compile step of Generate… (the extension hands both the same
 * CompileCheckFeature step): each run of a Rust task records what cargo said, or why it did not
 * run, in the store with the run. Real cargo compiling a change is the cargo layer's part; here
 * the real checker meets a machine without cargo, and Restricted Mode's skipping checker.
 */

const env = useTeamTestEnv();

describe('cargo check in board task runs', () => {
  it('cargo missing: the run records the skip reason, the proposal says it was not checked, the user is told once, and it survives a restart', async () => {
    const notices: string[] = [];
    const cacheDir = tempDir();
    // The real checker on a machine without cargo: nothing on PATH, no ~/.cargo/bin.
    const checker = createCompileChecker({ cacheDir, env: { PATH: '/nonexistent', HOME: cacheDir }, onNotice: (m) => notices.push(m) });
    let steps = 0;
    const rig = await env.makeRig({ compile: () => (steps++, { checker, setting: 'auto' }) });
    const fnTask = await shapedFnTask(rig, [OPEN_FOR_DATE_FN, OPEN_FOR_DATE_FN]);

    const first = await rig.team.runTask(fnTask.id);
    if (first.kind !== 'proposal') throw new Error(`expected a proposal, got ${first.kind}`);
    const run = rig.store.runs.get(first.proposal.runId!)!;
    expect(run.compile).toMatchObject({ ran: false, ok: false, errors: [], preExisting: 0, staticOk: true, output: '' });
    expect(run.compile!.skipped).toMatch(/^cargo is not installed or does not run \(not on PATH nor in ~\/\.cargo\/bin\)/);
    expect(first.proposal.changeSet.summary).toMatch(/ — not checked with cargo: cargo is not installed/);
    expect(rig.store.proposals.get(first.proposal.id)!.checks).toMatchObject({ passed: true, notRun: ['cargo check'] });

    // A second run in the same session: the step is read again, the user is not told again.
    rig.team.onProposalDecided(first.proposal.id, 'rejected', 'Name it open_on.');
    const second = await rig.team.runTask(fnTask.id);
    if (second.kind !== 'proposal') throw new Error(`expected a proposal, got ${second.kind}`);
    expect(rig.store.runs.get(second.proposal.runId!)!.compile!.skipped).toBe(run.compile!.skipped);
    expect(steps).toBe(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^nocodo: cargo is not installed/);

    await rig.restart();
    expect(rig.store.runs.get(first.proposal.runId!)!.compile).toEqual(run.compile);
    await checker.dispose();
  });

  it('Restricted Mode: the run records why cargo was not run', async () => {
    const why = 'Restricted Mode: cargo check runs the project’s build scripts and macros, so it only runs in a trusted workspace';
    const rig = await env.makeRig({ compile: () => ({ checker: skippingChecker(why), setting: 'auto' }) });
    const fnTask = await shapedFnTask(rig, [OPEN_FOR_DATE_FN, OPEN_FOR_DATE_FN]);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error(`expected a proposal, got ${out.kind}`);
    expect(rig.store.runs.get(out.proposal.runId!)!.compile).toMatchObject({ ran: false, skipped: why, staticOk: true });
    expect(out.proposal.changeSet.summary).toContain(`not checked with cargo: ${why}`);
  });

  it('the setting off: no check, and the run has no compile record', async () => {
    const rig = await env.makeRig({ compile: () => undefined });
    const fnTask = await shapedFnTask(rig, [OPEN_FOR_DATE_FN, OPEN_FOR_DATE_FN]);
    const out = await rig.team.runTask(fnTask.id);
    if (out.kind !== 'proposal') throw new Error(`expected a proposal, got ${out.kind}`);
    expect(rig.store.runs.get(out.proposal.runId!)!.compile).toBeUndefined();
    expect(out.proposal.changeSet.summary).not.toContain('cargo');
  });
});
