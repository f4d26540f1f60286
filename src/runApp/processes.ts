import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';

/**
 * One long-running program of the app (cargo run, vite) in its own process group, so stopping it
 * also stops what it started (the compiled server under cargo, esbuild under vite). Output comes
 * as whole lines; `exit` fires once.
 */
export class AppProcess extends EventEmitter<{ line: [line: string, stream: 'stdout' | 'stderr']; exit: [code: number | null, signal: NodeJS.Signals | null] }> {
  private readonly child: ChildProcess;
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
    this.exited = new Promise((resolve) => {
      const done = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal };
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

  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
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
