import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * Optional formatting with the user's own `rustfmt`. Never required: when it is missing, slow or
 * fails (it rejects code it cannot parse), the text comes back unchanged with the reason.
 * rustfmt leaves macro bodies such as `table!` alone, so those are rendered canonically by us.
 */

export interface RustfmtOptions {
  /** Explicit binary (the `nocodo.rustfmt.path` setting). */
  path?: string;
  timeoutMs?: number;
  env?: Readonly<Record<string, string | undefined>>;
  /** Told how each formatting went, in one line (which process, how long, the outcome): nocodo's log at debug level. */
  onOutcome?: (note: string) => void;
}

export interface RustfmtResult {
  text: string;
  formatted: boolean;
  /** Why the text was not formatted. */
  reason?: string;
}

/**
 * How a mode run formats Rust (ModeRunOptions.rustfmt): `false` formats nothing (Restricted Mode
 * runs no programs; `--rustfmt off` in the CLI), options name the binary (`nocodo.rustfmt.path`,
 * `--rustfmt <path>`), `{}` or absent looks rustfmt up on PATH and in ~/.cargo/bin.
 */
export type RustfmtSetting = RustfmtOptions | false;

/** The code formatted as the setting says, or as it was when rustfmt is off, missing or refuses it. */
export async function formatRust(code: string, setting: RustfmtSetting | undefined): Promise<string> {
  return setting === false ? code : (await rustfmt(code, setting)).text;
}

const cache = new Map<string, string | null>();

