import { diag, hasErrors, type Diagnostic } from '../core/diagnostics';
import type { ChangeSet, ModeId, RunMessage, RunRecord } from '../domain';
import { modeDescriptor } from '../domain';
import type { ModelRole } from '../domain/roles';
import { languageOf, RUST_LANGUAGE } from './language';
import { isModelError } from '../llm/errors';
import type { CompileResult } from '../compile';
import { compileDiagnostics, compileRecord, runCompileStep, withCompileNote } from './compileStep';
import { checkCodeLimits, DEFAULT_MAX_CODE_LINES, readingAnswer } from './answerLimits';
import { prepareRustfmt } from './rust/rustfmt';
import { StepTimeoutError, withinLimit } from '../core/timeLimit';
import { stepLimits, type BuiltPrompt, type ModeInput, type ModeResult, type ModeRunOptions, type ModeTimings } from './mode';

/**
 * The shared pipeline of every model-backed mode: context → prompt → model → post-processing →
 * validation → change set, with timings. An answer that fails post-processing or validation gets
 * ONE re-ask carrying the diagnostics and the previous answer; if that fails too the result is
 * `ok: false` with the diagnostics — never a change set built from a bad answer.
 */

export interface Processed {
  /** The artifact after post-processing (undefined when nothing usable was found). */
  code?: string;
  /** File-level `use` paths the artifact needs (computed, never copied blindly from the answer). */
  uses?: string[];
  diagnostics: Diagnostic[];
}

export interface Checked {
  diagnostics: Diagnostic[];
  changeSet?: ChangeSet;
  /** The change the artifact would make although validation rejected it (the eval compiles it to find false rejects). */
  draft?: ChangeSet;
}

export interface ModelModeSpec<C> {
  mode: ModeId;
  /** Reads the project; returns the context or the reason it cannot run. */
  prepare(input: ModeInput): Promise<{ ctx: C; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }>;
  prompt(ctx: C, input: ModeInput): BuiltPrompt;
  /** Cleans the answer into the artifact; `run` carries the run's options (the formatter among them). */
  postProcess(answer: { content: string; reasoning: string }, ctx: C, input: ModeInput, run: ModeRunOptions): Promise<Processed>;
  /** Validates the artifact against the project and builds the change set when it is clean; `run` carries the Stop signal and the type check's limit. */
  check(processed: Processed & { code: string }, ctx: C, input: ModeInput, run: ModeRunOptions): Promise<Checked>;
  /**
   * GBNF the answer must follow (constrained decoding on llama.cpp servers), e.g. one `fn` item;
   * a function when the grammar depends on the project (the backend's SQL types, the component's name).
   */
  grammar?: string | ((ctx: C, input: ModeInput) => string | undefined);
  /** The model role that answers (default: the mode descriptor's role). */
  role?: ModelRole;
  /** Last line of the re-ask (default: the mode language's, src/pipeline/language.ts). */
  answerInstruction?: string;
  /** Post-processing formats the answer with rustfmt: one is started while the model answers (see prepareRustfmt). */
  formatter?: 'rustfmt';
  /** Longest extracted code accepted, in lines (default DEFAULT_MAX_CODE_LINES). */
  maxCodeLines?: number;
}

/** A mode cannot start: the input names a missing struct/table, the project has no schema, … */
export class ModeInputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join(' ') || 'The mode cannot run on this input.');
    this.name = 'ModeInputError';
  }
}

const now = (): number => performance.now();

export function emptyTimings(): ModeTimings {
  return { contextMs: 0, promptMs: 0, modelMs: 0, postProcessMs: 0, validateMs: 0, compileMs: 0, totalMs: 0 };
}

export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `- ${d.message}${d.line ? ` (line ${d.line})` : ''}`).join('\n');
}

/** The re-ask: the same conversation, the previous answer, and what was wrong with it. */
export function reaskMessages(prompt: BuiltPrompt, previous: string, problems: readonly Diagnostic[], what = 'function', instruction = RUST_LANGUAGE.answerInstruction): RunMessage[] {
  return [
    ...prompt.messages,
    { role: 'assistant', content: previous.trim() || '(empty answer)' },
    {
      role: 'user',
      content: `Your answer cannot be used:\n${formatDiagnostics(problems)}\nWrite the whole corrected ${what} again, ${instruction}\nAnswer:`,
    },
  ];
}

/** The prompt a model mode would send, or a ModeInputError saying why it cannot start. */
export async function promptFor<C>(spec: ModelModeSpec<C>, input: ModeInput): Promise<BuiltPrompt> {
  const prep = await spec.prepare(input);
  if (!('ctx' in prep)) throw new ModeInputError(prep.diagnostics);
  return spec.prompt(prep.ctx, input);
}

