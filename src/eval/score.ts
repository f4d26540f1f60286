import type { ModeResult } from '../../modes';
import type { Diagnostic } from '../core/diagnostics';
import type { ChangeSet } from '../domain';
import { runChecks } from './checks';
import { parsesCleanly, sameSyntaxTree } from './normalize';
import { isTsxMode, sameTsx, tsxParses } from './tsx';
import type { CheckOutcome, EvalTask, TaskScore } from './types';

/**
 * Scores a mode's FIRST answer (pass@1) on the five criteria, and notes whether the re-ask the
 * mode makes on its own turned a failure into a pass. Needs `await initRustParser()`.
 */

export interface FirstAnswer {
  /** What post-processing kept (undefined when it found nothing usable). */
  code?: string;
  /** Validation passed and a change set was built. */
  consistent: boolean;
  changeSet?: ChangeSet;
  diagnostics: Diagnostic[];
  raw?: string;
  /** The compile check of this answer, when one ran. */
  compile?: CompileRecordLike;
}

/** What scoring needs of a compile check (a run's record, or a deterministic mode's result). */
interface CompileRecordLike {
  ran: boolean;
  ok: boolean;
  errors: { message: string; line?: number; file?: string; fileLine?: number; code?: string }[];
  preExisting: number | readonly unknown[];
  skipped?: string;
  staticOk: boolean;
}

/** The first answer of a result: the first run for model modes, the result itself when deterministic. */
export function firstAnswer(result: ModeResult): FirstAnswer {
  if (result.deterministic || result.runs.length === 0) {
    // A deterministic result is only compile-checked after its own checks passed.
    const compile = result.compile ? { ...result.compile, staticOk: true } : undefined;
    return {
      ...(result.code !== undefined ? { code: result.code } : {}),
      consistent: result.ok || compile !== undefined,
      ...(compile ? { compile } : {}),
      ...(result.ok && result.changeSet ? { changeSet: result.changeSet } : {}),
      diagnostics: result.diagnostics,
      ...(result.raw !== undefined ? { raw: result.raw } : {}),
    };
  }
  const run = result.runs[0]!;
  // With a compile check, "consistent" is the static checks' verdict; rustc's is scored apart.
  const consistent = run.compile ? run.compile.staticOk : run.outcome === 'ok';
  return {
    ...(run.compile ? { compile: run.compile } : {}),
    ...(run.extracted !== undefined ? { code: run.extracted } : {}),
    consistent,
    // The runner returns at the first passing answer, so a first-run pass owns the result's change set.
    ...(run.outcome === 'ok' && result.changeSet ? { changeSet: result.changeSet } : {}),
    // A model error (no answer at all) is only in the result's diagnostics.
    diagnostics: run.diagnostics.length ? run.diagnostics : result.diagnostics,
    raw: run.raw,
  };
}

