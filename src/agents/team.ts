import type { Epic, Message, ProductSummary, Session, Task, TaskState } from '../domain';
import { getMode as registryGetMode } from '../../modes';
import type { Disposable } from '../store/types';
import { whyNotRunnable, type ProposalDecision, type RunTaskOutcome } from './dispatcher';
import { TeamError } from './errors';
import { AutoAccepter, AutoRunner } from './teamAutoRun';
import { addComment, decide, editRequest, moveTask, planStep, runStep, shapeStep, takeOver } from './teamDelivery';
import { confirmSummary, receiveAnswers, receiveMessage, requestSummary, startWithMessage } from './teamDiscovery';
import { continuePendingWork, pendingWork, type PendingWork } from './teamResume';
import { NEW_SESSION_TITLE, TeamRuntime, requireText, type StepOptions, type TeamChange, type TeamOptions, type TeamSettings } from './teamRuntime';
import { clean } from './text';

export { DEFAULT_TEAM_SETTINGS, parseTeamSettings, type StepOptions, type TeamChange, type TeamChangeKind, type TeamOptions, type TeamSettings } from './teamRuntime';
export type { PendingWork } from './teamResume';

/**
 * The AI team around one session: Product Owner (questions, summary) → Project Manager (epic and
 * tasks) → Engineering Manager (shaping) → specialists (coding modes). Driven by the host and the
 * CLI. Every step stores its input before the model call and its result after it, so stopping at
 * any moment (cancel, crash, reload) leaves a state that `resume()` continues from.
 *
 * This class is the facade: each method checks its input, takes the one step slot and hands over
 * to a part of the team:
 * - teamRuntime.ts: shared state and plumbing (one step at a time, cancellation, agent calls, events);
 * - teamDiscovery.ts: Product Owner questions, answers and the summary;
 * - teamDelivery.ts: planning, shaping, running tasks and the board;
 * - teamResume.ts: what is pending, from stored state, and continuing it;
 * - teamAutoRun.ts: what the team does by itself (auto-run, auto-accept).
 */
export class Team implements Disposable {
  private readonly rt: TeamRuntime;
  private readonly autoRun: AutoRunner;
  private readonly autoAccept: AutoAccepter;

  constructor(opts: TeamOptions) {
    this.rt = new TeamRuntime({ ...opts, getMode: opts.getMode ?? registryGetMode });
    this.autoRun = new AutoRunner(this.rt, (taskId) => this.runTask(taskId));
    this.autoAccept = new AutoAccepter(this.rt, (proposalId) => this.onProposalDecided(proposalId, 'accepted'));
  }

  // ---- reading --------------------------------------------------------------------------------

  get sessionId(): string | undefined {
    return this.rt.sessionId;
  }
  get session(): Session | undefined {
    return this.rt.session;
  }
  /** What the team is doing now (for a spinner), or undefined when idle. */
  get busy(): string | undefined {
    return this.rt.busy;
  }
  messages(): Message[] {
    return this.rt.sessionId ? this.rt.store.messages.list(this.rt.sessionId) : [];
  }
  epics(): Epic[] {
    return this.rt.sessionId ? this.rt.store.epics.list(this.rt.sessionId) : [];
  }
  tasks(): Task[] {
    return this.rt.sessionId ? this.rt.store.tasks.list({ sessionId: this.rt.sessionId }) : [];
  }
  /** Why "Run" is not possible for the task now, or undefined when it is. */
  whyNotRunnable(taskId: string): string | undefined {
    const task = this.rt.store.tasks.get(taskId);
    if (!task) return `There is no task ${taskId}.`;
    return whyNotRunnable(this.rt.store, task, this.rt.opts.getMode, this.rt.opts.project);
  }
  runnableTasks(): Task[] {
    return this.rt.runnableTasks();
  }
  settings(): TeamSettings {
    return this.rt.settings();
  }

  onChange(listener: (c: TeamChange) => void): Disposable {
    return this.rt.onChange(listener);
  }

  /** Resolves when background work (auto-run) has settled. */
  idle(): Promise<void> {
    return this.autoRun.idle();
  }

  /** Cancels the running step; the state stays consistent and the session can continue. */
  cancel(): void {
    this.rt.cancel();
  }

  dispose(): void {
    this.rt.dispose();
  }

  // ---- discovery ------------------------------------------------------------------------------

  /** An empty session (the panel's "New session"); the first `sendMessage` starts the discovery. */
  newSession(title?: string): Session {
    this.rt.refuseIfBusy();
    const session = this.rt.store.sessions.create({ title: clean(title ?? '', 60) || NEW_SESSION_TITLE });
    this.rt.sessionId = session.id;
    this.rt.emit('session', 'messages', 'board');
    return session;
  }

  /** Switches to another stored session. */
  selectSession(sessionId: string): Session {
    this.rt.refuseIfBusy();
    const session = this.rt.store.sessions.get(sessionId);
    if (!session) throw new TeamError('not-found', `There is no session ${sessionId}.`);
    this.rt.sessionId = session.id;
    this.rt.emit('session', 'messages', 'board');
    return session;
  }

  /** Starts a new session with the user's first message; the Product Owner answers with questions. */
  async startSession(firstMessage: string, opts: StepOptions = {}): Promise<Session> {
    const text = requireText(firstMessage);
    return this.rt.exclusive('starting the session', opts, (signal) => startWithMessage(this.rt, text, signal));
  }

