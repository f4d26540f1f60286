import { describe, expect, it } from 'vitest';
import { isModelError } from '../../../src/llm/errors';
import { json, wrap } from '../../fixtures/model-server/messy.mjs';
import { EM, PM, PO, REASK, rule, SUMMARY as SUMMARY_SYS, j, useTeamTestEnv, answerRecommended } from './rig';
import { FIRST_MESSAGE, PLAN, SHAPE_FN, SHAPE_SCREEN, SHAPE_STRUCT, SUMMARY, TURN_1, TURN_2 } from './script';

const env = useTeamTestEnv();
const { features: _features, ...summaryWithoutFeatures } = SUMMARY;

describe('malformed model answers at each step are repaired or re-asked', () => {
  it('think blocks, prose, bad JSON, a missing field, near-miss roles and modes', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([
      // PO turn 1: no JSON at all, then a clean answer on the re-ask.
      rule(PO, 'Sure! I would love to help with your bakery. Who will use it?', { lastUser: 'Conversation so far' }),
      rule(PO, j(TURN_1), { lastUser: REASK }),
      // PO turn 2: the JSON inside a think block and prose — repaired without a re-ask.
      rule(PO, wrap.think(wrap.prose(j(TURN_2)))),
      // Summary: a required field missing, then fixed.
      rule(SUMMARY_SYS, j(summaryWithoutFeatures), { lastUser: 'Write the product summary' }),
      rule(SUMMARY_SYS, json.trailingCommas(SUMMARY), { lastUser: REASK }),
      // Plan: "database" and "designer" are mapped; "marketing" is not a role, so the plan is re-asked.
      rule(PM, j({ ...PLAN, tasks: [{ ...PLAN.tasks[0], role: 'database' }, PLAN.tasks[1], { ...PLAN.tasks[2], role: 'marketing' }] }), { lastUser: 'App:' }),
      rule(PM, j({ ...PLAN, tasks: [{ ...PLAN.tasks[0], role: 'database' }, PLAN.tasks[1], { ...PLAN.tasks[2], role: 'designer' }] }), { lastUser: REASK }),
      // Shaping: spelled-differently mode in messy JSON; an unknown mode, re-asked.
      rule(EM, json.worst({ ...SHAPE_STRUCT, mode: 'diesel_model_struct' }), { lastUser: 'Task: Customer record' }),
      rule(EM, j({ ...SHAPE_FN, mode: 'sql-query-builder' }), { lastUser: 'Task: Open orders' }),
      rule(EM, j(SHAPE_FN), { lastUser: REASK }),
      rule(EM, wrap.unclosedThink(j(SHAPE_SCREEN)), { lastUser: 'Task: Orders screen' }),
    ]);

    await team.startSession(FIRST_MESSAGE);
    const asked = team.messages().find((m) => m.questions)!;
    const [bad, good] = store.runs.list({ sessionId: team.sessionId! });
    expect(bad).toMatchObject({ outcome: 'invalid', role: 'productOwner' });
    expect(bad!.diagnostics.some((d) => d.code === 'no-json')).toBe(true);
    expect(good).toMatchObject({ outcome: 'ok', parentRunId: bad!.id });
    expect(asked.runId).toBe(good!.id);
    expect(asked.questions).toHaveLength(2);

    await answerRecommended(rig);
    expect(team.session!.phase).toBe('summary');
    expect(team.session!.summary!.features).toEqual(SUMMARY.features);
    const summaryRuns = store.runs.list({ sessionId: team.sessionId! }).filter((r) => JSON.stringify(r.messages).includes(SUMMARY_SYS));
    expect(summaryRuns.map((r) => r.outcome)).toEqual(['invalid', 'ok']);
    expect(summaryRuns[0]!.diagnostics.map((d) => d.message).join('\n')).toMatch(/features/);

    team.confirmSummary();
    const { tasks } = await team.plan();
    expect(tasks.map((t) => t.role)).toEqual(['db', 'backend', 'ui_designer']);
    expect(store.comments.list(tasks[0]!.id).map((c) => c.body)).toEqual(['The role "database" was read as "db".']);
    const pmRuns = store.runs.list({ sessionId: team.sessionId! }).filter((r) => r.role === 'projectManager');
    expect(pmRuns.map((r) => r.outcome)).toEqual(['invalid', 'ok']);
    expect(pmRuns[0]!.diagnostics.map((d) => d.message).join('\n')).toMatch(/"marketing" is not a role/);

    const shaped = await team.shapeAll();
    expect(shaped.map((t) => [t.title, t.mode, t.state])).toEqual([
      ['Customer record', 'diesel-model-struct', 'ready'],
      ['Open orders for a pickup date', 'diesel-model-fn', 'ready'],
      // A ui_designer task with no mode: left with the user.
      ['Orders screen', undefined, 'needs_technical_shaping'],
    ]);
    const emRuns = store.runs.list({ sessionId: team.sessionId! }).filter((r) => r.role === 'engineeringManager');
    expect(emRuns.map((r) => r.outcome)).toEqual(['ok', 'invalid', 'ok', 'ok']);
    expect(emRuns.every((r) => r.taskId !== undefined)).toBe(true);
    expect(env.server.chatRequests()).toHaveLength(11);
  });

  it('an answer that stays invalid after the re-ask fails clearly and loses nothing; resume retries', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([rule(PO, '{"reflection": "hmm"}', {}, 2)]);
    const err = await team.startSession(FIRST_MESSAGE).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isModelError(err) && err.kind).toBe('invalid-output');
    expect(team.session!.phase).toBe('discovery');
    expect(team.messages().map((m) => m.author)).toEqual(['user']);
    expect(store.runs.list({ sessionId: team.sessionId! }).map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
    expect(team.pendingWork()).toEqual({ kind: 'product-owner-turn' });
    expect(team.busy).toBeUndefined();

    env.server.setScript([rule(PO, j(TURN_1))]);
    expect(await team.resume()).toEqual({ kind: 'product-owner-turn' });
    expect(team.messages().at(-1)!.questions).toHaveLength(2);
  });

  it('sending the same words again after a failed reply ("Try again") does not put them in the chat twice', async () => {
    const rig = await env.makeRig();
    const { team } = rig;
    env.server.setScript([rule(PO, '{"reflection": "hmm"}', {}, 2)]);
    await team.startSession(FIRST_MESSAGE).catch(() => undefined);
    env.server.setScript([rule(PO, j(TURN_1))]);
    await team.sendMessage(FIRST_MESSAGE);
    expect(team.messages().map((m) => m.author)).toEqual(['user', 'product_owner']);
    expect(team.messages().at(-1)!.questions).toHaveLength(2);
  });

  it('a task the Engineering Manager cannot shape stays unshaped with a comment while the others go on', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([
      rule(PO, j(TURN_2)),
      rule(SUMMARY_SYS, j(SUMMARY)),
      rule(PM, j(PLAN)),
      rule(EM, 'I cannot decide.', { anyMessage: 'Task: Customer record' }, 2),
      rule(EM, j(SHAPE_FN), { lastUser: 'Task: Open orders' }),
      rule(EM, j(SHAPE_SCREEN), { lastUser: 'Task: Orders screen' }),
    ]);
    await team.startSession(FIRST_MESSAGE);
    expect(team.session!.phase).toBe('summary');
    team.confirmSummary();
    await team.plan();
    const shaped = await team.shapeAll();
    const struct = shaped.find((t) => t.title === 'Customer record')!;
    expect(struct.technicalNotes).toBeUndefined();
    expect(store.comments.list(struct.id).at(-1)!.body).toMatch(/^I could not shape this task: The model's answer wasn't usable/);
    expect(shaped.find((t) => t.title === 'Open orders for a pickup date')!.state).toBe('ready');
    expect(team.session!.phase).toBe('shaping');
    expect(team.pendingWork()).toEqual({ kind: 'shape', taskIds: [struct.id] });

    env.server.setScript([rule(EM, j(SHAPE_STRUCT))]);
    await team.resume();
    expect(store.tasks.get(struct.id)!.state).toBe('ready');
    expect(team.session!.phase).toBe('building');
  });
});
