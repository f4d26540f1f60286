import { capRunForStore } from '../store/runCap';
import { cargoProgressLabel } from '../compile';
import type * as vscode from 'vscode';
import type { NocodoContext } from './ctx';
import type { ModelServerFeature } from './modelServer';
import type { GitTaskCommands } from './git';
import type { ProposalService } from './proposals';
import { readRustfmtSetting, readTeamSettings } from './config';
import type { SidebarView } from './sidebarView';
import { workspaceProjectFs } from './workspaceFs';
import { isCancellation, Team, TeamError } from '../agents';
import { JsonTextStream } from '../core/jsonTextStream';
import { IllegalTransitionError, type ActorRole, type Proposal, type Task } from '../domain';
import { isModelError } from '../llm/errors';
import {
  createHostRouter,
  RequestError,
  toBoardTask,
  epicProgress,
  taskProgress,
  toProposalSummary,
  toRunSummary,
  ViewState,
  LIMITS,
  type HostHandlers,
  type HostRouter,
  type StateSnapshot,
} from '../protocol';
import type { NocodoStore } from '../store';
import { listModes, type CompileStepOptions } from '../../modes';

export interface NewAppHooks {
  isOffered(): Promise<boolean>;
  create(): Promise<unknown>;
}

const VIEW_STATE_KEY = 'nocodo.teamPanel.viewState';
const SESSION_KEY = 'nocodo.teamPanel.sessionId';
const PAGE = 50;
const CODE_AUTHORS: ReadonlySet<ActorRole> = new Set(['backend', 'db', 'frontend', 'ui_designer']);

/**
 * The host side of the team panel: routes the webview's (validated) requests to the Team, the
 * store and the proposal service, streams agent text back, and pushes state snapshots. The host
 * is the source of truth; the panel only renders what it is sent.
 */
export class TeamPanel implements vscode.Disposable {
  readonly team: Team;
  private readonly router: HostRouter;
  private readonly disposables: vscode.Disposable[] = [];
  /** The request whose work is streaming (the Team runs one step at a time). */
  private streaming: { requestId: string; json: Map<ActorRole, JsonTextStream> } | undefined;
  private pushTimer: NodeJS.Timeout | undefined;
  private readonly busyLabels = new Map<string, string>();
  /** Git history and actions for the board (set once git is registered; absent in tests without it). */
  private git: GitTaskCommands | undefined;
  /** New App: whether to offer it (an empty workspace folder) and how to run it (set by the extension). */
  private newApp: NewAppHooks | undefined;
  private newAppOffer = false;
  /** The `cargo check` step for the specialists' runs (set by the extension). */
  private compileStep: ((onProgress?: (seconds: number) => void) => CompileStepOptions | undefined) | undefined;
  /** The board's task run in progress, whose busy label shows the cargo check's progress. */
  private taskRun: { requestId: string; label: string } | undefined;

