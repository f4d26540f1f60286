import { describe, it, expect } from 'vitest';
import { allowedTransitions } from '../../../src/domain';
import { toBoardTasks, toProposalSummary, toRunSummary } from '../../../src/protocol/board';
import { BoardTask, ProposalSummary, RunSummary } from '../../../src/protocol/messages';
import { proposal, run, tasks } from '../../webview/fixtures';

describe('board projections', () => {
  const board = new Map(toBoardTasks(tasks).map((t) => [t.id, t]));

  it('offers exactly the state machine\'s transitions', () => {
    for (const t of board.values()) expect(t.transitions).toEqual([...allowedTransitions(t.state)]);
    expect(board.get('t_draft')!.transitions).not.toContain('done');
  });

  it('says why a task cannot run: no mode, not ready, or dependencies not done', () => {
    expect(board.get('t_ready')!.runnable).toEqual({ ok: true });
    expect(board.get('t_wait')!.runnable).toEqual({ ok: false, reason: 'Waiting for "Order handler" to be done.' });
    expect(board.get('t_nomode')!.runnable.reason).toMatch(/stays with you/);
    expect(board.get('t_prog')!.runnable.reason).toMatch(/Only ready tasks/);
    const orphan = toBoardTasks([{ ...tasks[3]!, dependsOn: ['gone'] }])[0]!;
    expect(orphan.runnable.reason).toMatch(/no longer exists/);
    for (const t of board.values()) expect(BoardTask.safeParse(t).success).toBe(true);
  });

  it('summarises runs and proposals within the protocol limits', () => {
    const rs = toRunSummary(run, 'prop_1');
    expect(rs).toMatchObject({ id: 'run_1', errors: 1, warnings: 0, firstTokenMs: 1250, tokensPerSecond: 23.5, completionTokens: 64, proposalId: 'prop_1' });
    expect(RunSummary.safeParse(rs).success).toBe(true);
    const ps = toProposalSummary(proposal);
    expect(ps.files).toEqual([{ path: 'src/models/order.rs', isNew: false, added: 1, removed: 0 }]);
    expect(ProposalSummary.safeParse(ps).success).toBe(true);
    const created = toProposalSummary({ ...proposal, changeSet: { ...proposal.changeSet, files: [{ path: 'a.rs', original: null, proposed: 'x\ny', ops: [] }] } });
    expect(created.files[0]).toMatchObject({ isNew: true, added: 2, removed: 0 });
  });
});
