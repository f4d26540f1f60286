import { For, onCleanup, onMount, Show } from 'solid-js';
import type { Tab } from '../../src/protocol/messages';
import { BoardView } from './board/BoardView';
import { ChatView } from './chat/ChatView';
import type { Client } from './client';
import { Badge, BusyBar, Icon, Notices, Spinner } from './common/bits';
import type { IconName } from './icons';
import { RunsView } from './runs/RunsView';

const TABS: { id: Tab; label: string; icon: IconName }[] = [
  { id: 'chat', label: 'Chat', icon: 'comment-discussion' },
  { id: 'board', label: 'Board', icon: 'project' },
  { id: 'runs', label: 'Runs', icon: 'history' },
];

/** Tabs per the WAI-ARIA pattern: one tab stop, arrows/Home/End move between tabs. */
function Tabs(props: { client: Client }) {
  const c = props.client;
  const active = () => c.view().tab;
  const count = (id: Tab) => {
    const s = c.state.snapshot;
    if (!s) return 0;
    if (id === 'runs') return s.proposals.filter((p) => p.status === 'pending').length;
    if (id === 'board') return s.board.tasks.filter((t) => t.state === 'blocked').length;
    return 0;
  };
  let bar: HTMLDivElement | undefined;

  function onKey(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.id === active());
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const tab = TABS[(next + TABS.length) % TABS.length]!;
    c.setView({ tab: tab.id });
    bar?.querySelector<HTMLElement>(`#tab-${tab.id}`)?.focus();
  }

  return (
    <div class="tabs" role="tablist" aria-label="Team panel" ref={bar} onKeyDown={onKey}>
      <For each={TABS}>
        {(t) => (
          <button
            id={`tab-${t.id}`}
            class="tab"
            role="tab"
            aria-selected={active() === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={active() === t.id ? 0 : -1}
            onClick={() => c.setView({ tab: t.id })}
          >
            <Icon name={t.icon} /> {t.label}
            <Show when={count(t.id)}>
              <Badge label={t.id === 'runs' ? `${count(t.id)} changes to review` : `${count(t.id)} blocked`}>{count(t.id)}</Badge>
            </Show>
          </button>
        )}
      </For>
    </div>
  );
}

export function App(props: { client: Client }) {
  const c = props.client;
  onMount(() => c.start());
  onCleanup(() => c.dispose());
  return (
    <div class="app">
      <Tabs client={c} />
      <BusyBar client={c} />
      <Notices client={c} />
      <Show when={c.state.snapshot} fallback={<Spinner label="Loading" class="loading" />}>
        {/* All views stay mounted (hidden when inactive) so half-answered questions and scroll positions survive tab switches. */}
        <div class="panel" role="tabpanel" id="panel-chat" aria-labelledby="tab-chat" hidden={c.view().tab !== 'chat'}>
          <ChatView client={c} />
        </div>
        <div class="panel" role="tabpanel" id="panel-board" aria-labelledby="tab-board" hidden={c.view().tab !== 'board'}>
          <BoardView client={c} />
        </div>
        <div class="panel" role="tabpanel" id="panel-runs" aria-labelledby="tab-runs" hidden={c.view().tab !== 'runs'}>
          <RunsView client={c} />
        </div>
      </Show>
    </div>
  );
}
