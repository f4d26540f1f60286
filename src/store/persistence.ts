import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isProcessAlive } from './lock';
import { migrate, SCHEMA_VERSION, userVersion } from './migrations';
import type { Database, SqlJsStatic } from './sqljs';
import { queryAll } from './sqljs';

/** What identifies one save of the file: every save renames a new file over it, so the inode changes. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export const sameIdentity = (a: FileIdentity | undefined, b: FileIdentity | undefined): boolean =>
  a === b || (!!a && !!b && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);

const identityOf = (st: { ino: number; size: number; mtimeMs: number }): FileIdentity => ({ ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });

export async function statIdentity(file: string): Promise<FileIdentity | undefined> {
  try {
    return identityOf(await fs.stat(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Reads the file and the identity of exactly the bytes read (fstat on the same descriptor). */
export async function readWithIdentity(file: string): Promise<{ bytes: Uint8Array; identity: FileIdentity } | undefined> {
  let fh;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const identity = identityOf(await fh.stat());
    const bytes = await fh.readFile();
    return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), identity };
  } finally {
    await fh.close();
  }
}

const tempPrefix = (file: string) => `${path.basename(file)}.tmp-`;

/**
 * Replaces `file` so that a crash at any point leaves either the old or the new content: write a
 * temp file in the same folder, fsync it, rename it over, fsync the folder (makes the rename durable).
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `${tempPrefix(file)}${process.pid}-${randomUUID().slice(0, 8)}`);
  const fh = await fs.open(tmp, 'wx');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(path.dirname(file));
}

export async function fsyncDir(dir: string): Promise<void> {
  let dh;
  try {
    dh = await fs.open(dir, 'r');
    await dh.sync();
  } catch {
    // Windows cannot open or fsync a folder; NTFS journals the rename itself.
  } finally {
    await dh?.close().catch(() => undefined);
  }
}

/*
 * The generation file `<db>.gen` holds a random token written after each save, under the lock.
 * Stat identity alone can miss another window's save: a freed inode is reused by the next temp
 * file, sizes grow in whole pages, and mtime has the kernel clock's coarse (jiffy) granularity,
 * so two saves can look identical. Not fsynced: it only matters while windows are running, and
 * after a crash every window starts by loading the file.
 */
export async function readGeneration(file: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(`${file}.gen`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function writeGeneration(file: string, token: string = randomUUID()): Promise<string> {
  const tmp = path.join(path.dirname(file), `${tempPrefix(file)}${process.pid}-gen-${randomUUID().slice(0, 8)}`);
  await fs.writeFile(tmp, token);
  await fs.rename(tmp, `${file}.gen`);
  return token;
}

/** Temp files left by saves of processes that were killed; only our own naming pattern, only dead pids. */
export async function removeAbandonedTemps(file: string): Promise<void> {
  const prefix = tempPrefix(file);
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) {
      await fs.unlink(path.join(path.dirname(file), name)).catch(() => undefined);
    }
  }
}

/** Moves a file that would not open to `<name>.corrupt-<timestamp>` (never overwriting another). */
export async function moveAside(file: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 2; await exists(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  await fs.rename(file, target);
  return target;
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

export type Inspected =
  | { kind: 'ok'; db: Database; migrated: number[] }
  /** Zero bytes, or a SQLite file without any table: nothing to keep. */
  | { kind: 'empty' }
  | { kind: 'corrupt'; reason: string }
  | { kind: 'future'; version: number };

const SQLITE_HEADER = 'SQLite format 3\0';

/** The tables and columns the current code reads and writes; a file claiming the current version must have them. */
const REQUIRED_COLUMNS: Record<string, readonly string[]> = {
  sessions: ['id', 'title', 'phase', 'rounds', 'summary', 'summary_confirmed', 'created_at', 'updated_at'],
  messages: ['id', 'session_id', 'author', 'content', 'questions', 'answers', 'summary', 'run_id', 'created_at'],
  epics: ['id', 'session_id', 'title', 'description', 'auto_accept', 'created_at'],
  tasks: ['id', 'epic_id', 'title', 'state', 'depends_on', 'technical_notes', 'blocked_reason', 'updated_at'],
  task_events: ['id', 'task_id', 'from_state', 'to_state', 'by_role', 'at', 'why'],
  comments: ['id', 'task_id', 'author', 'body', 'created_at'],
  runs: ['id', 'messages', 'raw', 'reasoning', 'extracted', 'started_at', 'rejection'],
  proposals: ['id', 'change_set', 'status', 'created_at', 'decided_at', 'rejection_reason', 'checks'],
  texts: ['key', 'size', 'gz'],
  store_meta: ['key', 'value'],
};

/** Connection settings lost whenever sql.js reopens the database (it does on every export()). */
export function prepareConnection(db: Database): void {
  db.exec('PRAGMA foreign_keys = ON');
}

/**
 * Opens database bytes and brings them to the current schema, or says why it cannot. Never throws
 * for bad bytes: a damaged file is an expected condition the caller handles by moving it aside.
 */
export function inspect(SQL: SqlJsStatic, bytes: Uint8Array): Inspected {
  if (bytes.length === 0) return { kind: 'empty' };
  if (bytes.length < 100 || Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== SQLITE_HEADER) {
    return { kind: 'corrupt', reason: 'the file is not a SQLite database' };
  }
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const check = db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
    if (check.length !== 1 || check[0] !== 'ok') throw new Error(`integrity check failed: ${check.slice(0, 3).join('; ')}`);
    const version = userVersion(db);
    if (version > SCHEMA_VERSION) {
      db.close();
      return { kind: 'future', version };
    }
    const tables = queryAll(db, "SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r.name));
    if (version === 0 && tables.length > 0) throw new Error(`it is a SQLite database but not nocodo's (tables: ${tables.slice(0, 5).join(', ')})`);
    if (version === 0) {
      db.close();
      return { kind: 'empty' };
    }
    const migrated = migrate(db);
    checkSchema(db);
    prepareConnection(db);
    return { kind: 'ok', db, migrated };
  } catch (e) {
    db?.close();
    const msg = e instanceof Error ? e.message : String(e);
    return { kind: 'corrupt', reason: /malformed|not a database|disk image/i.test(msg) ? `the file is damaged (${msg})` : msg };
  }
}

function checkSchema(db: Database): void {
  for (const [table, cols] of Object.entries(REQUIRED_COLUMNS)) {
    const have = new Set(queryAll(db, `PRAGMA table_info(${table})`).map((r) => String(r.name)));
    const missing = cols.filter((c) => !have.has(c));
    if (have.size === 0) throw new Error(`table ${table} is missing`);
    if (missing.length) throw new Error(`table ${table} lacks columns ${missing.join(', ')}`);
  }
}

/** A new database at the current schema. */
export function createEmpty(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  migrate(db);
  prepareConnection(db);
  return db;
}
