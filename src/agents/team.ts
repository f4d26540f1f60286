import type { ProjectFs } from '../core/projectFs';
import type { ActorRole, Epic, Message, ProductSummary, Proposal, Session, Task, TaskState } from '../domain';
import { MODE_IDS, ProductSummary as ProductSummarySchema } from '../domain';
import { isModelError } from '../llm/errors';
import type { ModelClient } from '../llm/types';
import { getMode as registryGetMode } from '../../modes';
import type { CompileStepOptions } from '../pipeline/compileStep';
import type { Mode } from '../pipeline/mode';
import { applyOnDisk } from '../proposals/applyOnDisk';
import { loadProject } from '../rust/project';
import type { ProjectInfo } from '../rust/types';
import type { Disposable, NocodoStore } from '../store/types';
import type { AgentContext, AgentResult } from './agentCall';
import { describeAnswers, validateAnswers } from './answers';
import { autoAccept, type AutoApplyOutcome, type ProposalApplier } from './autoAccept';
import { applyShaping, isShaped, promoteIfReady, savePlan } from './board';
import { decideProposal, runnableTasks, runTask, whyNotRunnable, type ModeLookup, type ProposalDecision, type RunTaskOutcome } from './dispatcher';
import { shapeWithModel, type Shaping } from './engineeringManager';
import { CANCELLED_MESSAGE, TeamError, isCancellation, throwIfAborted } from './errors';
import { askProductOwner, summariseProduct } from './productOwner';
import { planEpic } from './projectManager';
import { checkpoint, lastRunId, runsOf, saveRuns } from './runs';
import { topologicalOrder } from './shapingChecks';
import { clean } from './text';

export interface TeamSettings {
  /** Most rounds of clarifying questions before the Product Owner summarises (1–10). */
  maxQuestionRounds: number;
  /** Run ready tasks by themselves once their dependencies are done (every proposal is still reviewed). */
  autoRun: boolean;
}

const NEW_SESSION_TITLE = 'New app';

export const DEFAULT_TEAM_SETTINGS: Readonly<TeamSettings> = { maxQuestionRounds: 3, autoRun: false };

export interface TeamOptions {
  store: NocodoStore;
  client: ModelClient;
  /** The Rust project the team works on (checks during shaping, and the specialists' runs). */
  project?: ProjectFs;
  /** The coding modes that can run; default: the registry (modes/index.ts). */
  getMode?: ModeLookup;
  /** A value, or a getter so that changed settings apply to the next step. */
  settings?: Partial<TeamSettings> | (() => Partial<TeamSettings>);
  /** Continue this session (otherwise `startSession`, or `resume` picks the latest). */
  sessionId?: string;
  /** Streamed answer text of the agent at work, for the sidebar. */
  onDelta?: (author: ActorRole, text: string) => void;
  /** Failures of background work (auto-run); foreground steps throw instead. */
  onError?: (err: unknown) => void;
  /**
   * How an automatic accept writes a proposal (the host: its editor accept path). It records the
   * decision through `onProposalDecided`. Default: the files on disk, all or nothing.
   */
  applyProposal?: ProposalApplier;
  /** The compile check for the specialists' Rust runs (`cargo check`), read per run. */
  compile?: () => CompileStepOptions | undefined;
}

export type TeamChangeKind = 'session' | 'messages' | 'board' | 'proposals' | 'busy';
export interface TeamChange {
  kind: TeamChangeKind;
  sessionId?: string;
}

export interface StepOptions {
  signal?: AbortSignal;
}

/** What the session needs next, derived from stored state alone (so a restarted nocodo knows). */
export type PendingWork =
  | { kind: 'product-owner-turn' }
  | { kind: 'summary' }
  | { kind: 'plan' }
  | { kind: 'shape'; taskIds: string[] }
  /** Ready tasks whose dependencies are done. */
  | { kind: 'run'; taskIds: string[] }
  | { kind: 'user'; waitingFor: 'first-message' | 'answers' | 'message' | 'summary-confirmation' | 'review' | 'tasks' | 'nothing' };

