import { emptyTimings, getMode as defaultGetMode, type Mode, type ModeInput, type ModeResult } from '../../modes';
import { diag } from '../core/diagnostics';
import { createModelClient, promptText, resolveLlmConfig, type Knobs, type ModelClient, type Timeouts } from '../llm';
import { initRustParser } from '../rust';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';
import type { CompileStepOptions } from '../../modes';
import { harnessChecker } from './harness';
import { MemoryProjectFs } from './project';
import { summarize } from './report';
import type { RenderStep } from './render';
import { firstAnswer, scoreResult } from './score';
import { createTokenCounter, tokenCountLabel, type TokenCounter } from './tokens';
import { isTsxMode } from './tsx';
import { MODEL_FREE_MODES, type EvalReport, type EvalTask, type PromptTokens, type TaskResult } from './types';

/**
 * Runs every task with every model through the real modes (context → prompt → model → post-
 * processing → validation, re-ask included) and scores the first answers.
 */

/** The eval itself could not run (server unreachable, unknown model): not a task failure. */
export class EvalHarnessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalHarnessError';
  }
}

export type ProgressEvent =
  | { type: 'task-start'; index: number; total: number; taskId: string; model: string }
  | { type: 'task-done'; index: number; total: number; taskId: string; model: string; result: TaskResult };

export interface EvalOptions {
  tasks: readonly EvalTask[];
  /** Shown in the report. */
  tasksDir: string;
  baseUrl: string;
  models: readonly string[];
  /** Only tasks of these modes (default: all). */
  modes?: readonly string[];
  /** Set to compile-check every answer (the modes' own compile step; see evalCompileStep). */
  cargo?: CompileStepOptions;
  /** Set to build and render the Solid answers in Chromium against the task's backend (createRenderStep). */
  render?: RenderStep;
  apiKey?: string;
  /** Cap on answer tokens for every call (default: the role's setting). */
  maxTokens?: number;
  /** Repeat penalty for every call (default: the role's setting; 1 = off). */
  repeatPenalty?: number;
  /** How the modes format Rust answers (`--rustfmt`; default: rustfmt on PATH or in ~/.cargo/bin). */
  rustfmt?: RustfmtSetting;
  /** Timeouts that replace the defaults (the CLI's flags). */
  timeouts?: Partial<Timeouts>;
  /** How messages name what the user can change (the CLI's flags). */
  knobs?: Knobs;
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: (e: ProgressEvent) => void;
  /** Mode lookup (default: the registry in modes/index.ts). */
  getMode?: (id: string) => Mode | undefined;
  /** Model client per model (default: the real client for `baseUrl`). */
  clientFor?: (model: string) => ModelClient;
  signal?: AbortSignal;
  /**
   * Results of an earlier, stopped run of the same eval (`nocodo eval --resume`): a task already
   * scored for a model is kept as it was and not asked again.
   */
  previous?: Pick<EvalReport, 'startedAt' | 'results'>;
  /** Start no new task once this many ms have passed (a chunk of a long run); the rest is left for a resume. */
  stopAfterMs?: number;
  /** The report so far after every task, so a run that is stopped or killed loses at most one task. */
  onReport?: (report: EvalReport) => Promise<void> | void;
  /** Clock for stopAfterMs (tests). */
  now?: () => number;
}

/** Model errors that mean the harness cannot go on (nothing any later task could do better). */
const FATAL = new Set(['model-unreachable', 'model-model-not-found', 'model-auth', 'model-loading']);

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

function clientFactory(opts: EvalOptions): (model: string) => ModelClient {
  if (opts.clientFor) return opts.clientFor;
  return (model) => {
    // The Solid modes answer as the frontend engineer: the same model under test.
    const role = { model, ...(opts.maxTokens ? { maxTokens: opts.maxTokens } : {}), ...(opts.repeatPenalty !== undefined ? { repeatPenalty: opts.repeatPenalty } : {}) };
    const config = resolveLlmConfig({ baseUrl: opts.baseUrl, timeouts: opts.timeouts ?? {}, roles: { rustEngineer: role, frontendEngineer: role } }, opts.env ?? {});
    if (config.problems.length) throw new EvalHarnessError(config.problems[0]!);
    return createModelClient({ config, ...(opts.knobs ? { knobs: opts.knobs } : {}), ...(opts.apiKey ? { getApiKey: async () => opts.apiKey } : {}) });
  };
}

