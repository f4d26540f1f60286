import { diag, type Diagnostic } from '../core/diagnostics';
import type { ChangeSet, RunRecord } from '../domain';
import { checkLimitMs, compileSummary, DEFAULT_TIMEOUT_MS, type CompileChecker, type CompileProgress, type CompileResult, type GeneratedCode } from '../compile';
import { formatLimit, StepTimeoutError, withinLimit } from '../core/timeLimit';
import type { ProjectFs } from '../core/projectFs';
import { codeLineMap } from '../compile/attribute';
import type { Mode } from './mode';

/**
 * The compile step of every Rust mode, after the deterministic validation: `cargo check` of a
 * shadow copy with the change applied. Errors the change caused become error diagnostics (on the
 * generated code's own lines), so they block the proposal and go into the one re-ask like any
 * validation finding. Errors that were there before, and checks that could not run, never block.
 */

export interface CompileStepOptions {
  checker: CompileChecker;
  /** `on`: a check that cannot run is a warning; `auto`: a note. */
  setting: 'auto' | 'on';
  /** Also compile answers the static checks rejected (the eval counts false rejects with it). */
  measureRejected?: boolean;
  onProgress?: (p: CompileProgress) => void;
  /**
   * Longest wait for the checker's answer (default: stepLimitMs of the default cargo timeout).
   * nocodo's checker stops itself earlier and says where it was (CompileCheckerOptions.runLimitMs);
   * this is the last line for any checker: past it the change goes on unchecked, saying so.
   */
  limitMs?: number;
}

/** The compile step's limit for a checker whose cargo commands each stop after `cargoTimeoutMs`: above the checker's own. */
export const stepLimitMs = (cargoTimeoutMs: number): number => checkLimitMs(cargoTimeoutMs) + 60_000;

export type CompileRecord = NonNullable<RunRecord['compile']>;

/** The file of the change set that holds the generated code (where compiler errors map back to its lines). */
export function locateGenerated(changeSet: ChangeSet, code: string | undefined): GeneratedCode | undefined {
  if (!code?.trim()) return undefined;
  const f = changeSet.files.find((c) => codeLineMap(c.proposed, code).size > 0);
  return f ? { file: f.path, code } : undefined;
}

const where = (e: CompileResult['errors'][number]): string => (e.line === undefined && e.file ? ` (in ${e.file}${e.fileLine ? ` line ${e.fileLine}` : ''})` : '');

/** What the compile result means for the proposal, as diagnostics. */
export function compileDiagnostics(r: CompileResult, setting: 'auto' | 'on'): Diagnostic[] {
  if (r.cancelled) return [];
  if (r.skipped) return [diag(setting === 'on' ? 'warning' : 'info', 'compile-skipped', `Not checked with cargo: ${r.skipped}.`)];
  const out: Diagnostic[] = r.notes.map((n) => diag('info', 'compile-cache', n));
  for (const e of r.errors) {
    const detail = [e.label, ...(e.help ?? []).map((h) => `help: ${h}`)].filter(Boolean).join('; ');
    out.push(diag('error', 'rustc', `rustc: ${e.code ? `error[${e.code}]: ` : ''}${e.message}${detail ? `: ${detail}` : ''}${where(e)}`, { ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) }));
  }
  if (r.preExisting.length) {
    const first = r.preExisting[0]!;
    out.push(diag('warning', 'compile-pre-existing', `The project did not compile before this change (${r.preExisting.length} error${r.preExisting.length === 1 ? '' : 's'} elsewhere, e.g. ${first.file ?? 'the crate'}${first.fileLine ? `:${first.fileLine}` : ''}: ${first.message}); they do not block this proposal.`));
  }
  if (r.ok) out.push(diag('info', 'compiles', `Compiles (cargo check, ${(r.ms / 1000).toFixed(1)} s).`));
  return out;
}

export function compileRecord(r: CompileResult, staticOk: boolean): CompileRecord {
  return {
    ran: r.ran,
    ok: r.ok,
    ms: Math.round(r.ms),
    errors: r.errors.map(({ rendered: _r, label: _l, help: _h, ...e }) => e),
    preExisting: r.preExisting.length,
    ...(r.skipped ? { skipped: r.skipped } : {}),
    staticOk,
    output: [r.output, ...r.preExisting.map((e) => `(before the change) ${e.rendered}`)].filter(Boolean).join('\n\n').slice(0, 60_000),
  };
}

/** The proposal's summary says what the compiler said: "compiles", or why it was not checked. */
export function withCompileNote(changeSet: ChangeSet, r: CompileResult): ChangeSet {
  return { ...changeSet, summary: `${changeSet.summary} — ${compileSummary(r)}` };
}

export async function runCompileStep(step: CompileStepOptions, project: ProjectFs, changeSet: ChangeSet, code: string | undefined, signal?: AbortSignal): Promise<CompileResult> {
  const generated = locateGenerated(changeSet, code);
  const limitMs = step.limitMs ?? stepLimitMs(DEFAULT_TIMEOUT_MS);
  // The user's cancel and the limit both stop the checker's cargo.
  const stop = new AbortController();
  const cancel = (): void => stop.abort();
  if (signal?.aborted) stop.abort();
  else signal?.addEventListener('abort', cancel, { once: true });
  const t0 = performance.now();
  try {
    const check = step.checker.check({ project, changeSet, ...(generated ? { generated } : {}), signal: stop.signal, ...(step.onProgress ? { onProgress: step.onProgress } : {}) });
    return await withinLimit('The cargo check', check, limitMs, () => stop.abort());
  } catch (e) {
    if (!(e instanceof StepTimeoutError)) throw e;
    return { ran: false, ok: false, ms: performance.now() - t0, errors: [], preExisting: [], output: '', notes: [], skipped: `the check gave no answer within ${formatLimit(limitMs)} and was stopped` };
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}

export { compileSummary };

/**
 * The same step for the deterministic modes (no model, so no re-ask): a change that does not
 * compile is a nocodo bug the user must not receive, so it blocks the result.
 */
export function withCompileCheck(mode: Mode): Mode {
  return {
    ...mode,
    async run(input, opts) {
      const r = await mode.run(input, opts);
      if (!opts.compile || !r.ok || !r.changeSet) return r;
      const t0 = performance.now();
      const compiled = await runCompileStep(opts.compile, input.project, r.changeSet, r.code, opts.signal);
      const ms = performance.now() - t0;
      const timings = { ...r.timings, compileMs: ms, totalMs: r.timings.totalMs + ms };
      const diagnostics = [...r.diagnostics, ...compileDiagnostics(compiled, opts.compile.setting)];
      if (compiled.cancelled) diagnostics.push(diag('error', 'cancelled', 'Cancelled during the cargo check; nothing was written.'));
      const blocked = compiled.cancelled || diagnostics.some((d) => d.severity === 'error');
      const { changeSet, ...rest } = r;
      return { ...rest, ...(blocked ? {} : { changeSet: withCompileNote(changeSet, compiled) }), ok: !blocked, timings, diagnostics, compile: compiled };
    },
  };
}
