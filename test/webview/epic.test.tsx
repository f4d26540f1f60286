import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { toBoardTasks } from '../../src/protocol/board';
import type { TaskProgress } from '../../src/protocol/messages';
import { mountWithState, teardown, tick } from './harness';
import { snapshot, stateMessage, tasks } from './fixtures';

afterEach(teardown);

const board = (c: HTMLElement) => c.querySelector<HTMLElement>('#panel-board')!;
const openBoard = (c: HTMLElement) => fireEvent.click(c.querySelector('#tab-board')!);
const epicRows = (c: HTMLElement) => [...board(c).querySelectorAll<HTMLElement>('.epics .epic')];
const autoBox = (row: HTMLElement) => row.querySelector<HTMLElement & { checked: boolean }>('vscode-checkbox.auto-accept')!;

const card = (c: HTMLElement, title: string) => [...board(c).querySelectorAll<HTMLElement>('button.card')].find((b) => b.querySelector('.card-title')!.textContent === title)!;
const epic = (over: Record<string, unknown> = {}) => ({ id: 'epic_1', sessionId: 'ses_1', title: 'Cake orders', description: 'Take and track orders', createdAt: 1, ...over });

describe('the epic above the board', () => {
  it('shows each epic with "Accept automatically when every check passes", as the host stored it', async () => {
    const m = await mountWithState({ board: { epics: [epic(), epic({ id: 'epic_2', title: 'Pickup', autoAccept: true })], tasks: toBoardTasks(tasks) } });
    openBoard(m.container);
    const rows = epicRows(m.container);
    expect(rows.map((r) => r.querySelector('.epic-title')!.textContent!.trim())).toEqual(['Cake orders', 'Pickup']);
    expect(rows.map((r) => autoBox(r).textContent!.trim())).toEqual(['Accept automatically when every check passes', 'Accept automatically when every check passes']);
    expect(rows.map((r) => autoBox(r).checked)).toEqual([false, true]);
  });

  it('turning it on asks the host for that epic; the next snapshot keeps it on', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    const box = autoBox(epicRows(m.container)[0]!);
    fireEvent.click(box);
    await tick();
    expect(m.last('setAutoAccept')).toMatchObject({ epicId: 'epic_1', on: true });
    m.reply('setAutoAccept');
    const base = snapshot();
    m.host(stateMessage({ board: { ...base.board, epics: [epic({ autoAccept: true })] } }));
    await waitFor(() => expect(autoBox(epicRows(m.container)[0]!).checked).toBe(true));

    fireEvent.click(autoBox(epicRows(m.container)[0]!));
    await tick();
    expect(m.last('setAutoAccept')).toMatchObject({ epicId: 'epic_1', on: false });
    expect(m.sent('setAutoAccept')).toHaveLength(2);
  });

  it('when the host refuses, the box goes back and the reason is shown', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    const box = autoBox(epicRows(m.container)[0]!);
    fireEvent.click(box);
    await tick();
    expect(box.checked).toBe(true);
    m.fail('setAutoAccept', 'not_found', 'There is no epic epic_1.');
    await waitFor(() => expect(box.checked).toBe(false));
    expect(m.container.querySelector('.notices')!.textContent).toContain('There is no epic epic_1.');
  });
});

describe('progress across the epic', () => {
  const progressOf: Record<string, TaskProgress> = {
    t_table: { status: 'done', workMs: 65_000, attempts: 2 },
    t_prog: { status: 'running', workMs: 4_200, attempts: 1 },
    t_ready: { status: 'failed', workMs: 1_500, attempts: 2 },
    t_wait: { status: 'review', workMs: 800, attempts: 1 },
  };
  const withProgress = () => toBoardTasks(tasks).map((t) => ({ ...t, progress: progressOf[t.id] ?? { status: 'todo' as const, workMs: 0, attempts: 0 } }));

  it('the epic says how many tasks are done, running, waiting and failed; each card its status and time', async () => {
    const m = await mountWithState({
      board: {
        epics: [epic()],
        tasks: withProgress(),
        progress: [{ epicId: 'epic_1', total: 8, todo: 4, running: 1, review: 1, failed: 1, yours: 0, stopped: 0, done: 1, workMs: 71_500 }],
      },
    });
    openBoard(m.container);
    const row = epicRows(m.container)[0]!;
    expect(row.querySelector('.epic-counts')!.textContent).toBe('1 of 8 done · 1 running · 1 waiting for your review · 1 failed');
    expect(row.querySelector('.epic-counts')!.classList.contains('epic-failed')).toBe(true);
    const meter = row.querySelector<HTMLProgressElement>('progress.epic-meter')!;
    expect([meter.max, meter.value, meter.getAttribute('aria-label')]).toEqual([8, 1, '1 of 8 tasks done']);
    expect(row.querySelector('.epic-time')!.textContent).toBe('1 min 12 s of work');

    const chips = (title: string) => [...card(m.container, title).querySelectorAll('.card-progress .chip')].map((c) => c.textContent!.trim());
    expect(chips('orders table')).toEqual(['took 1 min 5 s']);
    expect(chips('Order handler')).toEqual(['Running', '4.2 s so far']);
    expect(chips('Insert an order')).toEqual(['Failed (2 tries)', '1.5 s so far']);
    expect(chips('List orders')).toEqual(['Waiting for your review', '800 ms so far']);
    expect(card(m.container, 'Print labels').querySelector('.card-progress')).toBeNull();
  });

  it('counts the tasks a failed one stopped, and those the user took over', async () => {
    const m = await mountWithState({ board: { epics: [epic()], tasks: withProgress(), progress: [{ epicId: 'epic_1', total: 8, todo: 3, running: 0, review: 0, failed: 1, yours: 1, stopped: 2, done: 3, workMs: 1_000 }] } });
    openBoard(m.container);
    expect(epicRows(m.container)[0]!.querySelector('.epic-counts')!.textContent).toBe('3 of 8 done · 1 failed · 2 stopped · 1 with you');
  });

  it('an epic without tasks, or a host that sends no progress, shows no counts', async () => {
    const m = await mountWithState({ board: { epics: [epic()], tasks: toBoardTasks(tasks), progress: [{ epicId: 'epic_1', total: 0, todo: 0, running: 0, review: 0, failed: 0, yours: 0, stopped: 0, done: 0, workMs: 0 }] } });
    openBoard(m.container);
    expect(epicRows(m.container)[0]!.querySelector('.epic-progress')).toBeNull();
    m.host(stateMessage());
    await tick();
    expect(epicRows(m.container)[0]!.querySelector('.epic-progress')).toBeNull();
    expect(board(m.container).querySelector('.card-progress')).toBeNull();
  });

  it('a snapshot with a malformed progress is refused whole, and the panel says so', async () => {
    const m = await mountWithState();
    openBoard(m.container);
    const base = snapshot();
    m.host({ type: 'state', state: { ...base, board: { ...base.board, progress: [{ epicId: 'epic_1', total: 1, todo: 0, running: 0, review: 0, failed: 0, yours: 0, stopped: 0, done: 'all', workMs: 0 }] } } });
    await tick();
    expect(m.last('reportError').message).toMatch(/board\.progress\.0\.done/);
    expect(epicRows(m.container)[0]!.querySelector('.epic-progress')).toBeNull();
  });
});
