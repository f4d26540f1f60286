import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { allowedTransitions } from '../../src/domain';
import { toBoardTasks } from '../../src/protocol/board';
import type { HostMessage } from '../../src/protocol/messages';
import { button, field, hasButton, mountWithState, teardown, tick, typeInto } from './harness';
import { stateMessage, tasks } from './fixtures';

afterEach(teardown);

const board = (c: HTMLElement) => c.querySelector<HTMLElement>('#panel-board')!;
const openBoard = (c: HTMLElement) => fireEvent.click(c.querySelector('#tab-board')!);
const card = (c: HTMLElement, title: string) => [...board(c).querySelectorAll<HTMLElement>('button.card')].find((b) => b.querySelector('.card-title')!.textContent === title)!;
const moveButtons = (c: HTMLElement) => [...board(c).querySelectorAll<HTMLElement>('.move-buttons vscode-button')].map((b) => b.dataset.to ?? b.getAttribute('data-to'));

function detail(taskId: string, over: Partial<Extract<HostMessage, { type: 'taskDetail' }>> = {}): HostMessage {
  const task = toBoardTasks(tasks).find((t) => t.id === taskId)!;
  return { type: 'taskDetail', task, events: [], comments: [], runs: [], ...over };
}

describe('board', () => {
  it('names modes by their titles when the host lists them', async () => {
    const m = await mountWithState({ modes: [{ id: 'diesel-model-fn', title: 'Diesel model function' }] });
    openBoard(m.container);
    expect(card(m.container, 'Insert an order').textContent).toContain('Diesel model function');
    expect(card(m.container, 'Insert an order').textContent).not.toContain('diesel-model-fn');
  });

  it('puts a shaped task that no coding mode fits in "Stays with you", not in the shaping queue', async () => {
    const shapedByHand = tasks.map((t) => (t.id === 't_shape' ? { ...t, technicalNotes: 'No coding mode fits this task: it stays with you.' } : t));
    const m = await mountWithState({ board: { epics: [], tasks: toBoardTasks(shapedByHand) } });
    openBoard(m.container);
    const heads = [...board(m.container).querySelectorAll('.column-head')].map((h) => h.textContent!.trim());
    expect(heads).toEqual(['Blocked1', 'Draft1', 'Needs technical shaping0', 'Ready3', 'In progress1', 'Done1', 'Stays with you1']);
    expect(board(m.container).querySelector('.column-with-user')!.textContent).toContain('Orders screen');
  });

  it('shows a column per state with counts, blocked first, and cards with title, role and mode', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    const heads = [...board(m.container).querySelectorAll('.column-head')].map((h) => h.textContent!.trim());
    expect(heads).toEqual(['Blocked1', 'Draft1', 'Needs technical shaping1', 'Ready3', 'In progress1', 'Done1']);
    const ready = card(m.container, 'Insert an order');
    expect(ready.textContent).toContain('Backend Engineer');
    expect(ready.textContent).toContain('diesel-model-fn');
    expect(card(m.container, 'Print labels').textContent).toContain('stays with you');
    expect(card(m.container, 'Email customers').textContent).toContain('No mail server yet');
    expect(m.container.querySelector('#tab-board .badge')!.textContent).toBe('1');
  });

  it('says what to do when there are no tasks', async () => {
    const m = await mountWithState({ board: { epics: [], tasks: [] } });
    openBoard(m.container);
    expect(board(m.container).textContent).toContain('No tasks yet');
    expect(board(m.container).textContent).toContain('confirm the Product Owner');
  });

  it('opens a task: asks the host for its detail and shows description, criteria, notes, history and comments', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Insert an order'));
    expect(m.last('openTask')).toMatchObject({ taskId: 't_ready' });
    m.host(
      detail('t_ready', {
        events: [{ id: 'e1', taskId: 't_ready', from: 'needs_technical_shaping', to: 'ready', by: 'engineering_manager', at: 5, why: 'Shaped as a Diesel function' }],
        comments: [{ id: 'c1', taskId: 't_ready', author: 'user', body: 'Orders need a pickup time <b>too</b>', createdAt: 6 }],
      }),
    );
    const view = board(m.container);
    await waitFor(() => expect(view.textContent).toContain('Shaped as a Diesel function'));
    expect(view.querySelector('.detail-title')!.textContent).toBe('Insert an order');
    expect(view.textContent).toContain('Description of t_ready');
    expect([...view.querySelectorAll('.criteria li')].map((l) => l.textContent)).toEqual(['Returns the stored order', 'Rejects an empty customer name']);
    expect(view.textContent).toContain('Order::create(conn, NewOrder)');
    expect(view.textContent).toContain('Needs technical shaping → Ready');
    expect(view.querySelector('.comment .plain')!.textContent).toBe('Orders need a pickup time <b>too</b>');
    expect(view.querySelector('.comment b')).toBeNull();
    expect(m.saved()).toMatchObject({ tab: 'board', selectedTaskId: 't_ready' });
    fireEvent.click(button(view, /Board/));
    expect(card(m.container, 'Insert an order')).toBeDefined();
  });

  it('offers exactly the transitions the state machine allows, for every task', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    for (const t of tasks) {
      fireEvent.click(card(m.container, t.title));
      await tick();
      expect(moveButtons(m.container), t.id).toEqual([...allowedTransitions(t.state)]);
      fireEvent.click(button(board(m.container), /Board/));
    }
  });

  it('never offers a transition the state machine forbids, even if the host lists it', async () => {
    const bad = toBoardTasks(tasks).map((t) => (t.id === 't_draft' ? { ...t, transitions: ['done' as const, 'needs_technical_shaping' as const] } : t));
    const m = await mountWithState({ board: { epics: [], tasks: bad } });
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Decide order statuses'));
    await tick();
    expect(moveButtons(m.container)).toEqual(['needs_technical_shaping']);
  });

  it('moves a task; Blocked needs a reason first', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Decide order statuses'));
    await tick();
    const view = board(m.container);
    fireEvent.click(button(view, /Blocked/));
    expect(m.sent('moveTask')).toHaveLength(0);
    expect(view.querySelector('[role=alert]')!.textContent).toContain('Say why');

    typeInto(field(view, 'Reason for the move (needed for Blocked)'), 'Waiting for the owner');
    fireEvent.click(button(view, /Blocked/));
    expect(m.last('moveTask')).toMatchObject({ taskId: 't_draft', to: 'blocked', why: 'Waiting for the owner' });
    m.fail('moveTask', 'conflict', 'Someone else moved it.');
    await waitFor(() => expect(view.querySelector('[role=alert]')!.textContent).toContain('Someone else moved it.'));

    fireEvent.click(button(view, /Needs technical shaping/));
    expect(m.last('moveTask')).toMatchObject({ taskId: 't_draft', to: 'needs_technical_shaping' });
    const before = m.sent('openTask').length;
    m.reply('moveTask');
    // After a move the detail is fetched again so the history shows it.
    await waitFor(() => expect(m.sent('openTask').length).toBe(before + 1));
  });

  it("shows the task's commits; a file opens its diff, Revert and Finish go to the host", async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Insert an order'));
    const hash = 'a'.repeat(40);
    m.host(
      detail('t_ready', {
        git: {
          commits: [{ hash, short: 'aaaaaaa', subject: 'diesel-model-fn: Insert an order', at: 7, runId: 'r1', revert: false, files: ['src/models/order.rs', 'src/schema.rs'] }],
          canRevert: true,
          branch: 'nocodo/t_ready-insert-an-order',
        },
      }),
    );
    const view = board(m.container);
    await waitFor(() => expect(view.textContent).toContain('diesel-model-fn: Insert an order'));
    expect(view.querySelector('.commits code.hash')!.textContent).toBe('aaaaaaa');
    fireEvent.click(button(view, 'src/schema.rs'));
    expect(m.last('openCommitDiff')).toMatchObject({ taskId: 't_ready', hash, file: 'src/schema.rs' });
    fireEvent.click(button(view, /Revert this task/));
    expect(m.last('revertTask')).toMatchObject({ taskId: 't_ready' });
    fireEvent.click(button(view, /Finish/));
    expect(m.last('finishTask')).toMatchObject({ taskId: 't_ready' });
    m.fail('openCommitDiff', 'not_found', 'That commit or file is not part of the task any more.');
    await waitFor(() => expect(view.textContent).toContain('not part of the task any more'));
  });

  it('without git facts there is no Commits section; with no commits yet it says so and offers no revert', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Insert an order'));
    m.host(detail('t_ready'));
    const view = board(m.container);
    await waitFor(() => expect(view.textContent).toContain('No moves yet'));
    expect(view.querySelector('#task-commits')).toBeNull();
    m.host(detail('t_ready', { git: { commits: [], canRevert: false } }));
    await waitFor(() => expect(view.textContent).toContain('No commits yet'));
    expect(hasButton(view, /Revert this task/)).toBe(false);
    expect(hasButton(view, /Finish/)).toBe(false);
  });

  it('adds a comment; the draft is kept in the view state until it is sent', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Orders screen'));
    m.host(detail('t_shape'));
    const view = board(m.container);
    await waitFor(() => expect(view.textContent).toContain('No comments yet'));
    const add = () => button(view, /Add comment/);
    expect(add().disabled).toBe(true);
    typeInto(field(view, 'New comment'), 'Show the pickup time in bold');
    expect(m.saved()).toMatchObject({ commentDrafts: { t_shape: 'Show the pickup time in bold' } });
    fireEvent.click(add());
    expect(m.last('addComment')).toMatchObject({ taskId: 't_shape', body: 'Show the pickup time in bold' });
    m.reply('addComment');
    m.host(detail('t_shape', { comments: [{ id: 'c9', taskId: 't_shape', author: 'user', body: 'Show the pickup time in bold', createdAt: 9 }] }));
    await waitFor(() => expect(view.querySelector('.comment')?.textContent).toContain('Show the pickup time in bold'));
    expect((m.saved() as { commentDrafts?: Record<string, string> }).commentDrafts?.t_shape).toBeUndefined();
  });

  it('"Run" runs a ready task whose dependencies are done, and opens its run', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Insert an order'));
    await tick();
    const run = button(board(m.container), /Run/);
    expect(run.disabled).toBe(false);
    fireEvent.click(run);
    expect(m.last('runTask')).toMatchObject({ taskId: 't_ready' });
    expect(hasButton(m.container, 'Stop')).toBe(true);
    m.reply('runTask', { runId: 'run_1' });
    await waitFor(() => expect(m.last('openRun')).toMatchObject({ runId: 'run_1' }));
    expect(m.container.querySelector('#tab-runs')!.getAttribute('aria-selected')).toBe('true');
  });

  it('"Run" is disabled with the reason when dependencies are not done or the task has no mode', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    fireEvent.click(card(m.container, 'List orders'));
    await tick();
    let run = button(board(m.container), /Run/);
    expect(run.disabled).toBe(true);
    expect(board(m.container).textContent).toContain('Waiting for "Order handler" to be done.');
    fireEvent.click(run);
    expect(m.sent('runTask')).toHaveLength(0);

    fireEvent.click(button(board(m.container), /Board/));
    fireEvent.click(card(m.container, 'Print labels'));
    await tick();
    run = button(board(m.container), /Run/);
    expect(run.disabled).toBe(true);
    expect(board(m.container).textContent).toContain('stays with you');
    expect(document.getElementById(run.getAttribute('aria-describedby')!)!.textContent).toContain('stays with you');
  });
});

