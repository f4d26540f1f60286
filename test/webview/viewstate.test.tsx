import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, waitFor } from '@solidjs/testing-library';
import { field, mount, mountWithState, teardown, typeInto } from './harness';
import { stateMessage } from './fixtures';

afterEach(teardown);

const selected = (c: HTMLElement) => c.querySelector('[role=tab][aria-selected=true]')!.id;

describe('view state', () => {
  it('saves the tab and drafts with setState and restores them when the panel reopens', async () => {
    const first = await mountWithState();
    typeInto(field(first.container, 'Message to the team'), 'half a thought');
    fireEvent.click(first.container.querySelector('#tab-runs')!);
    expect(first.saved()).toEqual({ tab: 'runs', chatDraft: 'half a thought' });
    const saved = first.saved();
    first.unmount();

    const again = await mountWithState({}, { savedState: saved });
    expect(selected(again.container)).toBe('tab-runs');
    expect(again.container.querySelector('#panel-chat')!.hasAttribute('hidden')).toBe(true);
    fireEvent.click(again.container.querySelector('#tab-chat')!);
    expect((field(again.container, 'Message to the team') as HTMLTextAreaElement).value).toBe('half a thought');
  });

  it('also sends the view state to the host, which returns it after a restart', async () => {
    const m = await mountWithState();
    fireEvent.click(m.container.querySelector('#tab-board')!);
    await waitFor(() => expect(m.sent('saveViewState').length).toBeGreaterThan(0), { timeout: 3000 });
    expect(m.last('saveViewState').state).toEqual({ tab: 'board' });
    m.unmount();

    const fresh = mount();
    fresh.reply('ready');
    fresh.host(stateMessage({ viewState: { tab: 'board', selectedTaskId: 't_ready' } }));
    await waitFor(() => expect(selected(fresh.container)).toBe('tab-board'));
    expect(fresh.container.querySelector('.detail-title')!.textContent).toBe('Insert an order');
    expect(fresh.last('openTask')).toMatchObject({ taskId: 't_ready' });
  });

  it('ignores a corrupt saved state', async () => {
    const m = await mountWithState({}, { savedState: { tab: 'hacked', chatDraft: 42 } });
    expect(selected(m.container)).toBe('tab-chat');
  });

  it('tabs are keyboard navigable with arrows, Home and End (one tab stop)', async () => {
    const m = await mountWithState();
    const tabs = [...m.container.querySelectorAll<HTMLElement>('[role=tab]')];
    expect(tabs.map((t) => t.tabIndex)).toEqual([0, -1, -1]);
    tabs[0]!.focus();
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowRight' });
    expect(selected(m.container)).toBe('tab-board');
    expect(document.activeElement).toBe(tabs[1]);
    fireEvent.keyDown(tabs[1]!, { key: 'End' });
    expect(selected(m.container)).toBe('tab-runs');
    fireEvent.keyDown(tabs[2]!, { key: 'ArrowRight' });
    expect(selected(m.container)).toBe('tab-chat');
    fireEvent.keyDown(tabs[0]!, { key: 'ArrowLeft' });
    expect(selected(m.container)).toBe('tab-runs');
    expect(m.container.querySelector('#panel-runs')!.getAttribute('aria-labelledby')).toBe('tab-runs');
  });
});
