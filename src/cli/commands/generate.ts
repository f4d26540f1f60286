import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { structuredPatch } from 'diff';
import { applyOps, compileSummary, getMode, listModes, ModeInputError, type CompileStepOptions, type ModeInput, type ModeResult } from '../../../modes';
import { cargoProgressLabel, createCompileChecker, DEFAULT_TIMEOUT_MS, type CompileResult } from '../../compile';
import { defaultCacheDir, sharedTargetDir } from '../../compile/paths';
import type { Diagnostic } from '../../core/diagnostics';
import { NodeProjectFs } from '../../core/projectFs';
import { MODE_DESCRIPTORS, MODE_INPUT_FIELDS, modeDescriptor, type FileChange, type ModeInputField } from '../../domain';
import { createModelClient } from '../../llm';
import { resolveInsideRoot } from '../../proposals/paths';
import { isTsFile, typescriptFor } from '../../proposals/tsxCheck';
import { initRustParser } from '../../rust';
import { apiKeyFrom, CLI_KNOBS, cliLlmConfig, TIMEOUT_OPTIONS, TIMEOUT_USAGE, timeoutSettings } from '../llmOptions';
import { RUSTFMT_USAGE, rustfmtOption, UsageError, type CliCommand, type CliIo } from '../types';
import { writeAllOrNothing, WriteRefused } from '../../proposals/writeFiles';

/** What each input flag means; which modes read it comes from their descriptors. */
const INPUT_FLAGS: Record<ModeInputField, [flag: string, meaning: string]> = {
  file: ['--file <path>', 'File the request is about (project-relative)'],
  struct: ['--struct <name>', 'Target struct'],
  table: ['--table <name>', 'Target table'],
  function: ['--function <name>', 'The function called (a bare name, module::fn or Type::method); handler name(s) to register (a,b)'],
  handler: ['--handler <name>', "The handler's name (kept as given)"],
  route: ['--route <route>', 'A route ("GET /customers/{id}/orders") or a scope ("/api")'],
};

function inputUsage(): string {
  return MODE_INPUT_FIELDS.map((f) => {
    const [flag, meaning] = INPUT_FLAGS[f];
    const users = MODE_DESCRIPTORS.filter((d) => (d.inputs as readonly string[]).includes(f)).map((d) => d.id);
    return `  ${flag.padEnd(17)} ${meaning}\n${' '.repeat(20)}(${users.join(', ')})`;
  }).join('\n');
}

const usage = `Usage: nocodo generate <mode> --prompt "<text>" [options]

Runs one coding mode on a project (Rust backend, Solid frontend) and prints the code and the edits it proposes.
Modes:
${listModes()
  .map((m) => `  ${m.id.padEnd(20)} ${m.description}`)
  .join('\n')}

Options:
  --project <dir>   Project folder (default: the working folder)
${inputUsage()}
  --prompt <text>   What to generate, in your words
  --base-url <url>  OpenAI-compatible server (default: $LLAMA_CPP_BASE_URL or http://localhost:8080/v1)
  --model <name>    Model name (default: $RUST_ENGINEER_MODEL or unsloth/Qwen3.5-0.8B-GGUF)
  --dry-run         Print the prompt and stop; no model is called
  --json            Print {ok, prompt, raw, code, edits, diagnostics, timings, compile} as JSON, also when the mode stops early
  --write           Write the proposed files, all or none, never outside the project
                    (re-applying the edits if a file changed meanwhile)
  --cargo           Also compile the change with \`cargo check\` in a shadow copy (never your files);
                    its errors go into the one re-ask. Build folder: ~/.cache/nocodo/cargo-target
  --cargo-timeout <s>  Longest cargo run, first build of the dependencies included (default 300)
${RUSTFMT_USAGE}
${TIMEOUT_USAGE}
  --debug           Print stack traces of unexpected errors
  -h, --help        Show this help

Exit code: 0 when the result passed every check, 1 when it did not (the reason on one line), 2 for bad usage.`;

