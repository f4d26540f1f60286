// Extension overhead per generation: everything nocodo does around the model call (read the
// project, build the context and prompt, post-process the answer, validate it, build the change
// set) on the bakery, the crates-io corpus project (36 tables) and a synthetic 70-table schema,
// each written to a scratch folder and read from disk as the extension reads a workspace: through
// its cache of files by path, size and mtime (src/core/fileCache.ts). Rows at the end time the
// project read alone with and without that cache.
// The model is a stub that answers after MODEL_MS with a realistic answer; only nocodo's own time
// (total minus the model call) is measured. Real models take seconds: the rustfmt started while
// the model answers (prepareRustfmt) is ready by then, as with the stub's MODEL_MS. Each warm run
// gets a fresh answer (its function or table renamed), so nothing remembered of an earlier answer
// (rustfmt's output, the parsed trees of the edited files) serves it; one column shows the same
// answer proposed again.
//   npm run bench -- overhead
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModeInput, ModeResult } from '../src/pipeline/mode';
import { wideSchema } from '../test/fixtures/wide/wideSchema';
import { registerMarkdownLoader } from './lib/markdown';
import { stubClient } from './lib/stubClient';
import type { BenchResult, BenchRow, GoalRow } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(here, '..');
const WARM_RUNS = 15;
/** The stub model's answer time: far below any real model's, enough for rustfmt to start meanwhile. */
const MODEL_MS = 250;
/** Goal (issue #18): nocodo's own time per warm generation. */
const GOAL_MS = 30;

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)]!;
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

const WIDE_ANSWER = `\`\`\`rust
pub fn count_archived(conn: &mut PgConnection) -> QueryResult<i64> {
    accounts::table.filter(accounts::archived.eq(true)).count().get_result(conn)
}
\`\`\``;

