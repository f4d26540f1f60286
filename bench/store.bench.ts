// Store benchmarks: the cost of one durable save as the database grows (an append to the journal),
// of folding the journal into the file, load time, file size; and
// the measurements behind the large-text decision (src/store/texts.ts).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RunRecord } from '../src/domain';
import type { NocodoStore } from '../src/store';
import { openStore } from '../src/store';
import { writeFileAtomic } from '../src/store/persistence';
import { loadSqlJs } from '../src/store/sqljs';
import type { BenchResult, BenchRow, GoalRow } from './run';

/** Deterministic PRNG (mulberry32), so every run measures the same data. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = prng(42);
const WORDS = (
  'pub fn struct impl use diesel prelude QueryResult PgConnection conn table filter eq select first load insert_into values ' +
  'get_result order limit Vec Option String i32 bool customer invoice order_id amount due_date paid the a user wants to list ' +
  'all customers with unpaid invoices sorted by date return error when missing create update delete find by id email name'
).split(' ');
function text(chars: number): string {
  let s = '';
  while (s.length < chars) s += WORDS[Math.floor(rnd() * WORDS.length)]! + (rnd() < 0.08 ? '\n' : ' ');
  return s.slice(0, chars);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => Math.round(x * 10) / 10;
const mb = (bytes: number) => Math.round((bytes / 1e6) * 100) / 100;

async function timeIt(times: number, f: () => Promise<void>): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return ms(median(out));
}

/**
 * Median of appending one item + a durable flush (an append to the journal beside the file), then
 * the time to fold the journal into the file (close does it; so does a save once the journal
 * outgrows half the file), the median load time (open + close) and the file size.
 */
async function measure(
  store: NocodoStore,
  file: string,
  append: () => void,
): Promise<{ appendSaveMs: number; appendSaveMinMs: number; appendSaveMaxMs: number; foldMs: number; loadMs: number; fileMB: number }> {
  const samples: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    append();
    await store.flush();
    samples.push(performance.now() - t);
  }
  const t = performance.now();
  await store.close();
  const foldMs = ms(performance.now() - t);
  const loadMs = await timeIt(3, async () => {
    const s = await openStore({ file });
    await s.close();
  });
  return { appendSaveMs: ms(median(samples)), appendSaveMinMs: ms(Math.min(...samples)), appendSaveMaxMs: ms(Math.max(...samples)), foldMs, loadMs, fileMB: mb(statSync(file).size) };
}

const SYSTEM_PROMPTS = Array.from({ length: 6 }, () => text(6000));

function run8k(i: number, shared: boolean): RunRecord {
  return {
    id: `run_${i}`,
    role: 'rustEngineer',
    mode: 'diesel-model-fn',
    sessionId: 'ses_bench',
    baseUrl: 'http://localhost:8080/v1',
    model: 'qwen3.5-0.8b',
    params: { temperature: 0.1, maxTokens: 1024 },
    // ~8 KB of prompt: the mode's system prompt with examples (shared per mode) + the task.
    messages: [
      { role: 'system', content: shared ? SYSTEM_PROMPTS[i % SYSTEM_PROMPTS.length]! : text(6000) },
      { role: 'user', content: text(2000) },
    ],
    raw: text(1000),
    reasoning: text(300),
    diagnostics: [],
    timings: { startedAt: 1_700_000_000_000 + i, totalMs: 2000 },
    outcome: 'ok',
  };
}

const goals: GoalRow[] = [];

