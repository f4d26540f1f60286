import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../../src/domain';
import { TeamError } from '../../../src/agents/errors';
import { EM, waitFor, PM, PO, rule, SUMMARY as SUMMARY_SYS, j, useTeamTestEnv, answerRecommended } from './rig';
import { FIRST_MESSAGE, OPEN_FOR_DATE_FN, PLAN, SHAPE_FN, SHAPE_SCREEN, SHAPE_STRUCT, SUMMARY, TURN_1, TURN_2 } from './script';

const env = useTeamTestEnv();
/** A slow answer: streamed a token every 40 ms, so a test can cancel it midway. */
const slow = (system: string, content: string) => ({ match: { system }, times: 1, reply: { content, tokenDelayMs: 40 } });

describe('cancellation', () => {
  it('cancelling mid-stream leaves a consistent session that continues', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([slow(PO, j(TURN_1)), rule(PO, j(TURN_1))]);
    const ctl = new AbortController();
    rig.deltas.length = 0;
    const started = team.startSession(FIRST_MESSAGE, { signal: ctl.signal });
    // Abort as soon as the answer has started streaming.
    await waitFor(() => rig.deltas.some(([a]) => a === 'product_owner'));
    ctl.abort();
    const err = await started.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TeamError);
    expect((err as TeamError).kind).toBe('cancelled');
    await env.server.waitUntilIdle();
    expect(env.server.chatRequests()[0]!.state).toBe('client-closed');

    // Nothing half-written: the user's message, no questions, no round counted; the run is kept as cancelled.
    expect(team.messages().map((m) => m.author)).toEqual(['user']);
    expect(team.session).toMatchObject({ phase: 'discovery', rounds: 0 });
    expect(store.runs.list({ sessionId: team.sessionId! }).map((r) => r.outcome)).toEqual(['cancelled']);
    expect(team.busy).toBeUndefined();
    expect(team.pendingWork()).toEqual({ kind: 'product-owner-turn' });

    await team.resume();
    expect(team.messages().at(-1)!.questions).toHaveLength(2);
    expect(team.session!.rounds).toBe(1);
  });

  it('team.cancel() during a specialist run puts the task back to ready without a proposal', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([
      rule(PO, j(TURN_2)),
      rule(SUMMARY_SYS, j(SUMMARY)),
      rule(PM, j(PLAN)),
      rule(EM, j(SHAPE_STRUCT), { lastUser: 'Task: Customer record' }),
      rule(EM, j(SHAPE_FN), { lastUser: 'Task: Open orders' }),
      rule(EM, j(SHAPE_SCREEN), { lastUser: 'Task: Orders screen' }),
      { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```', tokenDelayMs: 40 } },
    ]);
    await team.startSession(FIRST_MESSAGE);
    team.confirmSummary();
    await team.plan();
    await team.shapeAll();
    const fnTask = team.tasks().find((t) => t.mode === 'diesel-model-fn')!;
    rig.deltas.length = 0;
    const running = team.runTask(fnTask.id);
    await waitFor(() => rig.deltas.some(([a]) => a === 'backend'));
    expect(store.tasks.get(fnTask.id)!.state).toBe('in_progress');
    await expect(team.startSession('another')).rejects.toThrow(/still running "Open orders for a pickup date"/);
    team.cancel();
    await expect(running).rejects.toMatchObject({ kind: 'cancelled' });
    expect(store.tasks.get(fnTask.id)!.state).toBe('ready');
    expect(store.proposals.list({ taskId: fnTask.id })).toEqual([]);
    expect(store.events.list(fnTask.id).at(-1)).toMatchObject({ from: 'in_progress', to: 'ready', why: 'The run was cancelled.' });
  });
});

describe('guards', () => {
  it('illegal transitions and out-of-order steps are refused with clear messages', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([rule(PO, j(TURN_1)), rule(PO, j(TURN_2)), rule(SUMMARY_SYS, j(SUMMARY)), rule(PM, j(PLAN))]);
    await expect(team.answer('msg_x', [])).rejects.toThrow(/no session yet/);
    await expect(team.startSession('   ')).rejects.toMatchObject({ kind: 'invalid-input' });
    await team.startSession(FIRST_MESSAGE);
    expect(() => team.confirmSummary()).toThrow(/no summary to confirm yet/);
    const asked = team.messages().find((m) => m.questions)!;
    await answerRecommended(rig);
    await expect(team.answer(asked.id, [])).rejects.toThrow(/questions are closed/);
    expect(() => team.confirmSummary({ ...SUMMARY, appName: '' })).toThrow(/cannot be confirmed[\s\S]*appName/);
    team.confirmSummary();
    await team.plan();
    await expect(team.plan()).rejects.toThrow(/already planned/);
    expect(() => team.confirmSummary()).toThrow(/already confirmed/);

    const task = team.tasks()[0]!;
    expect(() => team.moveTask(task.id, 'done')).toThrow(IllegalTransitionError);
    expect(() => team.moveTask(task.id, 'done')).toThrow('A task can\'t go from "Needs technical shaping" to "Done". From here it can go to: "Ready", "Draft", "Blocked".');
    expect(() => team.moveTask(task.id, 'blocked')).toThrow('Say why the task is blocked.');
    expect(() => store.transitionTask(task.id, { to: 'in_progress', by: 'backend' })).toThrow(IllegalTransitionError);
    expect(store.tasks.get(task.id)!.state).toBe('needs_technical_shaping');
    expect(store.events.list(task.id)).toHaveLength(1);
    await expect(team.runTask(task.id)).rejects.toThrow(/"Needs technical shaping"; only a ready task can run/);

    const blocked = team.moveTask(task.id, 'blocked', 'Waiting for the owner');
    expect(blocked).toMatchObject({ state: 'blocked', blockedReason: 'Waiting for the owner' });
    expect(store.events.list(task.id).at(-1)).toMatchObject({ by: 'user', why: 'Waiting for the owner' });
  });
});

describe('resume after a restart', () => {
  it('reopening the database file, a new Team continues each interrupted step', async () => {
    const rig = await env.makeRig();
    env.server.setScript([rule(PO, j(TURN_1)), slow(PO, j(TURN_2))]);
    await rig.team.startSession(FIRST_MESSAGE);
    const sessionId = rig.team.sessionId!;

    // The answers are stored, then the editor closes while the Product Owner is answering.
    const ctl = new AbortController();
    rig.deltas.length = 0;
    const msg = rig.team.messages().find((m) => m.questions)!;
    const answering = rig.team.answer(
      msg.id,
      msg.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })),
      { signal: ctl.signal },
    );
    await waitFor(() => rig.deltas.some(([a]) => a === 'product_owner'));
    ctl.abort();
    await expect(answering).rejects.toMatchObject({ kind: 'cancelled' });

    let team = await rig.restart();
    expect(team.sessionId).toBe(sessionId);
    expect(team.messages().at(-1)!.answers).toHaveLength(2);
    expect(team.pendingWork()).toEqual({ kind: 'product-owner-turn' });
    env.server.setScript([rule(PO, j(TURN_2)), rule(SUMMARY_SYS, j(SUMMARY)), rule(PM, j(PLAN))]);
    expect(await team.resume()).toEqual({ kind: 'product-owner-turn' });
    expect(team.session).toMatchObject({ phase: 'summary', summary: { appName: 'Bakery Orders' } });

    // Confirmed, then closed before planning: a new Team without a session id picks the latest session and plans.
    team.confirmSummary();
    team = await rig.restart({ sessionId: undefined });
    expect(team.sessionId).toBeUndefined();
    expect(await team.resume()).toEqual({ kind: 'plan' });
    expect(team.sessionId).toBe(sessionId);
    expect(team.tasks()).toHaveLength(3);

    // Planned, then closed: resume shapes.
    team = await rig.restart();
    expect(team.pendingWork()).toEqual({ kind: 'shape', taskIds: team.tasks().map((t) => t.id) });
    env.server.setScript([
      rule(EM, j(SHAPE_STRUCT), { lastUser: 'Task: Customer record' }),
      rule(EM, j(SHAPE_FN), { lastUser: 'Task: Open orders' }),
      rule(EM, j(SHAPE_SCREEN), { lastUser: 'Task: Orders screen' }),
      { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```', tokenDelayMs: 40 } },
    ]);
    await team.resume();
    const fnTask = team.tasks().find((t) => t.mode === 'diesel-model-fn')!;
    expect(fnTask.state).toBe('ready');
    expect(team.pendingWork()).toMatchObject({ kind: 'run' });

    // Closed mid-run: the file holds the task in progress (a run stores that before calling the model).
    rig.store.transitionTask(fnTask.id, { to: 'in_progress', by: 'backend', why: 'Running diesel-model-fn.' });
    team = await rig.restart();
    expect(team.tasks().find((t) => t.id === fnTask.id)!.state).toBe('in_progress');
    expect(team.whyNotRunnable(fnTask.id)).toMatch(/only a ready task can run/);
    await team.resume();
    expect(rig.store.tasks.get(fnTask.id)!.state).toBe('ready');
    expect(rig.store.events.list(fnTask.id).at(-1)).toMatchObject({ from: 'in_progress', to: 'ready', by: 'system' });
  });
});
