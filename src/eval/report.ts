import { MODE_IDS } from '../domain';
import type { EvalReport, Stats, SummaryRow, TaskResult } from './types';

/** Aggregates and renders eval results: per model × mode rows, a Markdown report. */

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function stats(values: readonly number[]): Stats | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

const mean = (xs: readonly number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

function row(model: string, mode: string, rs: readonly TaskResult[]): SummaryRow {
  const count = (f: (r: TaskResult) => boolean): number => rs.filter(f).length;
  const passed = count((r) => r.score.pass);
  const withPrompt = rs.filter((r) => r.promptTokens);
  const stable = withPrompt.reduce((a, r) => a + r.promptTokens!.stable, 0);
  const variable = withPrompt.reduce((a, r) => a + r.promptTokens!.variable, 0);
  const latency = stats(rs.map((r) => r.latencyMs));
  const tps = mean(rs.map((r) => r.tokensPerSecond).filter((x): x is number => x !== undefined));
  return {
    model,
    mode,
    tasks: rs.length,
    passed,
    pass1: rs.length ? passed / rs.length : 0,
    cleaned: count((r) => r.score.cleaned),
    parses: count((r) => r.score.parses),
    consistent: count((r) => r.score.consistent),
    matches: count((r) => r.score.matches),
    fixedByReask: count((r) => r.score.fixedByReask),
    falseRejects: count((r) => r.score.falseReject),
    acceptedNotCompiling: count((r) => r.score.acceptedNotCompiling),
    cargo: { pass: count((r) => r.score.cargo === 'pass'), fail: count((r) => r.score.cargo === 'fail'), skipped: count((r) => r.score.cargo === 'skipped') },
    render: { pass: count((r) => r.score.render === 'pass'), fail: count((r) => r.score.render === 'fail'), skipped: count((r) => r.score.render === 'skipped') },
    ...(latency ? { latencyMs: latency } : {}),
    ...(withPrompt.length ? { stableTokens: stable / withPrompt.length, variableTokens: variable / withPrompt.length, stableShare: stable + variable ? stable / (stable + variable) : 0 } : {}),
    ...(tps !== undefined ? { tokensPerSecond: tps } : {}),
  };
}

const modeOrder = (m: string): number => {
  const i = (MODE_IDS as readonly string[]).indexOf(m);
  return i < 0 ? MODE_IDS.length : i;
};

/** One row per model × mode (modes in registry order), then one `all` row per model. */
export function summarize(results: readonly TaskResult[]): SummaryRow[] {
  const models = [...new Set(results.map((r) => r.model))];
  const out: SummaryRow[] = [];
  for (const model of models) {
    const mine = results.filter((r) => r.model === model);
    const modes = [...new Set(mine.map((r) => r.mode))].sort((a, b) => modeOrder(a) - modeOrder(b) || a.localeCompare(b));
    for (const mode of modes) out.push(row(model, mode, mine.filter((r) => r.mode === mode)));
    out.push(row(model, 'all', mine));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const frac = (n: number, of: number): string => `${n}/${of}`;
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const num = (x: number | undefined, digits = 0): string => (x === undefined ? '–' : x.toFixed(digits));
/** Table cells must not break the table. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function summaryTable(rows: readonly SummaryRow[], opts: { cargo: boolean; render?: boolean }): string {
  const head = ['model', 'mode', 'tasks', 'pass@1', 'cleaned', 'parses', 'schema-consistent', 'matches', 'fixed by re-ask', 'false rejects', ...(opts.cargo ? ['cargo check', 'accepted, not compiling'] : []), ...(opts.render ? ['vite build + render'] : []), 'latency mean / p50 / p95', 'prompt tokens stable + variable', 'stable share', 'tokens/s'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((h, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) {
    const l = r.latencyMs;
    lines.push(
      `| ${[
        cell(r.model),
        r.mode === 'all' ? '**all**' : r.mode,
        String(r.tasks),
        `**${pct(r.pass1)}** (${frac(r.passed, r.tasks)})`,
        frac(r.cleaned, r.tasks),
        frac(r.parses, r.tasks),
        frac(r.consistent, r.tasks),
        frac(r.matches, r.tasks),
        String(r.fixedByReask),
        String(r.falseRejects),
        ...(opts.cargo ? [`${r.cargo.pass} ok, ${r.cargo.fail} failed, ${r.cargo.skipped} skipped`, String(r.acceptedNotCompiling)] : []),
        ...(opts.render ? [`${r.render.pass} ok, ${r.render.fail} failed, ${r.render.skipped} skipped`] : []),
        l ? `${ms(l.mean)} / ${ms(l.p50)} / ${ms(l.p95)}` : '–',
        r.stableTokens !== undefined ? `${num(r.stableTokens)} + ${num(r.variableTokens)}` : '– (no model)',
        r.stableShare !== undefined ? pct(r.stableShare) : '–',
        num(r.tokensPerSecond, 1),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function stageOf(r: TaskResult): string {
  const s = r.score;
  if (s.pass) return s.matchedBy === 'reference' ? 'pass (same tree as reference)' : 'pass (checks)';
  if (!s.cleaned) return 'post-processing';
  if (!s.parses) return 'parse';
  if (!s.consistent) return s.falseReject ? 'validation (false reject)' : 'validation';
  if (s.cargo === 'fail') return 'cargo check';
  if (!s.matches) return 'reference/checks';
  if (s.render === 'fail') return 'vite build / render';
  return 'cargo check';
}

export function renderMarkdown(report: EvalReport): string {
  const cargoUsed = report.results.some((r) => r.score.cargo !== 'not-run');
  const renderUsed = report.render !== undefined;
  const out: string[] = [];
  out.push('# nocodo eval', '');
  out.push(`- Server: ${report.baseUrl}`);
  out.push(`- Models: ${report.models.join(', ')}`);
  out.push(`- Tasks: ${new Set(report.results.map((r) => r.taskId)).size} from ${report.sets.join(', ')} (${report.tasksDir})`);
  out.push(`- Prompt tokens: ${report.tokenCount}`);
  out.push(`- cargo check: ${report.cargo}`);
  if (renderUsed) out.push(`- vite build + render in Chromium against the task's backend: ${report.render}`);
  out.push(`- Run: ${report.startedAt} → ${report.finishedAt}`);
  if (report.skipped.length) out.push(`- Skipped: ${report.skipped.map((s) => `${s.taskId} (${s.reason})`).join('; ')}`);
  out.push('', '## Scores', '');
  out.push(summaryTable(report.summary, { cargo: cargoUsed, render: renderUsed }));
  out.push(
    '',
    'pass@1: the FIRST answer was cleaned, parses, passed validation against the project and matched the reference (same normalised syntax tree) or every listed check' +
      (cargoUsed ? ', and `cargo check` did not fail' : '') +
      (renderUsed ? ', and for Solid tasks with a render spec, `vite build` of the frontend with the answer passed and its page, opened in headless Chromium against the task\'s running backend (seeded PostgreSQL), showed the rows (a form: its submit stored the row)' : '') +
      '. "false rejects": first answers with the same syntax tree as the reference that validation rejected (a right answer thrown away; goal 0)' +
      (cargoUsed ? '; "accepted, not compiling" (false accepts): answers validation accepted whose change fails `cargo check` (the compile step catches them and re-asks). With --cargo every answer with a change is compiled, rejected ones too, and a rejected one rustc compiles is a false reject as well' : '') +
      '. "fixed by re-ask": failed at first, passed after nocodo fed the problems back once. Latency is per first answer (whole generation for deterministic modes). Stable share: prompt tokens in the prefix every call of the mode shares (llama.cpp reuses its KV cache for them).',
  );
  out.push('', '## Tasks', '');
  out.push('| task | mode | model | result | why |', '|---|---|---|---|---|');
  for (const r of report.results) {
    out.push(`| ${cell(r.taskId)} | ${r.mode} | ${cell(r.model)} | ${r.score.pass ? '✅' : r.score.fixedByReask ? '🔁' : '❌'} ${stageOf(r)} | ${cell(r.score.failure ?? (r.score.render === 'pass' ? `rendered: ${r.score.renderDetail ?? ''}` : ''))} |`);
  }
  return `${out.join('\n')}\n`;
}

/** A few lines for the terminal after the run. */
export function renderConsoleSummary(report: EvalReport): string {
  const lines: string[] = [];
  for (const r of report.summary) {
    const l = r.latencyMs;
    lines.push(
      `${r.model}  ${r.mode.padEnd(20)} pass@1 ${pct(r.pass1).padStart(4)} (${frac(r.passed, r.tasks)})` +
        (l ? `  latency p50 ${ms(l.p50)}` : '') +
        (r.stableShare !== undefined ? `  stable prefix ${pct(r.stableShare)}` : '') +
        `  false rejects ${r.falseRejects}` +
        (r.cargo.pass + r.cargo.fail ? `  accepted, not compiling ${r.acceptedNotCompiling}` : '') +
        (r.render.pass + r.render.fail + r.render.skipped ? `  rendered ${r.render.pass}, render failed ${r.render.fail}, skipped ${r.render.skipped}` : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