  constructor(
    private readonly ctx: NocodoContext,
    private readonly store: NocodoStore,
    models: ModelServerFeature,
    private readonly proposals: ProposalService,
    private readonly sidebar: SidebarView,
  ) {
    const root = ctx.workspaceRoot?.fsPath;
    this.team = new Team({
      store,
      client: models.client,
      ...(root ? { project: workspaceProjectFs(root) } : {}),
      settings: readTeamSettings,
      rustfmt: readRustfmtSetting,
      compile: () => this.compileStep?.((seconds) => this.showCompileProgress(seconds)),
      // An automatic accept goes through the editor's accept path (re-anchoring, one undo step, git).
      applyProposal: async (p) => {
        const out = await proposals.accept(p.id, { reportRefusal: false, quiet: true });
        return out.status === 'applied' ? { status: 'applied', written: out.written } : out.status === 'reanchored' ? { status: 'reanchored', files: out.files } : { status: 'refused', problems: out.problems };
      },
      onDelta: (author, text) => this.forwardDelta(author, text),
      onError: (err) => {
        // A stopped background run is the user's choice, not a failure to report.
        if (isCancellation(err)) return;
        ctx.log.error('team background work failed', err);
        this.router.send({ type: 'notice', level: 'error', text: messageOf(err) });
      },
    });
    // Decisions made in the diff editor reach the team (task done, or back to ready with the reason).
    proposals.setDecisionRecorder((id, decision, reason) => {
      this.team.onProposalDecided(id, decision, reason);
    });
    this.router = createHostRouter(this.handlers(), {
      post: (m) => this.sidebar.post(m),
      log: (level, text) => ctx.log[level === 'warn' ? 'warn' : level](text),
    });
    // Reopen the session the user was in (new messages do not reorder sessions, so "latest" is a fallback).
    const saved = ctx.ext.workspaceState.get<string>(SESSION_KEY);
    const sessions = store.sessions.list();
    const session = sessions.find((x) => x.id === saved) ?? sessions[0];
    if (session) this.team.selectSession(session.id);

    this.disposables.push(
      this.team.onChange((c) => {
        if (c.kind === 'session' && this.team.sessionId) void ctx.ext.workspaceState.update(SESSION_KEY, this.team.sessionId);
        this.schedulePush();
      }),
      store.onChange(() => this.schedulePush()),
      proposals.onDidChange(() => this.schedulePush()),
    );
  }

  /** Connects the board to git: task commits, revert, finish, and each run's commit. */
  setNewApp(hooks: NewAppHooks): void {
    this.newApp = hooks;
  }

  private async refreshNewAppOffer(): Promise<void> {
    this.newAppOffer = (await this.newApp?.isOffered().catch(() => false)) ?? false;
  }

  /**
   * The compile check the specialists' Rust runs use: the same as Generate… (setting, Restricted
   * Mode, timeout, skip reasons), its progress shown as the running task's busy label.
   */
  setCompileCheck(step: (onProgress?: (seconds: number) => void) => CompileStepOptions | undefined): void {
    this.compileStep = step;
  }

  private showCompileProgress(seconds: number): void {
    const run = this.taskRun;
    if (!run || !this.busyLabels.has(run.requestId)) return;
    this.busyLabels.set(run.requestId, cargoProgressLabel(seconds));
    this.schedulePush();
  }

  setGit(git: GitTaskCommands): void {
    this.git = git;
  }

  /** Entry point for every raw message from the webview (untrusted). */
  handle(raw: unknown): void {
    void this.router.handle(raw);
  }

  /** Resumes interrupted work (a reload mid-flow) in the background, streaming into the panel. */
  async resume(): Promise<void> {
    const pending = this.team.pendingWork();
    // A proposal waiting for review may be one an auto-accepting epic decides on resume.
    if (pending.kind === 'user' && pending.waitingFor !== 'review') return;
    this.ctx.log.info(`resuming the team's work: ${pending.kind}`);
    try {
      await this.team.resume();
    } catch (e) {
      this.ctx.log.warn('resuming failed', e);
    }
  }

