// Tables for the README's real-model figures from `nocodo eval --out` reports written in pieces
// (one report per mode, half or task, so a run stopped by a deadline keeps what it finished):
//
//   npx tsx scripts/real-eval-report.ts before=eval/real/gemma-3-270m/baseline after=dir1,dir2 \
//       [--server-log eval/real/gemma-3-270m/server.log[,another.log]] [--load-log load.log]
//
// Each `label=dirs` is one variant (e.g. before/after a grammar); every *.json report under its
// folders counts, a task once per variant (the first report that has it). Prints, per variant,
// the eval's own summary table; per mode and half (tune / holdout, src/eval/split.ts) the stages
// side by side; and, from the embedded runtime's log lines (`nocodo serve` stderr), the prefill
// of a call that found its prompt cold against one that reused the cached prefix; and, from a
// load log (`<ISO time> <load1> <load5> <load15> [rss_MiB name=n ...] [chunk]`, one line a
// minute; when some lines end in `chunk`, only those count: the minutes the run held the machine)
// the time span, the range of the 1-minute load average and the runtimes' largest resident memory.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { summarize, summaryTable, stats } from '../src/eval/report';
import { splitTasks } from '../src/eval/split';
import { loadTasks } from '../src/eval/tasks';
import type { EvalReport, TaskResult } from '../src/eval/types';

const root = path.resolve(__dirname, '..');

function reportFiles(dir: string): string[] {
  // A folder a stopped run never reached counts as empty.
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? reportFiles(p) : f.endsWith('.json') ? [p] : [];
    });
}

function loadVariant(dirs: string[]): TaskResult[] {
  const byTask = new Map<string, TaskResult>();
  for (const file of dirs.flatMap((d) => reportFiles(path.resolve(root, d)))) {
    const report = JSON.parse(readFileSync(file, 'utf8')) as Partial<EvalReport>;
    if (!Array.isArray(report.results)) continue;
    for (const r of report.results) if (!byTask.has(r.taskId)) byTask.set(r.taskId, r);
  }
  return [...byTask.values()];
}

