import { z } from 'zod';
import { ActorRole, Comment, Epic, Message, ModelRole, ProposalStatus, RunRecord, Session, Task, TaskEvent, TaskState } from '../domain';
import { LIMITS } from './limits';

/**
 * Every message between the team panel (webview) and the extension host, defined once. Both sides
 * validate what they receive with these schemas (see validate.ts); nothing is acted on unchecked.
 *
 * Webview → host: requests carry an `id`; the host answers each with exactly one `reply` carrying
 * the same id (a result or an error). `cancel` aborts a request by id (the Stop button).
 * Host → webview: the host is the source of truth and pushes `state` snapshots; streamed model
 * text arrives as `streamDelta` tagged with the request that caused it.
 */

const Id = z.string().min(1).max(LIMITS.id);
const Short = z.string().max(LIMITS.short);

// ---------------------------------------------------------------- shared pieces

export const Tab = z.enum(['chat', 'board', 'runs']);
export type Tab = z.infer<typeof Tab>;

/** What the panel remembers across hide/show and reloads. Drafts are never lost by switching tabs. */
export const ViewState = z.strictObject({
  tab: Tab,
  selectedTaskId: Id.optional(),
  selectedRunId: Id.optional(),
  chatDraft: z.string().max(LIMITS.chat).optional(),
  /** Comment drafts by task id. */
  commentDrafts: z.record(Id, z.string().max(LIMITS.comment)).optional(),
});
export type ViewState = z.infer<typeof ViewState>;

/** An answer to one question widget; the same shape as the domain `Answer`, with sizes capped. */
export const AnswerInput = z.strictObject({
  questionId: Id,
  selected: z.array(Id).max(16),
  other: z.string().max(LIMITS.other).optional(),
});

const Name = z.string().min(1).max(200);
/** The Product Owner's summary as the user confirms it (possibly edited); the domain shape, capped. */
export const SummaryInput = z.strictObject({
  appName: Name,
  users: z.array(z.strictObject({ name: Name, description: Short })).max(50),
  entities: z
    .array(
      z.strictObject({
        name: Name,
        fields: z.array(z.strictObject({ name: Name, type: z.string().min(1).max(100), required: z.boolean() })).max(100),
      }),
    )
    .max(100),
  features: z.array(Short).max(200),
  constraints: z.array(Short).max(200),
});

// ---------------------------------------------------------------- webview → host

/** A full git commit hash (SHA-1 or SHA-256). */
const CommitHash = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);

function request<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), id: Id, ...shape });
}

/** Requests, each answered by one `reply`. */
export const WebviewRequest = z.discriminatedUnion('type', [
  /** The panel loaded (or reloaded): the host answers and then posts a `state` snapshot. */
  request('ready', {}),
  request('newSession', { title: Short.optional() }),
  /** Switches the panel to another stored session (the chat and board follow). */
  request('selectSession', { sessionId: Id }),
  request('sendChat', { text: z.string().trim().min(1).max(LIMITS.chat) }),
  request('answerQuestions', { messageId: Id, answers: z.array(AnswerInput).min(1).max(20) }),
  /** The user says "that's enough, summarise": the Product Owner stops asking and summarises. */
  request('summarise', {}),
  request('confirmSummary', { summary: SummaryInput, edited: z.boolean() }),
  request('moveTask', { taskId: Id, to: TaskState, why: Short.optional() }),
  request('addComment', { taskId: Id, body: z.string().trim().min(1).max(LIMITS.comment) }),
  request('runTask', { taskId: Id }),
  /** Rewrites what the task's specialist is asked to do (e.g. after a failed run, before Run again). */
  request('editTaskRequest', { taskId: Id, request: z.string().trim().min(1).max(LIMITS.request) }),
  /** The user takes a ready task over: no specialist runs it; the user marks it done (moveTask). */
  request('takeOverTask', { taskId: Id }),
  /** The epic's "Accept automatically when every check passes" toggle. */
  request('setAutoAccept', { epicId: Id, on: z.boolean() }),
  request('acceptProposal', { proposalId: Id }),
  request('rejectProposal', { proposalId: Id, reason: Short.optional() }),
  /** Puts back every file an accepted proposal wrote (all or nothing). */
  request('undoProposal', { proposalId: Id }),
  /** Opens VS Code's diff of the proposal against the files on disk. */
  request('openDiff', { proposalId: Id }),
  /** Asks for a `taskDetail` push (history and comments are not in the snapshot). */
  request('openTask', { taskId: Id }),
  /** Git: the diff of one file of one of the task's commits. */
  request('openCommitDiff', { taskId: Id, hash: CommitHash, file: z.string().min(1).max(500) }),
  /** Git: "Revert this task" (shown as diffs in the editor first, then confirmed there). */
  request('revertTask', { taskId: Id }),
  /** Git: merge the task's branch, or push it and open a pull request (choices in the editor). */
  request('finishTask', { taskId: Id }),
  /** Asks for a `runDetail` push (prompts and answers are not in the snapshot). */
  request('openRun', { runId: Id }),
  /** Older chat history: the page of messages before `before`, oldest first. */
  request('loadEarlier', { before: Id, limit: z.number().int().min(1).max(LIMITS.page) }),
  request('saveViewState', { state: ViewState }),
  /** "Create a new app here" (offered while the workspace folder is empty): runs nocodo: New App. */
  request('newApp', {}),
]);
export type WebviewRequest = z.infer<typeof WebviewRequest>;
export type RequestType = WebviewRequest['type'];
export type RequestOf<K extends RequestType> = Extract<WebviewRequest, { type: K }>;
export const REQUEST_TYPES = WebviewRequest.options.map((o) => o.shape.type.value) as RequestType[];

