import type { TaskEvent, TransitionRequest } from '../domain';
import { newId } from '../core/ids';
import type { EntityOf, EntityTable } from './codec';
import { SPECS } from './codec';
import { StoreClosedError, StoreNotFoundError, type StoreDataError } from './errors';
import type { HeldLock, LockOptions } from './lock';
import { acquireLock } from './lock';
import type { Mutation } from './mutations';
import { applyMutation } from './mutations';
import type { FileIdentity } from './persistence';
import { inspect, moveAside, prepareConnection, readGeneration, readWithIdentity, removeAbandonedTemps, sameIdentity, statIdentity, writeGeneration } from './persistence';
import type { JournalState } from './journalFile';
import { appendJournal, journalPath, journalSize, moveJournalAside, readJournal, replayJournal, writeWhole } from './journalFile';
import type { Param } from './queries';
import { getById, listWhere } from './queries';
import type { Database, SqlJsStatic } from './sqljs';
import { queryOne } from './sqljs';
import type {
  Disposable,
  NocodoStore,
  ProposalFilter,
  RunFilter,
  StoreChange,
  StoreNotice,
  StoreTable,
  TaskFilter,
  TransitionResult,
} from './types';

export interface StoreConfig {
  /** Absolute database path; undefined for a store that never touches disk. */
  file: string | undefined;
  saveDelayMs: number;
  lock: LockOptions;
  now: () => number;
  onNotice: (n: StoreNotice) => void;
}

function addCondition(where: string[], params: Param[], sql: string, value: Param): void {
  where.push(sql);
  params.push(value);
}

const ALL_TABLES: readonly StoreTable[] = ['sessions', 'messages', 'epics', 'tasks', 'task_events', 'comments', 'runs', 'proposals'];
const RETRY_MS = 2_000;

/** Serialises the database; sql.js reopens it on export(), which drops connection settings. */
export function exportBytes(db: Database): Uint8Array {
  const bytes = db.export();
  prepareConnection(db);
  return bytes;
}

export function corruptMessage(reason: string, movedTo: string, after: 'open' | 'save'): string {
  const rest =
    after === 'open'
      ? 'nocodo started a new, empty database for this workspace.'
      : "this window's sessions and tasks were saved as the new database (changes another window made since this one last loaded are in the moved file).";
  return `nocodo's database could not be read: ${reason}. The file was moved to ${movedTo} (nothing was deleted) and ${rest}`;
}

/** The journal is folded into the database file once it is larger than this share of the file (and than the minimum). */
const COMPACT_SHARE = 0.5;
const COMPACT_MIN_BYTES = 1_000_000;

/**
 * The store: a sql.js database in memory over `file`. Writes apply at once in memory and wait in
 * `unsaved`; a coalesced save appends them under the lock to the journal beside the file
 * (journalFile.ts), so a save costs the size of the change, and folds the journal into the file
 * now and then. When another window saved since we last read or wrote, its changes are loaded
 * first and ours re-applied on top.
 */
export class SqlStore implements NocodoStore {
  readonly file: string;
  /** Changes made here and not saved yet, in order. */
  private unsaved: Mutation[] = [];
  /** The file must be written even without journal entries (migrated, or ours replaces a broken one). */
  private needsWrite = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private failing = false;
  private tempsChecked = false;
  private readonly listeners = new Set<(c: StoreChange) => void>();
  private readonly reportedInvalid = new Set<string>();

  constructor(
    private readonly SQL: SqlJsStatic,
    private db: Database,
    private identity: FileIdentity | undefined,
    /**
     * Token of the whole-file save we hold (see readGeneration); read before the bytes, so a race
     * only causes an extra reload. The generation file reads `<token>` after a whole-file save and
     * `<token> <journal end>` after an append.
     */
    private generation: string | undefined,
    private journal: JournalState,
    private readonly cfg: StoreConfig,
  ) {
    this.file = cfg.file ?? ':memory:';
    this.genSeen = generation;
  }

