import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileIdentity } from './persistence';
import { fsyncDir, moveAside, statIdentity, writeFileAtomic, writeGeneration } from './persistence';
import type { ApplyResult, Mutation } from './mutations';
import { applyMutation } from './mutations';
import type { Database } from './sqljs';
import { queryOne } from './sqljs';

/*
 * The append-only journal beside the database (`<db>.journal`): saving a change appends a line and
 * fsyncs, so a save costs the size of the change, not of the database. Now and then the database
 * file is rewritten with everything in it (compaction) and the journal starts over.
 *
 * Format: a header line `{"nocodoJournal":1,"epoch":"…"}`, then one line per change:
 * `<first 16 hex of sha256(json)> <json of the Mutation>`. The epoch is also stored in the database
 * it continues (table store_meta), so a journal left behind by a compaction that crashed before
 * removing it is recognised as already contained and is not applied twice.
 *
 * A kill in the middle of an append leaves a last line without its newline (or failing its check):
 * that change was never reported saved, and the next writer cuts it off. A complete line that fails
 * its check in the middle of the file is damage: the journal is set aside.
 */

export const journalPath = (file: string): string => `${file}.journal`;

const HEADER_KEY = 'nocodoJournal';
const NEWLINE = 0x0a;

export interface JournalContents {
  epoch: string | undefined;
  /** The changes after `from`, in order. */
  mutations: Mutation[];
  /** Byte offset just past the last intact line: where the next append goes. */
  end: number;
  /** File size: larger than `end` when the last append was cut short. */
  size: number;
  /** Why the journal cannot be trusted past `end` (a complete line failed its check). */
  damaged?: string;
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16);
}

export function encodeHeader(epoch: string): string {
  return `${JSON.stringify({ [HEADER_KEY]: 1, epoch })}\n`;
}

export function encodeRecords(mutations: readonly Mutation[]): string {
  return mutations
    .map((m) => {
      const json = JSON.stringify(m);
      return `${checksum(json)} ${json}\n`;
    })
    .join('');
}

/** Size of the journal file, or undefined when there is none. */
export async function journalSize(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(journalPath(file))).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Reads the journal; only the lines that start at or after byte `from` are decoded (the caller
 * has the earlier ones already). Undefined when there is no journal file.
 */
export async function readJournal(file: string, from = 0): Promise<JournalContents | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(journalPath(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const size = bytes.length;
  const headerEnd = bytes.indexOf(NEWLINE);
  if (headerEnd < 0) return { epoch: undefined, mutations: [], end: 0, size };
  let epoch: string | undefined;
  try {
    const h = JSON.parse(bytes.subarray(0, headerEnd).toString('utf8')) as Record<string, unknown>;
    if (h[HEADER_KEY] === 1 && typeof h.epoch === 'string') epoch = h.epoch;
  } catch {
    // handled below
  }
  if (!epoch) return { epoch: undefined, mutations: [], end: 0, size, damaged: 'its header is not a nocodo journal header' };

  const mutations: Mutation[] = [];
  let pos = headerEnd + 1;
  let end = pos;
  while (pos < size) {
    const nl = bytes.indexOf(NEWLINE, pos);
    if (nl < 0) break; // the last append was cut short: never reported saved
    if (pos >= from) {
      const line = bytes.subarray(pos, nl).toString('utf8');
      const sum = line.slice(0, 16);
      const json = line.slice(17);
      let m: Mutation | undefined;
      if (line[16] === ' ' && checksum(json) === sum) {
        try {
          m = JSON.parse(json) as Mutation;
        } catch {
          m = undefined;
        }
      }
      if (!m) {
        // A bad final line is a cut-short append; a bad line with more after it is damage.
        if (nl + 1 < size) return { epoch, mutations, end, size, damaged: `the change at byte ${pos} fails its check` };
        break;
      }
      mutations.push(m);
    }
    pos = nl + 1;
    end = pos;
  }
  return { epoch, mutations, end, size };
}

/**
 * Appends changes durably at `end` (cutting off a cut-short append after it), or starts a new
 * journal for `epoch` when `end` is 0. Returns the new end.
 */
export async function appendJournal(file: string, epoch: string, end: number, mutations: readonly Mutation[]): Promise<number> {
  const jpath = journalPath(file);
  const body = Buffer.from(end === 0 ? encodeHeader(epoch) + encodeRecords(mutations) : encodeRecords(mutations), 'utf8');
  const fh = await fs.open(jpath, end === 0 ? 'w' : 'r+');
  try {
    await fh.truncate(end);
    await fh.write(body, 0, body.length, end);
    await fh.sync();
  } finally {
    await fh.close();
  }
  // A new journal file must survive a crash too: its directory entry is made durable once.
  if (end === 0) await fsyncDir(path.dirname(jpath));
  return end + body.length;
}

/** Removes the journal once the database file holds all of it. */
export async function removeJournal(file: string): Promise<void> {
  await fs.unlink(journalPath(file)).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

// ---- the database's side: its epoch, replaying its journal, writing it whole -------------------

const EPOCH_KEY = 'journal_epoch';

/** The epoch of the journal that continues this database; undefined before its first compaction. */
export function readEpoch(db: Database): string | undefined {
  const v = queryOne(db, 'SELECT value FROM store_meta WHERE key = ?', [EPOCH_KEY])?.value;
  return typeof v === 'string' ? v : undefined;
}

/** Where a store stands with the journal: its epoch, how far it has applied it, the size last seen. */
export interface JournalState {
  epoch: string | undefined;
  end: number;
  seen: number | undefined;
}

export interface Replayed {
  state: JournalState;
  /** Set when the journal is damaged: it must be set aside and the database written whole. */
  damaged?: string;
}

/**
 * Applies the journal that continues `db` (same epoch; a stale one, left by a compaction that
 * crashed before removing it, is already contained and is skipped). `onConflict` hears of a change
 * that no longer applies (it cannot, for a journal written under the lock; reported, never thrown).
 */
export async function replayJournal(file: string, db: Database, onConflict: (r: Extract<ApplyResult, { ok: false }>) => void): Promise<Replayed> {
  const epoch = readEpoch(db);
  const j = await readJournal(file);
  if (!j || !epoch || j.epoch !== epoch) return { state: { epoch, end: 0, seen: j?.size }, ...(j?.damaged ? { damaged: j.damaged } : {}) };
  for (const m of j.mutations) {
    const r = applyMutation(db, m, 'replay');
    if (!r.ok) onConflict(r);
  }
  return { state: { epoch, end: j.end, seen: j.size }, ...(j.damaged ? { damaged: j.damaged } : {}) };
}

/** Moves a damaged journal aside beside the database (nothing is deleted); returns where. */
export function moveJournalAside(file: string): Promise<string> {
  return moveAside(journalPath(file));
}

export interface WrittenWhole {
  identity: FileIdentity | undefined;
  generation: string;
  journal: JournalState;
}

/**
 * Compaction: writes the whole database under a new epoch, then removes the journal it now
 * contains. A crash in between leaves a journal of the old epoch, which is then ignored.
 * Called under the lock; `bytes` must come from `db` after `setEpoch`.
 */
export async function writeWhole(file: string, db: Database, exportBytes: (db: Database) => Uint8Array): Promise<WrittenWhole> {
  const epoch = randomUUID();
  db.run('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)', [EPOCH_KEY, epoch]);
  await writeFileAtomic(file, exportBytes(db));
  const identity = await statIdentity(file);
  await removeJournal(file);
  const generation = await writeGeneration(file);
  return { identity, generation, journal: { epoch, end: 0, seen: undefined } };
}