/** First rustfmt found: the explicit path, then PATH, then ~/.cargo/bin. */
export function findRustfmt(opts: RustfmtOptions = {}): string | undefined {
  if (opts.path) return existsSync(opts.path) ? opts.path : undefined;
  const env = opts.env ?? process.env;
  const key = `${env.PATH ?? ''}|${env.HOME ?? ''}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const exe = process.platform === 'win32' ? 'rustfmt.exe' : 'rustfmt';
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  dirs.push(path.join(env.CARGO_HOME ?? path.join(env.HOME ?? homedir(), '.cargo'), 'bin'));
  const found = dirs.map((d) => path.join(d, exe)).find((p) => existsSync(p));
  const real = found && realToolchainBinary(found, env);
  cache.set(key, real ?? found ?? null);
  return real ?? found;
}

/**
 * `~/.cargo/bin/rustfmt` is usually rustup's proxy, which picks a toolchain on every start (1.4×
 * the time of rustfmt itself). `rustup which rustfmt`, asked once, names the real binary.
 */
function realToolchainBinary(proxy: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const rustup = path.join(path.dirname(proxy), process.platform === 'win32' ? 'rustup.exe' : 'rustup');
  if (!existsSync(rustup)) return undefined;
  try {
    const out = execFileSync(rustup, ['which', 'rustfmt'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env }, cwd: homedir() }).trim();
    return out && existsSync(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** Benchmarks: measure rustfmt itself, not the memory of earlier answers. */
export function forgetFormattedAnswers(): void {
  formatted.clear();
}

/** Answers formatted before (a re-ask, the eval, the same answer proposed twice): text → rustfmt output. */
const formatted = new Map<string, string>();
const MAX_FORMATTED = 256;
function remember(input: string, output: string): void {
  if (formatted.size >= MAX_FORMATTED) formatted.delete(formatted.keys().next().value!);
  formatted.set(input, output);
  formatted.set(output, output); // rustfmt's output is a fixed point: formatting it again changes nothing
}

const RUSTFMT_ARGS = ['--edition', '2021', '--emit', 'stdout'];

/**
 * rustfmt started ahead of time, waiting for its input on stdin: on a small function nearly all of
 * rustfmt's time is its start-up (about 90 → 16 ms median on the loaded 2-core machine), which then
 * overlaps the model call. One per binary; it goes away unused after STANDBY_IDLE_MS, and when this
 * process exits its stdin closes, so it never outlives us.
 */
const standby = new Map<string, { child: ChildProcessWithoutNullStreams; timer: ReturnType<typeof setTimeout> }>();
const STANDBY_IDLE_MS = 60_000;

/** Starts a rustfmt for the next answer to format (call it when the model call starts). Never throws. */
export function prepareRustfmt(setting: RustfmtSetting | undefined): void {
  if (setting === false) return;
  const bin = findRustfmt(setting ?? {});
  if (!bin || standby.has(bin)) return;
  try {
    const child = spawn(bin, RUSTFMT_ARGS, { stdio: ['pipe', 'pipe', 'pipe'] });
    child.on('error', () => standby.get(bin)?.child === child && dropStandby(bin));
    child.on('exit', () => standby.get(bin)?.child === child && dropStandby(bin));
    child.stdin.on('error', () => undefined);
    // Waiting must not keep a CLI run alive: neither the process nor its pipes hold the event loop.
    child.unref();
    for (const pipe of [child.stdin, child.stdout, child.stderr]) (pipe as unknown as { unref?: () => void }).unref?.();
    const timer = setTimeout(() => {
      if (standby.get(bin)?.child !== child) return;
      dropStandby(bin);
      child.stdin.end(); // rustfmt formats nothing and exits
    }, STANDBY_IDLE_MS);
    timer.unref();
    standby.set(bin, { child, timer });
  } catch {
    // formatting will start its own process
  }
}

/** The waiting rustfmt's pid, if one is waiting (tests). */
export function standbyRustfmtPid(setting: RustfmtSetting | undefined = {}): number | undefined {
  if (setting === false) return undefined;
  const bin = findRustfmt(setting);
  return bin ? standby.get(bin)?.child.pid : undefined;
}

function dropStandby(bin: string): void {
  const s = standby.get(bin);
  if (s) clearTimeout(s.timer);
  standby.delete(bin);
}

/** The waiting rustfmt for `bin` if it is still alive, else a new one. */
function takeRustfmt(bin: string): { child: ChildProcessWithoutNullStreams; standby: boolean } {
  const s = standby.get(bin);
  dropStandby(bin);
  if (s && s.child.exitCode === null && s.child.signalCode === null && !s.child.stdin.destroyed) {
    s.child.ref();
    for (const pipe of [s.child.stdin, s.child.stdout, s.child.stderr]) (pipe as unknown as { ref?: () => void }).ref?.();
    return { child: s.child, standby: true };
  }
  return { child: spawn(bin, RUSTFMT_ARGS, { stdio: ['pipe', 'pipe', 'pipe'] }), standby: false };
}

/** Formats Rust source through `rustfmt --edition 2021 --emit stdout` on stdin. */
export function rustfmt(text: string, opts: RustfmtOptions = {}): Promise<RustfmtResult> {
  const bin = findRustfmt(opts);
  if (!bin) {
    opts.onOutcome?.('rustfmt: not found, not formatted');
    return Promise.resolve({ text, formatted: false, reason: 'rustfmt not found' });
  }
  const known = formatted.get(text);
  if (known !== undefined) {
    opts.onOutcome?.('rustfmt: formatted before (remembered)');
    return Promise.resolve({ text: known, formatted: true });
  }
  const timeoutMs = opts.timeoutMs ?? 5000;
  const t0 = Date.now();
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let settled = false;
    const { child, standby: ahead } = takeRustfmt(bin);
    const done = (r: RustfmtResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.onOutcome?.(`rustfmt (${ahead ? 'started ahead' : 'started now'}, pid ${child.pid ?? 'none'}): ${r.formatted ? 'formatted' : `not formatted, ${r.reason}`} in ${Date.now() - t0} ms`);
      resolve(r);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ text, formatted: false, reason: `rustfmt took longer than ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => done({ text, formatted: false, reason: `rustfmt could not run: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && out.trim()) {
        const result = out.replace(/\s+$/, '');
        remember(text, result);
        done({ text: result, formatted: true });
      }
      else done({ text, formatted: false, reason: `rustfmt failed: ${err.split('\n')[0] || `exit ${code}`}` });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
