// The TSX side of the pipeline: checks a proposed Solid component with real tools.
import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { unknownClasses } from './classNames';
import { loadPackage } from './packages';
import { reactHabits } from './reactHabits';
import { lintSolid } from './solidLint';
import type { TsxUnit } from './typecheck';
import { limitText, TYPECHECK_LIMIT_MS, typecheckTsxWithin } from './typecheckThread';

export { typecheckTsx, type TsxUnit } from './typecheck';
export { lintSolid } from './solidLint';
export { reactHabits } from './reactHabits';
export { classOracle, classUses, closestClass, unknownClasses, type ClassOracle } from './classNames';
export { loadPackage, frontendInstalled } from './packages';

export interface TsxCheckOptions {
  typecheck?: boolean;
  lint?: boolean;
  classes?: boolean;
  /** The type check's time limit (default TYPECHECK_LIMIT_MS). */
  typecheckLimitMs?: number;
  /** The run's Stop: aborting it stops the type check. */
  signal?: AbortSignal;
}

/** The diagnostic of a type check stopped at its time limit: the proposal is offered, marked (src/agents/autoAccept.ts). */
export const TYPECHECK_UNFINISHED = 'typecheck-unfinished';
/** The diagnostic of a type check stopped by the run's signal. */
export const TYPECHECK_CANCELLED = 'cancelled';

/**
 * Every check on one proposed TSX file: React habits (own, with the Solid way in the message),
 * the TypeScript compiler inside the project, eslint-plugin-solid, and class names against
 * Tailwind + DaisyUI as the project's packages define them. The type check runs in the worker
 * thread of the accept's check (typecheckThread.ts), within `typecheckLimitMs`: past it the check
 * is stopped and a warning ('typecheck-unfinished') names the file, so the proposal is offered
 * as "type check not finished" (never as passed); an aborted `signal` stops it with an error
 * 'cancelled'.
 */
export async function checkTsx(unit: TsxUnit, opts: TsxCheckOptions = {}): Promise<Diagnostic[]> {
  const ts = loadPackage<typeof TS>(unit.frontendAbs, 'typescript');
  const out: Diagnostic[] = [];
  if (ts) out.push(...reactHabits(ts, unit.file, unit.text));
  if (opts.typecheck !== false) {
    const limitMs = opts.typecheckLimitMs ?? TYPECHECK_LIMIT_MS;
    const checked = await typecheckTsxWithin(unit, limitMs, opts.signal);
    if (checked.kind === 'cancelled') return [...out, diag('error', TYPECHECK_CANCELLED, 'Cancelled during the type check; nothing was proposed.', { file: unit.file })];
    if (checked.kind === 'done') out.push(...checked.diagnostics);
    else {
      out.push(
        diag('warning', TYPECHECK_UNFINISHED, `Type check not finished: the type check of ${unit.file} did not finish within ${limitText(limitMs)}, so it was stopped; the proposal was not type-checked. Run \`npx tsc --noEmit\` in the frontend after accepting it.`, { file: unit.file }),
      );
    }
  }
  if (opts.lint !== false) out.push(...lintSolid(unit.frontendAbs, unit.file, unit.text));
  if (opts.classes !== false && ts) out.push(...(await unknownClasses(ts, unit.frontendAbs, unit.file, unit.text)));
  return out;
}
