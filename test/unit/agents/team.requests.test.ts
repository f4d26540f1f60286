import { describe, expect, it } from 'vitest';
import { EM, PM, PO, rule, SUMMARY as SUMMARY_SYS, j, useTeamTestEnv, type Rig } from './rig';
import { FIRST_MESSAGE, PLAN, SHAPE_FN, SHAPE_SCREEN, SHAPE_STRUCT, SUMMARY, TURN_2 } from './script';

// New requests once the summary is confirmed and the work planned: the chat keeps taking them.
// The fixture model answers like the agents would; rules match the request's words.

const env = useTeamTestEnv();
const REQUEST = 'Customers should leave a review of their order';

const REQUEST_TURN = {
  reflection: 'You want customers to review their orders.',
  questions: [{ text: 'What should a review hold?', kind: 'single', options: ['A rating and a comment', 'Only a rating'], recommended: 0 }],
  done: false,
};
const REQUEST_DONE = { reflection: 'Customers rate an order from 1 to 5 and may add a comment.', questions: [], done: true };
/** The Product Owner's summary of the app with the change; it leaves the Customer entity out. */
const SUMMARY_WITH_REVIEWS = {
  ...SUMMARY,
  users: ['Staff: see and update the orders', 'Customer: reviews an order'],
  entities: [
    { name: 'Order', fields: ['status: text', 'pickup_date: date', 'note: text?'] },
    { name: 'Review', fields: ['rating: integer', 'comment: text?'] },
  ],
  features: ['Staff see the open orders for a pickup date', 'Customers leave a review of an order'],
};
const REVIEW_PLAN = {
  // The Project Manager reuses the app's name: the epic gets the change's name instead.
  epic: 'Bakery Orders',
  goal: 'Customers review their orders.',
  tasks: [
    { title: 'Review record', description: 'A record type for the reviews table.', acceptance: ['rating and comment'], role: 'db', dependsOn: [] },
    { title: 'Reviews of an order', description: 'All reviews of one order.', acceptance: ['Only that order'], role: 'backend', dependsOn: [1] },
  ],
};

/** The app up to a shaped board: the first epic planned from the confirmed summary. */
async function plannedApp(rig: Rig): Promise<void> {
  env.server.setScript([
    rule(PO, j(TURN_2), { lastUser: 'bakery' }),
    rule(SUMMARY_SYS, j(SUMMARY), { lastUser: 'bakery' }),
    rule(PM, j(PLAN), { lastUser: 'pickup_date' }),
    rule(EM, j(SHAPE_STRUCT), { lastUser: 'Task: Customer record' }),
    rule(EM, j(SHAPE_FN), { lastUser: 'Task: Open orders' }),
    rule(EM, j(SHAPE_SCREEN), { lastUser: 'Task: Orders screen' }),
  ]);
  await rig.team.startSession(FIRST_MESSAGE);
  rig.team.confirmSummary();
  await rig.team.plan();
  await rig.team.shapeAll();
  env.server.requests.splice(0);
}

const requestScript = () => [
  rule(PO, j(REQUEST_TURN), { lastUser: { regex: 'review of their order[\\s\\S]*question round 1 of' } }),
  rule(PO, j(REQUEST_DONE), { lastUser: { regex: 'A rating and a comment' } }),
  rule(SUMMARY_SYS, j(SUMMARY_WITH_REVIEWS), { lastUser: { regex: 'review of their order' } }),
  rule(PM, j(REVIEW_PLAN), { lastUser: { regex: 'Review' } }),
];

