import { batch, createSignal } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import type { Message } from '../../src/domain';
import { LIMITS } from '../../src/protocol/limits';
import type { ErrorCode, HostMessage, HostMessageOf, RequestOf, RequestType, ResultOf, StateSnapshot, ViewState } from '../../src/protocol/messages';
import { parseResult } from '../../src/protocol/validate';
import type { Bridge } from './bridge';

/** A request the host answered with an error (or that never reached it). */
export class RequestFailed extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The model call that failed, when there was one. */
    readonly runId?: string,
  ) {
    super(message);
    this.name = 'RequestFailed';
  }
}

export interface Stream {
  requestId: string;
  author: HostMessageOf<'streamDelta'>['author'];
  text: string;
  done: boolean;
}

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** The request that failed: the notice goes away once the same request succeeds. */
  source?: RequestType;
  actions?: NoticeAction[];
}

export interface NoticeAction {
  label: string;
  run(): void;
}

interface Pending {
  type: RequestType;
  label: string;
  /** Long-running model work the Stop button can cancel. */
  stoppable: boolean;
  resolve(result: unknown): void;
  reject(err: RequestFailed): void;
}

export interface AppState {
  snapshot: StateSnapshot | null;
  /** Older messages fetched with "Show earlier", oldest first. */
  earlier: Message[];
  /** Whether even older ones exist (undefined until the first "Show earlier"). */
  earlierHasMore: boolean | undefined;
  streams: Stream[];
  /** Running requests by id, for busy indicators and Stop. */
  running: Record<string, { type: RequestType; label: string; stoppable: boolean }>;
  taskDetail: HostMessageOf<'taskDetail'> | null;
  runDetail: HostMessageOf<'runDetail'> | null;
  notices: Notice[];
}

type Payload<K extends RequestType> = Omit<RequestOf<K>, 'type' | 'id'>;

const STOPPABLE: ReadonlySet<RequestType> = new Set(['sendChat', 'answerQuestions', 'summarise', 'confirmSummary', 'runTask']);
const LABELS: Partial<Record<RequestType, string>> = {
  sendChat: 'The team is replying…',
  answerQuestions: 'The Product Owner is reading your answers…',
  summarise: 'The Product Owner is summarising…',
  confirmSummary: 'The Project Manager is planning tasks…',
  runTask: 'Running the task…',
};
const DEFAULT_VIEW: ViewState = { tab: 'chat' };
export const PAGE_SIZE = 50;