  /** The generation file's content as we last read or wrote it. */
  private genSeen: string | undefined;

  // ---- repositories -------------------------------------------------------------------------

  readonly sessions: NocodoStore['sessions'] = {
    create: (s) => {
      const at = this.cfg.now();
      return this.insert('sessions', { phase: 'discovery', rounds: 0, summaryConfirmed: false, ...s, id: s.id ?? newId('ses'), createdAt: s.createdAt ?? at, updatedAt: s.updatedAt ?? at });
    },
    get: (id) => this.get('sessions', id),
    update: (id, p) => this.patch('sessions', id, p),
    list: () => this.list('sessions', '', [], 'updated_at DESC, rowid DESC'),
  };

  readonly messages: NocodoStore['messages'] = {
    create: (m) => this.insert('messages', { ...m, id: m.id ?? newId('msg'), createdAt: m.createdAt ?? this.cfg.now() }),
    get: (id) => this.get('messages', id),
    update: (id, p) => this.patch('messages', id, p),
    list: (sessionId) => this.list('messages', 'session_id = ?', [sessionId], 'created_at, rowid'),
    page: (sessionId, query) => {
      this.ensureOpen();
      const where = ['session_id = ?'];
      const params: Param[] = [sessionId];
      if (query.before !== undefined) {
        // The cursor is a message; its place in the (created_at, rowid) order bounds the page.
        const at = queryOne(this.db, 'SELECT created_at, rowid AS r FROM messages WHERE id = ? AND session_id = ?', [query.before, sessionId]);
        if (!at) return undefined;
        where.push('(created_at < ? OR (created_at = ? AND rowid < ?))');
        params.push(at.created_at as number, at.created_at as number, at.r as number);
      }
      const limit = Math.max(0, Math.floor(query.limit));
      // One row more than asked says whether older messages remain, without counting them.
      const rows = this.list('messages', where.join(' AND '), params, `created_at DESC, rowid DESC LIMIT ${limit + 1}`);
      return { messages: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
    },
  };

  readonly epics: NocodoStore['epics'] = {
    create: (e) => this.insert('epics', { ...e, id: e.id ?? newId('epic'), createdAt: e.createdAt ?? this.cfg.now() }),
    get: (id) => this.get('epics', id),
    update: (id, p) => this.patch('epics', id, p),
    list: (sessionId) => this.list('epics', 'session_id = ?', [sessionId], 'created_at, rowid'),
  };

  readonly tasks: NocodoStore['tasks'] = {
    create: (t) => {
      const at = this.cfg.now();
      return this.insert('tasks', { state: 'draft', dependsOn: [], acceptanceCriteria: [], ...t, id: t.id ?? newId('task'), createdAt: t.createdAt ?? at, updatedAt: t.updatedAt ?? at });
    },
    get: (id) => this.get('tasks', id),
    update: (id, p) => this.patch('tasks', id, p),
    list: (f: TaskFilter = {}) => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.epicId !== undefined) addCondition(where, params, 'epic_id = ?', f.epicId);
      if (f.sessionId !== undefined) addCondition(where, params, 'epic_id IN (SELECT id FROM epics WHERE session_id = ?)', f.sessionId);
      if (f.state !== undefined) {
        const states = typeof f.state === 'string' ? [f.state] : [...f.state];
        where.push(`state IN (${states.map(() => '?').join(', ') || 'NULL'})`);
        params.push(...states);
      }
      return this.list('tasks', where.join(' AND '), params, 'created_at, rowid');
    },
  };

  readonly events: NocodoStore['events'] = {
    get: (id) => this.get('task_events', id),
    list: (taskId) => this.list('task_events', 'task_id = ?', [taskId], 'at, rowid'),
  };

  readonly comments: NocodoStore['comments'] = {
    create: (c) => this.insert('comments', { ...c, id: c.id ?? newId('cmt'), createdAt: c.createdAt ?? this.cfg.now() }),
    get: (id) => this.get('comments', id),
    update: (id, p) => this.patch('comments', id, p),
    list: (taskId) => this.list('comments', 'task_id = ?', [taskId], 'created_at, rowid'),
  };

  readonly runs: NocodoStore['runs'] = {
    create: (r) => this.insert('runs', r),
    get: (id) => this.get('runs', id),
    update: (id, p) => this.patch('runs', id, p),
    list: (f: RunFilter = {}) => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.taskId !== undefined) addCondition(where, params, 'task_id = ?', f.taskId);
      if (f.sessionId !== undefined) addCondition(where, params, 'session_id = ?', f.sessionId);
      if (f.limit === undefined) return this.list('runs', where.join(' AND '), params, 'started_at, rowid');
      const limit = Math.max(0, Math.floor(f.limit));
      return this.list('runs', where.join(' AND '), params, `started_at DESC, rowid DESC LIMIT ${limit}`).reverse();
    },
  };

  readonly proposals: NocodoStore['proposals'] = {
    create: (p) => this.insert('proposals', { status: 'pending', ...p, id: p.id ?? newId('prop'), createdAt: p.createdAt ?? this.cfg.now() }),
    get: (id) => this.get('proposals', id),
    update: (id, p) => this.patch('proposals', id, p),
    list: (f: ProposalFilter = {}) => {
      const where: string[] = [];
      const params: Param[] = [];
      if (f.status !== undefined) addCondition(where, params, 'status = ?', f.status);
      if (f.taskId !== undefined) addCondition(where, params, 'task_id = ?', f.taskId);
      return this.list('proposals', where.join(' AND '), params, 'created_at, rowid');
    },
    pending: () => this.proposals.list({ status: 'pending' }),
  };

  transitionTask(taskId: string, req: TransitionRequest): TransitionResult {
    this.ensureOpen();
    const task = this.get('tasks', taskId);
    if (!task) throw new StoreNotFoundError('tasks', taskId);
    const event: TaskEvent = { id: newId('evt'), taskId, from: task.state, to: req.to, by: req.by, at: this.cfg.now(), ...(req.why !== undefined ? { why: req.why } : {}) };
    return this.commit({ op: 'transition', event }) as TransitionResult;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  onChange(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async flush(): Promise<void> {
    this.ensureOpen();
    await this.flushInternal();
  }

  async reload(): Promise<boolean> {
    this.ensureOpen();
    const file = this.cfg.file;
    if (!file) return false;
    return this.enqueue(async () => {
      if (!(await this.changedOnDisk(file))) return false;
      const lock = await this.lock();
      let changed: boolean;
      try {
        changed = await this.syncFromDisk(file);
      } finally {
        await lock.release();
      }
      if (this.unsaved.length || this.needsWrite) this.schedule();
      return changed;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.flushInternal();
      // Leave one file behind: the next open reads no journal, and other tools see everything.
      await this.enqueue(() => this.foldJournal());
    } finally {
      this.closed = true;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.listeners.clear();
      this.db.close();
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private ensureOpen(): void {
    if (this.closed) throw new StoreClosedError(this.file);
  }

  private get<K extends EntityTable>(table: K, id: string): EntityOf<K> | undefined {
    this.ensureOpen();
    return getById(this.db, SPECS[table] as never, id) as EntityOf<K> | undefined;
  }

  private list<K extends EntityTable>(table: K, where: string, params: Param[], order: string): EntityOf<K>[] {
    this.ensureOpen();
    return listWhere(this.db, SPECS[table] as never, where, params, order, (e) => this.reportInvalid(e)) as EntityOf<K>[];
  }

  private reportInvalid(e: StoreDataError): void {
    const key = `${e.table}\0${e.id}\0${e.details}`;
    if (this.reportedInvalid.has(key)) return;
    this.reportedInvalid.add(key);
    this.cfg.onNotice({ kind: 'invalid-row', table: e.table as StoreTable, id: e.id, message: `${e.message} It is left out of lists until it is fixed or replaced.` });
  }

  private insert<K extends EntityTable>(table: K, row: object): EntityOf<K> {
    return this.commit({ op: 'insert', table, row: structuredClone(row) as Record<string, unknown> }) as EntityOf<K>;
  }

  private patch<K extends EntityTable>(table: K, id: string, patch: object): EntityOf<K> {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    return this.commit({ op: 'patch', table, id, patch: structuredClone(clean), at: this.cfg.now() }) as EntityOf<K>;
  }

  private commit(m: Mutation): unknown {
    this.ensureOpen();
    const r = applyMutation(this.db, m, 'live');
    if (!r.ok) throw new Error(r.conflict); // live mode throws instead; kept for the type
    // Journal what was validated (defaults filled, unknown keys dropped), so a replay writes the same row.
    if (m.op === 'insert') m.row = structuredClone(r.value) as Record<string, unknown>;
    this.unsaved.push(m);
    this.emit({ source: 'local', tables: r.tables });
    this.schedule();
    return r.value;
  }

  private emit(change: StoreChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (e) {
        console.error('nocodo store: change listener failed', e);
      }
    }
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const p = this.queue.then(op);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private schedule(delay = this.cfg.saveDelayMs): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.enqueue(() => this.saveOnce()).then(
        () => {
          this.failing = false;
        },
        (e: unknown) => this.saveFailed(e),
      );
    }, delay);
  }

  private saveFailed(e: unknown): void {
    if (!this.failing) {
      this.failing = true;
      const why = e instanceof Error ? e.message : String(e);
      this.cfg.onNotice({ kind: 'save-failed', error: e, message: `nocodo could not save its database (${this.file}): ${why} Your changes are kept in memory and saving is retried.` });
    }
    this.schedule(Math.max(RETRY_MS, this.cfg.saveDelayMs));
  }

  private async flushInternal(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await this.enqueue(() => this.saveOnce());
      this.failing = false;
    } catch (e) {
      this.schedule(Math.max(RETRY_MS, this.cfg.saveDelayMs));
      throw e;
    }
  }

  private lock(): Promise<HeldLock> {
    return acquireLock(`${this.cfg.file}.lock`, this.cfg.lock);
  }

  private async saveOnce(): Promise<void> {
    const file = this.cfg.file;
    if (!file) {
      this.unsaved = [];
      return;
    }
    if (!this.unsaved.length && !this.needsWrite) return;
    const lock = await this.lock();
    try {
      if (!this.tempsChecked) {
        this.tempsChecked = true;
        await removeAbandonedTemps(file);
      }
      await this.syncFromDisk(file);
      const n = this.unsaved.length;
      if (this.needsWrite || !this.journal.epoch || this.journal.end > Math.max(COMPACT_MIN_BYTES, (this.identity?.size ?? 0) * COMPACT_SHARE)) {
        await this.writeWhole(file);
      } else if (n) {
        const end = await appendJournal(file, this.journal.epoch, this.journal.end, this.unsaved.slice(0, n));
        this.journal = { ...this.journal, end, seen: end };
        this.genSeen = await writeGeneration(file, `${this.generation} ${end}`);
      }
      this.unsaved.splice(0, n);
    } finally {
      await lock.release();
    }
    if (this.unsaved.length) this.schedule();
  }

  private async foldJournal(): Promise<void> {
    const file = this.cfg.file;
    if (!file || (await journalSize(file)) === undefined) return;
    const lock = await this.lock();
    try {
      await this.syncFromDisk(file);
      await this.writeWhole(file);
      this.unsaved = [];
    } finally {
      await lock.release();
    }
  }

  /** Under the lock: the whole database to the file, the journal folded in (and removed). */
  private async writeWhole(file: string): Promise<void> {
    // Synchronous up to the export inside writeWhole: the bytes hold everything in `unsaved` now.
    const w = await writeWhole(file, this.db, exportBytes);
    this.identity = w.identity;
    this.generation = this.genSeen = w.generation;
    this.journal = w.journal;
    this.needsWrite = false;
  }

  private async changedOnDisk(file: string): Promise<boolean> {
    return (
      !sameIdentity(await statIdentity(file), this.identity) ||
      (await readGeneration(file)) !== this.genSeen ||
      (await journalSize(file)) !== this.journal.seen
    );
  }

  /**
   * Called under the lock. Loads what other processes saved since we last read or wrote: their
   * appends to the journal, or (when the file itself was rewritten) the file and its journal, with
   * our unsaved changes re-applied on top. Returns whether another save was loaded.
   */
  private async syncFromDisk(file: string): Promise<boolean> {
    if (!(await this.changedOnDisk(file))) return false;
    const gen = await readGeneration(file);
    if (!sameIdentity(await statIdentity(file), this.identity) || gen?.split(' ')[0] !== this.generation) return this.loadFromDisk(file, gen);
    // The same file: only the journal can have grown (an append whose writer may have died before
    // updating the generation file is there too).
    const j = await readJournal(file, this.journal.end);
    if (!j || j.epoch !== this.journal.epoch || j.damaged || j.end < this.journal.end) return this.loadFromDisk(file, gen);
    if (j.mutations.length && this.unsaved.length) return this.loadFromDisk(file, gen); // ours must come after theirs
    for (const m of j.mutations) {
      const res = applyMutation(this.db, m, 'replay');
      if (!res.ok) this.cfg.onNotice({ kind: 'conflict', table: res.table, id: res.id, message: res.conflict });
    }
    this.journal = { ...this.journal, end: j.end, seen: j.size };
    this.genSeen = gen;
    if (!j.mutations.length) return false;
    this.emit({ source: 'external', tables: ALL_TABLES });
    return true;
  }

  /** Under the lock: the file and its journal as another process left them, our unsaved changes on top. */
  private async loadFromDisk(file: string, gen: string | undefined): Promise<boolean> {
    const cur = await readWithIdentity(file);
    if (!cur) {
      this.needsWrite = true;
      return false;
    }
    const r = inspect(this.SQL, cur.bytes);
    if (r.kind === 'future') {
      throw new Error(
        `a newer version of nocodo upgraded this workspace's database (schema ${r.version}); this window cannot write to it without losing data. Update nocodo and reload the window.`,
      );
    }
    if (r.kind === 'corrupt') {
      const movedTo = await moveAside(file);
      // Its journal belongs with it.
      await moveAside(journalPath(file)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      this.needsWrite = true;
      this.cfg.onNotice({ kind: 'corrupt', movedTo, message: corruptMessage(r.reason, movedTo, 'save') });
      return false;
    }
    if (r.kind === 'empty') {
      this.needsWrite = true;
      return false;
    }
    const replayed = await replayJournal(file, r.db, (c) => this.cfg.onNotice({ kind: 'conflict', table: c.table, id: c.id, message: c.conflict }));
    if (replayed.damaged) {
      const movedTo = await moveJournalAside(file);
      this.cfg.onNotice({ kind: 'corrupt', movedTo, message: journalDamagedMessage(replayed.damaged, movedTo) });
      this.needsWrite = true;
    }
    const kept: Mutation[] = [];
    for (const m of this.unsaved) {
      const res = applyMutation(r.db, m, 'replay');
      if (res.ok) kept.push(m);
      else this.cfg.onNotice({ kind: 'conflict', table: res.table, id: res.id, message: res.conflict });
    }
    const old = this.db;
    this.db = r.db;
    old.close();
    this.unsaved = kept;
    this.identity = cur.identity;
    this.generation = gen?.split(' ')[0];
    this.genSeen = gen;
    this.journal = replayed.state;
    if (r.migrated.length) this.needsWrite = true;
    this.emit({ source: 'external', tables: ALL_TABLES });
    return true;
  }
}

export function journalDamagedMessage(reason: string, movedTo: string): string {
  return `nocodo's journal of recent changes could not be read past a damaged entry (${reason}). It was moved to ${movedTo} (nothing was deleted); the changes before the damage were kept.`;
}
