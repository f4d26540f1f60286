import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { RuntimeFault } from './faults';
import { CHILD_OPTIONS_ENV, type ChildMessage, type ChildModelInfo, type ChildStartOptions } from './protocol';

// The parent side of the embedded runtime: starts the child process on demand, hands out its URL
// and per-start token, restarts it once after a crash, and stops it after an idle time. The rest
// of nocodo talks to it with the ordinary OpenAI client, like to any llama-server.

export interface EmbeddedRuntimeOptions {
  modelPath: string;
  /** Stop the process after this long without a request (0: never). */
  idleStopMs: number;
  threads?: number;
  maxContextSize?: number;
  memoryBudgetBytes?: number;
  /** Fixed port (a taken one falls back to a free port); default: random. */
  port?: number;
  /** Bearer token; default: a new random one per start. Empty: none (a user-run `nocodo serve`). */
  token?: string;
  /** Longest wait for the model to load. */
  startTimeoutMs?: number;
  /** Child entry and node flags (default: dist/localRuntime.mjs, or the TypeScript source through tsx). */
  entry?: { script: string; execArgv: string[] };
  log?: (line: string) => void;
}

export type RuntimeStatus =
  | { state: 'stopped'; modelPath: string; reason?: string }
  | { state: 'starting'; modelPath: string }
  | { state: 'ready'; modelPath: string; baseUrl: string; info: ChildModelInfo; restarts: number; lastCrash?: string }
  | { state: 'failed'; modelPath: string; message: string; kind: string };

export interface RuntimeEndpoint {
  baseUrl: string;
  token: string;
  modelId: string;
}

const DEFAULT_START_TIMEOUT_MS = 180_000;
/** Automatic restarts after a crash before giving up with an error. */
const MAX_RESTARTS = 1;

/** The child script and flags: the bundle beside this file, else the source run through tsx (tests). */
export function defaultRuntimeEntry(): { script: string; execArgv: string[] } {
  const bundled = path.join(__dirname, 'localRuntime.mjs');
  if (fs.existsSync(bundled)) return { script: bundled, execArgv: [] };
  const source = path.join(__dirname, 'child.ts');
  if (fs.existsSync(source)) return { script: source, execArgv: ['--import', 'tsx'] };
  throw new RuntimeFault('no-runtime', `The embedded runtime is missing from this installation (no ${bundled}).`);
}

export class EmbeddedRuntime {
  private child: ChildProcess | undefined;
  private endpoint: RuntimeEndpoint | undefined;
  private starting: Promise<RuntimeEndpoint> | undefined;
  private current: RuntimeStatus;
  private restarts = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private stderrTail: string[] = [];
  private readonly listeners = new Set<(s: RuntimeStatus) => void>();

  constructor(readonly options: EmbeddedRuntimeOptions) {
    this.current = { state: 'stopped', modelPath: options.modelPath };
  }

  get status(): RuntimeStatus {
    return this.current;
  }

  /** The running child's process id (for tests and memory figures). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  onStatus(listener: (s: RuntimeStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** The URL and token, starting the runtime when it is not running. Counts as activity for the idle stop. */
  async ensure(): Promise<RuntimeEndpoint> {
    this.armIdle();
    if (this.endpoint) return this.endpoint;
    if (this.current.state === 'failed') throw new RuntimeFault(this.current.kind as never, this.current.message);
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Clears a failure so the next `ensure` tries again (after the user changed something). */
  reset(): void {
    if (this.current.state === 'failed') this.setStatus({ state: 'stopped', modelPath: this.options.modelPath });
    this.restarts = 0;
  }

  async stop(reason = 'stopped'): Promise<void> {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    this.endpoint = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    if (this.current.state !== 'failed') this.setStatus({ state: 'stopped', modelPath: this.options.modelPath, reason });
  }

  private setStatus(s: RuntimeStatus): void {
    this.current = s;
    for (const l of this.listeners) l(s);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.options.idleStopMs <= 0) return;
    this.idleTimer = setTimeout(() => void this.idleCheck(), this.options.idleStopMs);
    this.idleTimer.unref();
  }