const median = (xs: number[]): number | undefined => stats(xs)?.p50;
const frac = (n: number, of: number): string => `${n}/${of}`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const logAt = args.indexOf('--server-log');
  const serverLog = logAt >= 0 ? args.splice(logAt, 2)[1] : undefined;
  const loadAt = args.indexOf('--load-log');
  const loadLog = loadAt >= 0 ? args.splice(loadAt, 2)[1] : undefined;
  const variants = args.map((a) => {
    const [label, dirs] = a.split('=');
    if (!label || !dirs) throw new Error(`expected label=dir[,dir], not "${a}"`);
    return { label, results: loadVariant(dirs.split(',')) };
  });
  const tune = new Set(splitTasks(await loadTasks(path.join(root, 'eval/tasks')), 'tune').map((t) => t.id));
  const half = (r: TaskResult): string => (tune.has(r.taskId) ? 'tune' : 'holdout');

  for (const v of variants) {
    console.log(`\n### ${v.label}: ${v.results.length} tasks\n`);
    console.log(summaryTable(summarize(v.results), { cargo: false }));
    console.log(`\nTasks: ${v.results.map((r) => `${r.taskId} (${half(r)})`).sort().join(', ')}`);
  }

  // Side by side only on the tasks every variant ran, so a row compares like with like.
  const common = new Set(variants[0]?.results.map((r) => r.taskId).filter((id) => variants.every((v) => v.results.some((r) => r.taskId === id))));
  const modes = [...new Set(variants.flatMap((v) => v.results.filter((r) => common.has(r.taskId)).map((r) => r.mode)))];
  console.log(`\n### per mode and half, on the ${common.size} tasks every variant ran\n`);
  console.log(`| mode | half | ${variants.map((v) => `${v.label}: pass@1 · cleaned · parses · consistent · matches · fixed by re-ask`).join(' | ')} |`);
  console.log(`|---|---|${variants.map(() => '---').join('|')}|`);
  // The last rows add up each half over every mode.
  for (const mode of [...modes, undefined]) {
    for (const h of ['tune', 'holdout']) {
      const cells = variants.map((v) => {
        const rs = v.results.filter((r) => common.has(r.taskId) && (mode === undefined || r.mode === mode) && half(r) === h);
        if (!rs.length) return '–';
        const n = rs.length;
        const count = (f: (r: TaskResult) => boolean): number => rs.filter(f).length;
        return `${frac(count((r) => r.score.pass), n)} · ${frac(count((r) => r.score.cleaned), n)} · ${frac(count((r) => r.score.parses), n)} · ${frac(count((r) => r.score.consistent), n)} · ${frac(count((r) => r.score.matches), n)} · ${count((r) => r.score.fixedByReask)}`;
      });
      if (cells.some((c) => c !== '–')) console.log(`| ${mode ?? '**all**'} | ${h} | ${cells.join(' | ')} |`);
    }
  }

  if (loadLog) {
    const all = readFileSync(path.resolve(root, loadLog), 'utf8')
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f.length >= 4 && !Number.isNaN(Number(f[1])));
    const running = all.filter((f) => f[f.length - 1] === 'chunk');
    const samples = running.length ? running : all;
    if (!samples.length) throw new Error(`${loadLog}: no load samples`);
    const loads = samples.map((f) => Number(f[1]));
    const rss = new Map<string, number>();
    for (const f of samples) for (const m of f.slice(f.indexOf('rss_MiB') + 1).join(' ').matchAll(/(\w+)=(\d+)/g)) if (f.includes('rss_MiB')) rss.set(m[1]!, Math.max(rss.get(m[1]!) ?? 0, Number(m[2])));
    console.log(`\nLoad (${samples.length} samples${running.length ? ' while the run held the machine' : ''}, ${samples[0]![0]} to ${samples[samples.length - 1]![0]}): 1-minute average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, median ${median(loads)?.toFixed(1)}.`);
    if (rss.size) console.log(`Largest resident memory of the runtimes: ${[...rss].map(([k, v]) => `${k} ${v} MiB`).join(', ')}.`);
  }

  if (serverLog) {
    // `answered: prompt 2198 tokens (1997 cached) in 4586 ms, 192 tokens in 110838 ms`
    const logText = serverLog.split(',').map((f) => readFileSync(path.resolve(root, f), 'utf8')).join('\n');
    const calls = [...logText.matchAll(/prompt (\d+) tokens \((\d+) cached\) in (\d+) ms, (\d+) tokens in (\d+) ms/g)].map((m) => ({
      prompt: Number(m[1]),
      cached: Number(m[2]),
      promptMs: Number(m[3]),
      gen: Number(m[4]),
      genMs: Number(m[5]),
    }));
    const cold = calls.filter((c) => c.cached < c.prompt / 2);
    const warm = calls.filter((c) => c.cached >= c.prompt / 2);
    const row = (label: string, cs: typeof calls): string => {
      if (!cs.length) return `| ${label} | 0 | – | – | – | – |`;
      const read = cs.map((c) => c.prompt - c.cached);
      return `| ${label} | ${cs.length} | ${median(cs.map((c) => c.prompt))} | ${median(cs.map((c) => c.cached))} | ${((median(cs.map((c) => c.promptMs)) ?? 0) / 1000).toFixed(1)} s | ${median(cs.map((c, i) => (read[i]! * 1000) / Math.max(1, c.promptMs)))?.toFixed(0)} |`;
    };
    console.log(`\n### prefill (${calls.length} calls in ${serverLog})\n`);
    console.log('| call | calls | prompt tokens (median) | of them cached | prefill time (median) | tokens read/s (median) |');
    console.log('|---|---:|---:|---:|---:|---:|');
    console.log(row('first of its prompt (cold)', cold));
    console.log(row('reusing the cached prefix', warm));
    const gen = calls.filter((c) => c.gen > 0 && c.genMs > 0);
    console.log(`\nGeneration: median ${median(gen.map((c) => (c.gen * 1000) / c.genMs))?.toFixed(1)} tokens/s over ${gen.length} calls (median ${median(gen.map((c) => c.gen))} tokens).`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`real-eval-report: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