/** One line for the terminal: the first error, its list items folded in. */
export function oneLine(ds: readonly Diagnostic[], fallback: string): string {
  const d = ds.find((x) => x.severity === 'error');
  return (d?.message ?? fallback).replace(/\s*\n\s*(?:-\s*)?/g, ' ').trim();
}

/** Line diff as unified hunks (3 lines of context); files too big for the table show a summary. */
export function lineDiff(a: string, b: string, file: string): string {
  const head = `--- ${a ? `a/${file}` : '/dev/null'}\n+++ b/${file}`;
  const lines = (t: string): number => (t ? t.replace(/\n$/, '').split('\n').length : 0);
  // The diff is quadratic at worst: a huge rewrite is summed up instead of stalling the terminal.
  if (lines(a) * lines(b) > 4_000_000) return `${head}\n@@ ${lines(a)} → ${lines(b)} lines @@`;
  const eol = (t: string): string => (t && !t.endsWith('\n') ? `${t}\n` : t);
  const { hunks } = structuredPatch('', '', eol(a), eol(b), undefined, undefined, { context: 3 });
  // Unified diff: an empty side names the line before the hunk (0 at the top of the file).
  const at = (start: number, count: number): string => `${count ? start : start - 1},${count}`;
  return [head, ...hunks.flatMap((h) => [`@@ -${at(h.oldStart, h.oldLines)} +${at(h.newStart, h.newLines)} @@`, ...h.lines])].join('\n');
}

export function writeChanges(root: string, files: readonly FileChange[]): Promise<string[]> {
  return writeAllOrNothing(
    root,
    files.map((f) => ({
      path: f.path,
      // The file changed since the proposal was made: apply the same edits to what is there now.
      text: (current) => {
        if (current === (f.original ?? undefined)) return f.proposed;
        const r = applyOps(current ?? '', f.ops, { file: f.path, ...(isTsFile(f.path) ? { ts: typescriptFor(path.resolve(root, f.path)) } : {}) });
        const errors = r.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length) throw new WriteRefused(`${f.path} changed while the mode ran, and the change no longer fits it: ${errors.map((d) => d.message).join(' ')}`);
        return r.text;
      },
    })),
  );
}

/** The CLI's compile check: shadows in the cache folder, one build folder shared by every project. */
function cliCompileStep(io: CliIo, timeoutMs: number): CompileStepOptions {
  const env = { ...process.env, ...io.env };
  // The shared build folder holds every project's dependencies: no single check clears it.
  const checker = createCompileChecker({ cacheDir: defaultCacheDir(env), targetDirFor: () => sharedTargetDir(env), maxCacheBytes: Infinity, timeoutMs, env, onNotice: (m) => io.stderr(`${m}\n`) });
  const onProgress = io.stderrIsTTY ? (p: { elapsedMs: number }) => io.stderr(`\r\x1b[K${cargoProgressLabel(Math.round(p.elapsedMs / 1000))}`) : undefined;
  return { checker, setting: 'on', ...(onProgress ? { onProgress } : {}) };
}

/** `compile` in the JSON output: what rustc said about the final answer. */
export function compileJson(r: CompileResult | undefined, requested: boolean) {
  if (!r) return { ran: false, ok: false, ms: 0, errors: [], skipped: requested ? 'no change to compile' : 'not requested (--cargo)' };
  return {
    ran: r.ran,
    ok: r.ok,
    ms: Math.round(r.ms),
    errors: r.errors.map((e) => ({ message: e.label ? `${e.message}: ${e.label}` : e.message, line: e.line ?? null, column: e.column ?? null, ...(e.line === undefined && e.file ? { file: e.file, fileLine: e.fileLine ?? null } : {}), ...(e.code ? { code: e.code } : {}) })),
    preExisting: r.preExisting.map((e) => ({ message: e.message, file: e.file ?? null, line: e.fileLine ?? null })),
    summary: compileSummary(r),
    ...(r.skipped ? { skipped: r.skipped } : {}),
    ...(r.cacheBytes !== undefined ? { cacheBytes: r.cacheBytes } : {}),
  };
}