  /** Stops when idle; a generation longer than the idle time keeps it alive. */
  private async idleCheck(): Promise<void> {
    const ep = this.endpoint;
    if (!ep) return;
    try {
      const r = await fetch(`${ep.baseUrl.replace(/\/v1$/, '')}/health`, { signal: AbortSignal.timeout(5_000) });
      if (((await r.json()) as { busy?: boolean }).busy) return this.armIdle();
    } catch {
      // not answering: stopping is right
    }
    this.log(`no request for ${Math.round(this.options.idleStopMs / 1000)} s: stopping the embedded runtime`);
    await this.stop(`idle for ${Math.round(this.options.idleStopMs / 1000)} s`);
  }

  private spawn(): Promise<RuntimeEndpoint> {
    const o = this.options;
    const token = o.token ?? randomBytes(24).toString('base64url');
    const start: ChildStartOptions = { modelPath: o.modelPath, token, ...pick(o, ['port', 'threads', 'maxContextSize', 'memoryBudgetBytes']) };
    const entry = o.entry ?? defaultRuntimeEntry();
    this.setStatus({ state: 'starting', modelPath: o.modelPath });
    this.stderrTail = [];
    const child = fork(entry.script, [], {
      execArgv: entry.execArgv,
      // Inside VS Code the extension host's executable is Electron; run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [CHILD_OPTIONS_ENV]: JSON.stringify(start) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => this.log(d.toString().trimEnd()));
    child.stderr?.on('data', (d: Buffer) => {
      const lines = d.toString().split('\n').filter((l) => l.trim() && !/control-looking token/.test(l));
      this.stderrTail = [...this.stderrTail, ...lines].slice(-8);
      for (const l of lines) this.log(l);
    });

    return new Promise<RuntimeEndpoint>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => fail(new RuntimeFault('start-timeout', `The embedded runtime did not load ${o.modelPath} within ${Math.round((o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS) / 1000)} s.`)), o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
      const fail = (fault: RuntimeFault) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        child.kill('SIGKILL');
        this.setStatus({ state: 'failed', modelPath: o.modelPath, kind: fault.kind, message: fault.message });
        reject(fault);
      };
      child.on('message', (m: ChildMessage) => {
        if (m.type === 'log') {
          this.log(m.line);
          this.armIdle();
        } else if (m.type === 'fault') fail(new RuntimeFault(m.kind as never, m.message));
        else if (m.type === 'ready' && !settled) {
          settled = true;
          clearTimeout(timer);
          const baseUrl = `http://127.0.0.1:${m.port}/v1`;
          this.endpoint = { baseUrl, token, modelId: m.info.modelId };
          const prev = this.current;
          this.setStatus({ state: 'ready', modelPath: o.modelPath, baseUrl, info: m.info, restarts: this.restarts, ...(prev.state === 'starting' && this.lastCrash ? { lastCrash: this.lastCrash } : {}) });
          this.log(`embedded runtime serving ${m.info.modelId} at ${baseUrl} (loaded in ${m.info.loadMs} ms, context ${m.info.contextSize}, ${m.info.chatTemplate})`);
          this.armIdle();
          resolve(this.endpoint);
        }
      });
      child.on('error', (err) => fail(new RuntimeFault('no-runtime', `The embedded runtime could not start: ${err.message}`)));
      child.on('exit', (code, signal) => {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const tail = this.stderrTail.length ? ` Last output: ${this.stderrTail.join(' | ')}` : '';
        if (!settled) return fail(new RuntimeFault('load-failed', `The embedded runtime stopped while loading ${o.modelPath} (${how}).${tail}`));
        if (this.child !== child) return; // stopped on purpose
        this.child = undefined;
        this.endpoint = undefined;
        this.onCrash(`The embedded runtime serving ${path.basename(o.modelPath)} stopped unexpectedly (${how}).${tail}`);
      });
    });
  }

  private lastCrash: string | undefined;

  private onCrash(message: string): void {
    this.lastCrash = message;
    this.log(message);
    if (this.restarts >= MAX_RESTARTS) {
      this.setStatus({ state: 'failed', modelPath: this.options.modelPath, kind: 'crashed', message: `${message} It had already been restarted once after a crash, so nocodo stopped trying. Check the model file and free memory, then run "nocodo: Choose Local Model" or "nocodo: Check Model Server" to try again.` });
      return;
    }
    this.restarts++;
    this.log('restarting the embedded runtime once');
    this.starting ??= this.spawn().finally(() => (this.starting = undefined));
    this.starting.catch(() => undefined);
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as Partial<Pick<T, K>>;
}

/** A port free right now on 127.0.0.1, so the runtime's URL stays the same across idle restarts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