describe('new requests after the summary is confirmed', () => {
  it('the Product Owner asks about the request, then the Project Manager adds an epic with its tasks to the board', async () => {
    const rig = await env.makeRig();
    const { team, store } = rig;
    await plannedApp(rig);
    const before = team.tasks().map((t) => t.id);
    env.server.setScript(requestScript());

    await team.sendMessage(REQUEST);
    const asked = team.messages().at(-1)!;
    expect(asked).toMatchObject({ author: 'product_owner', content: REQUEST_TURN.reflection });
    expect(asked.questions!.map((q) => q.text)).toEqual(['What should a review hold?']);
    expect(team.pendingWork()).toEqual({ kind: 'user', waitingFor: 'answers' });
    // The Product Owner saw the app so far, then the request.
    const turnPrompt = env.server.chatRequests()[0]!.body.messages.at(-1).content as string;
    expect(turnPrompt).toMatch(/Product Owner wrote this summary:\nApp: Bakery Orders[\s\S]*Customer: Customers should leave a review of their order/);

    await team.answer(asked.id, [{ questionId: asked.questions![0]!.id, selected: [asked.questions![0]!.options[0]!.id] }]);

    const msgs = team.messages();
    const change = msgs.at(-2)!;
    expect(change.author).toBe('product_owner');
    expect(change.content).toBe(
      ['Here is the change I understood:', '- New data: Review (rating, comment)', '- New user: Customer (reviews an order)', '- Customers leave a review of an order'].join('\n'),
    );
    expect(msgs.at(-1)).toMatchObject({ author: 'project_manager', content: 'I added "Change: Customers leave a review of an order" to the board as 2 tasks. The Engineering Manager shapes them next.' });

    // The Project Manager planned only what the request adds.
    const pmPrompt = env.server.chatRequests().find((r) => JSON.stringify(r.body.messages).includes(PM))!.body.messages.at(-1).content as string;
    expect(pmPrompt).toContain('Review: rating (integer), comment (text, optional)');
    expect(pmPrompt).not.toContain('pickup_date');

    // The board: the first epic untouched, the new one with its tasks waiting for shaping.
    const epics = team.epics();
    expect(epics.map((e) => e.title)).toEqual(['Bakery Orders', 'Change: Customers leave a review of an order']);
    const added = team.tasks().filter((t) => !before.includes(t.id));
    expect(added.map((t) => [t.title, t.epicId, t.state])).toEqual([
      ['Review record', epics[1]!.id, 'needs_technical_shaping'],
      ['Reviews of an order', epics[1]!.id, 'needs_technical_shaping'],
    ]);
    expect(added[1]!.dependsOn).toEqual([added[0]!.id]);
    expect(team.pendingWork()).toEqual({ kind: 'shape', taskIds: added.map((t) => t.id) });
    // The app now includes the change; nothing the Product Owner left out is lost.
    expect(team.session!.summary!.entities.map((e) => e.name)).toEqual(['Customer', 'Order', 'Review']);
    expect(team.session!.summaryConfirmed).toBe(true);
    // Every model call of the request is kept with the session.
    expect(store.runs.list({ sessionId: team.sessionId! }).filter((r) => r.role === 'productOwner' || r.role === 'projectManager').length).toBeGreaterThanOrEqual(6);
  });

  it('a request with nothing new changes nothing and says so', async () => {
    const rig = await env.makeRig();
    const { team } = rig;
    await plannedApp(rig);
    env.server.setScript([rule(PO, j(REQUEST_DONE)), rule(SUMMARY_SYS, j(SUMMARY))]);
    const tasks = team.tasks().length;
    await team.sendMessage('Staff should see the open orders for a pickup date');
    expect(team.messages().at(-1)).toMatchObject({ author: 'product_owner', content: expect.stringMatching(/^I see nothing in this request that the app does not already have planned/) });
    expect(team.tasks()).toHaveLength(tasks);
    expect(team.epics()).toHaveLength(1);
    // The board's own work goes on (its ready tasks), nothing waits for the Product Owner.
    expect(team.pendingWork()).toMatchObject({ kind: 'run' });
  });

  it('a request stopped before its answer continues on resume, after a reload', async () => {
    const rig = await env.makeRig();
    await plannedApp(rig);
    env.server.setScript([{ match: { system: PO }, times: 1, reply: { fault: 'status', status: 500 } }]);
    await expect(rig.team.sendMessage(REQUEST)).rejects.toThrow();
    expect(rig.team.messages().at(-1)).toMatchObject({ author: 'user', content: REQUEST });
    const team = await rig.restart();
    expect(team.pendingWork()).toEqual({ kind: 'request' });
    env.server.setScript(requestScript());
    await team.resume();
    expect(team.messages().at(-1)!.questions!.map((q) => q.text)).toEqual(['What should a review hold?']);
    expect(team.messages().filter((m) => m.content === REQUEST)).toHaveLength(1);
  });

  it('before the plan exists, a message after confirming says what happens instead of disappearing', async () => {
    const rig = await env.makeRig();
    const { team } = rig;
    env.server.setScript([rule(PO, j(TURN_2)), rule(SUMMARY_SYS, j(SUMMARY))]);
    await team.startSession(FIRST_MESSAGE);
    team.confirmSummary();
    await team.sendMessage(REQUEST);
    expect(team.messages().at(-1)).toMatchObject({ author: 'system', content: expect.stringMatching(/Project Manager/) });
    expect(team.pendingWork()).toEqual({ kind: 'plan' });
  });
});
