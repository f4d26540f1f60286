import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { acquireLock } from './lock';
import type { FileIdentity } from './persistence';
import { createEmpty, inspect, moveAside, readGeneration, readWithIdentity, removeAbandonedTemps } from './persistence';
import type { JournalState } from './journalFile';
import { journalPath, moveJournalAside, replayJournal, writeWhole } from './journalFile';
import type { Database } from './sqljs';
import { loadSqlJs } from './sqljs';
import type { StoreConfig } from './sqlStore';
import { corruptMessage, exportBytes, journalDamagedMessage, SqlStore } from './sqlStore';
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
  if (!file) return new SqlStore(SQL, createEmpty(SQL), undefined, undefined, { epoch: undefined, end: 0, seen: undefined }, cfg);

  await fs.mkdir(path.dirname(file), { recursive: true });

  const conflicts: StoreNotice[] = [];
  const onConflict = (c: { table: string; id: string; conflict: string }): void => void conflicts.push({ kind: 'conflict', table: c.table as never, id: c.id, message: c.conflict });

  // Usual case: a valid file at the current schema and its journal; reading needs no lock (saves
  // rename the file atomically; a journal line being appended is not complete yet and is skipped).
  const firstGeneration = await readGeneration(file);
  const first = await readWithIdentity(file);
  if (first) {
    const r = inspect(SQL, first.bytes);
    if (r.kind === 'ok' && r.migrated.length === 0) {
      const replayed = await replayJournal(file, r.db, onConflict);
      if (!replayed.damaged) {
        const store = new SqlStore(SQL, r.db, first.identity, firstGeneration?.split(' ')[0], replayed.state, cfg);
        for (const n of conflicts.splice(0)) cfg.onNotice(n);
        return store;
      }
    }
    if (r.kind === 'ok') r.db.close();
    conflicts.length = 0;
  }

  // Anything else writes the file (create, migrate, replace a broken one, set a damaged journal
  // aside): under the lock, re-read.
  let db: Database;
  let identity: FileIdentity | undefined;
  let generation: string | undefined;
  let journal: JournalState;
  const notices: StoreNotice[] = [];
  const lock = await acquireLock(`${file}.lock`, cfg.lock);
  try {
    await removeAbandonedTemps(file);
    generation = await readGeneration(file);
    const cur = await readWithIdentity(file);
    const r = cur ? inspect(SQL, cur.bytes) : ({ kind: 'empty' } as const);
    let writeNow = true;
    if (r.kind === 'ok') {
      db = r.db;
      const replayed = await replayJournal(file, db, onConflict);
      journal = replayed.state;
      if (replayed.damaged) {
        const movedTo = await moveJournalAside(file);
        notices.push({ kind: 'corrupt', movedTo, message: journalDamagedMessage(replayed.damaged, movedTo) });
      } else if (r.migrated.length === 0 && cur) {
        identity = cur.identity;
        generation = generation?.split(' ')[0];
        writeNow = false;
      }
    } else {
      if (r.kind === 'corrupt' || r.kind === 'future') {
        const reason = r.kind === 'corrupt' ? r.reason : `it was written by a newer version of nocodo (schema ${r.version})`;
        const movedTo = await moveAside(file);
        // A journal continues the file it was written for: it goes aside with it.
        await moveAside(journalPath(file)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
        notices.push({ kind: 'corrupt', movedTo, message: corruptMessage(reason, movedTo, 'open') });
      }
      db = createEmpty(SQL);
      journal = { epoch: undefined, end: 0, seen: undefined };
    }
    if (writeNow) {
      const w = await writeWhole(file, db, exportBytes);
      identity = w.identity;
      generation = w.generation;
      journal = w.journal;
    }
  } finally {
    await lock.release();
  }
  const store = new SqlStore(SQL, db, identity, generation, journal, cfg);
  for (const n of [...notices, ...conflicts]) cfg.onNotice(n);
  return store;
}