/** The answer with its function or table renamed: the same work, text never seen before. */
function renamed(answer: string, i: number): string {
  return answer.replace(/\bfn\s+(\w+)/, `fn $1_v${i}`).replace(/(table!\s*\{\s*)(\w+)/, `$1$2_v${i}`);
}

interface Case {
  project: string;
  mode: string;
  input: ModeInput;
  answer: string;
}

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const rust = await import('../src/rust');
  const coldParser = !rust.isRustParserReady();
  const t0 = performance.now();
  await rust.initRustParser();
  const parserInitMs = performance.now() - t0;

  const { getMode } = await import('../modes');
  const { loadTasks, loadRecordedSet } = await import('../src/eval');
  const { NodeProjectFs } = await import('../src/core/projectFs');
  const { ProjectFileCache, SETTLED_MS } = await import('../src/core/fileCache');
  const { openProject } = await import('../modes/diesel-common/project');
  const { findRustfmt, forgetFormattedAnswers } = await import('../src/pipeline/rust/rustfmt');
  const { clearParseCache } = await import('../src/rust/parseCache');
  const { clearRustTreeCache } = await import('../src/rust/parser');

  const [crates] = await loadTasks(path.join(ROOT, 'eval/tasks/corpus/find-user-by-login'));
  const [bakery] = await loadTasks(path.join(ROOT, 'eval/tasks/bakery/orders-of-customer'));
  const corpusAnswers = await loadRecordedSet(path.join(ROOT, 'eval/recorded/corpus.json'));
  const bakeryAnswers = await loadRecordedSet(path.join(ROOT, 'eval/recorded/bakery.json'));
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'nocodo-overhead-'));
  const cache = new ProjectFileCache();
  /** The project's files on disk, read as the extension reads a workspace folder (through its file cache). */
  const onDisk = (name: string, files: ReadonlyMap<string, string>): InstanceType<typeof NodeProjectFs> => {
    const root = path.join(scratch, name);
    for (const [rel, text] of files) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    return new NodeProjectFs(root, { cache });
  };
  const cratesFs = onDisk('crates-io', crates!.files);
  const bakeryFs = onDisk('bakery', bakery!.files);
  const wide = wideSchema(70);
  const wideFs = onDisk('wide', new Map(Object.entries(wide.files)));
  // A workspace's files were saved a while ago: the cache trusts a file's stat once it settled.
  await new Promise((r) => setTimeout(r, SETTLED_MS + 100));
  try {
    const cratesInfo = (await openProject(cratesFs)).info;
    const bare = cratesInfo.schema.tables.find((t) => cratesInfo.structsForTable(t.name).length === 0)!;

    const cases: Case[] = [
      { project: 'bakery', mode: 'diesel-model-fn', input: { project: bakeryFs, file: bakery!.file!, struct: bakery!.struct!, request: bakery!.request }, answer: bakeryAnswers.answers['orders-of-customer']!.answer },
      { project: 'crates-io (36 tables)', mode: 'diesel-model-fn', input: { project: cratesFs, file: crates!.file!, struct: crates!.struct!, request: crates!.request }, answer: corpusAnswers.answers['find-user-by-login']!.answer },
      { project: 'synthetic (70 tables)', mode: 'diesel-model-fn', input: { project: wideFs, struct: wide.struct, request: 'Count the archived accounts.' }, answer: WIDE_ANSWER },
      { project: 'crates-io (36 tables)', mode: 'diesel-schema', input: { project: cratesFs, request: 'Badges of a crate: the crate, the badge type and its attributes as JSON.' }, answer: SCHEMA_ANSWER },
      { project: 'crates-io (36 tables)', mode: 'diesel-model-struct', input: { project: cratesFs, table: bare.name, request: '' }, answer: '' },
    ];

    const fmt = findRustfmt() ? `rustfmt ${path.basename(path.dirname(path.dirname(findRustfmt()!)))}` : 'no rustfmt';
    clearParseCache();
    clearRustTreeCache();
    const rows: BenchRow[] = [{ step: coldParser ? 'tree-sitter init (runtime + Rust grammar)' : 'tree-sitter init: already loaded by an earlier bench', coldMs: coldParser ? ms(parserInitMs) : 0 }];
    const goals: GoalRow[] = [];
    let first = true;
    const overhead = (r: ModeResult): number => r.timings.totalMs - r.timings.modelMs;
    for (const c of cases) {
      const mode = getMode(c.mode as Parameters<typeof getMode>[0])!;
      const once = async (answer = c.answer): Promise<ModeResult> => {
        const r = await mode.run({ ...c.input }, { client: stubClient(answer, MODEL_MS) });
        if (!r.ok) throw new Error(`${c.mode} on ${c.project} did not pass: ${r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
        return r;
      };
      const cold = await once();
      const warm: ModeResult[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        forgetFormattedAnswers();
        warm.push(await once(renamed(c.answer, i)));
      }
      const again = await once(); // the same answer once more: rustfmt's result is remembered
      const o = warm.map(overhead);
      const med = (f: (r: ModeResult) => number): number => ms(median(warm.map(f)));
      rows.push({
        step: `${c.mode} on ${c.project}${c.mode === 'diesel-model-fn' ? ` (${fmt})` : ''}${first && coldParser ? '; cold incl. init' : ''}`,
        coldMs: ms(overhead(cold) + (first && coldParser ? parserInitMs : 0)),
        warmMedianMs: ms(median(o)),
        warmMinMs: ms(Math.min(...o)),
        warmMaxMs: ms(Math.max(...o)),
        goal: median(o) < GOAL_MS ? `< ${GOAL_MS} ms: met` : `< ${GOAL_MS} ms: NOT met`,
        sameAnswerMs: ms(overhead(again)),
        contextMs: med((r) => r.timings.contextMs),
        postProcessMs: med((r) => r.timings.postProcessMs),
        validateMs: med((r) => r.timings.validateMs),
      });
      goals.push({ goal: `overhead per generation, warm, < ${GOAL_MS} ms (${c.mode})`, on: c.project, median: ms(median(o)), min: ms(Math.min(...o)), max: ms(Math.max(...o)), unit: 'ms', met: median(o) < GOAL_MS });
      first = false;
    }
    rows.push(...(await rustfmtRows()));
    // The project read alone (openProject: find the crate and schema, read and parse the files),
    // warm, without and with the file cache in turns (paired: the machine's load hits both alike).
    for (const [project, fs] of [['bakery', bakeryFs], ['crates-io (36 tables)', cratesFs], ['synthetic (70 tables)', wideFs]] as const) {
      const ways = [['read every file', new NodeProjectFs(fs.root)], ['file cache (path, size, mtime)', fs]] as const;
      const xs: number[][] = [[], []];
      for (let i = 0; i < WARM_RUNS; i++) {
        for (const [w, [, f]] of ways.entries()) {
          const t = performance.now();
          await openProject(f);
          xs[w]!.push(performance.now() - t);
        }
      }
      for (const [w, [how]] of ways.entries()) rows.push({ step: `project read on ${project}: ${how}`, warmMedianMs: ms(median(xs[w]!)), warmMinMs: ms(Math.min(...xs[w]!)), warmMaxMs: ms(Math.max(...xs[w]!)) });
    }
    const cli = await coldCliRows(path.join(scratch, 'cli'), cratesFs.root, { file: crates!.file!, struct: crates!.struct!, request: crates!.request, answer: corpusAnswers.answers['find-user-by-login']!.answer });
    rows.push(...cli.rows);
    goals.push(...cli.goals);
    const c = cache.stats();
    rows.push({ step: `file cache over the whole bench: ${c.hits} reads answered by the stat, ${c.reads} read (${c.entries} files)` });
    return { name: 'overhead', rows, goals };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The rustfmt options of issue #18, measured on one answer: spawned when the answer arrives, or
 * started while the model answers and waiting on stdin (what the modes do now).
 */
async function rustfmtRows(): Promise<BenchRow[]> {
  const { findRustfmt, forgetFormattedAnswers, prepareRustfmt, rustfmt } = await import('../src/pipeline/rust/rustfmt');
  if (!findRustfmt()) return [{ step: 'rustfmt: not installed, not measured' }];
  const answer = 'pub fn unpaid(conn:&mut PgConnection)->QueryResult<Vec<Invoice>>{invoices::table.filter(invoices::paid.eq(false)).order(invoices::due_date).load(conn)}';
  const time = async (prepare: boolean): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      forgetFormattedAnswers();
      if (prepare) {
        prepareRustfmt({});
        await new Promise((r) => setTimeout(r, MODEL_MS));
      }
      const t = performance.now();
      const r = await rustfmt(answer);
      if (!r.formatted) throw new Error(`rustfmt did not format: ${r.reason}`);
      out.push(performance.now() - t);
    }
    return out;
  };
  const row = (step: string, xs: number[]): BenchRow => ({ step, warmMedianMs: ms(median(xs)), warmMinMs: ms(Math.min(...xs)), warmMaxMs: ms(Math.max(...xs)) });
  return [row('rustfmt alone: spawned when the answer arrives', await time(false)), row(`rustfmt alone: started while the model answers (${MODEL_MS} ms), used now`, await time(true))];
}

const CLI_RUNS = 5;

/**
 * Cold CLI generation (issue #18's table: 874 ms inside the process, 1.85 s wall): `nocodo
 * generate diesel-model-fn` on crates-io in a fresh Node process, the production CLI bundle
 * (minified, wasm beside it), against the fixture model server answering at once. Wall: spawn to
 * exit. Inside the process: Node's clock at exit (from the process's start: Node's own start-up,
 * loading the bundle, tree-sitter, the generation). nocodo's part of the generation itself from
 * the CLI's --json timings (total minus the model call). No goal was set for it.
 */
async function coldCliRows(out: string, project: string, task: { file: string; struct: string; request: string; answer: string }): Promise<{ rows: BenchRow[]; goals: GoalRow[] }> {
  const esbuild = await import('esbuild');
  const { CLI_WASM, cliOptions } = await import('../scripts/lib/bundles.mjs');
  const { startModelServer } = await import('../test/fixtures/model-server/server.mjs');
  mkdirSync(out, { recursive: true });
  const cli = path.join(out, 'cli.js');
  await esbuild.build(cliOptions(ROOT, cli, { production: true, logLevel: 'silent' }));
  for (const [from, name] of CLI_WASM) copyFileSync(path.join(ROOT, from), path.join(out, name));
  const atExit = path.join(out, 'at-exit.cjs');
  writeFileSync(atExit, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(path.join(out, 'uptime'))}, String(performance.now())));\n`);
  const server = await startModelServer({ script: [{ reply: { content: task.answer } }] });
  try {
    const wall: number[] = [];
    const inside: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const args = ['--require', atExit, cli, 'generate', 'diesel-model-fn', '--project', project, '--file', task.file, '--struct', task.struct, '--prompt', task.request, '--base-url', server.baseUrl, '--json'];
      const t = performance.now();
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }, (err, so, se) => (err ? reject(new Error(`nocodo generate failed: ${se.split('\n').find((l) => l.trim()) ?? err.message}`)) : resolve(so))),
      );
      wall.push(performance.now() - t);
      inside.push(Number(readFileSync(path.join(out, 'uptime'), 'utf8')));
      const r = JSON.parse(stdout) as { ok: boolean; timings: { totalMs: number; modelMs: number } };
      if (!r.ok) throw new Error('nocodo generate on crates-io did not pass its checks');
      own.push(r.timings.totalMs - r.timings.modelMs);
    }
    const row = (step: string, xs: number[]): BenchRow => ({ step, coldMs: ms(median(xs)), coldMinMs: ms(Math.min(...xs)), coldMaxMs: ms(Math.max(...xs)) });
    const goal = (what: string, xs: number[]): GoalRow => ({ goal: `cold CLI generation, ${what} (no goal set)`, on: 'crates-io (36 tables)', median: ms(median(xs)), min: ms(Math.min(...xs)), max: ms(Math.max(...xs)), unit: 'ms' });
    return {
      rows: [
        row(`cold CLI generation (nocodo generate, production cli.js, median of ${CLI_RUNS} processes): wall`, wall),
        row('  same: inside the process (Node start to exit)', inside),
        row("  same: nocodo's part of the generation (--json timings: total minus model)", own),
      ],
      goals: [goal('wall', wall), goal('inside the process', inside)],
    };
  } finally {
    await server.close();
  }
}
