import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreLockError } from '../../../src/store';
import { acquireLock } from '../../../src/store/lock';
import { cleanupTempDirs, open, tempDir } from './helpers';

afterEach(cleanupTempDirs);

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function writeLock(lockPath: string, info: { pid: number; at: number; host?: string }): void {
  writeFileSync(lockPath, JSON.stringify({ host: os.hostname(), token: 'someone-else', ...info }));
}

describe('save lock', () => {
  it('breaks a lock left by a dead process', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file);
    writeLock(`${file}.lock`, { pid: deadPid(), at: Date.now() });
    store.sessions.create({ title: 'a' });
    await store.flush();
    expect(existsSync(`${file}.lock`)).toBe(false);
    await store.close();
  });

  it('breaks a lock older than staleMs even if its pid is alive (pid reuse)', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store } = await open(file, { lock: { staleMs: 5_000, timeoutMs: 60_000 } });
    writeLock(`${file}.lock`, { pid: process.ppid, at: Date.now() - 60_000 });
    store.sessions.create({ title: 'a' });
    await store.flush();
    expect(existsSync(`${file}.lock`)).toBe(false);
    await store.close();
  });

  it('breaks an unreadable lock only after a grace period', async () => {
    const dir = tempDir();
    const lockPath = path.join(dir, 'x.lock');
    writeFileSync(lockPath, '');
    await expect(acquireLock(lockPath, { staleMs: 30_000, timeoutMs: 150 })).rejects.toThrow(StoreLockError);
    const old = new Date(Date.now() - 10_000);
    utimesSync(lockPath, old, old);
    const held = await acquireLock(lockPath, { staleMs: 30_000, timeoutMs: 1_000 });
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    await held.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('waits for a live lock, reports the failure, keeps the changes and saves once the lock is gone', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store, notices } = await open(file, { lock: { staleMs: 60_000, timeoutMs: 200 } });
    writeLock(`${file}.lock`, { pid: process.ppid, at: Date.now() });
    const s = store.sessions.create({ title: 'kept in memory' });
    await expect(store.flush()).rejects.toThrow(/locked by process \d+/);
    expect(store.sessions.get(s.id)?.title).toBe('kept in memory');
    rmSync(`${file}.lock`);
    await store.flush();
    await store.close();
    const { store: again } = await open(file);
    expect(again.sessions.get(s.id)?.title).toBe('kept in memory');
    await again.close();
    expect(notices.filter((n) => n.kind === 'save-failed')).toEqual([]);
  });

  it('reports a failing background save once and retries', async () => {
    const file = path.join(tempDir(), 'db.sqlite');
    const { store, notices } = await open(file, { saveDelayMs: 5, lock: { staleMs: 60_000, timeoutMs: 50 } });
    writeLock(`${file}.lock`, { pid: process.ppid, at: Date.now() });
    store.sessions.create({ title: 'a' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => notices.length && (clearInterval(poll), resolve()), 10);
    });
    expect(notices[0]).toMatchObject({ kind: 'save-failed' });
    expect(notices[0]!.message).toMatch(/kept in memory/);
    rmSync(`${file}.lock`);
    await store.close();
    expect(notices.filter((n) => n.kind === 'save-failed')).toHaveLength(1);
    const { store: again } = await open(file);
    expect(again.sessions.list()).toHaveLength(1);
    await again.close();
  });

  it('does not remove a lock it no longer owns', async () => {
    const lockPath = path.join(tempDir(), 'y.lock');
    const held = await acquireLock(lockPath, { staleMs: 30_000, timeoutMs: 1_000 });
    writeLock(lockPath, { pid: process.ppid, at: Date.now() });
    await held.release();
    expect(existsSync(lockPath)).toBe(true);
  });
});