function newRequestId(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `w${Date.now().toString(36)}${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The panel's whole state. The host is the source of truth: `snapshot` is replaced wholesale by each
 * `state` message; the client only adds what is local (streams in flight, older pages, view state).
 */
export function createClient(bridge: Bridge) {
  const [state, setState] = createStore<AppState>({ snapshot: null, earlier: [], earlierHasMore: undefined, streams: [], running: {}, taskDetail: null, runDetail: null, notices: [] });
  const pending = new Map<string, Pending>();
  /** The message "Show earlier" loaded before; older pages are only valid while it is still in the snapshot. */
  let earlierAnchor: string | undefined;
  let noticeSeq = 0;
  let restoredFromHost = false;

  const localView = bridge.loadViewState();
  const [view, setViewSignal] = createSignal<ViewState>(localView ?? DEFAULT_VIEW);
  const hadLocalView = localView !== undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  function notify(level: Notice['level'], text: string, extra: Pick<Notice, 'source' | 'actions'> = {}): void {
    const id = ++noticeSeq;
    // The same problem again replaces its notice instead of stacking up.
    setState('notices', (n) => [...n.filter((x) => x.text !== text).slice(-4), { id, level, text: text.slice(0, LIMITS.short), ...extra }]);
  }

  /** A request succeeded: errors it reported earlier no longer hold. */
  function clearNoticesOf(type: RequestType): void {
    if (state.notices.some((n) => n.source === type)) setState('notices', (n) => n.filter((x) => x.source !== type));
  }

  function settle(id: string): Pending | undefined {
    const p = pending.get(id);
    pending.delete(id);
    setState(
      produce((s) => {
        delete s.running[id];
        const stream = s.streams.find((x) => x.requestId === id);
        if (stream) stream.done = true;
      }),
    );
    return p;
  }

  function applyState(next: StateSnapshot): void {
    batch(() => {
      const prev = state.snapshot;
      if (prev?.session?.id !== next.session?.id || (earlierAnchor && !next.messages.some((m) => m.id === earlierAnchor))) {
        // A different session, or the window moved past the older pages: drop them rather than show a gap.
        setState({ earlier: [], earlierHasMore: undefined });
        earlierAnchor = undefined;
      }
      setState('snapshot', reconcile(next, { key: 'id' }));
      // Finished streams are now part of the messages in the snapshot.
      setState('streams', (s) => s.filter((x) => !x.done));
      if (!hadLocalView && !restoredFromHost && next.viewState) {
        restoredFromHost = true;
        setViewSignal(next.viewState);
        bridge.saveViewState(next.viewState);
        reopenSelected();
      }
    });
  }

  function receive(msg: HostMessage): void {
    switch (msg.type) {
      case 'state':
        return applyState(msg.state);
      case 'streamDelta': {
        // One request can hand over between agents (planning, then shaping): one bubble per author.
        const i = state.streams.findIndex((s) => s.requestId === msg.requestId && s.author === msg.author && !s.done);
        if (i < 0) setState('streams', (s) => [...s, { requestId: msg.requestId, author: msg.author, text: msg.text, done: false }]);
        // Cap what one bubble holds; the final message comes with the next snapshot anyway.
        else setState('streams', i, 'text', (t) => (t + msg.text).slice(-LIMITS.content));
        return;
      }
      case 'streamEnd':
        setState('streams', (s) => s.requestId === msg.requestId, 'done', true);
        return;
      case 'reply': {
        const p = settle(msg.id);
        if (!p) return;
        if (!msg.ok) return p.reject(new RequestFailed(msg.error.code, msg.error.message, msg.error.runId));
        const r = parseResult(p.type, msg.result);
        if (r.ok) {
          clearNoticesOf(p.type);
          p.resolve(r.message);
        }
        else p.reject(new RequestFailed('invalid', 'nocodo sent an answer the panel could not read.'));
        return;
      }
      case 'notice':
        return notify(msg.level, msg.text);
      case 'taskDetail':
        setState('taskDetail', reconcile(msg, { key: 'id' }));
        return;
      case 'runDetail':
        setState('runDetail', reconcile(msg, { key: 'id' }));
        return;
    }
  }

  const unsubscribe = [
    bridge.onMessage(receive),
    bridge.onInvalid((error, raw) => {
      // Never act on it; tell the host (it logs) and fail a request it pretended to answer.
      console.warn(`nocodo: ignored a message: ${error}`);
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      if ((raw as { type?: unknown } | null)?.type === 'reply' && typeof id === 'string' && pending.has(id)) {
        settle(id)?.reject(new RequestFailed('invalid', 'nocodo sent an answer the panel could not read.'));
      }
      if ((raw as { type?: unknown } | null)?.type !== 'reportError') bridge.post({ type: 'reportError', message: error.slice(0, LIMITS.short) });
    }),
  ];

  function request<K extends RequestType>(type: K, payload: Payload<K>, label?: string): Promise<ResultOf<K>> {
    const id = newRequestId();
    return new Promise<ResultOf<K>>((resolve, reject) => {
      const stoppable = STOPPABLE.has(type);
      const text = label ?? LABELS[type] ?? '';
      pending.set(id, { type, label: text, stoppable, resolve: resolve as (r: unknown) => void, reject });
      setState('running', id, { type, label: text, stoppable });
      if (!bridge.post({ type, id, ...payload } as RequestOf<K>)) {
        settle(id);
        reject(new RequestFailed('invalid', 'That could not be sent: it is too long or incomplete.'));
      }
    });
  }

  /** Runs a request and turns a failure (other than Stop) into a notice. Resolves undefined on failure. */
  async function act<K extends RequestType>(type: K, payload: Payload<K>): Promise<ResultOf<K> | undefined> {
    try {
      return await request(type, payload);
    } catch (e) {
      const err = e as RequestFailed;
      if (err.code !== 'cancelled') notify('error', err.message, { source: type, ...(err.runId ? { actions: [{ label: 'Show the run', run: () => openRun(err.runId!) }] } : {}) });
      return undefined;
    }
  }

  function setView(patch: Partial<ViewState>): void {
    const next = { ...view(), ...patch };
    for (const k of Object.keys(next) as (keyof ViewState)[]) if (next[k] === undefined) delete next[k];
    setViewSignal(next);
    bridge.saveViewState(next);
    // The host keeps a copy too, for when VS Code restarts and the webview's own state is gone.
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void request('saveViewState', { state: view() }).catch(() => undefined), 800);
  }

  function setDraft(taskId: string, text: string): void {
    const drafts = { ...(view().commentDrafts ?? {}) };
    if (text) drafts[taskId] = text.slice(0, LIMITS.comment);
    else delete drafts[taskId];
    // Keep the record bounded: the oldest drafts go first.
    const keys = Object.keys(drafts);
    for (const k of keys.slice(0, Math.max(0, keys.length - 50))) delete drafts[k];
    setView({ commentDrafts: drafts });
  }

  function messages(): Message[] {
    const latest = state.snapshot?.messages ?? [];
    const seen = new Set(latest.map((m) => m.id));
    return [...state.earlier.filter((m) => !seen.has(m.id)), ...latest];
  }

  function hasEarlier(): boolean {
    return state.earlierHasMore ?? state.snapshot?.hasMoreMessages ?? false;
  }

  async function loadEarlier(): Promise<void> {
    const first = messages()[0];
    if (!first) return;
    const anchor = state.snapshot?.messages[0]?.id;
    const page = await act('loadEarlier', { before: first.id, limit: PAGE_SIZE });
    if (!page) return;
    earlierAnchor ??= anchor;
    const known = new Set(messages().map((m) => m.id));
    setState({ earlier: [...page.messages.filter((m) => !known.has(m.id)), ...state.earlier], earlierHasMore: page.hasMore });
  }

  /** Ids of requests the Stop button cancels: ours that are model work, and the host's busy ones. */
  function stoppable(): string[] {
    const own = Object.entries(state.running)
      .filter(([, r]) => r.stoppable)
      .map(([id]) => id);
    const host = (state.snapshot?.busy ?? []).map((b) => b.requestId);
    return [...new Set([...own, ...host])];
  }

  function busyLabel(): string | undefined {
    const own = Object.values(state.running).find((r) => r.stoppable);
    return own?.label || state.snapshot?.busy[0]?.label;
  }

  function stop(): void {
    for (const requestId of stoppable()) bridge.post({ type: 'cancel', requestId });
  }

  function openTask(taskId: string | undefined): void {
    setView({ selectedTaskId: taskId, tab: 'board' });
    if (taskId) void act('openTask', { taskId });
  }

  function openRun(runId: string | undefined): void {
    setView({ selectedRunId: runId, tab: 'runs' });
    if (runId) void act('openRun', { runId });
  }

  function dismissNotice(id: number): void {
    setState('notices', (n) => n.filter((x) => x.id !== id));
  }

  /** Asks again for the details of what was open, so they are fresh. */
  function reopenSelected(): void {
    const v = view();
    if (v.selectedTaskId) void act('openTask', { taskId: v.selectedTaskId });
    if (v.selectedRunId) void act('openRun', { runId: v.selectedRunId });
  }

  function start(): void {
    void act('ready', {});
    reopenSelected();
  }

  function dispose(): void {
    clearTimeout(saveTimer);
    for (const u of unsubscribe) u();
  }

  return { state, view, setView, setDraft, request, act, messages, hasEarlier, loadEarlier, stoppable, busyLabel, stop, openTask, openRun, dismissNotice, notify, start, dispose };
}

export type Client = ReturnType<typeof createClient>;
