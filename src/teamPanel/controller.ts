import { isCancellation, Team, type TeamOptions } from '../agents';
import { cargoProgressLabel } from '../compile';
import { JsonTextStream } from '../core/jsonTextStream';
import type { ActorRole } from '../domain';
import { createHostRouter, LIMITS, RequestError, toProposalSummary, type HostHandlers, type HostRouter, type StateSnapshot } from '../protocol';
import type { NocodoStore } from '../store';
import { capRunForStore } from '../store/runCap';
import type { Disposable } from '../store/types';
import type { CompileStepOptions } from '../../modes';
import { messageOf, toRequestError } from './errors';
import type { NewAppHooks, PanelGit, PanelLog, PanelMemory, PanelProposals, PanelView } from './ports';
import { projectSnapshot, projectTaskDetail } from './snapshot';

export const VIEW_STATE_KEY = 'nocodo.teamPanel.viewState';
export const SESSION_KEY = 'nocodo.teamPanel.sessionId';
/** Authors whose stream is code, shown as it comes; the others stream JSON. */
const CODE_AUTHORS: ReadonlySet<ActorRole> = new Set(['backend', 'db', 'frontend', 'ui_designer']);

export interface TeamPanelOptions {
  store: NocodoStore;
  /** The team's model client, project, settings, modes…; the controller adds the store and its own hooks. */
  team: Omit<TeamOptions, 'store' | 'onDelta' | 'onError' | 'applyProposal' | 'compile'>;
  proposals: PanelProposals;
  view: PanelView;
  memory: PanelMemory;
  log: PanelLog;
  /** How long state pushes are coalesced (ms). Default 50. */
  pushDelayMs?: number;
  /** Clock for the board's progress (tests). */
  now?: () => number;
}

type CompileCheck = (onProgress?: (seconds: number) => void) => CompileStepOptions | undefined;

/**
 * The team panel without the editor: routes the webview's (validated) requests to the Team, the
 * store and the proposals, streams the agents' text back, and pushes state snapshots. The host is
 * the source of truth; the panel only renders what it is sent. The VS Code host
 * (src/host/teamPanel.ts) only connects it to the webview, the workspace state and the editor.
 */
export class TeamPanelController implements Disposable {
  readonly team: Team;
  private readonly router: HostRouter;
  private readonly disposables: Disposable[] = [];
  /** The request whose work is streaming (the Team runs one step at a time). */
  private streaming: { requestId: string; json: Map<ActorRole, JsonTextStream> } | undefined;
  private pushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly busyLabels = new Map<string, string>();
  private git: PanelGit | undefined;
  private newApp: NewAppHooks | undefined;
  private newAppOffer = false;
  private compileStep: CompileCheck | undefined;
  /** The board's task run in progress, whose busy label shows the cargo check's progress. */
  private taskRun: { requestId: string; label: string } | undefined;
  private readonly store: NocodoStore;
  private readonly proposals: PanelProposals;
  private readonly log: PanelLog;
  private readonly now: () => number;

  constructor(private readonly opts: TeamPanelOptions) {
    const { store, proposals, log } = opts;
    this.store = store;
    this.proposals = proposals;
    this.log = log;
    this.now = opts.now ?? Date.now;
    this.team = new Team({
      ...opts.team,
      store,
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
        log.error('team background work failed', err);
        this.router.send({ type: 'notice', level: 'error', text: messageOf(err) });
      },
    });
    // Decisions made in the diff editor reach the team (task done, or back to ready with the reason).
    proposals.setDecisionRecorder((id, decision, reason) => {
      this.team.onProposalDecided(id, decision, reason);
    });
    this.router = createHostRouter(this.handlers(), {
      post: (m) => opts.view.post(m),
      log: (level, text) => log[level](text),
    });
    // Reopen the session the user was in (new messages do not reorder sessions, so "latest" is a fallback).
    const saved = opts.memory.get(SESSION_KEY);
    const sessions = store.sessions.list();
    const session = sessions.find((x) => x.id === saved) ?? sessions[0];
    if (session) this.team.selectSession(session.id);

