import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

/** How long a process group gets between SIGTERM and SIGKILL (Actix waits for its workers). */
const STOP_GRACE_MS = 5000;

/**
 * The watchdog's program (POSIX sh; `$1` is the process group). It blocks reading its stdin, a
 * pipe whose only writer is nocodo's process: when that process is gone, even by SIGKILL, the
 * read ends and the group gets SIGTERM, then SIGKILL after the grace period if anything is left.
 */
const WATCHDOG_SH = `read _
kill -TERM -$1 2>/dev/null || exit 0
i=0
while [ $i -lt ${STOP_GRACE_MS / 100} ] && kill -0 -$1 2>/dev/null; do sleep 0.1; i=$((i+1)); done
kill -KILL -$1 2>/dev/null
exit 0`;

/** The watchdog's $0: how its processes are told apart in `ps` (and by the tests). */
export const WATCHDOG_NAME = 'nocodo-app-watchdog';

/**
 * Stops the process group `pgid` when the current process dies without doing it (an extension
 * host killed with SIGKILL would leave the app running, its ports taken). The watchdog is in a
 * process group of its own, so a signal to nocodo's group does not take it along, and it holds
 * nothing of nocodo's: it neither keeps the event loop alive nor inherits other pipes (node opens
 * them close-on-exec). Undefined when it could not be started (the app still runs, unguarded).
 */
function startWatchdog(pgid: number): ChildProcess | undefined {
  try {
    const dog = spawn('/bin/sh', ['-c', WATCHDOG_SH, WATCHDOG_NAME, String(pgid)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    dog.once('error', () => undefined);
    dog.stdin?.on('error', () => undefined);
    dog.unref();
    (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return dog;
  } catch {
    return undefined;
  }
}

/**
 * One long-running program of the app (cargo run, vite) in its own process group, so stopping it
 * also stops what it started (the compiled server under cargo, esbuild under vite), with a
 * watchdog that stops the group if nocodo's process dies first (see startWatchdog). Output comes
 * as whole lines; `exit` fires once.
 */
export class AppProcess extends EventEmitter<{ line: [line: string, stream: 'stdout' | 'stderr']; exit: [code: number | null, signal: NodeJS.Signals | null] }> {
  private readonly child: ChildProcess;
  private watchdog: ChildProcess | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Why the program could not be started at all (`spawn cargo ENOENT`), when it could not. */
  spawnError: string | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly label: string,
    cmd: string,
    args: readonly string[],
    opts: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    super();
    this.child = spawn(cmd, [...args], { cwd: opts.cwd, env: opts.env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    // Windows has no process groups to hand over (AppProcess stops the program alone there).
    if (process.platform !== 'win32' && this.child.pid) this.watchdog = startWatchdog(this.child.pid);
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal };
        this.releaseWatchdog();
        this.emit('exit', code, signal);
        resolve(this.exitInfo);
      };
      this.child.once('error', (err) => {
        this.spawnError ??= `${cmd}: ${err.message}`;
        this.emit('line', `${label}: could not start ${cmd}: ${err.message}`, 'stderr');
        done(null, null);
      });
      this.child.once('close', (code, signal) => done(code, signal));
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let rest = '';
      this.child[stream]?.on('data', (d: Buffer) => {
        const parts = (rest + d.toString()).split(/\r?\n/);
        rest = parts.pop() ?? '';
        for (const line of parts) this.emit('line', line, stream);
      });
      this.child[stream]?.on('end', () => rest && this.emit('line', rest, stream));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.exitInfo;
  }

  private signalGroup(sig: NodeJS.Signals): void {
    try {
      if (process.platform !== 'win32' && this.child.pid) process.kill(-this.child.pid, sig);
      else this.child.kill(sig);
    } catch {
      // already gone
    }
  }

  /** The watchdog's pid (undefined on Windows, once the program exited, or if it could not start). */
  get watchdogPid(): number | undefined {
    return this.watchdog?.pid;
  }

  /**
   * The program exited: its watchdog goes (it would otherwise wait on a group that is gone, whose
   * number the system may give to someone else). What the program left in its group, stop() kills.
   */
  private releaseWatchdog(): void {
    const dog = this.watchdog;
    this.watchdog = undefined;
    try {
      if (dog?.pid) process.kill(dog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.exitInfo) {
      this.signalGroup('SIGTERM');
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    // A child that ignored SIGTERM while its parent exited (a server under cargo) goes now.
    this.signalGroup('SIGKILL');
  }
}
