import type { Comment, Epic, Message, Proposal, ProposalStatus, RunRecord, Session, Task, TaskEvent, TaskState, TransitionRequest } from '../domain';

/** Tables the store exposes; change events name them so views refresh only what moved. */
export type StoreTable = 'sessions' | 'messages' | 'epics' | 'tasks' | 'task_events' | 'comments' | 'runs' | 'proposals';

/**
 * A patch: listed keys are replaced; `null` clears an optional field (JSON has no `undefined`,
 * and patches are re-applied after another window's save, so clearing must survive that trip).
 */
export type Patch<T> = { [K in keyof T]?: undefined extends T[K] ? T[K] | null : T[K] };

type Auto<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type NewSession = Auto<Session, 'id' | 'phase' | 'rounds' | 'summaryConfirmed' | 'createdAt' | 'updatedAt'>;
export type NewMessage = Auto<Message, 'id' | 'createdAt'>;
export type NewEpic = Auto<Epic, 'id' | 'createdAt'>;
/** New tasks start as `draft` unless told otherwise; later state changes go through `transitionTask`. */
export type NewTask = Auto<Task, 'id' | 'state' | 'dependsOn' | 'acceptanceCriteria' | 'createdAt' | 'updatedAt'>;
export type NewComment = Auto<Comment, 'id' | 'createdAt'>;
export type NewProposal = Auto<Proposal, 'id' | 'status' | 'createdAt'>;

export type SessionPatch = Patch<Omit<Session, 'id' | 'createdAt' | 'updatedAt'>>;
export type MessagePatch = Patch<Omit<Message, 'id' | 'sessionId' | 'createdAt'>>;
export type EpicPatch = Patch<Omit<Epic, 'id' | 'sessionId' | 'createdAt'>>;
/** `state` is absent on purpose: it only changes through `transitionTask`, which records the event. */
export type TaskPatch = Patch<Omit<Task, 'id' | 'state' | 'createdAt' | 'updatedAt'>>;
export type CommentPatch = Patch<Omit<Comment, 'id' | 'taskId' | 'createdAt'>>;
export type RunPatch = Patch<Omit<RunRecord, 'id'>>;
export type ProposalPatch = Patch<Omit<Proposal, 'id' | 'createdAt'>>;

export interface TaskFilter {
  epicId?: string;
  sessionId?: string;
  state?: TaskState | readonly TaskState[];
}
export interface RunFilter {
  taskId?: string;
  sessionId?: string;
  /** Only the newest `limit` runs (still returned oldest first). */
  limit?: number;
}
/** Which page of a session's messages: the latest `limit`, or the `limit` just before the message `before`. */
export interface MessagePageQuery {
  limit: number;
  /** A message id of the session (the oldest one shown); omitted for the latest messages. */
  before?: string;
}

/** A page of messages in order, oldest first; `hasMore` when older messages precede it. */
export interface MessagePage {
  messages: Message[];
  hasMore: boolean;
}

export interface ProposalFilter {
  status?: ProposalStatus;
  taskId?: string;
}

export interface Repo<T, New, P> {
  create(input: New): T;
  get(id: string): T | undefined;
  update(id: string, patch: P): T;
}

export interface TransitionResult {
  task: Task;
  event: TaskEvent;
}

/** Something the host should tell the user (every `message` is written for a person). */
export type StoreNotice =
  /** The database file did not open; it was moved aside (never deleted) and a fresh one started. */
  | { kind: 'corrupt'; movedTo: string; message: string }
  /** One of our unsaved changes could not be re-applied on top of another window's save. */
  | { kind: 'conflict'; table: StoreTable; id: string; message: string }
  /** A background save failed; the changes are kept in memory and retried. */
  | { kind: 'save-failed'; message: string; error: unknown }
  /** A stored row does not match the domain schema; lists skip it. Reported once per row. */
  | { kind: 'invalid-row'; table: StoreTable; id: string; message: string };

export interface StoreChange {
  /** `local`: a mutation made through this store; `external`: another window's save was loaded. */
  source: 'local' | 'external';
  tables: readonly StoreTable[];
}

export interface Disposable {
  dispose(): void;
}

/** What the core persists through. Every write is validated with the domain zod schemas. */
export interface NocodoStore {
  /** The database file, or `:memory:`. */
  readonly file: string;

  readonly sessions: Repo<Session, NewSession, SessionPatch> & { list(): Session[] };
  readonly messages: Repo<Message, NewMessage, MessagePatch> & {
    list(sessionId: string): Message[];
    /**
     * One page of a session's history, decoding only that page (a long session is not read whole
     * on every panel refresh). Undefined when `before` is not a message of that session.
     */
    page(sessionId: string, query: MessagePageQuery): MessagePage | undefined;
  };
  readonly epics: Repo<Epic, NewEpic, EpicPatch> & { list(sessionId: string): Epic[] };
  readonly tasks: Repo<Task, NewTask, TaskPatch> & { list(filter?: TaskFilter): Task[] };
  readonly events: { get(id: string): TaskEvent | undefined; list(taskId: string): TaskEvent[] };
  readonly comments: Repo<Comment, NewComment, CommentPatch> & { list(taskId: string): Comment[] };
  /** Runs are created whole by the model client (they carry their own id). */
  readonly runs: Omit<Repo<RunRecord, RunRecord, RunPatch>, 'create'> & { create(run: RunRecord): RunRecord; list(filter?: RunFilter): RunRecord[] };
  readonly proposals: Repo<Proposal, NewProposal, ProposalPatch> & { list(filter?: ProposalFilter): Proposal[]; pending(): Proposal[] };

  /**
   * Moves a task to another state if the state machine allows it, and records the TaskEvent in the
   * same transaction. Throws IllegalTransitionError otherwise. Entering `blocked` stores `why` as
   * the blocked reason; leaving it clears the reason.
   */
  transitionTask(taskId: string, req: TransitionRequest): TransitionResult;

  /** Writes pending changes now (deactivate, before risky steps). Rejects if the save fails. */
  flush(): Promise<void>;
  /** Loads another window's save if the file changed; our unsaved changes are re-applied. Returns whether anything was loaded. */
  reload(): Promise<boolean>;
  onChange(listener: (change: StoreChange) => void): Disposable;
  /** Flushes and releases the database. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** Database path (parent folders are created), or `:memory:` for a store that never touches disk. */
  file: string;
  /** Folder holding sql-wasm.wasm. Default: beside the bundle, else node_modules/sql.js/dist. */
  wasmDir?: string;
  onNotice?: (notice: StoreNotice) => void;
  /** Coalescing delay of background saves (ms). Default 200. */
  saveDelayMs?: number;
  lock?: {
    /** A lock older than this is considered abandoned (ms). Default 30 000. */
    staleMs?: number;
    /** How long a save waits for another window's lock (ms). Default 10 000. */
    timeoutMs?: number;
  };
  /** Clock for createdAt/updatedAt/event times (tests). */
  now?: () => number;
}
