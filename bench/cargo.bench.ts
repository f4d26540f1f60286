// The compile check's cost on the bakery: the first check of a project (a new shadow copy; the
// dependencies are already built in the shared build folder, as after `.ci/run` or the first use)
// and an incremental one (the same shadow, a different generated function), median of 5 each; and
// the share of a diesel-model-fn generation's wall time the check takes (model stubbed, and with
// a 10 s model answer, typical of a sub-1B model on a laptop CPU).
//   npm run bench -- cargo
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchRow } from './run';
import { registerMarkdownLoader } from './lib/markdown';
import { stubClient } from './lib/stubClient';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number): number => Math.round(ms / 100) / 10;

const answer = (n: number): string => `\`\`\`rust
pub fn bench_count_${n}(conn: &mut PgConnection) -> QueryResult<i64> {
    orders::table.filter(orders::total_cents.gt(${n}i64)).count().get_result(conn)
}
\`\`\``;

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const { createCompileChecker, findCargo } = await import('../src/compile');
  const { sharedTargetDir } = await import('../src/compile/paths');
  const { initRustParser } = await import('../src/rust');
  const { getMode } = await import('../modes');
  const { readTree, MemoryProjectFs } = await import('../src/eval');
  if (!findCargo()) return { name: 'cargo check', rows: [{ measure: 'skipped', note: 'cargo is not installed' }] };
  await initRustParser();
  const files = await readTree(path.join(here, '../test/fixtures/bakery'));
  const mode = getMode('diesel-model-fn')!;
  const cache = mkdtempSync(path.join(tmpdir(), 'nocodo-bench-cargo-'));
  const rows: BenchRow[] = [];
  try {
    const checker = createCompileChecker({ cacheDir: cache, targetDirFor: () => sharedTargetDir() });
    const generate = async (root: string, n: number) => {
      const project = new MemoryProjectFs(root, files);
      const r = await mode.run({ project, struct: 'Order', request: `count orders above ${n} cents` }, { client: stubClient(answer(n)), compile: { checker, setting: 'on' } });
      if (!r.compile?.ok) throw new Error(`the bench answer did not compile: ${r.compile?.skipped ?? r.compile?.errors[0]?.message}`);
      return r;
    };
    const first: number[] = [];
    const incremental: number[] = [];
    const share: number[] = [];
    const share10s: number[] = [];
    for (let i = 0; i < 5; i++) {
      // A new project root is a new shadow folder: the bakery crate is checked from scratch.
      const r = await generate(`/bench/bakery-first-${i}-${Date.now()}`, i);
      first.push(r.timings.compileMs);
    }
    const root = '/bench/bakery-incremental';
    await generate(root, 100);
    for (let i = 0; i < 5; i++) {
      const r = await generate(root, 200 + i);
      incremental.push(r.timings.compileMs);
      share.push(r.timings.compileMs / r.timings.totalMs);
      share10s.push(r.timings.compileMs / (r.timings.totalMs + 10_000));
    }
    rows.push({ measure: 'first check of the bakery (new shadow, dependencies built)', 'median s': s(median(first)), 'min s': s(Math.min(...first)), 'max s': s(Math.max(...first)) });
    rows.push({ measure: 'incremental check (same shadow, another function)', 'median s': s(median(incremental)), 'min s': s(Math.min(...incremental)), 'max s': s(Math.max(...incremental)) });
    rows.push({ measure: 'share of a generation (model stubbed)', 'median %': Math.round(median(share) * 100) });
    rows.push({ measure: 'share of a generation with a 10 s model answer', 'median %': Math.round(median(share10s) * 100) });
    await checker.dispose();
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  return { name: 'cargo check (bakery)', rows };
}
