import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../../src/domain';
import type { NocodoStore, OpenStoreOptions, StoreNotice } from '../../../src/store';
import { openStore } from '../../../src/store';
import { loadSqlJs } from '../../../src/store/sqljs';

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'nocodo-store-'));
  dirs.push(d);
  return d;
}

export function cleanupTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Opens a store collecting its notices. */
export async function open(file: string, extra: Partial<OpenStoreOptions> = {}): Promise<{ store: NocodoStore; notices: StoreNotice[] }> {
  const notices: StoreNotice[] = [];
  const store = await openStore({ file, saveDelayMs: 10, onNotice: (n) => notices.push(n), ...extra });
  return { store, notices };
}

export function sampleRun(id: string, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    role: 'rustEngineer',
    mode: 'diesel-model-fn',
    baseUrl: 'http://localhost:8080/v1',
    model: 'qwen3.5-0.8b',
    params: { temperature: 0.1, maxTokens: 512 },
    messages: [
      { role: 'system', content: 'You write exactly one Diesel function.\n'.repeat(50) },
      { role: 'user', content: `Write ${id}` },
    ],
    raw: `pub fn ${id}() {}`,
    reasoning: '',
    diagnostics: [],
    timings: { startedAt: 1_700_000_000_000, totalMs: 1200 },
    outcome: 'ok',
    ...over,
  };
}

/** A session with one epic and two tasks (the second depends on the first). */
export function seedBoard(store: NocodoStore) {
  const session = store.sessions.create({ title: 'Bakery' });
  const epic = store.epics.create({ sessionId: session.id, title: 'Orders', description: 'Everything about orders' });
  const table = store.tasks.create({ epicId: epic.id, title: 'Orders table', description: 'Create it', role: 'db', mode: 'diesel-schema', acceptanceCriteria: ['has an id'] });
  const list = store.tasks.create({ epicId: epic.id, title: 'List orders', description: 'Return all', role: 'backend', dependsOn: [table.id] });
  return { session, epic, table, list };
}

/** A store on `file` (default: a new one in a temp folder) holding `seedBoard`'s rows, saved; the store stays open. */
export async function seededStore(file = path.join(tempDir(), 'db.sqlite')) {
  const opened = await open(file);
  const board = seedBoard(opened.store);
  await opened.store.flush();
  return { file, board, ...opened };
}

/** Writes a database file built from raw SQL (fixtures of earlier schema versions, hand-damaged rows). */
export async function writeDbFromSql(file: string, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(sql);
  writeFileSync(file, db.export());
  db.close();
}

/** Runs SQL against an existing database file in place (simulating hand edits or damage). */
export async function editDbFile(file: string, sql: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  db.exec(sql);
  writeFileSync(file, db.export());
  db.close();
}

export const CHILD_DIR = fileURLToPath(new URL('./children', import.meta.url));

/** Starts a TypeScript child process (`node --import tsx`). */
export function spawnChild(script: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(CHILD_DIR, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the exit code (or signal) and everything the child wrote. */
export function waitExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Calls `onLine` for each stdout line of the child. */
export function onLines(child: ChildProcess, onLine: (line: string) => void): void {
  let buf = '';
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
}