  /**
   * A free message from the user. During discovery the Product Owner takes it into account; while
   * a summary awaits confirmation it is a change request and the summary is rewritten.
   */
  async sendMessage(text: string, opts: StepOptions = {}): Promise<Message> {
    const content = requireText(text);
    if (!this.rt.session) {
      await this.startSession(content, opts);
      return this.messages().find((m) => m.author === 'user')!;
    }
    return this.rt.exclusive('answering your message', opts, (signal) => receiveMessage(this.rt, content, signal));
  }

  /** The user's answers to a round of questions (validated against them), then the next turn. */
  async answer(messageId: string, answers: unknown, opts: StepOptions = {}): Promise<void> {
    await this.rt.exclusive('reading your answers', opts, (signal) => receiveAnswers(this.rt, messageId, answers, signal));
  }

  /** "That's enough, summarise": ends the questions (or rewrites an unconfirmed summary). */
  async summarise(opts: StepOptions = {}): Promise<ProductSummary> {
    return this.rt.exclusive('writing the summary', opts, (signal) => requestSummary(this.rt, signal));
  }

  /** Confirms the summary, as shown or as edited by the user (validated). */
  confirmSummary(summary?: unknown): Session {
    this.rt.refuseIfBusy();
    return confirmSummary(this.rt, summary);
  }

  // ---- planning and shaping --------------------------------------------------------------------

  /** The Project Manager turns the confirmed summary into an epic with tasks. */
  async plan(opts: StepOptions = {}): Promise<{ epic: Epic; tasks: Task[] }> {
    return this.rt.exclusive('planning the tasks', opts, (signal) => planStep(this.rt, signal));
  }

  /**
   * The Engineering Manager shapes every task waiting for it, then the deterministic checks decide
   * which become `ready`. Tasks shaped before are only checked again (cheap; picks up a table the
   * user has added since).
   */
  async shapeAll(opts: StepOptions = {}): Promise<Task[]> {
    const tasks = await this.rt.exclusive('shaping the tasks', opts, (signal) => shapeStep(this.rt, signal));
    this.autoRun.kick();
    return tasks;
  }

  // ---- building --------------------------------------------------------------------------------

  /** A specialist runs the task's coding mode; a usable result becomes a pending proposal. */
  async runTask(taskId: string, opts: StepOptions = {}): Promise<RunTaskOutcome> {
    const task = this.rt.store.tasks.get(taskId);
    const outcome = await this.rt.exclusive(`running "${task?.title ?? taskId}"`, opts, (signal) => runStep(this.rt, taskId, signal));
    if (outcome.kind === 'proposal') await this.autoAccept.consider(outcome.proposal.id);
    return outcome;
  }

  /**
   * Turns "accept automatically when every check passes" on or off for an epic. Turning it on
   * also decides the epic's proposals already waiting (each task's comments say what happened).
   */
  async setEpicAutoAccept(epicId: string, on: boolean): Promise<Epic> {
    return this.autoAccept.setForEpic(epicId, on);
  }

  /** Work before each task run (the host's git branch per task); see DispatchDeps.prepareTask. */
  setTaskPreparer(prepare: ((task: Task) => Promise<string | undefined>) | undefined): void {
    this.rt.taskPreparer = prepare;
  }

  /** The user accepted or rejected a proposal (the host's diff view calls this), or an automatic accept did. */
  onProposalDecided(proposalId: string, decision: 'accepted' | 'rejected', reason?: string): ProposalDecision {
    const result = decide(this.rt, proposalId, decision, reason, decision === 'accepted' && this.autoAccept.isDeciding(proposalId));
    if (decision === 'accepted') this.autoRun.kick();
    return result;
  }

  /** A user-driven move on the board (e.g. a task done by hand). Illegal moves throw IllegalTransitionError. */
  moveTask(taskId: string, to: TaskState, why?: string): Task {
    const moved = moveTask(this.rt, taskId, to, why);
    // A task done by hand may be what other tasks waited for.
    if (to === 'done') this.autoRun.kick();
    return moved;
  }

  /**
   * The user takes a ready task over (typically one whose run failed): it goes in progress in the
   * user's hands, no specialist runs it; marking it done (moveTask) lets what it stopped run.
   */
  takeOverTask(taskId: string): Task {
    return takeOver(this.rt, taskId);
  }

  /** The user rewrites the request the task's specialist gets (before running it again). */
  editTaskRequest(taskId: string, request: string): Task {
    return editRequest(this.rt, taskId, request);
  }

  /** A comment the next specialist run takes into account. */
  addComment(taskId: string, body: string): void {
    addComment(this.rt, taskId, requireText(body));
  }

  // ---- resuming --------------------------------------------------------------------------------

  /** What the session needs next, from stored state only. */
  pendingWork(): PendingWork {
    return pendingWork(this.rt);
  }

  /**
   * Continues where the session stopped: puts back tasks whose run was interrupted, then does the
   * pending model step (a Product Owner turn, the summary, the plan, the shaping). Ready tasks run
   * by themselves only with auto-run. Returns what was pending.
   */
  async resume(opts: StepOptions = {}): Promise<PendingWork> {
    if (!this.rt.sessionId) this.rt.sessionId = this.rt.store.sessions.list()[0]?.id;
    const work = await this.rt.exclusive('continuing where the team stopped', opts, (signal) => continuePendingWork(this.rt, signal));
    // A proposal nocodo closed on before its automatic accept is decided now.
    await this.autoAccept.resumePending();
    this.autoRun.kick();
    return work;
  }
}
