import type { Proposal } from '../domain';
import type { DecisionRecorder } from '../proposals';
import type { HostMessage, TaskCommitSummary, TaskGit } from '../protocol';
import type { Disposable } from '../store/types';

// What the team panel's controller needs from its surroundings. The VS Code host supplies them
// (the webview, the workspace state, the diff editor, git); tests supply Node versions.

/** The webview end: where messages go, and whether anyone sees them. */
export interface PanelView {
  /** Delivers a (validated) message to the webview. May return a promise. */
  post(message: HostMessage): unknown;
  /** A hidden panel is not retained: it reloads when shown and asks for state with `ready`. */
  readonly visible: boolean;
}

export interface PanelLog {
  debug(text: string): void;
  info(text: string): void;
  warn(text: string, err?: unknown): void;
  error(text: string, err?: unknown): void;
}

/** Per-workspace memory that outlives the window (the editor's workspace state). */
export interface PanelMemory {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** How an accept ended, as the panel needs it (the editor's accept says more). */
export type PanelAcceptOutcome = { status: 'applied'; written: string[] } | { status: 'reanchored'; files: string[] } | { status: 'refused'; problems: string[] };

/** The proposals as the editor presents and decides them (diff view, one undo step per accept). */
export interface PanelProposals {
  /** Pending proposals, oldest first. */
  list(): Proposal[];
  get(id: string): Proposal | undefined;
  /** Shows a new proposal for review (the editor opens its diff and a notice). */
  present(id: string): Promise<void>;
  /** Opens the proposal's diff; false when it is no longer available. */
  openDiff(id: string): Promise<boolean>;
  accept(id: string, opts: { reportRefusal: boolean; quiet?: boolean }): Promise<PanelAcceptOutcome>;
  reject(id: string, reason?: string): Promise<unknown>;
  undo(id: string): Promise<{ status: 'undone' } | { status: 'refused'; problems: string[] }>;
  /** Decisions made outside the panel (the diff editor's buttons) reach the team through this. */
  setDecisionRecorder(recorder: DecisionRecorder): void;
  onDidChange(listener: () => void): Disposable;
}

/** Git history and actions for the board (absent where git is not set up). */
export interface PanelGit {
  taskGit(taskId: string): Promise<TaskGit | undefined>;
  runCommit(runId: string, root: string | undefined): Promise<TaskCommitSummary | undefined>;
  openTaskCommitDiff(taskId: string, hash: string, file: string): Promise<boolean>;
  /** The diffs and the confirmation happen in the editor; the board refreshes from the comment it adds. */
  revert(taskId: string): Promise<void>;
  finish(taskId: string): Promise<void>;
}

/** New App: whether to offer it (an empty workspace folder) and how to run it. */
export interface NewAppHooks {
  isOffered(): Promise<boolean>;
  create(): Promise<unknown>;
}
