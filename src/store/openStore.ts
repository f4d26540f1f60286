import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { acquireLock } from './lock';
import type { FileIdentity } from './persistence';
import { createEmpty, inspect, moveAside, readGeneration, readWithIdentity, removeAbandonedTemps, statIdentity, writeFileAtomic, writeGeneration } from './persistence';
import type { Database } from './sqljs';
import { loadSqlJs } from './sqljs';
import type { StoreConfig } from './sqlStore';
import { corruptMessage, exportBytes, SqlStore } from './sqlStore';
import type { NocodoStore, OpenStoreOptions, StoreNotice } from './types';

/**
 * Opens (or creates) the database at `opts.file`; the host decides where (one per workspace).
 * A file that does not open is moved aside and reported through `onNotice`; it never fails the open.
 */
export async function openStore(opts: OpenStoreOptions): Promise<NocodoStore> {
  const SQL = await loadSqlJs(opts.wasmDir);
  const memory = opts.file === ':memory:';
  const file = memory ? undefined : path.resolve(opts.file);
  const cfg: StoreConfig = {
    file,
    saveDelayMs: opts.saveDelayMs ?? 200,
    lock: { staleMs: opts.lock?.staleMs ?? 30_000, timeoutMs: opts.lock?.timeoutMs ?? 10_000 },
    now: opts.now ?? Date.now,
    onNotice: (n) => {
      // A failing host callback must not abort a save or an open.
      try {
        opts.onNotice?.(n);
      } catch (e) {
        console.error('nocodo store: onNotice failed', e);
      }
    },
  };
  if (!file) return new SqlStore(SQL, createEmpty(SQL), undefined, undefined, cfg);

  await fs.mkdir(path.dirname(file), { recursive: true });

  // Usual case: a valid file at the current schema; reading needs no lock (saves rename atomically).
  const firstGeneration = await readGeneration(file);
  const first = await readWithIdentity(file);
  if (first) {
    const r = inspect(SQL, first.bytes);
    if (r.kind === 'ok' && r.migrated.length === 0) return new SqlStore(SQL, r.db, first.identity, firstGeneration, cfg);
    if (r.kind === 'ok') r.db.close();
  }

  // Anything else writes the file (create, migrate, replace a broken one): under the lock, re-read.
  let db: Database;
  let identity: FileIdentity | undefined;
  let generation: string | undefined;
  let notice: StoreNotice | undefined;
  const lock = await acquireLock(`${file}.lock`, cfg.lock);
  try {
    await removeAbandonedTemps(file);
    generation = await readGeneration(file);
    const cur = await readWithIdentity(file);
    const r = cur ? inspect(SQL, cur.bytes) : ({ kind: 'empty' } as const);
    if (r.kind === 'ok' && r.migrated.length === 0 && cur) {
      db = r.db;
      identity = cur.identity;
    } else {
      if (r.kind === 'ok') db = r.db;
      else {
        if (r.kind === 'corrupt' || r.kind === 'future') {
          const reason = r.kind === 'corrupt' ? r.reason : `it was written by a newer version of nocodo (schema ${r.version})`;
          const movedTo = await moveAside(file);
          notice = { kind: 'corrupt', movedTo, message: corruptMessage(reason, movedTo, 'open') };
        }
        db = createEmpty(SQL);
      }
      await writeFileAtomic(file, exportBytes(db));
      identity = await statIdentity(file);
      generation = await writeGeneration(file);
    }
  } finally {
    await lock.release();
  }
  const store = new SqlStore(SQL, db, identity, generation, cfg);
  if (notice) cfg.onNotice(notice);
  return store;
}
