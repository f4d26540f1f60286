import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import { checkTsx } from '../../src/pipeline/tsx';
import { deriveClassChanges, type ClassChange } from '../../src/pipeline/tsx/classOps';
import { apiOverlay, inFrontend } from '../solid-common/project';
import type { StyleCtx } from './context';

/**
 * A restyle changes only `class`/`className` strings (or the text of their template literals),
 * and every class it uses exists in DaisyUI or Tailwind. The rest of the code is the user's,
 * unchanged, so it is not type-checked or linted again. The changes found are what the proposal
 * applies (a `setClasses` op), never the model's file as a whole.
 */
export async function checkRestyle(code: string, ctx: StyleCtx): Promise<{ changes: ClassChange[]; diagnostics: Diagnostic[] }> {
  const { sp } = ctx;
  const { changes, diagnostics } = deriveClassChanges(sp.ts, ctx.file, ctx.original, code);
  if (hasErrors(diagnostics)) return { changes, diagnostics };
  const rel = inFrontend(sp, ctx.file);
  diagnostics.push(...(await checkTsx({ frontendAbs: sp.frontendAbs, file: rel, text: code, others: apiOverlay(sp) }, { typecheck: false, lint: false })).filter((d) => d.code === 'unknown-class'));
  if (!hasErrors(diagnostics) && !changes.length) diagnostics.push(diag('warning', 'no-change', 'The model changed no class.'));
  return { changes, diagnostics };
}