function printResult(io: CliIo, r: ModeResult): void {
  if (r.code) io.stdout(`${r.code}\n\n`);
  for (const f of r.changeSet?.files ?? []) io.stdout(`${lineDiff(f.original ?? '', f.proposed, f.path)}\n\n`);
  for (const d of r.diagnostics) if (d.severity !== 'info') io.stdout(`${d.severity}${d.code ? ` [${d.code}]` : ''}: ${d.message}\n`);
  const t = r.timings;
  io.stdout(`${r.changeSet?.summary ?? (r.ok ? 'done' : 'failed')} (${Math.round(t.totalMs)} ms; model ${Math.round(t.modelMs)} ms${t.modelServerMs !== undefined ? `, of which the server ${Math.round(t.modelServerMs)} ms` : ''})\n`);
  if (r.compile) io.stdout(`cargo check: ${compileSummary(r.compile)} (${(r.compile.ms / 1000).toFixed(1)} s)\n`);
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Run one coding mode (Diesel functions, structs, schema; Actix handlers, routes, middleware; Solid views, stores, routes, DaisyUI styling) on a project',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        project: { type: 'string' },
        file: { type: 'string' },
        struct: { type: 'string' },
        table: { type: 'string' },
        function: { type: 'string' },
        handler: { type: 'string' },
        route: { type: 'string' },
        prompt: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        write: { type: 'boolean', default: false },
        ...TIMEOUT_OPTIONS,
        cargo: { type: 'boolean', default: false },
        'cargo-timeout': { type: 'string' },
        rustfmt: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (!values.json) return generate(values, positionals, io);
    // --json: the JSON result on stdout in every case, a stop before the prompt included.
    const fail = (modeId: string | undefined, diagnostics: Diagnostic[]): void =>
      io.stdout(`${JSON.stringify({ ok: false, mode: modeId ?? null, prompt: null, raw: null, code: null, summary: null, edits: [], diagnostics, timings: null, compile: null }, null, 2)}\n`);
    try {
      return await generate(values, positionals, io, fail);
    } catch (err) {
      const code = err instanceof UsageError ? 'usage' : 'internal-error';
      fail(positionals[0], [{ severity: 'error', code, message: err instanceof Error ? err.message : String(err) }]);
      throw err;
    }
  },
};

/** The values `parseArgs` gives for the options above. */
type GenerateValues = Record<string, string | boolean | undefined> & {
  project?: string;
  file?: string;
  struct?: string;
  table?: string;
  function?: string;
  handler?: string;
  route?: string;
  prompt?: string;
  'base-url'?: string;
  model?: string;
  'dry-run'?: boolean;
  json?: boolean;
  write?: boolean;
  cargo?: boolean;
  'cargo-timeout'?: string;
  rustfmt?: string;
};

