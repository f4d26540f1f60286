// Extension overhead per generation: everything nocodo does around the model call (read the
// project, build the context and prompt, post-process the answer, validate it, build the change
// set), on the largest schema in the fixtures: crates.io, 36 tables. The model is a stub that
// answers at once with a recorded, realistic answer, so only nocodo's own time is measured.
//   npm run bench -- overhead
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModeResult } from '../modes';
import { registerMarkdownLoader } from './lib/markdown';
import { stubClient } from './lib/stubClient';
import type { BenchResult, BenchRow } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, '..');
const WARM_RUNS = 20;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
};
const ms = (x: number): number => Math.round(x * 10) / 10;

const SCHEMA_ANSWER = `<think>
Badges belong to a crate: crate_id -> Int4. The kind is text, the attributes are JSON.
</think>

\`\`\`rust
diesel::table! {
    crate_badges (id) {
        id -> Int4,
        crate_id -> Int4,
        badge_type -> Varchar,
        attributes -> Jsonb,
        created_at -> Timestamptz,
    }
}
\`\`\``;

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const rust = await import('../src/rust');
  const coldParser = !rust.isRustParserReady();
  const t0 = performance.now();
  await rust.initRustParser();
  const parserInitMs = performance.now() - t0;

  const { getMode } = await import('../modes');
  const { loadTasks, loadRecordedSet, MemoryProjectFs } = await import('../src/eval');
  const { openProject } = await import('../modes/diesel-common/project');
  const [task] = await loadTasks(path.join(ROOT, 'eval/tasks/corpus/find-user-by-login'));
  const recorded = await loadRecordedSet(path.join(ROOT, 'eval/recorded/corpus.json'));
  const project = new MemoryProjectFs('bench:crates-io', task!.files);
  const info = (await openProject(project)).info;
  const tables = info.schema.tables.length;
  const bare = info.schema.tables.find((t) => info.structsForTable(t.name).length === 0)!;

  const cases = [
    { mode: 'diesel-model-fn', input: { project, file: task!.file!, struct: task!.struct!, request: task!.request }, answer: recorded.answers['find-user-by-login']!.answer },
    { mode: 'diesel-schema', input: { project, request: 'Badges of a crate: the crate, the badge type and its attributes as JSON.' }, answer: SCHEMA_ANSWER },
    { mode: 'diesel-model-struct', input: { project, table: bare.name, request: '' }, answer: '' },
  ] as const;

  const { findRustfmt } = await import('../src/pipeline/rust/rustfmt');
  const fmt = findRustfmt() ? 'rustfmt on' : 'no rustfmt';
  // Cold = first call in this process (the first mode also pays the tree-sitter init); warm = median of WARM_RUNS.
  const rows: BenchRow[] = [{ step: coldParser ? 'tree-sitter init (runtime + Rust grammar)' : 'tree-sitter init: already loaded by an earlier bench', coldMs: coldParser ? ms(parserInitMs) : 0 }];
  let first = true;
  for (const c of cases) {
    const mode = getMode(c.mode)!;
    const client = stubClient(c.answer);
    const once = async (): Promise<ModeResult> => {
      const r = await mode.run({ ...c.input }, { client });
      if (!r.ok) throw new Error(`${c.mode} on crates-io did not pass: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
      return r;
    };
    const cold = await once();
    const warm: ModeResult[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warm.push(await once());
    const overhead = (r: ModeResult): number => r.timings.totalMs - r.timings.modelMs;
    const med = (f: (r: ModeResult) => number): number => ms(median(warm.map(f)));
    rows.push({
      step: `${c.mode} (crates-io, ${tables} tables${c.mode === 'diesel-model-fn' ? `, ${fmt}` : ''}${first && coldParser ? '; cold incl. init' : ''})`,
      coldMs: ms(overhead(cold) + (first && coldParser ? parserInitMs : 0)),
      warmMedianMs: med(overhead),
      warmP95Ms: ms(p95(warm.map(overhead))),
      contextMs: med((r) => r.timings.contextMs),
      promptMs: med((r) => r.timings.promptMs),
      postProcessMs: med((r) => r.timings.postProcessMs),
      validateMs: med((r) => r.timings.validateMs),
      promptChars: cold.prompt.messages.reduce((n, m) => n + m.content.length, 0),
    });
    first = false;
  }
  return { name: 'overhead', rows };
}
