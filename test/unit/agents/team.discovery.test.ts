import { describe, expect, it } from 'vitest';
import { PO, rule, SUMMARY as SUMMARY_SYS, j, useTeamTestEnv } from './rig';
import { FIRST_MESSAGE, SUMMARY, TURN_1 } from './script';

const env = useTeamTestEnv();
const lastUserOf = (i: number) => env.server.chatRequests()[i]!.body.messages.at(-1).content as string;

describe('discovery', () => {
  it('stops asking at the round cap and summarises instead', async () => {
    const rig = await env.makeRig({ settings: { maxQuestionRounds: 1 } });
    env.server.setScript([rule(PO, j(TURN_1)), rule(SUMMARY_SYS, j(SUMMARY))]);
    await rig.team.startSession(FIRST_MESSAGE);
    expect(lastUserOf(0)).toContain('This is question round 1 of at most 1. It is the last round');
    const msg = rig.team.messages().find((m) => m.questions)!;
    await rig.team.answer(
      msg.id,
      msg.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })),
    );
    // No second Product Owner turn: straight to the summary.
    expect(env.server.chatRequests()).toHaveLength(2);
    expect(rig.team.session).toMatchObject({ phase: 'summary', rounds: 1 });
  });

  it('"that\'s enough, summarise" ends the questions; a message about the summary rewrites it', async () => {
    const rig = await env.makeRig();
    const { team } = rig;
    const revised = { ...SUMMARY, features: [...SUMMARY.features, 'Staff print the day list'] };
    env.server.setScript([rule(PO, j(TURN_1)), rule(SUMMARY_SYS, j(SUMMARY)), rule(SUMMARY_SYS, j(revised))]);
    await team.startSession(FIRST_MESSAGE);
    await team.summarise();
    expect(team.messages().map((m) => [m.author, m.summary ? 'summary' : m.questions ? 'questions' : m.content])).toEqual([
      ['user', FIRST_MESSAGE],
      ['product_owner', 'questions'],
      ['user', "That's enough questions: please summarise."],
      ['product_owner', 'summary'],
    ]);
    expect(lastUserOf(1)).toContain("Customer: That's enough questions: please summarise.");

    await team.sendMessage('They also print the list of the day.');
    expect(lastUserOf(2)).toMatch(/Product Owner wrote this summary:\nApp: Bakery Orders[\s\S]*Customer: They also print the list of the day\.\n\nWrite the product summary\./);
    expect(team.session!.summary!.features).toEqual(['Staff see the open orders for a pickup date', 'Staff print the day list']);
    expect(team.session!.summaryConfirmed).toBe(false);
  });

  it('a free message during discovery is taken into account by the next turn', async () => {
    const rig = await env.makeRig();
    const { team } = rig;
    env.server.setScript([rule(PO, j(TURN_1), {}, 2)]);
    team.newSession();
    expect(team.session!.title).toBe('New app');
    await team.sendMessage(FIRST_MESSAGE);
    expect(team.session!.title).toBe(FIRST_MESSAGE.slice(0, 59) + '…');
    await team.sendMessage('Also, customers should not see other orders.');
    expect(lastUserOf(1)).toContain('Customer: Also, customers should not see other orders.\n\nThis is question round 2 of at most 3.');
    expect(team.session!.rounds).toBe(2);
    // The first round's questions were superseded by the user's message: they can no longer be answered.
    const first = team.messages().find((m) => m.questions)!;
    await expect(team.answer(first.id, first.questions!.map((q) => ({ questionId: q.id, selected: [q.options[0]!.id] })))).rejects.toThrow(/already answered/);
  });
});