async function promptTokens(result: ModeResult, counter: TokenCounter): Promise<PromptTokens | undefined> {
  const { messages, stablePrefixChars } = result.prompt;
  if (!messages.length) return undefined;
  const text = promptText(messages);
  return { stable: await counter.count(text.slice(0, stablePrefixChars)), variable: await counter.count(text.slice(stablePrefixChars)) };
}

async function runTask(task: EvalTask, mode: Mode, model: string, client: ModelClient, opts: EvalOptions, counter: TokenCounter): Promise<TaskResult> {
  const input: ModeInput = {
    // TSX checks need the frontend's installed packages: its project root is the fixture on disk (files still come from memory).
    project: new MemoryProjectFs(isTsxMode(task.mode) && task.fixtureDir ? task.fixtureDir : `eval:${task.id}`, task.files),
    request: task.request,
    taskId: task.id,
    ...(task.file ? { file: task.file } : {}),
    ...(task.struct ? { struct: task.struct } : {}),
    ...(task.table ? { table: task.table } : {}),
    ...(task.function ? { function: task.function } : {}),
    ...(task.handler ? { handler: task.handler } : {}),
    ...(task.route ? { route: task.route } : {}),
  };
  let result: ModeResult;
  // Fragments (corpus files) cannot build on their own: compiled in their harness crate, or not at all.
  const compile = !opts.cargo ? {} : task.harness ? { compile: { ...opts.cargo, checker: harnessChecker(opts.cargo.checker, task.harness) } } : task.cargo ? { compile: opts.cargo } : {};
  try {
    result = await mode.run(input, { client, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.rustfmt !== undefined ? { rustfmt: opts.rustfmt } : {}), ...compile });
  } catch (err) {
    // A mode that throws is a nocodo bug: a finding for this task, not the end of the run.
    const message = err instanceof Error ? err.message : String(err);
    result = {
      mode: task.mode,
      ok: false,
      prompt: { messages: [], stablePrefixChars: 0 },
      diagnostics: [diag('error', 'mode-crashed', `The mode crashed: ${message}`)],
      runs: [],
      timings: emptyTimings(),
      deterministic: false,
    };
  }
  const fatal = result.diagnostics.find((d) => d.code && FATAL.has(d.code));
  if (fatal) throw new EvalHarnessError(oneLine(fatal.message));

  const score = scoreResult(task, result);
  if (opts.cargo && !task.cargo && !task.harness) score.cargoDetail = 'not run: the task project is a fragment that cannot build on its own';
  if (opts.render && task.render) await renderScore(task, result, score, opts.render);
  const run = result.runs[0];
  const errors = (run?.diagnostics ?? result.diagnostics).filter((d) => d.severity === 'error').map((d) => oneLine(d.message));
  return {
    taskId: task.id,
    set: task.set,
    mode: task.mode,
    model,
    request: task.request,
    deterministic: result.deterministic,
    score,
    calls: result.runs.length,
    latencyMs: run ? run.timings.totalMs : result.timings.totalMs,
    ...(run?.timings.firstTokenMs !== undefined ? { firstTokenMs: run.timings.firstTokenMs } : {}),
    ...(run?.timings.tokensPerSecond !== undefined ? { tokensPerSecond: run.timings.tokensPerSecond } : {}),
    ...(run?.usage?.completionTokens !== undefined ? { completionTokens: run.usage.completionTokens } : {}),
    ...(await promptTokens(result, counter).then((p) => (p ? { promptTokens: p } : {}))),
    overheadMs: Math.max(0, result.timings.totalMs - result.timings.modelMs),
    ...(result.timings.modelServerMs !== undefined ? { modelClientMs: Math.max(0, Math.round(result.timings.modelMs - result.timings.modelServerMs)) } : {}),
    ...(result.timings.compileMs ? { compileMs: Math.round(result.timings.compileMs) } : {}),
    ...(run ? { answer: run.raw } : {}),
    ...(run?.extracted !== undefined ? { code: run.extracted } : result.deterministic && result.code !== undefined ? { code: result.code } : {}),
    errors,
  };
}

/**
 * --render: a Solid answer that passed everything else is built with Vite and shown in Chromium
 * against the task's running backend; a page without its rows fails the task. An answer fixed by
 * the re-ask is rendered too, and only counts as fixed when its page works.
 */