  private handlers(): HostHandlers {
    const step = async <T>(requestId: string, label: string, fn: () => Promise<T>): Promise<T> => {
      this.busyLabels.set(requestId, label);
      this.streaming = { requestId, json: new Map() };
      this.schedulePush();
      try {
        return await fn();
      } catch (e) {
        throw toRequestError(e);
      } finally {
        this.router.send({ type: 'streamEnd', requestId });
        if (this.streaming?.requestId === requestId) this.streaming = undefined;
        this.busyLabels.delete(requestId);
        this.schedulePush();
      }
    };
    /** A new request the Project Manager put on the board: its tasks are shaped right away, as after the first plan. */
    const shapeNewTasks = async (c: { requestId: string; signal: AbortSignal }): Promise<void> => {
      if (this.team.pendingWork().kind !== 'shape') return;
      await step(c.requestId, 'The Engineering Manager is shaping the new tasks', () => this.team.shapeAll({ signal: c.signal }));
    };
    const sync = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (e) {
        throw toRequestError(e);
      }
    };
    return {
      ready: async () => {
        await this.refreshNewAppOffer();
        this.schedulePush(0);
        return null;
      },
      newApp: async () => {
        if (!this.newApp) throw new RequestError('failed', 'New App is not available in this window.');
        await this.newApp.create();
        await this.refreshNewAppOffer();
        this.schedulePush(0);
        return null;
      },
      newSession: async (req) => {
        sync(() => this.team.newSession(req.title));
        return null;
      },
      selectSession: async (req) => {
        if (!this.store.sessions.list().some((x) => x.id === req.sessionId)) throw new RequestError('not_found', 'That session is no longer stored.');
        sync(() => this.team.selectSession(req.sessionId));
        return null;
      },
      sendChat: async (req, c) => {
        await step(c.requestId, 'The Product Owner is answering', () => this.team.sendMessage(req.text, { signal: c.signal }));
        await shapeNewTasks(c);
        return null;
      },
      answerQuestions: async (req, c) => {
        await step(c.requestId, 'The Product Owner is reading your answers', () => this.team.answer(req.messageId, req.answers, { signal: c.signal }));
        await shapeNewTasks(c);
        return null;
      },
      summarise: async (_req, c) => {
        await step(c.requestId, 'The Product Owner is writing the summary', () => this.team.summarise({ signal: c.signal }));
        return null;
      },
      confirmSummary: async (req, c) => {
        sync(() => this.team.confirmSummary(req.summary));
        // The hand-off: the Project Manager plans, then the Engineering Manager shapes.
        await step(c.requestId, 'The Project Manager is planning the tasks', () => this.team.plan({ signal: c.signal }));
        await step(c.requestId, 'The Engineering Manager is shaping the tasks', () => this.team.shapeAll({ signal: c.signal }));
        return null;
      },
      moveTask: async (req) => {
        sync(() => this.team.moveTask(req.taskId, req.to, req.why));
        return null;
      },
      addComment: async (req) => {
        sync(() => this.team.addComment(req.taskId, req.body));
        return null;
      },
      setAutoAccept: async (req) => {
        await this.team.setEpicAutoAccept(req.epicId, req.on).catch((e: unknown) => Promise.reject(toRequestError(e)));
        return null;
      },
      runTask: async (req, c) => {
        const label = 'A specialist is working on the task';
        this.taskRun = { requestId: c.requestId, label };
        const outcome = await step(c.requestId, label, () => this.team.runTask(req.taskId, { signal: c.signal })).finally(() => {
          if (this.taskRun?.requestId === c.requestId) this.taskRun = undefined;
        });
        // Accepted automatically (its epic's toggle, every check passed): nothing to review.
        if (outcome.kind === 'proposal' && this.store.proposals.get(outcome.proposal.id)?.status !== 'pending') return { runId: outcome.proposal.runId };
        if (outcome.kind === 'proposal') {
          this.ctx.log.info(`proposal ${outcome.proposal.id} from the board: ${outcome.proposal.changeSet.summary} (${outcome.proposal.changeSet.files.map((f) => f.path).join(', ')})`);
          await this.proposals.present(outcome.proposal.id);
          return { runId: outcome.proposal.runId };
        }
        throw new RequestError('failed', outcome.message);
      },
      acceptProposal: async (req) => {
        // The panel shows the refusal next to the button; a notification would say it twice.
        const out = await this.proposals.accept(req.proposalId, { reportRefusal: false });
        if (out.status === 'refused') throw new RequestError('conflict', out.problems.join(' '));
        return null;
      },
      rejectProposal: async (req) => {
        try {
          await this.proposals.reject(req.proposalId, req.reason);
        } catch (e) {
          throw toRequestError(e);
        }
        return null;
      },
      undoProposal: async (req) => {
        const out = await this.proposals.undo(req.proposalId);
        if (out.status === 'refused') throw new RequestError('conflict', `Nothing was changed. ${out.problems.join(' ')}`);
        return null;
      },
      openDiff: async (req) => {
        // Checked here so the panel reports it, not also openDiff's notification.
        if (!this.proposals.get(req.proposalId) || !(await this.proposals.openDiff(req.proposalId))) throw new RequestError('not_found', 'That proposal is no longer available.');
        return null;
      },
      openTask: async (req) => {
        const task = this.store.tasks.get(req.taskId);
        if (!task) throw new RequestError('not_found', 'That task no longer exists.');
        const tasks = new Map(this.team.tasks().map((t) => [t.id, t]));
        const events = this.store.events.list(task.id);
        const pending = this.store.proposals.list({ taskId: task.id, status: 'pending' }).length > 0;
        const board = { ...toBoardTask(task, tasks), progress: taskProgress(task, events, pending, Date.now()) };
        const why = this.team.whyNotRunnable(task.id);
        const git = await this.git?.taskGit(task.id);
        this.router.send({
          type: 'taskDetail',
          task: { ...board, runnable: why ? { ok: false, reason: clip(why) } : board.runnable },
          events,
          comments: this.store.comments.list(task.id),
          runs: this.store.runs.list({ taskId: task.id, limit: 20 }).map((r) => toRunSummary(r)),
          ...(git ? { git } : {}),
        });
        return null;
      },
      openCommitDiff: async (req) => {
        if (!this.git || !(await this.git.openTaskCommitDiff(req.taskId, req.hash, req.file))) throw new RequestError('not_found', 'That commit or file is not part of the task any more.');
        return null;
      },
      revertTask: async (req) => {
        if (!this.store.tasks.get(req.taskId)) throw new RequestError('not_found', 'That task no longer exists.');
        // The diffs and the confirmation happen in the editor; the board refreshes from the comment it adds.
        await this.git?.revert(req.taskId);
        return null;
      },
      finishTask: async (req) => {
        if (!this.store.tasks.get(req.taskId)) throw new RequestError('not_found', 'That task no longer exists.');
        await this.git?.finish(req.taskId);
        return null;
      },
      openRun: async (req) => {
        const run = this.store.runs.get(req.runId);
        if (!run) throw new RequestError('not_found', 'That run is no longer stored.');
        const proposal = this.store.proposals.list().find((p) => p.runId === run.id);
        const commit = proposal?.status === 'accepted' ? await this.git?.runCommit(run.id, proposal.root) : undefined;
        // Runs stored before the store capped them can exceed what a message may carry: cap them here too.
        this.router.send({ type: 'runDetail', run: capRunForStore(run, LIMITS.content), ...(proposal ? { proposal: toProposalSummary(proposal) } : {}), ...(commit ? { commit } : {}) });
        return null;
      },
      loadEarlier: async (req) => {
        const sessionId = this.team.sessionId;
        const page = sessionId ? this.store.messages.page(sessionId, { before: req.before, limit: req.limit }) : undefined;
        if (!page) throw new RequestError('not_found', 'That message is not in this session.');
        return page;
      },
      saveViewState: async (req) => {
        await this.ctx.ext.workspaceState.update(VIEW_STATE_KEY, req.state);
        return null;
      },
    };
  }

  private forwardDelta(author: ActorRole, text: string): void {
    const s = this.streaming;
    if (!s || !text) return;
    // The model writes again (the re-ask after compiler errors): the cargo label is over.
    const run = this.taskRun;
    if (run?.requestId === s.requestId && this.busyLabels.get(run.requestId) !== run.label && this.busyLabels.has(run.requestId)) {
      this.busyLabels.set(run.requestId, run.label);
      this.schedulePush();
    }
    let readable = text;
    if (!CODE_AUTHORS.has(author)) {
      // Agents stream JSON: show its words, not its braces.
      let stream = s.json.get(author);
      if (!stream) s.json.set(author, (stream = new JsonTextStream()));
      readable = stream.push(text);
    }
    if (readable) this.router.send({ type: 'streamDelta', requestId: s.requestId, author, text: readable.slice(0, LIMITS.content) });
  }

  private schedulePush(delayMs = 50): void {
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      // A hidden panel is not retained: it reloads when shown and asks for state with `ready`.
      if (!this.sidebar.visible) return;
      try {
        this.router.send({ type: 'state', state: this.snapshot() });
      } catch (e) {
        this.ctx.log.error('could not build the panel state', e);
      }
    }, delayMs);
  }

  snapshot(): StateSnapshot {
    const session = this.team.session ?? null;
    // Only the latest page is read: a long session is not decoded whole on every push.
    const page = session ? this.store.messages.page(session.id, { limit: PAGE }) : undefined;
    const tasks = session ? this.team.tasks() : [];
    const proposals = this.store.proposals.list();
    const proposalOfRun = new Map(proposals.filter((p) => p.runId).map((p) => [p.runId!, p.id]));
    const saved = ViewState.safeParse(this.ctx.ext.workspaceState.get(VIEW_STATE_KEY));
    const runs = this.store.runs.list({ limit: 50 });
    const shownRuns = new Set(runs.map((r) => r.id));
    return {
      session,
      sessions: this.store.sessions
        .list()
        .slice(0, LIMITS.page)
        .map((x) => ({ id: x.id, title: clip(x.title), updatedAt: x.updatedAt })),
      messages: page?.messages ?? [],
      hasMoreMessages: page?.hasMore ?? false,
      board: this.boardSnapshot(tasks, proposals),
      runs: runs.map((r) => toRunSummary(r, proposalOfRun.get(r.id))),
      proposals: [...this.proposals.list(), ...proposals.filter((p) => p.status !== 'pending' && p.runId && shownRuns.has(p.runId))].map(toProposalSummary),
      modes: listModes().map((m) => ({ id: m.id, title: clip(m.title) })),
      // Only requests inside a model step: a handler's work after its last step (opening the diff)
      // ends with a reply but no new snapshot, and a stale entry would leave Stop showing.
      busy: this.router.inFlight().flatMap((requestId) => {
        const label = this.busyLabels.get(requestId);
        return label ? [{ requestId, label: clip(label) }] : [];
      }),
      ...(this.newAppOffer ? { newAppOffer: true } : {}),
      ...(saved.success ? { viewState: saved.data } : {}),
    };
  }

  /** The board: each task with what may be done with it and its progress, and each epic's counts. */
  private boardSnapshot(tasks: readonly Task[], proposals: readonly Proposal[]): StateSnapshot['board'] {
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const waiting = new Set(proposals.filter((p) => p.status === 'pending' && p.taskId).map((p) => p.taskId!));
    const now = Date.now();
    const epics = this.team.session ? this.team.epics() : [];
    const boardTasks = tasks.map((t) => {
      const board = { ...toBoardTask(t, byId), progress: taskProgress(t, this.store.events.list(t.id), waiting.has(t.id), now) };
      const why = board.runnable.ok ? this.team.whyNotRunnable(t.id) : undefined;
      return why ? { ...board, runnable: { ok: false, reason: clip(why) } } : board;
    });
    return { epics, tasks: boardTasks, progress: epicProgress(epics, boardTasks) };
  }

  dispose(): void {
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.router.cancelAll('nocodo is shutting down.');
    this.team.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const clip = (text: string): string => (text.length > LIMITS.short ? `${text.slice(0, LIMITS.short - 1)}…` : text);

// TeamError messages already list their details.
const messageOf = (e: unknown): string => clip(e instanceof Error ? e.message : String(e));

/** Maps core errors to reply errors with messages written for the user. */
function toRequestError(e: unknown): unknown {
  if (e instanceof RequestError) return e;
  if (e instanceof IllegalTransitionError) return new RequestError('conflict', e.message);
  if (e instanceof TeamError) {
    const code = e.kind === 'cancelled' ? 'cancelled' : e.kind === 'not-found' ? 'not_found' : e.kind === 'busy' || e.kind === 'wrong-phase' ? 'conflict' : e.kind === 'invalid-answer' || e.kind === 'invalid-summary' || e.kind === 'invalid-input' ? 'invalid' : 'failed';
    return new RequestError(code, messageOf(e));
  }
  if (isModelError(e)) return new RequestError(e.kind === 'cancelled' ? 'cancelled' : 'failed', clip(e.message), e.run?.id);
  return e;
}