/**
 * The AI team around one session: Product Owner (questions, summary) → Project Manager (epic and
 * tasks) → Engineering Manager (shaping) → specialists (coding modes). Driven by the host and the
 * CLI. Every step stores its input before the model call and its result after it, so stopping at
 * any moment (cancel, crash, reload) leaves a state that `resume()` continues from.
 */
export class Team implements Disposable {
  private sessionIdValue: string | undefined;
  private running: { label: string; controller: AbortController } | undefined;
  private readonly listeners = new Set<(c: TeamChange) => void>();
  private background: Promise<void> = Promise.resolve();

  private readonly opts: TeamOptions & { getMode: ModeLookup };
  private taskPreparer: ((task: Task) => Promise<string | undefined>) | undefined;
  /** Proposals being accepted automatically right now (their decision is recorded as the system's). */
  private readonly autoDeciding = new Set<string>();

  constructor(opts: TeamOptions) {
    this.opts = { ...opts, getMode: opts.getMode ?? registryGetMode };
    this.sessionIdValue = opts.sessionId;
  }

  // ---- reading --------------------------------------------------------------------------------

  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }
  get session(): Session | undefined {
    return this.sessionIdValue ? this.opts.store.sessions.get(this.sessionIdValue) : undefined;
  }
  /** What the team is doing now (for a spinner), or undefined when idle. */
  get busy(): string | undefined {
    return this.running?.label;
  }
  messages(): Message[] {
    return this.sessionIdValue ? this.opts.store.messages.list(this.sessionIdValue) : [];
  }
  epics(): Epic[] {
    return this.sessionIdValue ? this.opts.store.epics.list(this.sessionIdValue) : [];
  }
  tasks(): Task[] {
    return this.sessionIdValue ? this.opts.store.tasks.list({ sessionId: this.sessionIdValue }) : [];
  }
  /** Why "Run" is not possible for the task now, or undefined when it is. */
  whyNotRunnable(taskId: string): string | undefined {
    const task = this.opts.store.tasks.get(taskId);
    if (!task) return `There is no task ${taskId}.`;
    return whyNotRunnable(this.opts.store, task, this.opts.getMode, this.opts.project);
  }
  runnableTasks(): Task[] {
    return this.sessionIdValue ? runnableTasks(this.opts.store, this.sessionIdValue, this.opts.getMode, this.opts.project) : [];
  }
  settings(): TeamSettings {
    const raw = typeof this.opts.settings === 'function' ? this.opts.settings() : (this.opts.settings ?? {});
    const rounds = raw.maxQuestionRounds;
    return {
      maxQuestionRounds: typeof rounds === 'number' && Number.isInteger(rounds) ? Math.min(10, Math.max(1, rounds)) : DEFAULT_TEAM_SETTINGS.maxQuestionRounds,
      autoRun: raw.autoRun === true,
    };
  }

  onChange(listener: (c: TeamChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves when background work (auto-run) has settled. */
  idle(): Promise<void> {
    return this.background;
  }

  /** Cancels the running step; the state stays consistent and the session can continue. */
  cancel(): void {
    this.running?.controller.abort();
  }

  dispose(): void {
    this.cancel();
    this.listeners.clear();
  }

  // ---- discovery ------------------------------------------------------------------------------

  /** An empty session (the panel's "New session"); the first `sendMessage` starts the discovery. */
  newSession(title?: string): Session {
    this.refuseIfBusy();
    const session = this.opts.store.sessions.create({ title: clean(title ?? '', 60) || NEW_SESSION_TITLE });
    this.sessionIdValue = session.id;
    this.emit('session', 'messages', 'board');
    return session;
  }

  /** Switches to another stored session. */
  selectSession(sessionId: string): Session {
    this.refuseIfBusy();
    const session = this.opts.store.sessions.get(sessionId);
    if (!session) throw new TeamError('not-found', `There is no session ${sessionId}.`);
    this.sessionIdValue = session.id;
    this.emit('session', 'messages', 'board');
    return session;
  }

  /** Starts a new session with the user's first message; the Product Owner answers with questions. */
  async startSession(firstMessage: string, opts: StepOptions = {}): Promise<Session> {
    const text = this.requireText(firstMessage);
    return this.exclusive('starting the session', opts, async (signal) => {
      const { store } = this.opts;
      const session = store.sessions.create({ title: clean(text, 60) });
      this.sessionIdValue = session.id;
      store.messages.create({ sessionId: session.id, author: 'user', content: text });
      this.emit('session', 'messages');
      await this.productOwnerStep(signal);
      return this.requireSession();
    });
  }

  /**
   * A free message from the user. During discovery the Product Owner takes it into account; while
   * a summary awaits confirmation it is a change request and the summary is rewritten.
   */
  async sendMessage(text: string, opts: StepOptions = {}): Promise<Message> {
    const content = this.requireText(text);
    if (!this.session) {
      await this.startSession(content, opts);
      return this.messages().find((m) => m.author === 'user')!;
    }
    return this.exclusive('answering your message', opts, async (signal) => {
      const s = this.requireSession();
      const { store } = this.opts;
      const all = store.messages.list(s.id);
      const firstWords = !all.some((m) => m.author === 'user');
      // "Try again" after a failed reply sends the same words: they are in the chat already.
      const last = all.at(-1);
      const msg = last?.author === 'user' && last.content === content && !last.answers ? last : store.messages.create({ sessionId: s.id, author: 'user', content });
      if (firstWords && s.title === NEW_SESSION_TITLE) store.sessions.update(s.id, { title: clean(content, 60) });
      this.emit('messages', 'session');
      if (s.phase === 'discovery') await this.productOwnerStep(signal);
      else if (s.phase === 'summary') await this.summaryStep(signal);
      else {
        store.messages.create({
          sessionId: s.id,
          author: 'system',
          content: 'The summary is confirmed and the work is planned, so this message changes nothing by itself. To change a task, comment on it on the board.',
        });
        this.emit('messages');
      }
      return msg;
    });
  }

  /** The user's answers to a round of questions (validated against them), then the next turn. */
  async answer(messageId: string, answers: unknown, opts: StepOptions = {}): Promise<void> {
    await this.exclusive('reading your answers', opts, async (signal) => {
      const s = this.requireSession();
      const { store } = this.opts;
      if (s.phase !== 'discovery') throw new TeamError('wrong-phase', 'The questions are closed: the Product Owner has already written the summary.');
      const all = store.messages.list(s.id);
      const idx = all.findIndex((m) => m.id === messageId);
      const msg = all[idx];
      if (!msg?.questions?.length) throw new TeamError('not-found', 'There are no questions with that id in this session.');
      if (all.slice(idx + 1).some((m) => m.author === 'user' || m.questions?.length)) throw new TeamError('invalid-answer', 'These questions were already answered, or a newer message replaced them.');
      const check = validateAnswers(msg.questions, answers);
      if (!check.ok) throw new TeamError('invalid-answer', 'Some answers need another look:', check.errors);
      store.messages.create({ sessionId: s.id, author: 'user', content: describeAnswers(msg.questions, check.answers), answers: check.answers });
      this.emit('messages');
      await this.productOwnerStep(signal);
    });
  }

  /** "That's enough, summarise": ends the questions (or rewrites an unconfirmed summary). */
  async summarise(opts: StepOptions = {}): Promise<ProductSummary> {
    return this.exclusive('writing the summary', opts, async (signal) => {
      const s = this.requireSession();
      if (s.phase !== 'discovery' && s.phase !== 'summary') throw new TeamError('wrong-phase', 'The summary is already confirmed.');
      if (s.phase === 'discovery') {
        this.opts.store.messages.create({ sessionId: s.id, author: 'user', content: "That's enough questions: please summarise." });
        this.emit('messages');
      }
      return this.summaryStep(signal);
    });
  }

  /** Confirms the summary, as shown or as edited by the user (validated). */
  confirmSummary(summary?: unknown): Session {
    this.refuseIfBusy();
    const s = this.requireSession();
    const { store } = this.opts;
    if (s.phase !== 'summary' || !s.summary) throw new TeamError('wrong-phase', s.summaryConfirmed ? 'The summary is already confirmed.' : 'There is no summary to confirm yet.');
    const parsed = ProductSummarySchema.safeParse(summary ?? s.summary);
    if (!parsed.success) {
      throw new TeamError(
        'invalid-summary',
        'The summary cannot be confirmed like this:',
        parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || 'summary'}: ${i.message}`),
      );
    }
    const edited = JSON.stringify(parsed.data) !== JSON.stringify(s.summary);
    store.messages.create({ sessionId: s.id, author: 'user', content: edited ? 'Confirmed the summary with my edits.' : 'Confirmed the summary.', ...(edited ? { summary: parsed.data } : {}) });
    const updated = store.sessions.update(s.id, { summary: parsed.data, summaryConfirmed: true, phase: 'planning', title: parsed.data.appName });
    this.emit('session', 'messages');
    return updated;
  }

  // ---- planning and shaping --------------------------------------------------------------------

  /** The Project Manager turns the confirmed summary into an epic with tasks. */
  async plan(opts: StepOptions = {}): Promise<{ epic: Epic; tasks: Task[] }> {
    return this.exclusive('planning the tasks', opts, (signal) => this.planStep(signal));
  }

  /**
   * The Engineering Manager shapes every task waiting for it, then the deterministic checks decide
   * which become `ready`. Tasks shaped before are only checked again (cheap; picks up a table the
   * user has added since).
   */
  async shapeAll(opts: StepOptions = {}): Promise<Task[]> {
    const tasks = await this.exclusive('shaping the tasks', opts, (signal) => this.shapeStep(signal));
    this.kickAutoRun();
    return tasks;
  }

  // ---- building --------------------------------------------------------------------------------

  /** A specialist runs the task's coding mode; a usable result becomes a pending proposal. */
  async runTask(taskId: string, opts: StepOptions = {}): Promise<RunTaskOutcome> {
    const task = this.opts.store.tasks.get(taskId);
    const outcome = await this.exclusive(`running "${task?.title ?? taskId}"`, opts, (signal) => this.runStep(taskId, signal));
    if (outcome.kind === 'proposal') await this.autoAcceptProposal(outcome.proposal.id);
    return outcome;
  }

  /**
   * Turns "accept automatically when every check passes" on or off for an epic. Turning it on
   * also decides the epic's proposals already waiting (each task's comments say what happened).
   */
  async setEpicAutoAccept(epicId: string, on: boolean): Promise<Epic> {
    const { store } = this.opts;
    if (!store.epics.get(epicId)) throw new TeamError('not-found', `There is no epic ${epicId}.`);
    const epic = store.epics.update(epicId, { autoAccept: on });
    this.emit('board');
    if (!on) return epic;
    const tasks = new Set(store.tasks.list({ epicId }).map((t) => t.id));
    for (const p of store.proposals.pending().filter((x) => x.taskId && tasks.has(x.taskId))) await this.autoAcceptProposal(p.id);
    return store.epics.get(epicId)!;
  }

  /** The user accepted or rejected a proposal (the host's diff view calls this), or an automatic accept did. */
  onProposalDecided(proposalId: string, decision: 'accepted' | 'rejected', reason?: string): ProposalDecision {
    const auto = decision === 'accepted' && this.autoDeciding.has(proposalId);
    const result = decideProposal(this.opts.store, proposalId, decision, reason, auto ? { by: 'system', why: 'Accepted automatically: every check passed.' } : {});
    this.emit('proposals', 'board');
    if (decision === 'accepted') this.kickAutoRun();
    return result;
  }

  /** A user-driven move on the board (e.g. a task done by hand). Illegal moves throw IllegalTransitionError. */
  moveTask(taskId: string, to: TaskState, why?: string): Task {
    const task = this.opts.store.tasks.get(taskId);
    if (!task) throw new TeamError('not-found', `There is no task ${taskId}.`);
    const { store } = this.opts;
    const moved = store.transitionTask(taskId, { to, by: 'user', ...(why?.trim() ? { why: why.trim() } : {}) }).task;
    // A proposal waiting on a task the user moved away from "in progress" no longer decides anything.
    for (const p of store.proposals.list({ taskId, status: 'pending' })) store.proposals.update(p.id, { status: 'stale', decidedAt: Date.now() });
    this.emit('board', 'proposals');
    return moved;
  }

  /** A comment the next specialist run takes into account. */
  addComment(taskId: string, body: string): void {
    const text = this.requireText(body);
    if (!this.opts.store.tasks.get(taskId)) throw new TeamError('not-found', `There is no task ${taskId}.`);
    this.opts.store.comments.create({ taskId, author: 'user', body: text });
    this.emit('board');
  }

  // ---- resuming --------------------------------------------------------------------------------

  /** What the session needs next, from stored state only. */
  pendingWork(): PendingWork {
    const s = this.session;
    if (!s) return { kind: 'user', waitingFor: 'first-message' };
    const { store } = this.opts;
    switch (s.phase) {
      case 'discovery': {
        const last = store.messages.list(s.id).filter((m) => m.author !== 'system').pop();
        if (!last) return { kind: 'user', waitingFor: 'first-message' };
        if (last.author === 'user') return { kind: 'product-owner-turn' };
        return last.questions?.length ? { kind: 'user', waitingFor: 'answers' } : { kind: 'summary' };
      }
      case 'summary':
        return s.summary ? { kind: 'user', waitingFor: 'summary-confirmation' } : { kind: 'summary' };
      case 'planning':
      case 'shaping':
      case 'building': {
        if (s.phase === 'planning' && store.epics.list(s.id).length === 0) return { kind: 'plan' };
        const tasks = store.tasks.list({ sessionId: s.id });
        const unshaped = tasks.filter((t) => t.state === 'needs_technical_shaping' && !isShaped(t));
        if (unshaped.length) return { kind: 'shape', taskIds: unshaped.map((t) => t.id) };
        const runnable = this.runnableTasks();
        if (runnable.length) return { kind: 'run', taskIds: runnable.map((t) => t.id) };
        if (store.proposals.pending().some((p) => tasks.some((t) => t.id === p.taskId))) return { kind: 'user', waitingFor: 'review' };
        return tasks.every((t) => t.state === 'done') ? { kind: 'user', waitingFor: 'nothing' } : { kind: 'user', waitingFor: 'tasks' };
      }
    }
  }

  /**
   * Continues where the session stopped: puts back tasks whose run was interrupted, then does the
   * pending model step (a Product Owner turn, the summary, the plan, the shaping). Ready tasks run
   * by themselves only with auto-run. Returns what was pending.
   */
  async resume(opts: StepOptions = {}): Promise<PendingWork> {
    if (!this.sessionIdValue) this.sessionIdValue = this.opts.store.sessions.list()[0]?.id;
    const work = await this.exclusive('continuing where the team stopped', opts, async (signal) => {
      this.recoverInterruptedRuns();
      const w = this.pendingWork();
      switch (w.kind) {
        case 'product-owner-turn':
          await this.productOwnerStep(signal);
          break;
        case 'summary':
          await this.summaryStep(signal);
          break;
        case 'plan':
          await this.planStep(signal);
          break;
        case 'shape':
          await this.shapeStep(signal);
          break;
        default:
          break;
      }
      return w;
    });
    this.kickAutoRun();
    return work;
  }

  // ---- steps (run inside `exclusive`) ------------------------------------------------------------

  private async productOwnerStep(signal: AbortSignal): Promise<void> {
    const s = this.requireSession();
    const { store } = this.opts;
    const { maxQuestionRounds } = this.settings();
    if (s.rounds >= maxQuestionRounds) {
      await this.summaryStep(signal);
      return;
    }
    const messages = store.messages.list(s.id);
    const { value: turn, runs } = await this.callAgent('product_owner', signal, undefined, (ctx) => askProductOwner(ctx, { messages, round: s.rounds + 1, maxRounds: maxQuestionRounds }));
    const runId = lastRunId(runs);
    if (turn.done) {
      // Both writes together: a stop after them leaves phase 'summary' without a summary, which resume() completes.
      if (turn.reflection) store.messages.create({ sessionId: s.id, author: 'product_owner', content: turn.reflection, ...(runId ? { runId } : {}) });
      store.sessions.update(s.id, { phase: 'summary', summary: null, summaryConfirmed: false });
      this.emit('messages', 'session');
      await this.summaryStep(signal);
      return;
    }
    store.messages.create({ sessionId: s.id, author: 'product_owner', content: turn.reflection || 'A few questions first:', questions: turn.questions, ...(runId ? { runId } : {}) });
    store.sessions.update(s.id, { rounds: s.rounds + 1 });
    this.emit('messages', 'session');
  }

  private async summaryStep(signal: AbortSignal): Promise<ProductSummary> {
    const s = this.requireSession();
    const { store } = this.opts;
    store.sessions.update(s.id, { phase: 'summary', summary: null, summaryConfirmed: false });
    this.emit('session');
    const messages = store.messages.list(s.id);
    const { value: summary, runs } = await this.callAgent('product_owner', signal, undefined, (ctx) => summariseProduct(ctx, messages));
    const runId = lastRunId(runs);
    store.messages.create({
      sessionId: s.id,
      author: 'product_owner',
      content: 'Here is what I understood. Confirm it, edit it, or tell me what to change.',
      summary,
      ...(runId ? { runId } : {}),
    });
    store.sessions.update(s.id, { summary, title: summary.appName });
    this.emit('messages', 'session');
    return summary;
  }

  private async planStep(signal: AbortSignal): Promise<{ epic: Epic; tasks: Task[] }> {
    const s = this.requireSession();
    const { store } = this.opts;
    if (store.epics.list(s.id).length) throw new TeamError('wrong-phase', 'The work is already planned.');
    if (s.phase !== 'planning' || !s.summaryConfirmed || !s.summary) throw new TeamError('wrong-phase', 'Confirm the summary first: the Project Manager plans from it.');
    const summary = s.summary;
    const { value: plan, runs } = await this.callAgent('project_manager', signal, undefined, (ctx) => planEpic(ctx, summary));
    const saved = savePlan(store, s.id, plan);
    const runId = lastRunId(runs);
    store.messages.create({
      sessionId: s.id,
      author: 'project_manager',
      content: `I planned "${saved.epic.title}" as ${saved.tasks.length} task${saved.tasks.length === 1 ? '' : 's'}. The Engineering Manager shapes them next.`,
      ...(runId ? { runId } : {}),
    });
    store.sessions.update(s.id, { phase: 'shaping' });
    this.emit('board', 'messages', 'session');
    return saved;
  }

  private async shapeStep(signal: AbortSignal): Promise<Task[]> {
    const s = this.requireSession();
    const { store, getMode } = this.opts;
    if (s.phase !== 'shaping' && s.phase !== 'building') {
      if (s.phase === 'planning' && store.epics.list(s.id).length) store.sessions.update(s.id, { phase: 'shaping' });
      else throw new TeamError('wrong-phase', 'There are no planned tasks to shape yet.');
    }
    const project = await this.loadProjectInfo();
    const modes = MODE_IDS.map((id) => getMode(id)).filter((m): m is Mode => m !== undefined);
    const counts = { ready: 0, manual: 0, waiting: 0, failed: 0 };
    for (const t of topologicalOrder(store.tasks.list({ sessionId: s.id }))) {
      throwIfAborted(signal);
      let task = store.tasks.get(t.id);
      if (!task || task.state !== 'needs_technical_shaping') continue;
      if (!isShaped(task)) {
        const current = task;
        const epicTasks = store.tasks.list({ epicId: task.epicId });
        let shaped: AgentResult<Shaping>;
        try {
          shaped = await this.callAgent('engineering_manager', signal, task.id, (ctx) =>
            shapeWithModel(ctx, { task: current, tasks: epicTasks, ...(s.summary ? { summary: s.summary } : {}), ...(project ? { project } : {}), modes }),
          );
        } catch (err) {
          // One unusable answer should not hold up the other tasks; this one is shaped again on resume.
          if (!isModelError(err) || err.kind !== 'invalid-output') throw err;
          store.comments.create({ taskId: task.id, author: 'engineering_manager', body: `I could not shape this task: ${err.message.split('\n')[0]}` });
          counts.failed++;
          this.emit('board');
          continue;
        }
        const inherited = task.role === 'frontend' || task.role === 'ui_designer' ? epicTasks.find((d) => task!.dependsOn.includes(d.id) && d.dataContract)?.dataContract : undefined;
        task = applyShaping(store, task, shaped.value, inherited);
      }
      const { check } = promoteIfReady(store, task, { ...(project ? { project } : {}), getMode });
      if (check.ready) counts.ready++;
      else if (check.manual) counts.manual++;
      else counts.waiting++;
      this.emit('board');
    }
    const all = store.tasks.list({ sessionId: s.id });
    if (!all.some((t) => t.state === 'needs_technical_shaping' && !isShaped(t))) store.sessions.update(s.id, { phase: 'building' });
    const parts = [`${counts.ready} ready to build`];
    if (counts.manual) parts.push(`${counts.manual} left to you (no coding mode fits)`);
    if (counts.waiting) parts.push(`${counts.waiting} need attention (see their comments)`);
    if (counts.failed) parts.push(`${counts.failed} could not be shaped yet`);
    if (counts.ready + counts.manual + counts.waiting + counts.failed > 0) {
      store.messages.create({ sessionId: s.id, author: 'engineering_manager', content: `Shaped the tasks: ${parts.join(', ')}.` });
    }
    this.emit('session', 'messages', 'board');
    return all;
  }

  /** Work before each task run (the host's git branch per task); see DispatchDeps.prepareTask. */
  setTaskPreparer(prepare: ((task: Task) => Promise<string | undefined>) | undefined): void {
    this.taskPreparer = prepare;
  }

  private async runStep(taskId: string, signal: AbortSignal): Promise<RunTaskOutcome> {
    const s = this.session;
    const { store } = this.opts;
    try {
      return await runTask(
        {
          store,
          client: this.opts.client,
          getMode: this.opts.getMode,
          ...(this.opts.project ? { project: this.opts.project } : {}),
          ...(this.opts.onDelta ? { onDelta: this.opts.onDelta } : {}),
          ...(this.taskPreparer ? { prepareTask: this.taskPreparer } : {}),
          ...(this.opts.compile ? { compile: this.opts.compile } : {}),
        },
        taskId,
        { signal, ...(s ? { sessionId: s.id } : {}) },
      );
    } finally {
      this.emit('board', 'proposals');
    }
  }

  /** Accepts the proposal when its epic accepts automatically and its checks passed (see autoAccept.ts). */
  private async autoAcceptProposal(proposalId: string): Promise<void> {
    this.autoDeciding.add(proposalId);
    try {
      await autoAccept(this.opts.store, proposalId, this.opts.applyProposal ?? ((p) => this.applyOnDisk(p)));
    } finally {
      this.autoDeciding.delete(proposalId);
      this.emit('board', 'proposals');
    }
  }

  /** The default applier: the files on disk, all or nothing, then the decision. */
  private async applyOnDisk(p: Proposal): Promise<AutoApplyOutcome> {
    const out = await applyOnDisk(p.changeSet, p.root);
    if (out.status === 'applied') this.onProposalDecided(p.id, 'accepted');
    if (out.status !== 'reanchored') return out;
    this.opts.store.proposals.update(p.id, { changeSet: out.changeSet });
    return { status: 'reanchored', files: out.files };
  }

  /** A task left `in_progress` without a proposal was interrupted (nocodo closed mid-run). */
  private recoverInterruptedRuns(): void {
    const s = this.session;
    if (!s) return;
    const { store } = this.opts;
    for (const t of store.tasks.list({ sessionId: s.id, state: 'in_progress' })) {
      if (store.proposals.list({ taskId: t.id, status: 'pending' }).length) continue;
      store.transitionTask(t.id, { to: 'ready', by: 'system', why: 'The run was interrupted before it finished; the task can run again.' });
      this.emit('board');
    }
  }

  // ---- plumbing ----------------------------------------------------------------------------------

  private async loadProjectInfo(): Promise<ProjectInfo | undefined> {
    if (!this.opts.project) return undefined;
    try {
      return await loadProject(this.opts.project);
    } catch (err) {
      // loadProject reports problems as diagnostics; an exception here is an I/O failure.
      this.report(err);
      return undefined;
    }
  }

  /** One agent call: state saved before, runs saved after (also when it fails), cancellation normalised. */
  private async callAgent<T>(author: ActorRole, signal: AbortSignal, taskId: string | undefined, call: (ctx: AgentContext) => Promise<AgentResult<T>>): Promise<AgentResult<T>> {
    const { store } = this.opts;
    const sessionId = this.sessionIdValue;
    throwIfAborted(signal);
    await checkpoint(store);
    const link = { ...(sessionId ? { sessionId } : {}), ...(taskId ? { taskId } : {}) };
    const ctx: AgentContext = { client: this.opts.client, signal, ...link, onDelta: (text) => this.opts.onDelta?.(author, text) };
    try {
      const result = await call(ctx);
      this.saveRunsQuietly(result.runs, link);
      return result;
    } catch (err) {
      this.saveRunsQuietly(runsOf(err), link);
      if (signal.aborted || isCancellation(err)) throw new TeamError('cancelled', CANCELLED_MESSAGE);
      throw err;
    }
  }

  private saveRunsQuietly(runs: Parameters<typeof saveRuns>[1], link: Parameters<typeof saveRuns>[2]): void {
    try {
      saveRuns(this.opts.store, runs, link);
    } catch (err) {
      this.report(err);
    }
  }

  private async exclusive<T>(label: string, opts: StepOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.refuseIfBusy();
    const controller = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
    this.running = { label, controller };
    this.emit('busy');
    try {
      return await fn(signal);
    } catch (err) {
      if (signal.aborted && !(err instanceof TeamError)) throw new TeamError('cancelled', CANCELLED_MESSAGE);
      throw err;
    } finally {
      this.running = undefined;
      this.emit('busy');
    }
  }

  private refuseIfBusy(): void {
    if (this.running) throw new TeamError('busy', `The team is still ${this.running.label}. Wait for it, or cancel it.`);
  }

  private kickAutoRun(): void {
    if (!this.settings().autoRun || !this.sessionIdValue) return;
    this.background = this.background.then(() => this.autoRunLoop()).catch((err: unknown) => this.report(err));
  }

  /** Runs runnable tasks one at a time (one model server); each task at most once per loop. */
  private async autoRunLoop(): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      if (!this.settings().autoRun || this.running) return;
      const next = this.runnableTasks().find((t) => !tried.has(t.id));
      if (!next) return;
      tried.add(next.id);
      try {
        await this.runTask(next.id);
      } catch (err) {
        this.report(err);
        if (isCancellation(err)) return;
      }
    }
  }

  private requireSession(): Session {
    const s = this.session;
    if (!s) throw new TeamError('not-found', 'There is no session yet: start one with a first message.');
    return s;
  }

  private requireText(text: string): string {
    const t = typeof text === 'string' ? text.trim() : '';
    if (!t) throw new TeamError('invalid-input', 'Write something first.');
    if (t.length > 20_000) throw new TeamError('invalid-input', `That message is too long (${t.length} characters; at most 20000).`);
    return t;
  }

  private emit(...kinds: TeamChangeKind[]): void {
    for (const kind of kinds) {
      for (const l of this.listeners) {
        try {
          l({ kind, ...(this.sessionIdValue ? { sessionId: this.sessionIdValue } : {}) });
        } catch (err) {
          this.report(err);
        }
      }
    }
  }

  private report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing error sink must not break the team
    }
  }
}

