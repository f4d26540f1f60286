import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { StoreLockError } from './errors';

/**
 * A lock file beside the database, held only while a window saves (or sets a broken file aside).
 * Created with O_EXCL; holds {pid, host, at, token}. A lock is abandoned when its process is gone
 * (same host) or it is older than `staleMs` (pids get reused; saves take well under a second).
 */
export interface LockInfo {
  pid: number;
  host: string;
  at: number;
  token: string;
}

export interface LockOptions {
  staleMs: number;
  timeoutMs: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** A lock file that never got its content (writer killed right after creating it) is abandoned after this. */
const EMPTY_LOCK_GRACE_MS = 2_000;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(lockPath: string): Promise<{ info?: LockInfo; raw: string; mtimeMs: number } | undefined> {
  try {
    const [raw, st] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    let info: LockInfo | undefined;
    try {
      const v = JSON.parse(raw) as Partial<LockInfo>;
      if (typeof v.pid === 'number' && typeof v.at === 'number' && typeof v.token === 'string' && typeof v.host === 'string') info = v as LockInfo;
    } catch {
      info = undefined;
    }
    return { info, raw, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export function whyStale(lock: { info?: LockInfo; mtimeMs: number }, staleMs: number, now = Date.now()): string | undefined {
  if (!lock.info) return now - lock.mtimeMs > EMPTY_LOCK_GRACE_MS ? 'unreadable lock file' : undefined;
  if (lock.info.host === os.hostname() && !isProcessAlive(lock.info.pid)) return `process ${lock.info.pid} is gone`;
  if (now - lock.info.at > staleMs) return `lock is ${Math.round((now - lock.info.at) / 1000)} s old`;
  return undefined;
}

/**
 * Removes an abandoned lock without removing a fresh one another window created meanwhile: the
 * file is renamed (atomic) and checked; if it turns out not to be the one judged stale it is put back.
 */
async function breakLock(lockPath: string, judgedRaw: string): Promise<void> {
  const aside = `${lockPath}.breaking-${process.pid}-${randomUUID().slice(0, 8)}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const raw = await fs.readFile(aside, 'utf8').catch(() => judgedRaw);
  if (raw !== judgedRaw) await fs.link(aside, lockPath).catch(() => undefined);
  await fs.unlink(aside).catch(() => undefined);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function acquireLock(lockPath: string, opts: LockOptions): Promise<HeldLock> {
  const info: LockInfo = { pid: process.pid, host: os.hostname(), at: Date.now(), token: randomUUID() };
  const started = Date.now();
  let wait = 5;
  for (;;) {
    try {
      const fh = await fs.open(lockPath, 'wx');
      try {
        info.at = Date.now();
        await fh.writeFile(JSON.stringify(info));
      } finally {
        await fh.close();
      }
      return { release: () => releaseLock(lockPath, info.token) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const held = await readLock(lockPath);
    if (!held) continue;
    if (whyStale(held, opts.staleMs)) {
      await breakLock(lockPath, held.raw);
      continue;
    }
    if (Date.now() - started > opts.timeoutMs) {
      const who = held.info ? `process ${held.info.pid} on ${held.info.host} since ${new Date(held.info.at).toISOString()}` : 'another process';
      throw new StoreLockError(`Could not save: the database is locked by ${who} (${lockPath}). Another VS Code window may be saving; try again.`);
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 100);
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  const held = await readLock(lockPath);
  // Only remove our own lock: if ours was broken as stale, the file now belongs to someone else.
  if (held?.info?.token === token) await fs.unlink(lockPath).catch(() => undefined);
}