describe('a failed task and the tasks it stops', () => {
  const failedBoard = (over: (t: ReturnType<typeof toBoardTasks>[number]) => object = () => ({})) =>
    toBoardTasks(tasks.map((t) => (t.id === 't_ready' ? { ...t, request: 'Insert the order and return it.' } : t))).map((t) => ({
      ...t,
      progress: t.id === 't_ready' ? { status: 'failed' as const, workMs: 2_500, attempts: 2 } : { status: 'todo' as const, workMs: 0, attempts: 0 },
      ...(t.id === 't_wait' ? { stoppedBy: { taskId: 't_ready', title: 'Insert an order' } } : {}),
      ...over(t),
    }));

  /** The board with "Insert an order" failed, its detail open. */
  async function openFailedTask() {
    const m = await mountWithState({ board: { epics: [], tasks: failedBoard() } });
    openBoard(m.container);
    fireEvent.click(card(m.container, 'Insert an order'));
    await tick();
    return { m, view: board(m.container) };
  }

  it('the stopped card says which task stopped it; its detail links to that task', async () => {
    const m = await mountWithState({ board: { epics: [], tasks: failedBoard() } });
    openBoard(m.container);
    expect(card(m.container, 'List orders').querySelector('.stopped-note')!.textContent!.trim()).toBe('Stopped: “Insert an order” failed');
    expect(card(m.container, 'Insert an order').querySelector('.stopped-note')).toBeNull();
    fireEvent.click(card(m.container, 'List orders'));
    await tick();
    const note = board(m.container).querySelector('[role=note].stopped-note')!;
    expect(note.textContent).toContain('Stopped: “Insert an order” failed, and this task needs it.');
    fireEvent.click(button(note, 'open “Insert an order”'));
    expect(m.last('openTask')).toMatchObject({ taskId: 't_ready' });
    await waitFor(() => expect(board(m.container).querySelector('.detail-title')!.textContent).toBe('Insert an order'));
  });

  it('Run again, and the request edited first: sent to the host, its refusal shown beside the field', async () => {
    const { m, view } = await openFailedTask();
    expect(view.textContent).toContain('The last run failed');
    expect(view.querySelector('.task-time')!.textContent!.trim()).toBe('In progress so far: 2.5 s over 2 tries');

    fireEvent.click(button(view, /Edit request/));
    const box = field(view, 'The request for the specialist') as HTMLElement & { value: string };
    expect(box.value).toBe('Insert the order and return it.');
    typeInto(box, '');
    expect(button(view, /Save request/).disabled).toBe(true);
    typeInto(box, 'Insert the order; the customer name must not be empty.');
    expect(view.textContent).toContain(`54 of 2000 characters`);
    fireEvent.click(button(view, /Save request/));
    expect(m.last('editTaskRequest')).toMatchObject({ taskId: 't_ready', request: 'Insert the order; the customer name must not be empty.' });
    m.fail('editTaskRequest', 'conflict', 'A specialist is working on "Insert an order" now; stop the run first to change its request.');
    await waitFor(() => expect(view.querySelector('[role=alert]')!.textContent).toContain('stop the run first'));
    // Still editing, nothing lost; the second try goes through and the editor closes.
    fireEvent.click(button(view, /Save request/));
    const opened = m.sent('openTask').length;
    m.reply('editTaskRequest');
    await waitFor(() => expect(hasButton(view, /Save request/)).toBe(false));
    expect(m.sent('openTask').length).toBe(opened + 1);

    fireEvent.click(button(view, 'Run again'));
    expect(m.last('runTask')).toMatchObject({ taskId: 't_ready' });
  });

  it('Take it over, then Mark done: the task is the user\'s on the board until it is done', async () => {
    const { m, view } = await openFailedTask();
    fireEvent.click(button(view, /Take it over/));
    expect(m.last('takeOverTask')).toMatchObject({ taskId: 't_ready' });
    m.reply('takeOverTask');
    const taken = failedBoard((t) =>
      t.id === 't_ready'
        ? { state: 'in_progress', transitions: ['done', 'ready', 'blocked'], runnable: { ok: false, reason: '"Insert an order" is yours: you took it over. Mark it done when you have done it.' }, progress: { status: 'yours', workMs: 3_000, attempts: 3 } }
        : t.id === 't_wait'
          ? { stoppedBy: undefined }
          : {},
    );
    m.host(stateMessage({ board: { epics: [], tasks: taken } }));
    await waitFor(() => expect(view.textContent).toContain('You took this task over: do it by hand, then mark it done.'));
    expect(hasButton(view, /Take it over/)).toBe(false);
    expect(hasButton(view, /Edit request/)).toBe(false);
    fireEvent.click(button(view, /Mark done/));
    expect(m.last('moveTask')).toMatchObject({ taskId: 't_ready', to: 'done' });

    fireEvent.click(button(view, /Board/));
    expect([...card(m.container, 'Insert an order').querySelectorAll('.card-progress .chip')].map((c) => c.textContent!.trim())).toEqual(['Taken over by you', '3.0 s so far']);
    expect(card(m.container, 'List orders').querySelector('.stopped-note')).toBeNull();
  });
});