async function renderScore(task: EvalTask, result: ModeResult, score: TaskResult['score'], render: RenderStep): Promise<void> {
  const first = firstAnswer(result);
  const which = score.pass && first.changeSet ? { changeSet: first.changeSet, label: '' } : score.fixedByReask && result.changeSet ? { changeSet: result.changeSet, label: 'the re-asked answer: ' } : undefined;
  if (!which) {
    score.render = 'not-run';
    score.renderDetail = 'not rendered: the answer failed before';
    return;
  }
  const r = await render.render(task, which.changeSet);
  score.render = r.outcome;
  score.renderDetail = `${which.label}${r.detail}`;
  if (r.outcome !== 'fail') return;
  if (score.pass) {
    score.pass = false;
    score.failure = `render failed: ${r.detail}`;
  } else score.fixedByReask = false;
}

export async function runEval(opts: EvalOptions): Promise<EvalReport> {
  const startedAt = new Date().toISOString();
  if (!opts.models.length) throw new EvalHarnessError('Name at least one model.');
  await initRustParser();
  const getMode = opts.getMode ?? defaultGetMode;
  const skipped: EvalReport['skipped'] = [];
  const tasks: { task: EvalTask; mode: Mode }[] = [];
  for (const task of opts.tasks) {
    if (opts.modes?.length && !opts.modes.includes(task.mode)) continue;
    const mode = getMode(task.mode);
    if (!mode) skipped.push({ taskId: task.id, reason: `mode ${task.mode} is not implemented yet` });
    else tasks.push({ task, mode });
  }
  if (!tasks.length) throw new EvalHarnessError(`No task to run${opts.modes?.length ? ` for mode ${opts.modes.join(', ')}` : ''}${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]!.reason})` : ''}.`);

  const makeClient = clientFactory(opts);
  const clients = new Map(opts.models.map((m) => [m, makeClient(m)]));
  const now = opts.now ?? Date.now;
  const began = now();
  // Earlier results count only for the tasks and models of this run (a resume may narrow it).
  const key = (taskId: string, model: string): string => `${model}\u0000${taskId}`;
  const wanted = new Set(opts.models.flatMap((m) => tasks.map((t) => key(t.task.id, m))));
  const results: TaskResult[] = (opts.previous?.results ?? []).filter((r) => wanted.has(key(r.taskId, r.model)));
  const have = new Set(results.map((r) => key(r.taskId, r.model)));
  const todo = opts.models.flatMap((model) => tasks.filter((t) => !have.has(key(t.task.id, model))).map((t) => ({ ...t, model })));
  // Fail before the first task when the server is not there: one clear line instead of N failures.
  const needsModel = todo.some((t) => !MODEL_FREE_MODES.has(t.task.mode));
  if (needsModel) {
    const state = await clients.get(opts.models[0]!)!.health('rustEngineer');
    if (state.kind !== 'ready') throw new EvalHarnessError(state.detail.includes(opts.baseUrl) ? oneLine(state.detail) : `the model server at ${opts.baseUrl} is not usable: ${oneLine(state.detail)}`);
  }

  const counter = createTokenCounter(needsModel ? opts.baseUrl : undefined, { models: opts.models, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
  const report = (unfinished: number): EvalReport => {
    const cargoReason = opts.cargo?.checker.unavailable();
    return {
      version: 1,
      startedAt: opts.previous?.startedAt ?? startedAt,
      finishedAt: new Date().toISOString(),
      baseUrl: opts.baseUrl,
      models: [...opts.models],
      tasksDir: opts.tasksDir,
      sets: [...new Set(tasks.map((t) => t.task.set))],
      tokenCount: tokenCountLabel(counter.sources()),
      cargo: !opts.cargo ? 'not requested (--cargo)' : cargoReason ? `skipped: ${cargoReason}` : 'used',
      ...(opts.render ? { render: opts.render.unavailable() ? `skipped: ${opts.render.unavailable()}` : 'used' } : {}),
      skipped,
      ...(unfinished ? { unfinished } : {}),
      summary: summarize(results),
      results: [...results],
    };
  };

  const total = todo.length;
  let index = 0;
  for (const { task, mode, model } of todo) {
    if (opts.stopAfterMs !== undefined && now() - began >= opts.stopAfterMs) break;
    index++;
    opts.onProgress?.({ type: 'task-start', index, total, taskId: task.id, model });
    const result = await runTask(task, mode, model, clients.get(model)!, opts, counter);
    results.push(result);
    opts.onProgress?.({ type: 'task-done', index, total, taskId: task.id, model, result });
    await opts.onReport?.(report(total - index));
  }
  return report(total - index);
}
