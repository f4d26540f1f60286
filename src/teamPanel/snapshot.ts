import type { Team } from '../agents';
import type { Proposal, Task } from '../domain';
import { clip, epicProgress, LIMITS, stoppedBy, taskProgress, toBoardTask, toProposalSummary, toRunSummary, ViewState, type BoardTask, type HostMessageOf, type StateSnapshot } from '../protocol';
import type { NocodoStore } from '../store';
import { listModes } from '../../modes';

/** Messages in the panel's first page; older ones come with "Show earlier messages". */
export const MESSAGE_PAGE = 50;
/** Runs listed in the panel's run inspector. */
const RUN_PAGE = 50;

/** What the panel's state is projected from. */
export interface SnapshotSource {
  team: Team;
  store: NocodoStore;
  /** Pending proposals as the editor holds them. */
  pending: readonly Proposal[];
  /** The saved view state as stored (untrusted: parsed here). */
  savedViewState: unknown;
  /** Requests inside a model step, with their labels. */
  busy: readonly { requestId: string; label: string }[];
  newAppOffer: boolean;
  now: number;
}

/**
 * The whole state the panel renders, from the store and the team. Only the latest page of the
 * session's messages is read, so a long session is not decoded on every push.
 */
export function projectSnapshot(src: SnapshotSource): StateSnapshot {
  const { team, store } = src;
  const session = team.session ?? null;
  const page = session ? store.messages.page(session.id, { limit: MESSAGE_PAGE }) : undefined;
  const tasks = session ? team.tasks() : [];
  const proposals = store.proposals.list();
  const proposalOfRun = new Map(proposals.filter((p) => p.runId).map((p) => [p.runId!, p.id]));
  const saved = ViewState.safeParse(src.savedViewState);
  const runs = store.runs.list({ limit: RUN_PAGE });
  const shownRuns = new Set(runs.map((r) => r.id));
  return {
    session,
    sessions: store.sessions
      .list()
      .slice(0, LIMITS.page)
      .map((x) => ({ id: x.id, title: clip(x.title), updatedAt: x.updatedAt })),
    messages: page?.messages ?? [],
    hasMoreMessages: page?.hasMore ?? false,
    board: projectBoard(team, store, tasks, proposals, src.now),
    runs: runs.map((r) => toRunSummary(r, proposalOfRun.get(r.id))),
    // Pending ones, then decided ones whose run is listed (the inspector shows their outcome).
    proposals: [...src.pending, ...proposals.filter((p) => p.status !== 'pending' && p.runId && shownRuns.has(p.runId))].map(toProposalSummary),
    modes: listModes().map((m) => ({ id: m.id, title: clip(m.title) })),
    busy: src.busy.map((b) => ({ requestId: b.requestId, label: clip(b.label) })),
    ...(src.newAppOffer ? { newAppOffer: true } : {}),
    ...(saved.success ? { viewState: saved.data } : {}),
  };
}

/** The board: each task with what may be done with it and its progress, and each epic's counts. */
export function projectBoard(team: Team, store: NocodoStore, tasks: readonly Task[], proposals: readonly Proposal[], now: number): StateSnapshot['board'] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const waiting = new Set(proposals.filter((p) => p.status === 'pending' && p.taskId).map((p) => p.taskId!));
  const epics = team.session ? team.epics() : [];
  const withProgress = tasks.map((t) => {
    const board = { ...toBoardTask(t, byId), progress: taskProgress(t, store.events.list(t.id), waiting.has(t.id), now) };
    // The team knows more than the task alone: missing projects and modes, and a task the user took over.
    const why = board.runnable.ok || board.progress.status === 'yours' ? team.whyNotRunnable(t.id) : undefined;
    return why ? { ...board, runnable: { ok: false, reason: clip(why) } } : board;
  });
  const boardTasks = withStops(withProgress);
  return { epics, tasks: boardTasks, progress: epicProgress(epics, boardTasks) };
}

/** Each task that waits on a failed one says which (see stoppedBy). */
function withStops(tasks: BoardTask[]): BoardTask[] {
  const stops = stoppedBy(tasks);
  return tasks.map((t) => {
    const by = stops.get(t.id);
    return by ? { ...t, stoppedBy: { taskId: by.taskId, title: clip(by.title) } } : t;
  });
}

/** One task opened from the board: its card, history, comments and latest runs (git is added by the caller). */
export function projectTaskDetail(team: Team, store: NocodoStore, task: Task, now: number): Omit<HostMessageOf<'taskDetail'>, 'type' | 'git'> {
  const events = store.events.list(task.id);
  // The task as the board shows it (its stop comes from the other tasks' progress).
  const all = team.tasks();
  const fromBoard = projectBoard(team, store, all, store.proposals.list(), now).tasks.find((t) => t.id === task.id);
  const pending = store.proposals.list({ taskId: task.id, status: 'pending' }).length > 0;
  const board = fromBoard ?? { ...toBoardTask(task, new Map(all.map((t) => [t.id, t]))), progress: taskProgress(task, events, pending, now) };
  const why = team.whyNotRunnable(task.id);
  return {
    task: { ...board, runnable: why ? { ok: false, reason: clip(why) } : board.runnable },
    events,
    comments: store.comments.list(task.id),
    runs: store.runs.list({ taskId: task.id, limit: 20 }).map((r) => toRunSummary(r)),
  };
}