/** actix-router's artifact is the registration chain (`.service(h)`), not an item: parse it on a receiver. */
function artifactParses(mode: string, code: string): boolean {
  if (isTsxMode(mode)) return tsxParses(code);
  if (mode !== 'actix-router' || !code.trim()) return parsesCleanly(code);
  return parsesCleanly(`fn registrations() {\n    app${code.trim().split('\n').join('\n    ')};\n}`);
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();
const firstError = (ds: readonly Diagnostic[]): string | undefined => {
  const d = ds.find((x) => x.severity === 'error');
  return d ? firstLine(d.message) : undefined;
};

/** Reference (normalised syntax tree) or every listed check. */
export function matchAnswer(task: EvalTask, code: string, changeSet?: ChangeSet): { matches: boolean; matchedBy?: 'reference' | 'checks'; checks: CheckOutcome[] } {
  const tsx = isTsxMode(task.mode);
  const checks = runChecks(task.checks, code, changeSet, tsx ? 'tsx' : 'rust');
  // The right code in the wrong file is a wrong answer (judged only when a change was built).
  const landing = task.expectFile && changeSet ? landsIn(task.expectFile, code, changeSet) : undefined;
  if (landing && !landing.ok) return { matches: false, checks: [...checks, landing] };
  const same = (a: string, b: string): boolean => (tsx ? sameTsx(a, b) : sameSyntaxTree(a, b, task.struct ? { selfType: task.struct } : {}));
  if (task.reference !== undefined && same(code, task.reference)) return { matches: true, matchedBy: 'reference', checks };
  if (checks.length && checks.every((c) => c.ok)) return { matches: true, matchedBy: 'checks', checks };
  return { matches: false, checks };
}

/** Whether the change set puts the function into `file`. */
function landsIn(file: string, code: string, changeSet: ChangeSet): CheckOutcome {
  const name = /\bfn\s+((?:r#)?\w+)/.exec(code)?.[1];
  const target = changeSet.files.find((f) => f.path === file);
  const ok = !!target && (!name || new RegExp(`\\bfn\\s+${name}\\b`).test(target.proposed));
  const elsewhere = changeSet.files.map((f) => f.path).join(', ');
  return { label: `lands in ${file}`, ok, ...(ok ? {} : { detail: `written to ${elsewhere || 'no file'}` }) };
}

export function scoreResult(task: EvalTask, result: ModeResult): TaskScore {
  const first = firstAnswer(result);
  const code = first.code ?? '';
  const cleaned = code.trim() !== '';
  const parses = cleaned && artifactParses(task.mode, code);
  const consistent = parses && first.consistent;
  const m = cleaned ? matchAnswer(task, code, first.changeSet) : { matches: false, checks: [] as CheckOutcome[] };
  const cargo = cargoOutcome(first.compile);
  const pass = cleaned && parses && consistent && m.matches && cargo.outcome !== 'fail';

  let fixedByReask = false;
  if (!pass && result.ok && result.runs.length > 1 && result.code !== undefined && artifactParses(task.mode, result.code)) {
    fixedByReask = matchAnswer(task, result.code, result.changeSet).matches;
  }

  let failure: string | undefined;
  if (!cleaned) failure = `no usable code: ${firstError(first.diagnostics) ?? 'the answer held no code'}`;
  else if (!parses) failure = `does not parse${firstError(first.diagnostics) ? `: ${firstError(first.diagnostics)}` : ''}`;
  else if (!consistent) {
    const why = m.matchedBy === 'reference' ? ' (the reference answer itself: false reject)' : cargo.verdict === 'false-reject' ? ' (rustc compiles it: false reject)' : '';
    failure = `rejected by validation${why}: ${firstError(first.diagnostics) ?? 'no change set was built'}`;
  }
  else if (cargo.outcome === 'fail') failure = `cargo check failed: ${cargo.detail ?? ''}`.trim();
  else if (!m.matches) {
    const failed = m.checks.filter((c) => !c.ok);
    failure = failed.length
      ? `wrong: ${failed.map((c) => `${c.label}${c.detail ? ` — ${c.detail}` : ''}`).join('; ')}`
      : 'wrong: differs from the reference answer';
  }
  return {
    cleaned,
    parses,
    consistent,
    matches: m.matches,
    ...(m.matchedBy ? { matchedBy: m.matchedBy } : {}),
    checks: m.checks,
    cargo: cargo.outcome,
    ...(cargo.detail ? { cargoDetail: cargo.detail } : {}),
    ...(cargo.verdict ? { rustcVerdict: cargo.verdict } : {}),
    pass,
    fixedByReask,
    // Only a match with the reference proves the answer right (listed checks cover part of the
    // request), and so does rustc compiling an answer validation rejected.
    falseReject: cleaned && parses && !first.consistent && (m.matchedBy === 'reference' || cargo.verdict === 'false-reject'),
    acceptedNotCompiling: cargo.verdict === 'false-accept',
    ...(failure ? { failure } : {}),
  };
}

/**
 * rustc's verdict on a first answer, and whether it disagrees with the static checks: a false
 * accept (validation passed, rustc failed) or a false reject (validation failed, rustc passed).
 */
function cargoOutcome(c: CompileRecordLike | undefined): { outcome: TaskScore['cargo']; detail?: string; verdict?: TaskScore['rustcVerdict'] } {
  if (!c) return { outcome: 'not-run' };
  if (!c.ran) return { outcome: 'skipped', detail: c.skipped ?? 'did not run' };
  const preExisting = typeof c.preExisting === 'number' ? c.preExisting : c.preExisting.length;
  const compiles = c.errors.length === 0;
  const detail = compiles
    ? preExisting
      ? `the project did not compile before this change (${preExisting} errors elsewhere)`
      : undefined
    : c.errors
        .slice(0, 3)
        .map((e) => `${e.code ? `${e.code} ` : ''}${e.message}${e.line ? ` (answer line ${e.line})` : e.file ? ` (${e.file}${e.fileLine ? `:${e.fileLine}` : ''})` : ''}`)
        .join(' | ');
  const verdict = c.staticOk === compiles ? 'agree' : c.staticOk ? 'false-accept' : 'false-reject';
  return { outcome: compiles ? 'pass' : 'fail', ...(detail ? { detail } : {}), verdict };
}
