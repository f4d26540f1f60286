import { existsSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { attributeErrors, type AttributedError } from './attribute';
import { FETCH_FAILURE, firstCargoError, parseCargoMessages, type CompilerError } from './messages';
import { runProcess, type ProcessResult } from './process';
import { collectShadowFiles, dirBytes, filesHash, markInUse, shadowKey, sweepCrashedShadows, syncShadow, unmark } from './shadow';
import type { CompileChecker, CompileError, CompileRequest, CompileResult } from './types';
import { formatLimit, StepTimeoutError, withinLimit } from '../core/timeLimit';

/**
 * `cargo check` of a shadow copy with the proposed change applied. One checker per session
 * (extension, CLI run, eval): it finds cargo once, fetches each dependency set once, keeps one
 * shadow folder per project and caches the baseline (the project without the change) by content.
 */

export interface CompileCheckerOptions {
  /** nocodo's folder for shadows (`<cacheDir>/shadows/<project>`) and, by default, build folders. */
  cacheDir: string;
  /** Build folder for a project (default `<cacheDir>/targets/<project>`); the CLI shares one. */
  targetDirFor?: (projectKey: string) => string;
  /** Explicit cargo binary; default: PATH, then `~/.cargo/bin`. */
  cargo?: string;
  /** Per cargo command, first build of the dependencies included (default 300 s). */
  timeoutMs?: number;
  /**
   * Longest whole check once it has the project's shadow (default checkLimitMs(timeoutMs): three
   * cargo commands and the copy). Past it the check is stopped and says where it was: a check
   * stuck where no cargo timeout reaches (a file system that does not answer) never holds the
   * proposal, nor the checks queued behind it.
   */
  runLimitMs?: number;
  /** The project's own files may not exceed this in the shadow (default 200 MB). */
  maxShadowBytes?: number;
  /** A build folder above this is cleared after the check (default 4 GiB). */
  maxCacheBytes?: number;
  env?: NodeJS.ProcessEnv;
  /** Said once per session: cargo missing, crashed shadows removed. */
  onNotice?: (message: string) => void;
}

export const DEFAULT_TIMEOUT_MS = 300_000;
/** A check runs at most three cargo commands (fetch, check, baseline), each within the timeout, plus the shadow copy. */
export const checkLimitMs = (timeoutMs: number): number => 3 * timeoutMs + 60_000;
const MB = 1024 * 1024;

export function findCargo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exe = process.platform === 'win32' ? 'cargo.exe' : 'cargo';
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  dirs.push(path.join(env.CARGO_HOME ?? path.join(env.HOME ?? homedir(), '.cargo'), 'bin'));
  return dirs.map((d) => path.join(d, exe)).find((p) => existsSync(p));
}

const toCompileError = (e: AttributedError | CompilerError): CompileError => {
  const a = e as AttributedError;
  return {
    message: e.message,
    ...(a.codeLine !== undefined ? { line: a.codeLine, ...(a.codeColumn !== undefined ? { column: a.codeColumn } : {}) } : {}),
    ...(e.file ? { file: e.file } : {}),
    ...(e.line !== undefined ? { fileLine: e.line } : {}),
    ...(e.code ? { code: e.code } : {}),
    ...(e.label ? { label: e.label } : {}),
    ...(e.help ? { help: e.help } : {}),
    rendered: e.rendered,
  };
};

const secs = (ms: number): number => Math.round(ms / 1000);

