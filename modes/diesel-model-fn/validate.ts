import type { Diagnostic } from '../../src/core/diagnostics';
import { codeOnly } from '../diesel-common/imports';
import { foreignTableWarning } from '../diesel-common/mainTable';
import { sideEffectWarning } from '../diesel-common/sideEffects';
import { validateFunction } from '../diesel-common/validate';
import type { FnContext } from './context';

export interface FunctionCheck {
  diagnostics: Diagnostic[];
  /** A free function (the file's style), not a method in `impl <Struct>`. */
  free: boolean;
  /** How the summary names it: `Struct::name`, or `name` when free. */
  shownName: string;
  /** The warnings to repeat in the summary, where the user decides. */
  warnings: string[];
}

/**
 * The function against the project: Diesel's checks (tables, columns, types, style; see
 * diesel-common/validate), then what only this mode warns about: a method of one struct that
 * loads another table, and side effects in what was asked as a query.
 */
export function checkFunction(code: string, ctx: FnContext): FunctionCheck {
  const typeName = ctx.target.struct.name;
  const diagnostics = validateFunction(code, { tables: ctx.project.info.schema.tables, style: ctx.project.style, existingFns: ctx.existingFns, typeName, ...(ctx.placement.asyncWrapper ? { asyncWrapper: ctx.placement.asyncWrapper } : {}) });
  // A method (it says `self`/`Self`) always goes into `impl <Struct>`; otherwise the file's style decides.
  const free = ctx.placement.how === 'free' && !/\b(?:self|Self)\b/.test(codeOnly(code));
  const name = /\bfn\s+(\w+)/.exec(code)?.[1] ?? 'function';
  const shownName = free ? name : `${typeName}::${name}`;
  // Nothing else flags a function in `impl Show` that loads episodes: say it where the user decides.
  const foreign = free ? undefined : foreignTableWarning(code, typeName, ctx.table.name);
  if (foreign) diagnostics.push({ severity: 'warning', code: 'foreign-table', message: `${typeName}::${name}: ${foreign}.` });
  const effects = sideEffectWarning(code);
  if (effects) diagnostics.push({ severity: 'warning', code: 'side-effects', message: `${shownName}: ${effects}.` });
  return { diagnostics, free, shownName, warnings: [foreign, effects].filter((w): w is string => w !== undefined) };
}
