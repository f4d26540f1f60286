import { describe, expect, it } from 'vitest';
import { PM, SUMMARY as SUMMARY_SYS, useTeamTestEnv, answerRecommended } from './rig';
import { FIRST_MESSAGE, OPEN_FOR_DATE_FN, SHAPE_FN, TURN_1, UNKNOWN_COLUMN_FN, chainedScript, happyScript } from './script';

const env = useTeamTestEnv();

describe('the team, end to end over HTTP with the real store', () => {
  it('first message → questions → answers → summary → epic and tasks → shaping → a Diesel run → accepted → done', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([...happyScript(), { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }]);

    // Discovery: reflection + questions with our ids, the recommended option first.
    const session = await team.startSession(FIRST_MESSAGE);
    expect(session.phase).toBe('discovery');
    expect(session.rounds).toBe(1);
    const asked = team.messages().find((m) => m.questions)!;
    expect(asked.author).toBe('product_owner');
    expect(asked.content).toBe(TURN_1.reflection);
    expect(asked.questions!.map((q) => [q.kind, q.text, q.options.map((o) => o.label), q.allowOther])).toEqual([
      ['single', 'Who will use the app?', ['Bakery staff', 'Customers and staff'], true],
      ['multiple', 'What should the order list show?', ['Pickup date', 'Status', 'Customer name', 'Note'], true],
    ]);
    expect(asked.questions![0]!.options[0]!.recommended).toBe(true);
    expect(asked.runId && store.runs.get(asked.runId)?.sessionId).toBe(session.id);
    expect(rig.deltas.some(([a, t]) => a === 'product_owner' && t.length > 0)).toBe(true);

    // Invalid answers are refused with clear errors, and nothing is stored.
    await expect(team.answer(asked.id, [{ questionId: asked.questions![0]!.id, selected: ['nope'] }])).rejects.toThrow(/has no option "nope"[\s\S]*"What should the order list show\?" has no answer/);
    expect(team.messages()).toHaveLength(2);

    // Answers → the PO is done → summary (two PO calls: the turn, then the summary).
    const q = asked.questions!;
    await team.answer(asked.id, [
      { questionId: q[0]!.id, selected: [q[0]!.options[0]!.id] },
      { questionId: q[1]!.id, selected: [q[1]!.options[1]!.id], other: 'the note' },
    ]);
    const afterAnswers = team.session!;
    expect(afterAnswers.phase).toBe('summary');
    expect(afterAnswers.title).toBe('Bakery Orders');
    expect(afterAnswers.summary).toEqual({
      appName: 'Bakery Orders',
      users: [{ name: 'Staff', description: 'see and update the orders' }],
      entities: [
        { name: 'Customer', fields: [{ name: 'name', type: 'text', required: true }, { name: 'phone', type: 'text', required: false }] },
        { name: 'Order', fields: [{ name: 'status', type: 'text', required: true }, { name: 'pickup_date', type: 'date', required: true }, { name: 'note', type: 'text', required: false }] },
      ],
      features: ['Staff see the open orders for a pickup date'],
      constraints: ['Only staff use the app'],
    });
    const userAnswer = team.messages().find((m) => m.answers)!;
    expect(userAnswer.content).toBe('Who will use the app? → Bakery staff\nWhat should the order list show? → Status; the note');
    // The answers reached the model in words.
    const summaryReq = env.server.chatRequests().find((r) => JSON.stringify(r.body.messages).includes(SUMMARY_SYS))!;
    expect(summaryReq.body.messages.at(-1).content).toContain('What should the order list show? → Status; the note');

    // Planning before confirming is refused; the user confirms with an edit.
    await expect(team.plan()).rejects.toThrow(/Confirm the summary first/);
    const edited = { ...afterAnswers.summary!, constraints: ['Only staff use the app', 'Runs on one laptop'] };
    expect(team.confirmSummary(edited).phase).toBe('planning');
    expect(team.session!.summary!.constraints).toContain('Runs on one laptop');
    expect(env.server.chatRequests().length).toBe(3);

    // Plan: one epic, three tasks, dependencies resolved to ids, every task recorded through shaping.
    const { epic, tasks } = await team.plan();
    expect(epic.title).toBe('Bakery Orders');
    expect(tasks.map((t) => [t.title, t.role, t.state])).toEqual([
      ['Customer record', 'db', 'needs_technical_shaping'],
      ['Open orders for a pickup date', 'backend', 'needs_technical_shaping'],
      ['Orders screen', 'frontend', 'needs_technical_shaping'],
    ]);
    expect(tasks[2]!.dependsOn).toEqual([tasks[1]!.id]);
    expect(store.events.list(tasks[0]!.id).map((e) => [e.from, e.to, e.by])).toEqual([['draft', 'needs_technical_shaping', 'project_manager']]);
    const pmRequest = env.server.chatRequests().find((r) => JSON.stringify(r.body.messages).includes(PM))!;
    expect(pmRequest.body.messages.at(-1).content).toContain('- Runs on one laptop');

    // Shaping: the struct and the function become ready; the screen has no mode and stays with the user.
    const shaped = await team.shapeAll();
    const byTitle = (t: string) => shaped.find((x) => x.title === t)!;
    expect(byTitle('Customer record')).toMatchObject({ state: 'ready', mode: 'diesel-model-struct', target: { table: 'customers', struct: 'Customer' } });
    expect(byTitle('Open orders for a pickup date')).toMatchObject({
      state: 'ready',
      mode: 'diesel-model-fn',
      target: { table: 'orders', struct: 'Order', function: 'open_for_date' },
      request: SHAPE_FN.request,
      dataContract: SHAPE_FN.contract,
    });
    const screen = byTitle('Orders screen');
    expect(screen.state).toBe('needs_technical_shaping');
    expect(screen.mode).toBeUndefined();
    expect(screen.technicalNotes).toMatch(/^No coding mode fits this task: it stays with you/);
    expect(screen.dataContract).toBe(SHAPE_FN.contract); // inherited from the backend task it depends on
    expect(team.session!.phase).toBe('building');
    const fnTask = byTitle('Open orders for a pickup date');
    expect(store.events.list(fnTask.id).at(-1)).toMatchObject({ from: 'needs_technical_shaping', to: 'ready', by: 'engineering_manager' });
    expect(team.whyNotRunnable(screen.id)).toMatch(/only a ready task can run/);

    // The specialist runs the function mode; the proposal waits for review.
    const outcome = await team.runTask(fnTask.id);
    expect(outcome.kind).toBe('proposal');
    if (outcome.kind !== 'proposal') return;
    expect(outcome.task.state).toBe('in_progress');
    expect(outcome.proposal).toMatchObject({ status: 'pending', taskId: fnTask.id, root: rig.projectRoot });
    expect(outcome.proposal.runId && store.runs.get(outcome.proposal.runId)).toMatchObject({ role: 'rustEngineer', taskId: fnTask.id, sessionId: session.id });
    const file = outcome.proposal.changeSet.files[0]!;
    expect(file.path).toBe('src/models/order.rs');
    expect(file.proposed).toContain('pub fn open_for_date(');
    const modeRequest = env.server.chatRequests().at(-1)!;
    expect(JSON.stringify(modeRequest.body.messages)).toContain('open_for_date');
    expect(rig.deltas.some(([a]) => a === 'backend')).toBe(true);
    await expect(team.runTask(fnTask.id)).rejects.toThrow(/waiting for you to accept or reject/);

    // Accepted → done, recorded as the user's decision.
    const decided = team.onProposalDecided(outcome.proposal.id, 'accepted');
    expect(decided.task?.state).toBe('done');
    expect(store.proposals.get(outcome.proposal.id)?.status).toBe('accepted');
    expect(store.events.list(fnTask.id).map((e) => `${e.from}→${e.to} by ${e.by}`)).toEqual([
      'draft→needs_technical_shaping by project_manager',
      'needs_technical_shaping→ready by engineering_manager',
      'ready→in_progress by backend',
      'in_progress→done by user',
    ]);
    expect(() => team.onProposalDecided(outcome.proposal.id, 'rejected')).toThrow(/already accepted/);

    // Every agent call is a stored run of this session.
    const runs = store.runs.list({ sessionId: session.id });
    expect(runs.map((r) => r.role)).toEqual(['productOwner', 'productOwner', 'productOwner', 'projectManager', 'engineeringManager', 'engineeringManager', 'engineeringManager', 'rustEngineer']);
    expect(rig.changes.some((c) => c.kind === 'board')).toBe(true);
  });

  it('a rejected proposal sends the task back to ready with the reason, which the next run receives', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    env.server.setScript([...happyScript(), { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }]);
    await team.startSession(FIRST_MESSAGE);
    await answerRecommended(rig);
    team.confirmSummary();
    await team.plan();
    await team.shapeAll();
    const fnTask = team.tasks().find((t) => t.mode === 'diesel-model-fn')!;

    const first = await team.runTask(fnTask.id);
    if (first.kind !== 'proposal') throw new Error(`expected a proposal, got ${first.kind}`);
    const decided = team.onProposalDecided(first.proposal.id, 'rejected', 'Sort by customer name, not id.');
    expect(decided.task?.state).toBe('ready');
    expect(store.proposals.get(first.proposal.id)).toMatchObject({ status: 'rejected', rejectionReason: 'Sort by customer name, not id.' });
    expect(store.runs.get(first.proposal.runId!)?.rejection?.reason).toBe('Sort by customer name, not id.');
    expect(store.comments.list(fnTask.id).at(-1)).toMatchObject({ author: 'user', body: 'Rejected the proposed change: Sort by customer name, not id.' });

    const second = await team.runTask(fnTask.id);
    expect(JSON.stringify(env.server.chatRequests().at(-1)!.body.messages)).toContain('Sort by customer name, not id.');
    if (second.kind !== 'proposal') throw new Error(`expected a proposal, got ${second.kind}`);

    // Moving the task back by hand leaves its proposal stale: deciding it later is refused.
    expect(team.moveTask(fnTask.id, 'ready', 'I will write it myself').state).toBe('ready');
    expect(store.proposals.get(second.proposal.id)!.status).toBe('stale');
    expect(() => team.onProposalDecided(second.proposal.id, 'accepted')).toThrow(/already stale/);
    expect(store.tasks.get(fnTask.id)!.state).toBe('ready');
  });

  it('with auto-run, ready tasks whose dependencies are done run by themselves after shaping', async () => {
    const rig = await env.makeRig({ settings: { autoRun: true } });
    const { team, store } = rig;
    env.server.setScript([...happyScript(), { match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }]);
    await team.startSession(FIRST_MESSAGE);
    await answerRecommended(rig);
    team.confirmSummary();
    await team.plan();
    const readyAfterShaping = (await team.shapeAll()).filter((t) => t.state === 'ready');
    expect(readyAfterShaping.length).toBeGreaterThanOrEqual(1);
    await team.idle();
    expect(rig.errors).toEqual([]);
    // Every task that was ready ran exactly once, by itself; the manual screen task did not run.
    for (const t of readyAfterShaping) expect(store.events.list(t.id).filter((e) => e.to === 'in_progress')).toHaveLength(1);
    const screen = team.tasks().find((t) => t.title === 'Orders screen')!;
    expect(store.events.list(screen.id).some((e) => e.to === 'in_progress')).toBe(false);
    const fnTask = team.tasks().find((t) => t.mode === 'diesel-model-fn')!;
    expect(fnTask.state).toBe('in_progress');
    const pending = store.proposals.list({ taskId: fnTask.id, status: 'pending' });
    expect(pending).toHaveLength(1);
    team.onProposalDecided(pending[0]!.id, 'accepted');
    await team.idle();
    expect(store.tasks.get(fnTask.id)!.state).toBe('done');
  });

  it('a mode failure puts the task back to ready with the diagnostics as a comment', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    const badFn = OPEN_FOR_DATE_FN.replace('orders::status.eq("open")', 'orders::colour.eq("open")');
    env.server.setScript([...happyScript(), { match: { system: 'Diesel' }, times: 2, reply: { content: '```rust\n' + badFn + '\n```' } }]);
    await team.startSession(FIRST_MESSAGE);
    await answerRecommended(rig);
    team.confirmSummary();
    await team.plan();
    await team.shapeAll();
    const fnTask = team.tasks().find((t) => t.mode === 'diesel-model-fn')!;

    const outcome = await team.runTask(fnTask.id);
    expect(outcome.kind).toBe('failed');
    expect(store.tasks.get(fnTask.id)!.state).toBe('ready');
    expect(store.proposals.list({ taskId: fnTask.id })).toEqual([]);
    const comment = store.comments.list(fnTask.id).at(-1)!;
    expect(comment.author).toBe('backend');
    expect(comment.body).toMatch(/^The diesel-model-fn run produced no usable change\.\n- /);
    expect(comment.body).toContain('colour');
    expect(store.events.list(fnTask.id).slice(-2).map((e) => `${e.from}→${e.to} by ${e.by}`)).toEqual(['ready→in_progress by backend', 'in_progress→ready by backend']);
    // The screen that needs the function is stopped, and its card says why and what to do.
    const screen = team.tasks().find((t) => t.title === 'Orders screen')!;
    const stopped = store.comments.list(screen.id).at(-1)!;
    expect(stopped.author).toBe('system');
    expect(stopped.body).toBe('Stopped: "Open orders for a pickup date" failed (The run produced no usable change), and this task needs it. Retry "Open orders for a pickup date", edit its request, or take it over; this task can run once it is done.');
    // Independent tasks get no such comment.
    const struct = team.tasks().find((t) => t.title === 'Customer record')!;
    expect(store.comments.list(struct.id).some((c) => c.body.startsWith('Stopped:'))).toBe(false);
    // Both attempts (answer and re-ask) are stored as runs of the task, marked invalid.
    expect(store.runs.list({ taskId: fnTask.id }).filter((r) => r.role === 'rustEngineer').map((r) => r.outcome)).toEqual(['invalid', 'invalid']);
  });

  it('with auto-run, a task the user took over is never run by a specialist, nor reset by a restart; done by hand, what it stopped runs by itself', async () => {
    const rig = await env.makeRig({ settings: { autoRun: true } });
    env.server.setScript(chainedScript([UNKNOWN_COLUMN_FN, UNKNOWN_COLUMN_FN]));
    await rig.team.startSession(FIRST_MESSAGE);
    await answerRecommended(rig);
    rig.team.confirmSummary();
    await rig.team.plan();
    await rig.team.shapeAll();
    await rig.team.idle();
    const byTitle = (title: string) => rig.team.tasks().find((t) => t.title === title)!;
    const fn = byTitle('Open orders for a pickup date');
    const record = byTitle('Customer record');
    // Auto-run ran the function (it failed); the record waits for it and was not run.
    expect(rig.store.events.list(fn.id).filter((e) => e.to === 'in_progress')).toHaveLength(1);
    expect(fn.state).toBe('ready');
    expect(rig.store.events.list(record.id).some((e) => e.to === 'in_progress')).toBe(false);
    expect(rig.store.comments.list(record.id).at(-1)!.body).toMatch(/^Stopped: "Open orders for a pickup date" failed/);

    expect(rig.team.takeOverTask(fn.id).state).toBe('in_progress');
    expect(() => rig.team.takeOverTask(fn.id)).toThrow(/already taken "Open orders for a pickup date" over/);
    expect(rig.team.runnableTasks()).toEqual([]);
    // A restart does not take it for an interrupted run, and auto-run leaves it alone.
    const calls = env.server.chatRequests().length;
    const team = await rig.restart();
    await team.resume();
    await team.idle();
    expect(rig.store.tasks.get(fn.id)!.state).toBe('in_progress');
    expect(rig.store.events.list(fn.id).filter((e) => e.to === 'in_progress').map((e) => e.by)).toEqual(['backend', 'user']);
    expect(env.server.chatRequests()).toHaveLength(calls);

    // Done by hand: the stop is lifted and the record runs by itself (no model: the struct is derived from the table).
    team.moveTask(fn.id, 'done', 'Written by hand.');
    await team.idle();
    expect(rig.errors).toEqual([]);
    expect(rig.store.comments.list(record.id).map((c) => c.body)).toContain('No longer stopped: "Open orders for a pickup date" is done, and this task needs nothing else.');
    expect(rig.store.tasks.get(record.id)!.state).toBe('in_progress');
    expect(rig.store.proposals.list({ taskId: record.id, status: 'pending' })).toHaveLength(1);
  });
});