async function generate(values: GenerateValues, positionals: string[], io: CliIo, fail?: (modeId: string | undefined, ds: Diagnostic[]) => void): Promise<number> {
  const [modeId, ...extra] = positionals;
  if (!modeId) throw new UsageError('name a mode.');
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}" (quote the --prompt text).`);
  const mode = getMode(modeId);
  if (!mode) throw new UsageError(`unknown mode "${modeId}"; known: ${listModes().map((m) => m.id).join(', ')}.`);
  const request = values.prompt ?? '';
  if (mode.needs.request && !request.trim()) throw new UsageError(`${mode.id} needs --prompt "<what it should do>".`);
  const root = path.resolve(io.cwd, values.project ?? '.');
  const stat = await fsp.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    fail?.(mode.id, [{ severity: 'error', code: 'no-project', message: `project folder ${root} does not exist.` }]);
    io.stderr(`nocodo generate: project folder ${root} does not exist.\n`);
    return 1;
  }
  let file: string | undefined;
  if (values.file) {
    // The request's file must be a project file: never a path that leaves the project.
    const r = await resolveInsideRoot(root, values.file.split(path.sep).join('/'));
    if (!r.ok) {
      fail?.(mode.id, [{ severity: 'error', code: 'unsafe-path', message: `--file ${values.file}: ${r.reason}.` }]);
      io.stderr(`nocodo generate: --file ${values.file}: ${r.reason}.\n`);
      return 1;
    }
    file = r.rel;
  }
  await initRustParser();
  const input: ModeInput = {
    project: new NodeProjectFs(root),
    request,
    ...(file ? { file } : {}),
    ...(values.struct ? { struct: values.struct } : {}),
    ...(values.table ? { table: values.table } : {}),
    ...(values.function ? { function: values.function } : {}),
    ...(values.handler ? { handler: values.handler } : {}),
    ...(values.route ? { route: values.route } : {}),
  };

  if (values['dry-run']) {
    let prompt;
    try {
      prompt = await mode.buildPrompt(input);
    } catch (err) {
      if (!(err instanceof ModeInputError)) throw err;
      fail?.(mode.id, err.diagnostics);
      io.stderr(`nocodo generate: ${oneLine(err.diagnostics, err.message)}\n`);
      return 1;
    }
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, mode: mode.id, prompt }, null, 2)}\n`);
    else if (!prompt.messages.length) io.stdout(`${mode.id} needs no model: its code is generated deterministically (run without --dry-run).\n`);
    else {
      for (const [i, m] of prompt.messages.entries()) {
        // The stable prefix runs through every message before the request (the example turns too).
        const shared = prompt.messages.length > 2 ? ', this message and the example turns before the request' : '';
        const note = i === 0 ? ` (stable prefix: ${prompt.stablePrefixChars} chars${shared})` : '';
        io.stdout(`----- ${m.role}${note} -----\n${m.content}\n`);
      }
    }
    return 0;
  }

  const settings = {
    ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}),
    // The model answers as the mode's role (the Rust or the frontend engineer).
    ...(values.model ? { roles: { [modeDescriptor(mode.id)?.role ?? 'rustEngineer']: { model: values.model } } } : {}),
    timeouts: timeoutSettings(values),
  };
  const config = cliLlmConfig(settings, io.env);
  const apiKey = apiKeyFrom(io.env);
  const client = createModelClient({ config, knobs: CLI_KNOBS, ...(apiKey ? { getApiKey: async () => apiKey } : {}) });
  const timeoutSec = values['cargo-timeout'] === undefined ? DEFAULT_TIMEOUT_MS / 1000 : Number(values['cargo-timeout']);
  if (!(timeoutSec > 0)) throw new UsageError(`--cargo-timeout takes seconds, not "${values['cargo-timeout']}".`);
  const compile = values.cargo ? cliCompileStep(io, timeoutSec * 1000) : undefined;
  const rustfmt = rustfmtOption(values.rustfmt, io.cwd);
  let result: ModeResult;
  try {
    result = await mode.run(input, { client, ...(compile ? { compile } : {}), ...(rustfmt !== undefined ? { rustfmt } : {}) });
  } finally {
    await compile?.checker.dispose();
    if (compile && io.stderrIsTTY) io.stderr('\r\x1b[K');
  }

  if (values.json) {
    const edits = (result.changeSet?.files ?? []).map((f) => ({ path: f.path, original: f.original, proposed: f.proposed, ops: f.ops, diff: lineDiff(f.original ?? '', f.proposed, f.path) }));
    io.stdout(
      `${JSON.stringify({ ok: result.ok, mode: result.mode, prompt: result.prompt, raw: result.raw ?? null, code: result.code ?? null, summary: result.changeSet?.summary ?? null, edits, diagnostics: result.diagnostics, timings: result.timings, compile: compileJson(result.compile, values.cargo === true) }, null, 2)}\n`,
    );
  } else if (result.ok) printResult(io, result);
  if (!result.ok) {
    io.stderr(`nocodo generate: ${oneLine(result.diagnostics, 'the mode failed')}\n`);
    return 1;
  }
  if (values.write && result.changeSet) {
    let written;
    try {
      written = await writeChanges(root, result.changeSet.files);
    } catch (err) {
      if (!(err instanceof WriteRefused)) throw err;
      io.stderr(`nocodo generate: ${err.message}\n`);
      return 1;
    }
    if (!values.json) io.stdout(`Wrote ${written.join(', ')}\n`);
  }
  return 0;
}
