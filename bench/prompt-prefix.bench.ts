// How much of each prompt is a stable prefix: the part every call of a mode shares in one
// project (system text + examples), which llama.cpp's prompt cache keeps instead of re-reading.
// Prompts are built for every eval task (eval/tasks) without calling a model. Tokens are a
// chars/4 ESTIMATE (no server here; `nocodo eval` counts with the server's own tokenizer).
//   npm run bench -- prompt
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerMarkdownLoader } from './lib/markdown';
import type { BenchResult, BenchRow } from './run';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const est = (chars: number): number => Math.round(chars / 4);

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

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const { getMode } = await import('../modes');
  const { loadTasks, MemoryProjectFs } = await import('../src/eval');
  const { promptText } = await import('../src/llm');
  const tasks = await loadTasks(path.join(ROOT, 'eval/tasks'));

  // One group per mode and project (same system text): that is what one prompt cache serves.
  const groups = new Map<string, { mode: string; projects: Set<string>; prompts: { text: string; stable: number }[] }>();
  for (const t of tasks) {
    const mode = getMode(t.mode);
    if (!mode) continue;
    const p = await mode.buildPrompt({ project: new MemoryProjectFs(`bench:${t.id}`, t.files), request: t.request, ...(t.file ? { file: t.file } : {}), ...(t.struct ? { struct: t.struct } : {}), ...(t.table ? { table: t.table } : {}), ...(t.function ? { function: t.function } : {}), ...(t.route ? { route: t.route } : {}) });
    if (!p.messages.length) continue; // deterministic mode: no prompt at all
    const text = promptText(p.messages);
    const system = text.slice(0, p.stablePrefixChars);
    const crate = /^name\s*=\s*"([^"]+)"/m.exec(t.files.get('Cargo.toml') ?? '')?.[1] ?? t.set;
    const key = `${t.mode}:${createHash('sha1').update(system).digest('hex')}`;
    const g = groups.get(key) ?? { mode: t.mode, projects: new Set<string>(), prompts: [] };
    g.projects.add(crate);
    g.prompts.push({ text, stable: p.stablePrefixChars });
    groups.set(key, g);
  }

  const rows: BenchRow[] = [];
  const totals = new Map<string, { stable: number; all: number; calls: number; variable: number }>();
  for (const g of [...groups.values()].sort((a, b) => a.mode.localeCompare(b.mode) || b.prompts.length - a.prompts.length)) {
    const declared = g.prompts[0]!.stable;
    const shared = commonPrefix(g.prompts.map((p) => p.text));
    const variable = g.prompts.map((p) => p.text.length - p.stable);
    const meanVar = variable.reduce((a, b) => a + b, 0) / variable.length;
    rows.push({
      mode: g.mode,
      // Projects with the same conventions (backend, sync/async) get the same system text.
      projects: [...g.projects].slice(0, 3).join(', ') + (g.projects.size > 3 ? ` +${g.projects.size - 3}` : ''),
      calls: g.prompts.length,
      stableTokensEst: est(declared),
      variableTokensEstMean: est(meanVar),
      variableTokensEstMax: est(Math.max(...variable)),
      stableShare: `${Math.round((declared / (declared + meanVar)) * 100)}%`,
      // The declared prefix must really be common to every call, or the cache would miss.
      prefixVerified: g.prompts.length < 2 ? 'one call only' : shared >= declared && g.prompts.every((p) => p.stable === declared) ? 'yes' : `NO: calls share ${shared} of ${declared} chars`,
    });
    const t = totals.get(g.mode) ?? { stable: 0, all: 0, calls: 0, variable: 0 };
    for (const p of g.prompts) {
      t.stable += p.stable;
      t.all += p.text.length;
      t.variable += p.text.length - p.stable;
      t.calls++;
    }
    totals.set(g.mode, t);
  }
  for (const [mode, t] of totals) {
    rows.push({ mode, projects: 'all', calls: t.calls, stableTokensEst: est(t.stable / t.calls), variableTokensEstMean: est(t.variable / t.calls), stableShare: `${Math.round((t.stable / t.all) * 100)}%` });
  }
  return { name: 'prompt-prefix', rows };
}