async function messageRows(dir: string): Promise<BenchRow[]> {
  const file = path.join(dir, 'messages.sqlite');
  let store = await openStore({ file });
  const session = store.sessions.create({ id: 'ses_bench', title: 'bench' });
  const rows: BenchRow[] = [];
  let have = 0;
  for (const target of [1_000, 10_000, 100_000]) {
    const t = performance.now();
    for (; have < target; have++) store.messages.create({ sessionId: session.id, author: have % 2 ? 'product_owner' : 'user', content: text(300) });
    await store.flush();
    const buildS = Math.round((performance.now() - t) / 100) / 10;
    const current = store;
    const m = await measure(current, file, () => void current.messages.create({ sessionId: session.id, author: 'user', content: text(300) }));
    have += 15;
    const goal = target === 10_000 ? `; goal < 20 ms: ${m.appendSaveMs < 20 ? 'met' : 'NOT met'}` : '';
    rows.push({ case: `${target.toLocaleString('en')} messages`, ...m, note: `built in ${buildS} s${goal}` });
    if (target >= 10_000) {
      goals.push({ goal: 'store: append + durable save < 20 ms', on: `${target.toLocaleString('en')} messages`, median: m.appendSaveMs, min: m.appendSaveMinMs, max: m.appendSaveMaxMs, unit: 'ms', met: m.appendSaveMs < 20 });
      goals.push({ goal: 'store: folding the journal into the file (on close; when it outgrows half the file)', on: `${target.toLocaleString('en')} messages`, median: m.foldMs, unit: 'ms' });
    }
    store = await openStore({ file });
  }
  await store.close();
  return rows;
}

async function runRows(dir: string, shared: boolean): Promise<BenchRow> {
  const file = path.join(dir, `runs-${shared}.sqlite`);
  const store = await openStore({ file });
  for (let i = 0; i < 1000; i++) store.runs.create(run8k(i, shared));
  await store.flush();
  let i = 1000;
  const m = await measure(store, file, () => void store.runs.create(run8k(i++, shared)));
  return { case: `1,000 runs, 8 KB prompts (${shared ? 'system prompt shared per mode' : 'every prompt unique'})`, ...m, note: 'chosen: gzip + content-addressed texts' };
}

/** The decision behind texts.ts: the same 1,000 runs stored three ways, saved the way the store saves. */
async function strategyRows(dir: string): Promise<BenchRow[]> {
  const SQL = await loadSqlJs();
  const rows: BenchRow[] = [];
  for (const shared of [true, false]) {
    const runs = Array.from({ length: 1000 }, (_, i) => run8k(i, shared));
    for (const strategy of ['plain TEXT', 'gzip per row', 'gzip + content-addressed'] as const) {
      const db = new SQL.Database();
      db.exec('CREATE TABLE runs (id TEXT PRIMARY KEY, messages BLOB, raw BLOB); CREATE TABLE texts (key TEXT PRIMARY KEY, gz BLOB)');
      const put = (s: string) => {
        const key = createHash('sha256').update(s).digest('hex');
        db.run('INSERT OR IGNORE INTO texts VALUES (?, ?)', [key, gzipSync(s)]);
        return key;
      };
      const t = performance.now();
      db.exec('BEGIN');
      for (const r of runs) {
        const msgs = JSON.stringify(r.messages);
        if (strategy === 'plain TEXT') db.run('INSERT INTO runs VALUES (?, ?, ?)', [r.id, msgs, r.raw]);
        else if (strategy === 'gzip per row') db.run('INSERT INTO runs VALUES (?, ?, ?)', [r.id, gzipSync(msgs), gzipSync(r.raw)]);
        else db.run('INSERT INTO runs VALUES (?, ?, ?)', [r.id, JSON.stringify(r.messages.map((m) => ({ role: m.role, text: put(m.content) }))), put(r.raw)]);
      }
      db.exec('COMMIT');
      const insertMs = performance.now() - t;
      const file = path.join(dir, 'strategy.sqlite');
      // export() alone is CPU-bound and steady; the full save adds the fsyncs, which vary a lot on shared disks.
      const exportMs = await timeIt(9, async () => void db.export());
      const saveMs = await timeIt(9, () => writeFileAtomic(file, db.export()));
      rows.push({
        case: `strategy: ${strategy} (${shared ? 'shared' : 'unique'} prompts)`,
        appendSaveMs: saveMs,
        loadMs: '',
        fileMB: mb(statSync(file).size),
        note: `export ${exportMs} ms; insert 1,000: ${ms(insertMs)} ms`,
      });
      db.close();
    }
  }
  return rows;
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nocodo-bench-store-'));
  try {
    const rows = [...(await messageRows(dir)), await runRows(dir, true), await runRows(dir, false), ...(await strategyRows(dir))];
    rows.push({
      case: 'decision (src/store/texts.ts)',
      note: 'large texts gzipped in a content-addressed texts table: smallest file and save when runs share a system prompt; ~13% over gzip per row when every prompt is unique',
    });
    return { name: 'store', rows, goals };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