export function createCompileChecker(opts: CompileCheckerOptions): CompileChecker {
  const env = opts.env ?? process.env;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const runLimitMs = opts.runLimitMs ?? checkLimitMs(timeoutMs);
  const maxShadowBytes = opts.maxShadowBytes ?? 200 * MB;
  const maxCacheBytes = opts.maxCacheBytes ?? 4096 * MB;
  const shadowsDir = path.join(opts.cacheDir, 'shadows');
  const targetDirFor = opts.targetDirFor ?? ((key: string) => path.join(opts.cacheDir, 'targets', key));
  let cargo: string | undefined;
  let unavailable: string | undefined;
  let started: Promise<void> | undefined;
  /** Dependency sets (Cargo.toml + Cargo.lock hash) → undefined when fetched, or why not. */
  const fetched = new Map<string, string | undefined>();
  /** Project file-set hash → the errors of the project without any change. */
  const baselines = new Map<string, CompilerError[] | undefined>();
  /** One check at a time per shadow folder. */
  const locks = new Map<string, Promise<unknown>>();

  const start = (): Promise<void> =>
    (started ??= (async () => {
      await fsp.mkdir(shadowsDir, { recursive: true });
      const removed = await sweepCrashedShadows(shadowsDir);
      if (removed.length) opts.onNotice?.(`Removed ${removed.length} cargo check shadow cop${removed.length === 1 ? 'y' : 'ies'} left by an earlier session that stopped during a check.`);
      cargo = opts.cargo ?? findCargo(env);
      const probe = cargo ? await runProcess(cargo, ['--version'], { cwd: opts.cacheDir, env, timeoutMs: 30_000 }).catch(() => undefined) : undefined;
      if (!cargo || !probe || probe.spawnError || probe.code !== 0) {
        unavailable = `cargo is not installed or does not run (${opts.cargo ? `\`${opts.cargo} --version\` failed` : 'not on PATH nor in ~/.cargo/bin'}); install Rust from https://rustup.rs to check generated code with the compiler`;
        opts.onNotice?.(`nocodo: ${unavailable}.`);
      }
    })());

  const cargoEnv = (targetDir: string): NodeJS.ProcessEnv => ({ ...env, CARGO_TARGET_DIR: targetDir, CARGO_TERM_COLOR: 'never', CARGO_TERM_PROGRESS_WHEN: 'never' });

  async function cargoCheck(dir: string, targetDir: string, req: CompileRequest, phase: 'check' | 'baseline'): Promise<ProcessResult> {
    return runProcess(cargo!, ['check', '--message-format=json', '--quiet'], {
      cwd: dir,
      env: cargoEnv(targetDir),
      timeoutMs,
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.onProgress ? { onTick: (elapsedMs: number) => req.onProgress!({ phase, elapsedMs }) } : {}),
    });
  }

  /** `at` is told each step as it starts (a check stopped at its limit says where it was). */
  async function run(req: CompileRequest, t0: number, at: (step: string) => void): Promise<CompileResult> {
    const result = (r: Partial<CompileResult>): CompileResult => ({ ran: false, ok: false, errors: [], preExisting: [], output: '', notes: [], ...r, ms: Date.now() - t0 });
    at('finding cargo');
    await start();
    if (unavailable) return result({ skipped: unavailable });
    at('reading the project');
    const collected = await collectShadowFiles(req.project, req.changeSet.files, maxShadowBytes);
    if ('tooLarge' in collected) return result({ skipped: `the project's files take more than ${Math.round(maxShadowBytes / MB)} MB, too much for a shadow copy` });
    const { files } = collected;
    const crate = crateDirOf(files, req.changeSet.files.map((f) => f.path));
    if (crate === undefined) return result({ skipped: 'the project has no Cargo.toml at its root or above the changed Rust files' });
    const key = shadowKey(req.project.root);
    const shadow = path.join(shadowsDir, key);
    // cargo runs in the crate (New App's `backend/`); its messages name files from there.
    const dir = path.join(shadow, crate);
    const inProject = (e: CompilerError): CompilerError => (crate && e.file ? { ...e, file: path.posix.join(crate, e.file) } : e);
    const targetDir = targetDirFor(key);
    at('copying the project into the shadow folder');
    await markInUse(shadow);
    try {
      await syncShadow(shadow, files);
      const manifest = (name: string) => (crate ? `${crate}/${name}` : name);
      const deps = filesHash(new Map([...files].filter(([rel]) => rel === manifest('Cargo.toml') || rel === manifest('Cargo.lock'))));
      if (!fetched.has(deps)) {
        at('`cargo fetch`');
        const f = await runProcess(cargo!, ['fetch'], { cwd: dir, env: cargoEnv(targetDir), timeoutMs, ...(req.signal ? { signal: req.signal } : {}), ...(req.onProgress ? { onTick: (elapsedMs: number) => req.onProgress!({ phase: 'fetch', elapsedMs }) } : {}) });
        if (f.cancelled) return result({ cancelled: true, skipped: 'cancelled' });
        if (f.timedOut) return result({ skipped: `\`cargo fetch\` took longer than ${secs(timeoutMs)} s and was stopped` });
        const plain = f.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
        fetched.set(deps, f.code === 0 ? undefined : (firstCargoError(plain) ?? plain.slice(-1)[0] ?? `exit ${f.code}`));
      }
      const fetchProblem = fetched.get(deps);
      if (fetchProblem !== undefined) return result({ skipped: `dependencies not available (cargo fetch: ${fetchProblem})` });

      at('`cargo check`');
      const after = await cargoCheck(dir, targetDir, req, 'check');
      if (after.cancelled) return result({ cancelled: true, skipped: 'cancelled' });
      if (after.timedOut) return result({ skipped: `\`cargo check\` took longer than ${secs(timeoutMs)} s and was stopped (setting nocodo.validation.cargoCheckTimeout)` });
      const parsed = parseCargoMessages(after.stdout);
      parsed.errors = parsed.errors.map(inProject);
      const plain = after.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
      if (after.code === 0) return await finish(result({ ran: true, ok: true }), targetDir, at);
      if (!parsed.errors.length) {
        const line = plain.find((l) => FETCH_FAILURE.test(l));
        if (line) return result({ skipped: `dependencies not available (cargo check: ${line.slice(0, 200)})` });
        return result({ skipped: `cargo could not build the project: ${firstCargoError(plain) ?? plain.slice(-1)[0] ?? `exit ${after.code}`}` });
      }

      // Errors: was the project broken before the change? (cached by the project's content)
      const originals = new Map(files);
      for (const c of req.changeSet.files) {
        if (c.original === null) originals.delete(c.path);
        else originals.set(c.path, c.original);
      }
      const baseKey = filesHash(originals);
      if (!baselines.has(baseKey)) {
        at('`cargo check` of the project without the change');
        await syncShadow(shadow, originals);
        const before = await cargoCheck(dir, targetDir, req, 'baseline');
        if (before.cancelled) return result({ cancelled: true, skipped: 'cancelled' });
        baselines.set(baseKey, before.timedOut ? undefined : parseCargoMessages(before.stdout).errors.map(inProject));
      }
      const proposed = req.generated ? req.changeSet.files.find((f) => f.path === req.generated!.file)?.proposed : undefined;
      const split = attributeErrors(parsed.errors, baselines.get(baseKey), req.generated, proposed);
      return await finish(
        result({
          ran: true,
          ok: split.caused.length === 0 && split.preExisting.length === 0,
          errors: split.caused.map(toCompileError),
          preExisting: split.preExisting.map(toCompileError),
          output: parsed.errors.map((e) => e.rendered).join('\n\n'),
        }),
        targetDir,
        at,
      );
    } finally {
      await unmark(shadow);
    }
  }

  /**
   * One check within runLimitMs: past it, its cargo is stopped (the request's signal, combined
   * with ours) and the result says the change was not checked and in which step the check was.
   */
  async function bounded(req: CompileRequest, t0: number): Promise<CompileResult> {
    const stop = new AbortController();
    const onCancel = (): void => stop.abort();
    if (req.signal?.aborted) stop.abort();
    else req.signal?.addEventListener('abort', onCancel, { once: true });
    let step = 'waiting to start';
    try {
      return await withinLimit('the check', run({ ...req, signal: stop.signal }, t0, (s) => (step = s)), runLimitMs, () => stop.abort());
    } catch (e) {
      if (!(e instanceof StepTimeoutError)) throw e;
      return { ran: false, ok: false, ms: Date.now() - t0, errors: [], preExisting: [], output: '', notes: [], skipped: `the check did not finish within ${formatLimit(runLimitMs)} and was stopped (it was at: ${step})` };
    } finally {
      req.signal?.removeEventListener('abort', onCancel);
    }
  }

  /** Reports the build folder's size and clears it when it is over the cap. */
  async function finish(r: CompileResult, targetDir: string, at: (step: string) => void): Promise<CompileResult> {
    at('measuring the build folder');
    const bytes = await dirBytes(targetDir);
    r.cacheBytes = bytes;
    if (bytes > maxCacheBytes) {
      await fsp.rm(targetDir, { recursive: true, force: true });
      r.notes.push(`The cargo check build folder took ${Math.round(bytes / MB)} MB, over its ${Math.round(maxCacheBytes / MB)} MB cap, so it was cleared; the next check builds the dependencies again.`);
    }
    return r;
  }

  return {
    unavailable: () => unavailable,
    async check(req) {
      const t0 = Date.now();
      const key = shadowKey(req.project.root);
      const prev = locks.get(key) ?? Promise.resolve();
      const mine = prev.then(() => bounded(req, t0));
      locks.set(key, mine.catch(() => undefined));
      return mine;
    },
    async dispose() {
      await Promise.all([...locks.values()]);
    },
  };
}

/**
 * The folder cargo runs in, relative to the project: '' when the project root has a Cargo.toml (a
 * crate or a workspace), else the nearest folder above the changed Rust files that has one
 * (New App puts its crate in `backend/`); undefined when there is none.
 */
export function crateDirOf(files: ReadonlyMap<string, string>, changed: readonly string[]): string | undefined {
  if (files.has('Cargo.toml')) return '';
  for (const f of changed.filter((p) => p.endsWith('.rs'))) {
    for (let dir = path.posix.dirname(f); dir !== '.' && dir !== '/' && dir !== ''; dir = path.posix.dirname(dir)) {
      if (files.has(`${dir}/Cargo.toml`)) return dir;
    }
  }
  return undefined;
}
