// Runs every bench/*.bench.ts (or those whose file name contains one of the CLI arguments), prints
// a table per bench and all results as JSON, and writes bench/results/<name>.json.
//
// A bench module exports: `async function run(): Promise<BenchResult>`.
//   npm run bench            # all benches
//   npm run bench -- store   # only bench/*store*.bench.ts
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type BenchRow = Record<string, string | number>;
/** One measured goal of issue #18, printed together at the end of the run. */
export interface GoalRow {
  goal: string;
  /** bakery, crates-io (36 tables), synthetic 70 tables, or what else was measured. */
  on: string;
  median: number;
  min?: number;
  max?: number;
  unit: string;
  /** Undefined when the figure has no goal to meet (shown as information). */
  met?: boolean;
}
export interface BenchResult {
  name: string;
  rows: BenchRow[];
  goals?: GoalRow[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

function formatTable(rows: readonly BenchRow[]): string {
  if (rows.length === 0) return '(no rows)';
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const text = (v: string | number | undefined) => (v === undefined ? '' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v);
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[], nums: boolean[]) => cells.map((c, i) => (nums[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join(' | ');
  const numeric = cols.map((c) => rows.every((r) => r[c] === undefined || typeof r[c] === 'number'));
  return [line(cols, numeric.map(() => false)), width.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(cols.map((c) => text(r[c])), numeric))].join('\n');
}

function isBenchResult(v: unknown): v is BenchResult {
  const r = v as BenchResult;
  return typeof r?.name === 'string' && Array.isArray(r.rows);
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) {
    console.error(`No bench files${filters.length ? ` matching ${filters.join(', ')}` : ''} in ${here}.`);
    process.exitCode = 1;
    return;
  }
  const resultsDir = path.join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const all: (BenchResult & { file: string; seconds: number })[] = [];
  let failed = 0;
  for (const file of files) {
    const started = performance.now();
    console.log(`\n▶ ${file}`);
    try {
      const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run?: unknown };
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export async function run()`);
      const result: unknown = await mod.run();
      if (!isBenchResult(result)) throw new Error(`${file}: run() must resolve to { name, rows }`);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      console.log(`\n${result.name} (${seconds} s)\n${formatTable(result.rows)}`);
      writeFileSync(path.join(resultsDir, `${result.name.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify({ ...result, file, seconds, at: new Date().toISOString() }, null, 2) + '\n');
      all.push({ ...result, file, seconds });
    } catch (e) {
      failed++;
      console.error(`✗ ${file}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  const goals = all.flatMap((r) => (r.goals ?? []).map((g) => ({ bench: r.name, ...g })));
  if (goals.length) {
    const n = (v: number | undefined, unit: string) => (v === undefined ? '' : `${Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(unit === '%' || unit === 'ms' ? 1 : 3)} ${unit}`);
    const table = goals.map((g) => ({ goal: g.goal, on: g.on, median: n(g.median, g.unit), min: n(g.min, g.unit), max: n(g.max, g.unit), met: g.met === undefined ? '' : g.met ? 'met' : 'NOT met', bench: g.bench }));
    console.log(`\nGoals (issue #18), ${new Date().toISOString()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs\n${formatTable(table)}`);
  }
  console.log('\nJSON:');
  console.log(JSON.stringify(all, null, 2));
  if (failed) {
    console.error(`${failed} bench file(s) failed.`);
    process.exitCode = 1;
  }
}

void main();
