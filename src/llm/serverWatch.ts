import type { RunRecord } from '../domain';
import type { ServerState } from './types';

/**
 * What nocodo believes about one model server, kept true without the user clicking anything:
 * every model call's outcome updates it (a call that got an answer proves the server is up, a
 * refused connection proves it is down), and while the server is down or loading it is probed
 * again with a growing delay (2 s, 4 s, 8 s… up to a minute), so the status follows a server
 * that comes back. Editor-free: the host renders `state` (src/host/statusDisplay.ts).
 */

export interface ServerWatchOptions {
  /** One probe of the server (the model client's `health`). Must not throw. */
  probe: () => Promise<ServerState>;
  /** Called whenever the believed state changes (or a probe starts/ends). */
  onChange: (state: ServerState | undefined, checking: boolean) => void;
  /** Delays between probes while the server is not ready. */
  backoff?: { firstMs: number; maxMs: number };
  /** Injectable for tests. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Error kinds (diagnostic codes of a failed run) that say the server itself is down or loading. */
const DOWN_KINDS = new Set(['unreachable', 'disconnected']);

export class ServerWatch {
  private current: ServerState | undefined;
  private probing: Promise<ServerState> | undefined;
  private probingTarget = 0;
  /** Bumped by retarget(): a probe started for an earlier target is not an answer about this one. */
  private target = 0;
  private timer: unknown;
  private delayMs: number;
  private stopped = false;
  private readonly backoff: { firstMs: number; maxMs: number };
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private baseUrl: string,
    private readonly opts: ServerWatchOptions,
  ) {
    this.backoff = opts.backoff ?? { firstMs: 2000, maxMs: 60_000 };
    this.delayMs = this.backoff.firstMs;
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get state(): ServerState | undefined {
    return this.current;
  }

  /** Milliseconds until the next background probe (undefined when none is planned). */
  get nextProbeInMs(): number | undefined {
    return this.timer === undefined ? undefined : this.delayMs;
  }

  /** The settings changed: forget what we knew about the old server and look at the new one. */
  retarget(baseUrl: string): Promise<ServerState> {
    this.baseUrl = baseUrl;
    this.target++;
    this.current = undefined;
    this.delayMs = this.backoff.firstMs;
    return this.check();
  }

  /** Probes now (one probe at a time: concurrent callers share it). */
  check(): Promise<ServerState> {
    if (this.probing) {
      if (this.probingTarget === this.target) return this.probing;
      // The probe in flight is about the previous server: let it end, then look at this one.
      return this.probing.then(
        () => this.check(),
        () => this.check(),
      );
    }
    this.cancelTimer();
    this.opts.onChange(this.current, true);
    const target = (this.probingTarget = this.target);
    this.probing = this.opts
      .probe()
      .then((s) => {
        // Retargeted meanwhile: this answer is about a server no longer in use.
        if (target === this.target) this.set(s);
        return s;
      })
      .finally(() => {
        this.probing = undefined;
        this.opts.onChange(this.current, false);
      });
    return this.probing;
  }

  /** Something should change soon (a server was just started): probe again quickly. */
  expectChange(): void {
    this.delayMs = this.backoff.firstMs;
    if (this.timer !== undefined) {
      this.cancelTimer();
      this.schedule();
    }
  }

  /** A model call ended: its outcome says something about the server it went to. */
  observe(run: Pick<RunRecord, 'baseUrl' | 'outcome' | 'diagnostics' | 'error'>): void {
    if (this.stopped || run.baseUrl !== this.baseUrl) return;
    // Any answer (even one that failed validation) means the server is up and serving.
    if (run.outcome === 'ok' || run.outcome === 'invalid') {
      if (this.current?.kind !== 'ready') this.set({ kind: 'ready', baseUrl: this.baseUrl, models: [] });
      return;
    }
    if (run.outcome !== 'error') return;
    const kinds = run.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    const detail = run.error ?? 'The last call to the model server failed.';
    if (kinds.some((k) => DOWN_KINDS.has(k ?? ''))) this.set({ kind: 'unreachable', baseUrl: this.baseUrl, detail });
    else if (kinds.includes('loading')) this.set({ kind: 'loading', baseUrl: this.baseUrl, detail });
    // Other failures (timeouts, a 4xx, a bad answer) don't say the server is gone.
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private set(s: ServerState): void {
    if (this.stopped) return;
    const wasReady = this.current?.kind === 'ready';
    // A successful call knows no model list: keep the one the last probe found.
    if (s.kind === 'ready' && s.models.length === 0 && this.current?.kind === 'ready') s = { ...s, models: this.current.models };
    this.current = s;
    if (s.kind === 'ready') {
      this.cancelTimer();
      this.delayMs = this.backoff.firstMs;
    } else {
      if (wasReady) this.delayMs = this.backoff.firstMs;
      this.schedule();
    }
    if (!this.probing) this.opts.onChange(s, false);
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    const delay = this.delayMs;
    this.timer = this.setTimer(() => {
      this.timer = undefined;
      this.delayMs = Math.min(this.backoff.maxMs, delay * 2);
      void this.check();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
  }
}
