import { spawn } from 'node:child_process';
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
}

export interface RustfmtResult {
  text: string;
  formatted: boolean;
  /** Why the text was not formatted. */
  reason?: string;
}

/** `NOCODO_RUSTFMT` value that turns formatting off (the editor sets it in Restricted Mode: no programs run). */
export const RUSTFMT_OFF = 'off';

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
  cache.set(key, found ?? null);
  return found;
}

/** Formats Rust source through `rustfmt --edition 2021 --emit stdout` on stdin. */
export function rustfmt(text: string, opts: RustfmtOptions = {}): Promise<RustfmtResult> {
  if (opts.path === RUSTFMT_OFF) return Promise.resolve({ text, formatted: false, reason: 'rustfmt is off (Restricted Mode runs no programs)' });
  const bin = findRustfmt(opts);
  if (!bin) return Promise.resolve({ text, formatted: false, reason: 'rustfmt not found' });
  const timeoutMs = opts.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let settled = false;
    const done = (r: RustfmtResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const child = spawn(bin, ['--edition', '2021', '--emit', 'stdout'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      done({ text, formatted: false, reason: `rustfmt took longer than ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => done({ text, formatted: false, reason: `rustfmt could not run: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && out.trim()) done({ text: out.replace(/\s+$/, ''), formatted: true });
      else done({ text, formatted: false, reason: `rustfmt failed: ${err.split('\n')[0] || `exit ${code}`}` });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(text);
  });
}
