import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import { checkTsx } from '../../src/pipeline/tsx';
import { onlyClassesChanged } from '../../src/pipeline/tsx/classOnly';
import { apiOverlay, inFrontend } from '../solid-common/project';
import type { StyleCtx } from './context';

/**
 * A restyle changes only class attributes, and every class it uses exists in DaisyUI or Tailwind.
 * The rest of the code is the user's, unchanged, so it is not type-checked or linted again.
 */
export async function checkRestyle(code: string, ctx: StyleCtx): Promise<Diagnostic[]> {
  const { sp } = ctx;
  const diagnostics: Diagnostic[] = onlyClassesChanged(sp.ts, ctx.original, code);
  const rel = inFrontend(sp, ctx.file);
  diagnostics.push(...(await checkTsx({ frontendAbs: sp.frontendAbs, file: rel, text: code, others: apiOverlay(sp) }, { typecheck: false, lint: false })).filter((d) => d.code === 'unknown-class'));
  if (!hasErrors(diagnostics) && code === ctx.original) diagnostics.push(diag('warning', 'no-change', 'The model changed no class.'));
  return diagnostics;
}