/** Result builder of the deterministic modes (no prompt, no model runs); stamps the total time. */
export function deterministicResult(mode: ModeId, t0: number, timings: ModeTimings) {
  return (r: Omit<ModeResult, 'mode' | 'prompt' | 'runs' | 'timings' | 'deterministic'>): ModeResult => {
    timings.totalMs = now() - t0;
    return { mode, prompt: { messages: [], stablePrefixChars: 0 }, runs: [], timings, deterministic: true, ...r };
  };
}

const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

export async function runModelMode<C>(spec: ModelModeSpec<C>, input: ModeInput, opts: ModeRunOptions, what = 'function'): Promise<ModeResult> {
  const timings = emptyTimings();
  const t0 = now();
  let lastCompile: CompileResult | undefined;
  const finish = (r: Omit<ModeResult, 'timings' | 'mode' | 'deterministic'>): ModeResult => {
    timings.totalMs = now() - t0;
    return { mode: spec.mode, deterministic: false, timings, ...(lastCompile ? { compile: lastCompile } : {}), ...r };
  };

  const limits = stepLimits(opts);
  const trace = (message: string): void => opts.trace?.(`${spec.mode}: ${message}`);
  const ms = (since: number): string => `${Math.round(now() - since)} ms`;

  let t = now();
  // A step that hangs throws a StepTimeoutError naming it: nothing was asked yet, nothing is lost.
  const prep = await withinLimit(`Reading the project${input.file ? ` (${input.file})` : ''}`, spec.prepare(input), limits.contextMs);
  timings.contextMs = now() - t;
  trace(`context read in ${ms(t)}${'ctx' in prep ? '' : ' (the input does not suit the mode)'}`);
  if (!('ctx' in prep)) return finish({ ok: false, prompt: { messages: [], stablePrefixChars: 0 }, diagnostics: prep.diagnostics, runs: [] });
  const { ctx } = prep;
  t = now();
  const prompt = spec.prompt(ctx, input);
  const grammar = typeof spec.grammar === 'function' ? spec.grammar(ctx, input) : spec.grammar;
  timings.promptMs = now() - t;

  const runs: RunRecord[] = [];
  let messages = prompt.messages;
  let parentRunId: string | undefined;
  let last: { raw: string; code?: string; diagnostics: Diagnostic[]; changeSet?: ChangeSet } = { raw: '', diagnostics: [] };

  for (let attempt = 1; attempt <= 2; attempt++) {
    t = now();
    let content: string;
    let reasoning: string;
    let run: RunRecord;
    if (spec.formatter === 'rustfmt') prepareRustfmt(opts.rustfmt);
    trace(`model call ${attempt} started`);
    try {
      const res = await opts.client.chat({
        role: spec.role ?? modeDescriptor(spec.mode)?.role ?? 'rustEngineer',
        messages,
        mode: spec.mode,
        ...(input.taskId ? { taskId: input.taskId } : {}),
        ...(parentRunId ? { parentRunId } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onDelta ? { onDelta: opts.onDelta } : {}),
        stablePrefixChars: prompt.stablePrefixChars,
        ...(grammar ? { grammar } : {}),
      });
      ({ content, reasoning, run } = res);
    } catch (err) {
      timings.modelMs += now() - t;
      if (!isModelError(err)) throw err;
      if (err.run) runs.push(err.run);
      const code = err.kind === 'cancelled' ? 'cancelled' : `model-${err.kind}`;
      return finish({ ok: false, prompt, raw: last.raw || undefined, diagnostics: [...prep.diagnostics, ...last.diagnostics.filter((d) => d.severity !== 'error'), diag('error', code, err.message)], runs });
    }
    timings.modelMs += now() - t;
    if (run.timings.serverMs !== undefined) timings.modelServerMs = (timings.modelServerMs ?? 0) + run.timings.serverMs;
    trace(`model call ${attempt} answered in ${ms(t)} (${content.length} characters)`);

    // A post-processing or validation step that hangs ends the run as a failed one: the answer and
    // the run are kept (Show Run), the user is told which step it was, nothing is proposed.
    const stuck = (e: unknown): ModeResult => {
      if (!(e instanceof StepTimeoutError)) throw e;
      trace(e.message);
      const d = diag('error', 'step-timeout', `${e.message}, so nothing was proposed (nocodo stopped waiting; the model's answer is kept in the run).`);
      runs.push({ ...run, diagnostics: [...run.diagnostics, d], outcome: 'invalid' });
      return finish({ ok: false, prompt, raw: content, diagnostics: [...prep.diagnostics, d], runs });
    };

    t = now();
    let processed: Processed;
    try {
      processed = await withinLimit(
        'Post-processing the answer (cleaning, rustfmt)',
        readingAnswer(
          () => spec.postProcess({ content, reasoning }, ctx, input, opts),
          (d) => ({ diagnostics: [d] }),
        ),
        limits.postProcessMs,
      );
    } catch (e) {
      return stuck(e);
    }
    timings.postProcessMs += now() - t;
    trace(`post-processed in ${ms(t)} (${processed.code === undefined ? 'no code' : `${processed.code.split('\n').length} lines`}, ${processed.diagnostics.length} diagnostics)`);
    const diagnostics = [...processed.diagnostics];
    if (processed.code !== undefined) diagnostics.push(...checkCodeLimits(processed.code, spec.maxCodeLines ?? DEFAULT_MAX_CODE_LINES));
    let changeSet: ChangeSet | undefined;
    let draft: ChangeSet | undefined;
    if (processed.code !== undefined && !hasErrors(diagnostics)) {
      t = now();
      const code = processed.code;
      let checked: Checked;
      try {
        checked = await withinLimit(
          'Validating the answer against the project',
          readingAnswer(
            () => spec.check({ ...processed, code }, ctx, input, opts),
            (d) => ({ diagnostics: [d] }),
          ),
          limits.validateMs,
        );
      } catch (e) {
        return stuck(e);
      }
      timings.validateMs += now() - t;
      // Stopped during the checks (the type check ends at once): no re-ask, nothing proposed.
      if (opts.signal?.aborted) {
        trace(`cancelled during validation after ${ms(t)}`);
        runs.push({ ...run, diagnostics: [...run.diagnostics, ...diagnostics, ...checked.diagnostics], outcome: 'cancelled', extracted: code });
        return finish({ ok: false, prompt, raw: content, diagnostics: [...prep.diagnostics, diag('error', 'cancelled', 'Cancelled during the checks; nothing was proposed.')], runs });
      }
      diagnostics.push(...checked.diagnostics);
      changeSet = checked.changeSet;
      draft = checked.draft;
      trace(`validated in ${ms(t)} (${errorsOf(checked.diagnostics).length} errors${changeSet ? `, change to ${changeSet.files.map((f) => f.path).join(', ')}` : ''})`);
    }
    // The compiler judges after the static checks: its errors block and go into the re-ask too.
    const staticOk = !hasErrors(diagnostics) && changeSet !== undefined;
    const toCompile = staticOk ? changeSet : opts.compile?.measureRejected ? draft : undefined;
    let compiled: CompileResult | undefined;
    // cargo judges Rust only: a change of TSX files alone (the Solid modes) has nothing for it to check.
    if (opts.compile && toCompile && toCompile.files.some((f) => f.path.endsWith('.rs'))) {
      t = now();
      trace('compile check started');
      compiled = await runCompileStep(opts.compile, input.project, toCompile, processed.code, opts.signal);
      timings.compileMs += now() - t;
      trace(`compile check done in ${ms(t)}: ${compiled.cancelled ? 'cancelled' : compiled.skipped ? `skipped (${compiled.skipped})` : compiled.ok ? 'compiles' : `${compiled.errors.length} errors`}`);
      lastCompile = compiled;
      if (staticOk) diagnostics.push(...compileDiagnostics(compiled, opts.compile.setting));
    }
    const ok = !hasErrors(diagnostics) && changeSet !== undefined && !compiled?.cancelled;
    if (ok && compiled) changeSet = withCompileNote(changeSet!, compiled);
    const filled: RunRecord = {
      ...run,
      diagnostics: [...run.diagnostics, ...diagnostics],
      outcome: compiled?.cancelled ? 'cancelled' : ok ? 'ok' : 'invalid',
      ...(processed.code !== undefined ? { extracted: processed.code } : {}),
      ...(compiled ? { compile: compileRecord(compiled, staticOk) } : {}),
    };
    runs.push(filled);
    trace(`attempt ${attempt}: ${filled.outcome}${ok ? '' : ` (${errorsOf(diagnostics)[0]?.code ?? 'no change'})`}`);
    if (compiled?.cancelled) {
      return finish({ ok: false, prompt, raw: content, diagnostics: [...prep.diagnostics, diag('error', 'cancelled', 'Cancelled during the cargo check; nothing was written.')], runs, compile: compiled });
    }
    last = { raw: content, ...(processed.code !== undefined ? { code: processed.code } : {}), diagnostics, ...(changeSet ? { changeSet } : {}) };
    if (ok) {
      const note = attempt > 1 ? [diag('info', 'fixed-after-reask', 'The first answer had problems; the model fixed them when told what was wrong.')] : [];
      return finish({ ok: true, prompt, raw: content, code: processed.code!, changeSet: changeSet!, diagnostics: [...prep.diagnostics, ...note, ...diagnostics], runs });
    }
    if (attempt === 1) {
      parentRunId = run.id;
      messages = reaskMessages(prompt, content || reasoning, errorsOf(diagnostics), what, spec.answerInstruction ?? languageOf(spec.mode).answerInstruction);
    }
  }
  const problems = errorsOf(last.diagnostics);
  const summary = diag('error', 'invalid-answer', `The model's ${what} failed the checks twice (after being told what was wrong), so nothing was written:\n${formatDiagnostics(problems)}`);
  return finish({ ok: false, prompt, raw: last.raw, ...(last.code !== undefined ? { code: last.code } : {}), diagnostics: [...prep.diagnostics, summary, ...last.diagnostics], runs });
}
