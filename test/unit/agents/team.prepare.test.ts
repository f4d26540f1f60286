import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/domain';
import { useTeamTestEnv } from './rig';
import { OPEN_FOR_DATE_FN } from './script';

const env = useTeamTestEnv();

/** A ready diesel-model-fn task on the bakery project, made directly in the store. */
function readyTask(store: Awaited<ReturnType<typeof env.makeRig>>['store']): Task {
  const session = store.sessions.create({ title: 'prepare' });
  const epic = store.epics.create({ sessionId: session.id, title: 'Orders', description: 'orders' });
  const task = store.tasks.create({
    epicId: epic.id,
    title: 'Open orders for a pickup date',
    description: 'open orders for a date',
    role: 'backend',
    mode: 'diesel-model-fn',
    target: { struct: 'Order', table: 'orders', function: 'open_for_date' },
    request: 'open orders for a pickup date',
  });
  store.transitionTask(task.id, { to: 'needs_technical_shaping', by: 'project_manager' });
  return store.transitionTask(task.id, { to: 'ready', by: 'engineering_manager' }).task;
}

describe('work before a task runs (the git branch per task)', () => {
  it('a reason from the preparer keeps the task ready and asks no model', async () => {
    const rig = await env.makeRig();
    const task = readyTask(rig.store);
    const seen: string[] = [];
    rig.team.setTaskPreparer(async (t) => {
      seen.push(t.id);
      return 'the branch needs a clean work tree';
    });
    await expect(rig.team.runTask(task.id)).rejects.toThrow(/the branch needs a clean work tree/);
    expect(seen).toEqual([task.id]);
    expect(rig.store.tasks.get(task.id)!.state).toBe('ready');
    expect(env.server.chatRequests()).toHaveLength(0);
  });

  it('no reason: the task runs as before, after the preparer', async () => {
    const rig = await env.makeRig();
    const task = readyTask(rig.store);
    env.server.setScript([{ match: { system: 'Diesel' }, reply: { content: '```rust\n' + OPEN_FOR_DATE_FN + '\n```' } }]);
    const order: string[] = [];
    rig.team.setTaskPreparer(async () => {
      order.push(`prepare:${rig.store.tasks.get(task.id)!.state}`);
      return undefined;
    });
    const outcome = await rig.team.runTask(task.id);
    expect(order).toEqual(['prepare:ready']);
    expect(outcome.kind).toBe('proposal');
  });
});