    this.disposables.push(
      this.team.onChange((c) => {
        if (c.kind === 'session' && this.team.sessionId) void opts.memory.update(SESSION_KEY, this.team.sessionId);
        this.schedulePush();
      }),
      store.onChange(() => this.schedulePush()),
      proposals.onDidChange(() => this.schedulePush()),
    );
  }

  /** New App: whether to offer it and how to run it (set by the extension). */
  setNewApp(hooks: NewAppHooks): void {
    this.newApp = hooks;
    // The view may have asked for its state before the hooks were set (its `ready` can arrive
    // while the extension is still starting): it would keep showing no offer.
    void this.refreshNewAppOffer().then(() => this.schedulePush(0));
  }

  /**
   * The compile check the specialists' Rust runs use: the same as Generate… (setting, Restricted
   * Mode, timeout, skip reasons), its progress shown as the running task's busy label.
   */
  setCompileCheck(step: CompileCheck): void {
    this.compileStep = step;
  }

  /** Connects the board to git: task commits, revert, finish, and each run's commit. */
  setGit(git: PanelGit): void {
    this.git = git;
  }

  /** Entry point for every raw message from the webview (untrusted). Resolves when it is answered. */
  handle(raw: unknown): Promise<void> {
    return this.router.handle(raw);
  }

  /** Resumes interrupted work (a reload mid-flow) in the background, streaming into the panel. */
  async resume(): Promise<void> {
    const pending = this.team.pendingWork();
    // A proposal waiting for review may be one an auto-accepting epic decides on resume.
    if (pending.kind === 'user' && pending.waitingFor !== 'review') return;
    this.log.info(`resuming the team's work: ${pending.kind}`);
    try {
      await this.team.resume();
    } catch (e) {
      this.log.warn('resuming failed', e);
    }
  }

  /** The state the panel renders now. */
  snapshot(): StateSnapshot {
    return projectSnapshot({
      team: this.team,
      store: this.store,
      pending: this.proposals.list(),
      savedViewState: this.opts.memory.get(VIEW_STATE_KEY),
      // Only requests inside a model step: a handler's work after its last step (opening the diff)
      // ends with a reply but no new snapshot, and a stale entry would leave Stop showing.
      busy: this.router.inFlight().flatMap((requestId) => {
        const label = this.busyLabels.get(requestId);
        return label ? [{ requestId, label }] : [];
      }),
      newAppOffer: this.newAppOffer,
      now: this.now(),
    });
  }

  dispose(): void {
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = undefined;
    this.router.cancelAll('nocodo is shutting down.');
    this.team.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private async refreshNewAppOffer(): Promise<void> {
    this.newAppOffer = (await this.newApp?.isOffered().catch(() => false)) ?? false;
  }

  private showCompileProgress(seconds: number): void {
    const run = this.taskRun;
    if (!run || !this.busyLabels.has(run.requestId)) return;
    this.busyLabels.set(run.requestId, cargoProgressLabel(seconds));
    this.schedulePush();
  }

  private handlers(): HostHandlers {
    const { store, proposals, team } = this;
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
      if (team.pendingWork().kind !== 'shape') return;
      await step(c.requestId, 'The Engineering Manager is shaping the new tasks', () => team.shapeAll({ signal: c.signal }));
    };
    const sync = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (e) {
        throw toRequestError(e);
      }
    };
    const requireTask = (taskId: string) => {
      const task = store.tasks.get(taskId);
      if (!task) throw new RequestError('not_found', 'That task no longer exists.');
      return task;
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
        sync(() => team.newSession(req.title));
        return null;
      },
      selectSession: async (req) => {
        if (!store.sessions.list().some((x) => x.id === req.sessionId)) throw new RequestError('not_found', 'That session is no longer stored.');
        sync(() => team.selectSession(req.sessionId));
        return null;
      },
      sendChat: async (req, c) => {
        await step(c.requestId, 'The Product Owner is answering', () => team.sendMessage(req.text, { signal: c.signal }));
        await shapeNewTasks(c);
        return null;
      },
      answerQuestions: async (req, c) => {
        await step(c.requestId, 'The Product Owner is reading your answers', () => team.answer(req.messageId, req.answers, { signal: c.signal }));
        await shapeNewTasks(c);
        return null;
      },
      summarise: async (_req, c) => {
        await step(c.requestId, 'The Product Owner is writing the summary', () => team.summarise({ signal: c.signal }));
        return null;
      },
      confirmSummary: async (req, c) => {
        sync(() => team.confirmSummary(req.summary));
        // The hand-off: the Project Manager plans, then the Engineering Manager shapes.
        await step(c.requestId, 'The Project Manager is planning the tasks', () => team.plan({ signal: c.signal }));
        await step(c.requestId, 'The Engineering Manager is shaping the tasks', () => team.shapeAll({ signal: c.signal }));
        return null;
      },
      moveTask: async (req) => {
        sync(() => team.moveTask(req.taskId, req.to, req.why));
        return null;
      },
      addComment: async (req) => {
        sync(() => team.addComment(req.taskId, req.body));
        return null;
      },
      editTaskRequest: async (req) => {
        requireTask(req.taskId);
        sync(() => team.editTaskRequest(req.taskId, req.request));
        return null;
      },
      takeOverTask: async (req) => {
        requireTask(req.taskId);
        sync(() => team.takeOverTask(req.taskId));
        return null;
      },
      setAutoAccept: async (req) => {
        await team.setEpicAutoAccept(req.epicId, req.on).catch((e: unknown) => Promise.reject(toRequestError(e)));
        return null;
      },
      runTask: async (req, c) => {
        const label = 'A specialist is working on the task';
        this.taskRun = { requestId: c.requestId, label };
        const outcome = await step(c.requestId, label, () => team.runTask(req.taskId, { signal: c.signal })).finally(() => {
          if (this.taskRun?.requestId === c.requestId) this.taskRun = undefined;
        });
        if (outcome.kind !== 'proposal') throw new RequestError('failed', outcome.message);
        // Accepted automatically (its epic's toggle, every check passed): nothing to review.
        if (store.proposals.get(outcome.proposal.id)?.status !== 'pending') return { runId: outcome.proposal.runId };
        this.log.info(`proposal ${outcome.proposal.id} from the board: ${outcome.proposal.changeSet.summary} (${outcome.proposal.changeSet.files.map((f) => f.path).join(', ')})`);
        await proposals.present(outcome.proposal.id);
        return { runId: outcome.proposal.runId };
      },
      acceptProposal: async (req) => {
        // The panel shows the refusal next to the button; a notification would say it twice.
        const out = await proposals.accept(req.proposalId, { reportRefusal: false });
        if (out.status === 'refused') throw new RequestError('conflict', out.problems.join(' '));
        return null;
      },
      rejectProposal: async (req) => {
        await proposals.reject(req.proposalId, req.reason).catch((e: unknown) => Promise.reject(toRequestError(e)));
        return null;
      },
      undoProposal: async (req) => {
        const out = await proposals.undo(req.proposalId);
        if (out.status === 'refused') throw new RequestError('conflict', `Nothing was changed. ${out.problems.join(' ')}`);
        return null;
      },
      openDiff: async (req) => {
        // Checked here so the panel reports it, not also openDiff's notification.
        if (!proposals.get(req.proposalId) || !(await proposals.openDiff(req.proposalId))) throw new RequestError('not_found', 'That proposal is no longer available.');
        return null;
      },
      openTask: async (req) => {
        const task = requireTask(req.taskId);
        const detail = projectTaskDetail(team, store, task, this.now());
        const git = await this.git?.taskGit(task.id);
        this.router.send({ type: 'taskDetail', ...detail, ...(git ? { git } : {}) });
        return null;
      },
      openCommitDiff: async (req) => {
        if (!this.git || !(await this.git.openTaskCommitDiff(req.taskId, req.hash, req.file))) throw new RequestError('not_found', 'That commit or file is not part of the task any more.');
        return null;
      },
      revertTask: async (req) => {
        requireTask(req.taskId);
        await this.git?.revert(req.taskId);
        return null;
      },
      finishTask: async (req) => {
        requireTask(req.taskId);
        await this.git?.finish(req.taskId);
        return null;
      },
      openRun: async (req) => {
        const run = store.runs.get(req.runId);
        if (!run) throw new RequestError('not_found', 'That run is no longer stored.');
        const proposal = store.proposals.list().find((p) => p.runId === run.id);
        const commit = proposal?.status === 'accepted' ? await this.git?.runCommit(run.id, proposal.root) : undefined;
        // Runs stored before the store capped them can exceed what a message may carry: cap them here too.
        this.router.send({ type: 'runDetail', run: capRunForStore(run, LIMITS.content), ...(proposal ? { proposal: toProposalSummary(proposal) } : {}), ...(commit ? { commit } : {}) });
        return null;
      },
      loadEarlier: async (req) => {
        const sessionId = team.sessionId;
        const page = sessionId ? store.messages.page(sessionId, { before: req.before, limit: req.limit }) : undefined;
        if (!page) throw new RequestError('not_found', 'That message is not in this session.');
        return page;
      },
      saveViewState: async (req) => {
        await this.opts.memory.update(VIEW_STATE_KEY, req.state);
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

  private schedulePush(delayMs = this.opts.pushDelayMs ?? 50): void {
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      // A hidden panel is not retained: it reloads when shown and asks for state with `ready`.
      if (!this.opts.view.visible) return;
      try {
        this.router.send({ type: 'state', state: this.snapshot() });
      } catch (e) {
        this.log.error('could not build the panel state', e);
      }
    }, delayMs);
  }
}

