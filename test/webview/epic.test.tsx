import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { toBoardTasks } from '../../src/protocol/board';
import { mountWithState, teardown, tick } from './harness';
import { snapshot, stateMessage, tasks } from './fixtures';

afterEach(teardown);

const board = (c: HTMLElement) => c.querySelector<HTMLElement>('#panel-board')!;
const openBoard = (c: HTMLElement) => fireEvent.click(c.querySelector('#tab-board')!);
const epicRows = (c: HTMLElement) => [...board(c).querySelectorAll<HTMLElement>('.epics .epic')];
const autoBox = (row: HTMLElement) => row.querySelector<HTMLElement & { checked: boolean }>('vscode-checkbox.auto-accept')!;

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
