// nocodo's overhead against the model's time, from real-model eval reports (no model runs here):
// every `nocodo eval` JSON report under eval/real/ and eval/results/. Per task, `overheadMs` is
// everything but the model calls (all calls of the task, re-ask included) and `latencyMs` the
// first call's model time, so overhead / latency is an upper bound of the share nocodo adds.
//   npm run bench -- real-model
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchRow, GoalRow } from './run';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIRS = ['eval/real', 'eval/results'];

interface ReportTask {
  taskId: string;
  model: string;
  deterministic?: boolean;
  calls: number;
  latencyMs: number;
  overheadMs: number;
  modelClientMs?: number;
}

function reports(): string[] {
  const out: string[] = [];
  for (const dir of DIRS.map((d) => path.join(ROOT, d)).filter((d) => existsSync(d))) {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.json')) out.push(path.join(e.parentPath, e.name));
    }
  }
  return out.sort();
}

/** The tasks of a `nocodo eval` report that called a model; undefined for other JSON files. */
function modelTasks(file: string): ReportTask[] | undefined {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as { results?: unknown };
    if (!Array.isArray(r.results)) return undefined;
    return (r.results as ReportTask[]).filter((t) => !t.deterministic && typeof t.overheadMs === 'number' && typeof t.latencyMs === 'number' && t.latencyMs > 0);
  } catch {
    return undefined;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (x: number): number => Math.round(x * 1000) / 10;

export function run(): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const ratios: number[] = [];
  for (const file of reports()) {
    const tasks = modelTasks(file);
    if (!tasks?.length) continue;
    for (const t of tasks) {
      const ratio = t.overheadMs / t.latencyMs;
      ratios.push(ratio);
      rows.push({
        report: path.relative(ROOT, file),
        task: t.taskId,
        model: t.model,
        calls: t.calls,
        firstCallModelS: Math.round(t.latencyMs / 100) / 10,
        overheadMs: Math.round(t.overheadMs),
        overheadShare: `${pct(ratio)}%`,
      });
    }
  }
  if (!ratios.length) {
    rows.push({ report: `no real-model eval report with model calls under ${DIRS.join(' or ')}`, task: 'run npm run eval:local (Gemma 3 270M) or nocodo eval --out eval/results/<name>.json' });
    return Promise.resolve({ name: 'real-model', rows });
  }
  const goals: GoalRow[] = [
    {
      goal: "nocodo's overhead / model time (real-model eval; all calls' overhead over the first call's model time)",
      // The reports are listed in the rows above; the goal table names how many.
      on: `${ratios.length} task(s) in ${new Set(rows.map((r) => r.report)).size} report(s) of ${[...new Set(rows.map((r) => r.model))].join(', ')}`,
      median: pct(median(ratios)),
      min: pct(Math.min(...ratios)),
      max: pct(Math.max(...ratios)),
      unit: '%',
    },
  ];
  return Promise.resolve({ name: 'real-model', rows, goals });
}
