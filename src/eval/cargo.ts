import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangeSet } from '../domain';
import { materialize } from './project';
import type { CargoOutcome } from './types';

/**
 * `cargo check` of a task's project with the answer applied, in a scratch copy (the fixtures are
 * never written). Builds share one target folder so dependencies compile once per run. When cargo
 * is missing or cannot fetch crates (no network to crates.io), the checker says so once and every
 * later check is skipped with that reason instead of failing.
 */

export interface CargoCheckResult {
  outcome: CargoOutcome;
  detail?: string;
}

export interface CargoChecker {
  check(files: ReadonlyMap<string, string>, changeSet: ChangeSet | undefined): Promise<CargoCheckResult>;
  /** Why cargo cannot be used in this run (undefined while it can). */
  unusable(): string | undefined;
  /** Removes the shared target folder. */
  dispose(): Promise<void>;
}

export interface CargoOptions {
  /** The cargo binary (default: `cargo` on PATH). */
  cargo?: string;
  /** Per check, including fetching and building dependencies the first time (default 10 min). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Lines in cargo's output that mean it could not get crates, not that the code is wrong. */
const FETCH_FAILURE =
  /failed to (?:download|fetch|get|load source|update|query replaced source)|unable to update registry|couldn't resolve host|could not resolve host|network failure|spurious network error|failed to connect|attempting to make an HTTP request, but --offline|no matching package named .* found\s*\n.*location searched: (?:crates\.io|registry)/i;

interface Exec {
  code: number | null;
  output: string;
  timedOut: boolean;
  spawnError?: string;
}

function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exec> {
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ code: null, output: '', timedOut: false, spawnError: (err as Error).message });
      return;
    }
    const kill = (): void => {
      try {
        // The whole group: cargo's rustc children must not outlive the timeout.
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, output, timedOut, spawnError: err.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** The compiler's first few error lines, for the report. */
function firstErrors(output: string): string {
  // `--message-format short`: `src/x.rs:2:5: error[E0425]: …`; cargo's own: `error: …`.
  const lines = output.split('\n').filter((l) => /(?:^|: )error(?:\[E\d+\])?:/.test(l.trim()) && !/^error: could not compile/.test(l.trim()));
  return (lines.length ? lines.slice(0, 3) : output.trim().split('\n').slice(-3)).join(' | ').slice(0, 500);
}

export function createCargoChecker(opts: CargoOptions = {}): CargoChecker {
  const cargo = opts.cargo ?? 'cargo';
  const timeoutMs = opts.timeoutMs ?? 600_000;
  let reason: string | undefined;
  let probed = false;
  let targetDir: string | undefined;

  const probe = async (): Promise<void> => {
    probed = true;
    const r = await exec(cargo, ['--version'], os.tmpdir(), opts.env ?? process.env, 30_000);
    if (r.spawnError || r.code !== 0) reason = `cargo not usable: \`${cargo} --version\` failed (${r.spawnError ?? firstErrors(r.output)})`;
  };

  return {
    unusable: () => reason,
    async check(files, changeSet) {
      if (!probed) await probe();
      if (reason) return { outcome: 'skipped', detail: reason };
      targetDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'nocodo-eval-target-'));
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nocodo-eval-crate-'));
      try {
        await materialize(dir, files, changeSet?.files ?? []);
        const env = { ...(opts.env ?? process.env), CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never' };
        const raw = await exec(cargo, ['check', '--quiet', '--message-format', 'short'], dir, env, timeoutMs);
        // The scratch folder's name means nothing to the reader.
        const r = { ...raw, output: raw.output.split(dir).join('<scratch>') };
        if (r.spawnError) {
          reason = `cargo not usable: ${r.spawnError}`;
          return { outcome: 'skipped', detail: reason };
        }
        if (r.timedOut) {
          reason = `cargo not usable: \`cargo check\` took longer than ${Math.round(timeoutMs / 1000)} s`;
          return { outcome: 'skipped', detail: reason };
        }
        if (r.code === 0) return { outcome: 'pass' };
        const fetch = FETCH_FAILURE.exec(r.output);
        if (fetch) {
          const line = r.output.split('\n').find((l) => FETCH_FAILURE.test(l)) ?? fetch[0];
          reason = `cargo not usable: it could not fetch the crates (${line.trim().slice(0, 200)})`;
          return { outcome: 'skipped', detail: reason };
        }
        return { outcome: 'fail', detail: firstErrors(r.output) };
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    },
    async dispose() {
      if (targetDir) await fsp.rm(targetDir, { recursive: true, force: true });
    },
  };
}