/** Fire-and-forget messages (no reply). */
export const WebviewNotification = z.discriminatedUnion('type', [
  /** The Stop button: abort the request with this id. */
  z.strictObject({ type: z.literal('cancel'), requestId: Id }),
  /** Something went wrong inside the panel (e.g. the host sent an invalid message); the host logs it. */
  z.strictObject({ type: z.literal('reportError'), message: Short }),
]);
export type WebviewNotification = z.infer<typeof WebviewNotification>;

export const WebviewMessage = z.discriminatedUnion('type', [...WebviewRequest.options, ...WebviewNotification.options]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

// ---------------------------------------------------------------- host → webview: payloads

/** Whether "Run" can be pressed, and if not, the sentence that says why. */
export const Runnable = z.strictObject({ ok: z.boolean(), reason: Short.optional() });
export type Runnable = z.infer<typeof Runnable>;

/** Where a task stands within its epic, and how long it was in progress (from its history). */
export const TaskProgress = z.strictObject({
  /**
   * `running`: a specialist works on it; `review`: its proposal waits; `failed`: its last run
   * produced nothing usable; `yours`: the user took it over (in progress in the user's hands).
   */
  status: z.enum(['todo', 'running', 'review', 'failed', 'yours', 'done']),
  /** Time in progress, summed over every attempt (an attempt still going counts up to the snapshot). */
  workMs: z.number().nonnegative(),
  /** How many times it was started. */
  attempts: z.number().int().nonnegative(),
});
export type TaskProgress = z.infer<typeof TaskProgress>;

/** The counts across one epic, for its progress line above the board. */
export const EpicProgress = z.strictObject({
  epicId: Id,
  total: z.number().int().nonnegative(),
  todo: z.number().int().nonnegative(),
  running: z.number().int().nonnegative(),
  review: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Taken over by the user. */
  yours: z.number().int().nonnegative(),
  /** Waiting on a failed task (directly or through others). */
  stopped: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  /** The tasks' time in progress, added up. */
  workMs: z.number().nonnegative(),
});
export type EpicProgress = z.infer<typeof EpicProgress>;

/** A task as the board shows it: the domain task plus what the user may do with it right now. */
export const BoardTask = Task.extend({
  /** States the host will accept a move to (a subset of the state machine's transitions). */
  transitions: z.array(TaskState).max(6),
  runnable: Runnable,
  /** Shaped, but no coding mode fits: the user does it (the board shows it apart from the shaping queue). */
  withUser: z.boolean().optional(),
  progress: TaskProgress.optional(),
  /** A failed task this one waits on (directly or through others): it cannot run until that one is done. */
  stoppedBy: z.strictObject({ taskId: Id, title: Short }).optional(),
});
export type BoardTask = z.infer<typeof BoardTask>;

/** One of a task's commits, as the board shows it (the diff opens in the editor). */
export const TaskCommitSummary = z.strictObject({
  hash: CommitHash,
  short: z.string().regex(/^[0-9a-f]{4,64}$/),
  subject: Short,
  at: z.number(),
  runId: Id.optional(),
  /** It reverts other commits of the task. */
  revert: z.boolean(),
  files: z.array(z.string().min(1).max(500)).max(200),
});
export type TaskCommitSummary = z.infer<typeof TaskCommitSummary>;

/** What git knows of a task: its commits (newest first) and what can be done with them. */
export const TaskGit = z.strictObject({
  commits: z.array(TaskCommitSummary).max(100),
  canRevert: z.boolean(),
  /** The task has a branch of its own (branch per task). */
  branch: z.string().max(300).optional(),
});
export type TaskGit = z.infer<typeof TaskGit>;

export const RunSummary = z.strictObject({
  id: Id,
  parentRunId: Id.optional(),
  role: ModelRole,
  mode: z.string().max(100).optional(),
  taskId: Id.optional(),
  model: Short,
  outcome: RunRecord.shape.outcome,
  error: Short.optional(),
  startedAt: z.number(),
  totalMs: z.number(),
  firstTokenMs: z.number().optional(),
  tokensPerSecond: z.number().optional(),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  proposalId: Id.optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A proposal without its file texts (the diff opens in the editor, not in the panel). */
export const ProposalSummary = z.strictObject({
  id: Id,
  runId: Id.optional(),
  taskId: Id.optional(),
  status: ProposalStatus,
  mode: z.string().max(100),
  summary: Short,
  files: z.array(z.strictObject({ path: z.string().min(1).max(1_000), isNew: z.boolean(), added: z.number().int(), removed: z.number().int() })).max(200),
  createdAt: z.number(),
  rejectionReason: Short.optional(),
});
export type ProposalSummary = z.infer<typeof ProposalSummary>;

export const StateSnapshot = z.strictObject({
  session: Session.nullable(),
  /** Every stored session, newest first, so the user can go back to an earlier app. */
  sessions: z.array(z.strictObject({ id: Id, title: Short, updatedAt: z.number() })).max(LIMITS.page).optional(),
  /** The latest page of the chat, oldest first. */
  messages: z.array(Message).max(LIMITS.page),
  /** True when older messages exist (the panel offers "Show earlier"). */
  hasMoreMessages: z.boolean(),
  board: z.strictObject({ epics: z.array(Epic), tasks: z.array(BoardTask), progress: z.array(EpicProgress).max(LIMITS.page).optional() }),
  runs: z.array(RunSummary),
  /** Proposals waiting for the user's decision, and the decided ones of the runs listed (so every view follows their state). */
  proposals: z.array(ProposalSummary),
  /** The coding modes' titles, so the panel says "Diesel model function", not `diesel-model-fn`. */
  modes: z.array(z.strictObject({ id: z.string().max(100), title: Short })).max(100).optional(),
  /** Requests still running on the host (so a reopened panel shows Stop for them). */
  busy: z.array(z.strictObject({ requestId: Id, label: Short })).max(50),
  /** The workspace folder is empty: the panel offers New App before anything else. */
  newAppOffer: z.boolean().optional(),
  /** The host's copy of the view state, used when the panel has none of its own (after a restart). */
  viewState: ViewState.optional(),
});
export type StateSnapshot = z.infer<typeof StateSnapshot>;

export const ErrorCode = z.enum(['invalid', 'cancelled', 'not_found', 'conflict', 'failed']);
export type ErrorCode = z.infer<typeof ErrorCode>;
/** `runId`: the model call that failed, when there was one (the panel offers "Show the run"). */
export const ReplyError = z.strictObject({ code: ErrorCode, message: Short, runId: Id.optional() });
export type ReplyError = z.infer<typeof ReplyError>;

/** What each request's reply carries when it succeeds (checked again by the side that asked). */
export const RequestResults = {
  ready: z.null(),
  newSession: z.null(),
  selectSession: z.null(),
  sendChat: z.null(),
  answerQuestions: z.null(),
  summarise: z.null(),
  confirmSummary: z.null(),
  moveTask: z.null(),
  addComment: z.null(),
  runTask: z.strictObject({ runId: Id.optional() }),
  editTaskRequest: z.null(),
  takeOverTask: z.null(),
  setAutoAccept: z.null(),
  acceptProposal: z.null(),
  rejectProposal: z.null(),
  undoProposal: z.null(),
  openDiff: z.null(),
  openTask: z.null(),
  openCommitDiff: z.null(),
  revertTask: z.null(),
  finishTask: z.null(),
  openRun: z.null(),
  loadEarlier: z.strictObject({ messages: z.array(Message).max(LIMITS.page), hasMore: z.boolean() }),
  saveViewState: z.null(),
  newApp: z.null(),
} satisfies Record<RequestType, z.ZodType>;
export type ResultOf<K extends RequestType> = z.infer<(typeof RequestResults)[K]>;

// ---------------------------------------------------------------- host → webview

/** The answer to one request: `ok` with the request's result, or an error. */
export const Reply = z.discriminatedUnion('ok', [
  z.strictObject({ type: z.literal('reply'), id: Id, ok: z.literal(true), result: z.unknown() }),
  z.strictObject({ type: z.literal('reply'), id: Id, ok: z.literal(false), error: ReplyError }),
]);
export type Reply = z.infer<typeof Reply>;

export const HostMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('state'), state: StateSnapshot }),
  /** Model text as it streams, for the request that started it (chat, answers, summarise, run). */
  z.strictObject({ type: z.literal('streamDelta'), requestId: Id, author: ActorRole, text: z.string().max(LIMITS.content) }),
  z.strictObject({ type: z.literal('streamEnd'), requestId: Id }),
  Reply,
  z.strictObject({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: Short }),
  z.strictObject({ type: z.literal('runDetail'), run: RunRecord, proposal: ProposalSummary.optional(), commit: TaskCommitSummary.optional() }),
  z.strictObject({ type: z.literal('taskDetail'), task: BoardTask, events: z.array(TaskEvent), comments: z.array(Comment), runs: z.array(RunSummary), git: TaskGit.optional() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;
export type HostMessageOf<K extends HostMessage['type']> = Extract<HostMessage, { type: K }>;
