// The TSX side of the pipeline: checks a proposed Solid component with real tools.
import type * as TS from 'typescript';
import type { Diagnostic } from '../../core/diagnostics';
import { unknownClasses } from './classNames';
import { loadPackage } from './packages';
import { reactHabits } from './reactHabits';
import { lintSolid } from './solidLint';
import { typecheckTsx, type TsxUnit } from './typecheck';

export { typecheckTsx, type TsxUnit } from './typecheck';
export { lintSolid } from './solidLint';
export { reactHabits } from './reactHabits';
export { classOracle, classUses, closestClass, unknownClasses, type ClassOracle } from './classNames';
export { loadPackage, frontendInstalled } from './packages';

export interface TsxCheckOptions {
  typecheck?: boolean;
  lint?: boolean;
  classes?: boolean;
}

/**
 * Every check on one proposed TSX file: React habits (own, with the Solid way in the message),
 * the TypeScript compiler inside the project, eslint-plugin-solid, and class names against
 * Tailwind + DaisyUI as the project's packages define them.
 */
export async function checkTsx(unit: TsxUnit, opts: TsxCheckOptions = {}): Promise<Diagnostic[]> {
  const ts = loadPackage<typeof TS>(unit.frontendAbs, 'typescript');
  const out: Diagnostic[] = [];
  if (ts) out.push(...reactHabits(ts, unit.file, unit.text));
  if (opts.typecheck !== false) out.push(...typecheckTsx(unit));
  if (opts.lint !== false) out.push(...lintSolid(unit.frontendAbs, unit.file, unit.text));
  if (opts.classes !== false && ts) out.push(...(await unknownClasses(ts, unit.frontendAbs, unit.file, unit.text)));
  return out;
}
