import { createEffect, createMemo, createSignal, For, on, Show } from 'solid-js';
import type { Answer } from '../../../src/domain';
import type { Client, RequestFailed } from '../client';
import { EmptyState, Icon, RoleBadge, Spinner } from '../common/bits';
import { MessageItem } from './MessageItem';
import type { MessageActions } from './MessageItem';
import { Composer } from './Composer';

export function ChatView(props: { client: Client }) {
  const c = props.client;
  const session = () => c.state.snapshot?.session ?? null;
  const messages = createMemo(() => c.messages());
  /** Only the newest summary can be confirmed; older ones are history. */
  const latestSummaryId = createMemo(() => [...messages()].reverse().find((m) => m.summary)?.id);
  /**
   * Each round of questions as the host sees it: the answers are stored on the user's reply (not
   * on the questions), and a round is closed once anything newer from the user or the team follows
   * (a reply, the next round, the summary). Derived from the messages, so a panel that re-renders
   * (hidden sidebar, another app and back) shows answered questions as answered. Not from the
   * session's phase: the Product Owner also asks about new requests once the work is planned.
   */
  const rounds = createMemo(() => {
    const all = messages();
    const out = new Map<string, { answers?: Answer[]; closed: boolean }>();
    all.forEach((m, i) => {
      if (!m.questions?.length) return;
      const later = all.slice(i + 1);
      const reply = later.find((x) => x.author === 'user');
      const closed = !!reply || later.some((x) => x.author !== 'system');
      out.set(m.id, { ...(reply?.answers?.length ? { answers: reply.answers } : {}), closed });
    });
    return out;
  });
  // A running task does not stop the conversation; the team's own replies do.
  const busy = () => Object.values(c.state.running).some((r) => r.stoppable && r.type !== 'runTask') || (c.state.snapshot?.busy.length ?? 0) > 0;
  const [confirmNew, setConfirmNew] = createSignal(false);
  const canSummarise = () => session()?.phase === 'discovery' && messages().some((m) => m.author === 'product_owner') && !busy();
  let list: HTMLDivElement | undefined;

  const actions: MessageActions = {
    answer: async (messageId, answers) => (await c.act('answerQuestions', { messageId, answers })) !== undefined,
    confirmSummary: async (summary, edited) => (await c.act('confirmSummary', { summary, edited })) !== undefined,
  };

  /**
   * The words just sent, shown at once as the user's message: on a first run the host may need a
   * few seconds (opening the database, loading the parser) before the stored message comes back.
   */
  const [sending, setSending] = createSignal<string>();
  const showSending = () => {
    const text = sending();
    if (!text) return undefined;
    const last = [...messages()].reverse().find((m) => m.author === 'user');
    return last?.content === text ? undefined : text;
  };

  async function sendChat(text: string): Promise<boolean> {
    setSending(text);
    try {
      await c.request('sendChat', { text });
      return true;
    } catch (e) {
      const err = e as RequestFailed;
      // Stopped replies still leave the user's message in the chat.
      if (err.code === 'cancelled') return true;
      if (err.code !== 'failed') setSending(undefined);
      if (err.code !== 'failed') {
        // Refused before it reached the team (busy, invalid): the text stays in the composer.
        c.notify('error', err.message, { source: 'sendChat' });
        return false;
      }
      // The team failed to reply: the message is in the chat already, so the composer empties and
      // "Try again" asks for the reply again (the host does not store the same words twice).
      const actions = [{ label: 'Try again', run: () => void sendChat(text) }, ...(err.runId ? [{ label: 'Show the run', run: () => c.openRun(err.runId) }] : [])];
      c.notify('error', err.message, { source: 'sendChat', actions });
      return true;
    }
  }

  // Follow new content unless the user scrolled up to read. Whether to follow is decided when the
  // list scrolls, not after new content arrived: a tall reply (or the busy bar shrinking the list at
  // the same moment) would otherwise look like the user had scrolled away.
  let follow = true;
  const onScroll = () => {
    if (list) follow = list.scrollHeight - list.scrollTop - list.clientHeight < 120;
  };
  createEffect(
    on(
      () => [messages().length, c.state.streams.map((s) => s.text.length).join()],
      () => {
        if (list && follow) list.scrollTop = list.scrollHeight;
      },
    ),
  );

  return (
    <div class="chat">
      <Show when={session()}>
        {(s) => (
          <div class="session-bar">
            <Show
              when={(c.state.snapshot?.sessions?.length ?? 0) > 1}
              fallback={
                <span class="session-title" title={s().title}>
                  {s().title}
                </span>
              }
            >
              <select
                class="session-title session-select"
                aria-label="Switch to another app"
                title="Switch to another app"
                disabled={busy()}
                value={s().id}
                onChange={(e) => void c.act('selectSession', { sessionId: e.currentTarget.value })}
              >
                <For each={c.state.snapshot?.sessions ?? []}>{(x) => <option value={x.id}>{x.title}</option>}</For>
              </select>
            </Show>
            <Show
              when={confirmNew()}
              fallback={
                <vscode-button appearance="icon" title="Start a new app" aria-label="Start a new app" disabled={busy()} onClick={() => setConfirmNew(true)}>
                  <Icon name="add" />
                </vscode-button>
              }
            >
              <span class="muted small">Start a new app? This one stays saved.</span>
              <vscode-button
                appearance="secondary"
                onClick={() => {
                  setConfirmNew(false);
                  void c.act('newSession', {});
                }}
              >
                Start
              </vscode-button>
              <vscode-button appearance="secondary" onClick={() => setConfirmNew(false)}>
                Cancel
              </vscode-button>
            </Show>
          </div>
        )}
      </Show>
      <div class="chat-list" ref={list} onScroll={onScroll} role="log" aria-label="Conversation with the team" aria-live="polite">
        <Show when={c.hasEarlier()}>
          <vscode-button appearance="secondary" class="show-earlier" onClick={() => void c.loadEarlier()}>
            <Icon name="fold-up" /> Show earlier messages
          </vscode-button>
        </Show>
        <Show when={messages().length || c.state.streams.length}>
          <For each={messages()}>
            {(m) => <MessageItem message={m} round={rounds().get(m.id)} summaryEditable={m.id === latestSummaryId()} summaryConfirmed={session()?.summaryConfirmed ?? false} actions={actions} />}
          </For>
        </Show>
        <Show when={showSending()}>
          {(text) => (
            <article class="msg msg-user mine sending" aria-busy="true" aria-label="Your message, being sent">
              <header class="msg-head">
                <RoleBadge role="user" />
                <Spinner />
              </header>
              <p class="plain">{text()}</p>
            </article>
          )}
        </Show>
        <For each={c.state.streams}>
          {(s) => (
            <article class={`msg msg-${s.author} streaming`} aria-busy={!s.done} aria-label="Reply being written">
              <header class="msg-head">
                <RoleBadge role={s.author} />
                <Show when={!s.done}>
                  <Spinner />
                </Show>
              </header>
              <p class="plain">{s.text}</p>
            </article>
          )}
        </For>
        <Show when={c.state.snapshot?.newAppOffer && !messages().length}>
          <EmptyState icon="new-folder" title="Start a new app">
            <p>This folder is empty. nocodo can set up a new app here first: a Rust server with its own database file, and a web page, ready to run.</p>
            <vscode-button data-testid="new-app" onClick={() => void c.act('newApp', {})}>
              <Icon name="new-folder" /> Create a new app here
            </vscode-button>
          </EmptyState>
        </Show>
        <Show when={!messages().length && !c.state.streams.length}>
          <EmptyState icon="comment-discussion" title="Describe the app you need">
            <p>Say in your own words what your business needs to keep track of, for example:</p>
            <p class="example">“I run a bakery. I need to record custom cake orders: who ordered, what cake, the pickup date and whether they paid.”</p>
            <p>The Product Owner will ask a few questions, then summarise for you to confirm.</p>
          </EmptyState>
        </Show>
      </div>
      <Show when={canSummarise()}>
        <div class="summarise-bar">
          <vscode-button appearance="secondary" onClick={() => void c.act('summarise', {})}>
            <Icon name="checklist" /> That's enough, summarise
          </vscode-button>
        </div>
      </Show>
      <Composer
        draft={c.view().chatDraft ?? ''}
        onDraft={(text) => c.setView({ chatDraft: text || undefined })}
        onSend={(text) => sendChat(text)}
        busy={busy()}
        placeholder={messages().length ? 'Reply to the team…' : 'Describe the app you need…'}
      />
    </div>
  );
}
