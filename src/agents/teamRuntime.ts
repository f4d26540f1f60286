import type { ProjectFs } from '../core/projectFs';
import type { ActorRole, Session, Task } from '../domain';
import type { ModelClient } from '../llm/types';
import type { CompileStepOptions } from '../pipeline/compileStep';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';
import { loadProject } from '../rust/project';
import { parseSection, sectionDefaults, type SectionValues } from '../settings';
import type { ProjectInfo } from '../rust/types';
import type { Disposable, NocodoStore } from '../store/types';
import type { AgentContext, AgentResult } from './agentCall';
import type { ProposalApplier } from './autoAccept';
import { runnableTasks, type ModeLookup } from './dispatcher';
import { CANCELLED_MESSAGE, TeamError, isCancellation, throwIfAborted } from './errors';
import { checkpoint, runsOf, saveRuns } from './runs';

// The state every part of the Team shares (store, session, the one running step, listeners) and
// the plumbing around a step: exclusivity, cancellation, agent calls that save their runs, change
// events. The facade (team.ts), the phases, resume and auto-run all work through it.

/**
 * Most rounds of clarifying questions before the Product Owner summarises (1–10), and whether
 * ready tasks run by themselves once their dependencies are done (every proposal is still
 * reviewed). Schema and defaults: `nocodo.team.*` in src/settings.
 */
export type TeamSettings = SectionValues<'team'>;

export const DEFAULT_TEAM_SETTINGS: Readonly<TeamSettings> = sectionDefaults('team');

/** The team settings as given (editor settings, CLI flags): each unusable value falls back to its default, rounds are kept within 1–10. */
export const parseTeamSettings = (raw: Readonly<Record<string, unknown>>): TeamSettings => parseSection('team', raw).values;

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
  /** How the specialists' Rust is formatted, read per run (absent: rustfmt from PATH). */
  rustfmt?: () => RustfmtSetting;
}

export type TeamChangeKind = 'session' | 'messages' | 'board' | 'proposals' | 'busy';
export interface TeamChange {
  kind: TeamChangeKind;
  sessionId?: string;
}

export interface StepOptions {
  signal?: AbortSignal;
}

export const NEW_SESSION_TITLE = 'New app';

export class TeamRuntime {
  sessionId: string | undefined;
  /** Work before each task run (the host's git branch per task); see DispatchDeps.prepareTask. */
  taskPreparer: ((task: Task) => Promise<string | undefined>) | undefined;
  private running: { label: string; controller: AbortController } | undefined;
  private readonly listeners = new Set<(c: TeamChange) => void>();

  readonly opts: TeamOptions & { getMode: ModeLookup };

  constructor(opts: TeamOptions & { getMode: ModeLookup }) {
    this.opts = opts;
    this.sessionId = opts.sessionId;
  }

  get store(): NocodoStore {
    return this.opts.store;
  }
  get session(): Session | undefined {
    return this.sessionId ? this.opts.store.sessions.get(this.sessionId) : undefined;
  }
  get busy(): string | undefined {
    return this.running?.label;
  }

  settings(): TeamSettings {
    return parseTeamSettings(typeof this.opts.settings === 'function' ? this.opts.settings() : (this.opts.settings ?? {}));
  }

  runnableTasks(): Task[] {
    return this.sessionId ? runnableTasks(this.opts.store, this.sessionId, this.opts.getMode, this.opts.project) : [];
  }

  requireSession(): Session {
    const s = this.session;
    if (!s) throw new TeamError('not-found', 'There is no session yet: start one with a first message.');
    return s;
  }

  refuseIfBusy(): void {
    if (this.running) throw new TeamError('busy', `The team is still ${this.running.label}. Wait for it, or cancel it.`);
  }

  /** Runs one step at a time: a second one is refused while the first runs; any abort ends as a 'cancelled' TeamError. */
  async exclusive<T>(label: string, opts: StepOptions, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
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

  cancel(): void {
    this.running?.controller.abort();
  }

  /** One agent call: state saved before, runs saved after (also when it fails), cancellation normalised. */
  async callAgent<T>(author: ActorRole, signal: AbortSignal, taskId: string | undefined, call: (ctx: AgentContext) => Promise<AgentResult<T>>): Promise<AgentResult<T>> {
    const { store } = this.opts;
    const sessionId = this.sessionId;
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

  async loadProjectInfo(): Promise<ProjectInfo | undefined> {
    if (!this.opts.project) return undefined;
    try {
      return await loadProject(this.opts.project);
    } catch (err) {
      // loadProject reports problems as diagnostics; an exception here is an I/O failure.
      this.report(err);
      return undefined;
    }
  }

  onChange(listener: (c: TeamChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(...kinds: TeamChangeKind[]): void {
    for (const kind of kinds) {
      for (const l of this.listeners) {
        try {
          l({ kind, ...(this.sessionId ? { sessionId: this.sessionId } : {}) });
        } catch (err) {
          this.report(err);
        }
      }
    }
  }

  report(err: unknown): void {
    try {
      this.opts.onError?.(err);
    } catch {
      // a failing error sink must not break the team
    }
  }

  dispose(): void {
    this.cancel();
    this.listeners.clear();
  }
}

/** The user's text, trimmed; empty or oversized text is refused. */
export function requireText(text: string): string {
  const t = typeof text === 'string' ? text.trim() : '';
  if (!t) throw new TeamError('invalid-input', 'Write something first.');
  if (t.length > 20_000) throw new TeamError('invalid-input', `That message is too long (${t.length} characters; at most 20000).`);
  return t;
}
