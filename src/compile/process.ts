import { spawn } from 'node:child_process';

/**
 * Runs one cargo command in its own process group, so a timeout or a cancel also stops the
 * rustc and build-script children it started.
 */

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed because it ran longer than the timeout. */
  timedOut: boolean;
  /** Killed because the caller cancelled. */
  cancelled: boolean;
  /** cargo could not be started at all (ENOENT: not installed). */
  spawnError?: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called about once a second while the process runs. */
  onTick?: (elapsedMs: number) => void;
}

/** Output beyond this is dropped from the middle: a broken project can print megabytes. */
const MAX_OUTPUT = 4_000_000;

/**
 * How long after the process exited (or was killed) its pipes may stay open. Normally they close
 * at once; a child that left the process group (a build script's daemon, `setsid`) can hold them
 * open for ever, and waiting for them would hang the check: past this the result is taken as is.
 */
export const PIPE_GRACE_MS = 3_000;

export function runProcess(cmd: string, args: readonly string[], opts: RunOptions): Promise<ProcessResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ code: null, stdout: '', stderr: '', timedOut: false, cancelled: true, ms: 0 });
      return;
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let cancelled = false;
    const detached = process.platform !== 'win32';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, detached, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, stdout, stderr, timedOut, cancelled, spawnError: (err as Error).message, ms: Date.now() - t0 });
      return;
    }
    const kill = (): void => {
      try {
        if (detached && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
      closeSoon();
    }, opts.timeoutMs);
    const ticker = opts.onTick ? setInterval(() => opts.onTick!(Date.now() - t0), 1000) : undefined;
    const onAbort = (): void => {
      cancelled = true;
      kill();
      closeSoon();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let grace: ReturnType<typeof setTimeout> | undefined;
    let exitCode: number | null = null;
    const closeSoon = (): void => {
      grace ??= setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        done(exitCode);
      }, PIPE_GRACE_MS);
    };
    const keep = (acc: string, d: Buffer): string => {
      const s = acc + d.toString();
      return s.length > MAX_OUTPUT ? s.slice(0, MAX_OUTPUT / 2) + '\n…\n' + s.slice(-MAX_OUTPUT / 2) : s;
    };
    child.stdout?.on('data', (d: Buffer) => (stdout = keep(stdout, d)));
    child.stderr?.on('data', (d: Buffer) => (stderr = keep(stderr, d)));
    let settled = false;
    const done = (code: number | null, spawnError?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      if (ticker) clearInterval(ticker);
      opts.signal?.removeEventListener('abort', onAbort);
      // Leftover children of the group (a hung build script) must not outlive the check.
      if (timedOut || cancelled) kill();
      resolve({ code, stdout, stderr, timedOut, cancelled, ...(spawnError ? { spawnError } : {}), ms: Date.now() - t0 });
    };
    child.on('error', (err) => done(null, err.message));
    child.on('exit', (code) => {
      exitCode = code;
      closeSoon();
    });
    child.on('close', (code) => done(code));
  });
}
