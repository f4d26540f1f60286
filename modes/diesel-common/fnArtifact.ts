import { hasErrors } from '../../src/core/diagnostics';
import { extractFunction } from '../../src/pipeline/rust/artifact';
import { dslGlobTable, normalizeDslGlobs } from './dslGlobs';
import { addBodyUses, expandUse, planImports, type ImportEnv } from './imports';
import { cleanAnswer } from '../../src/pipeline/postprocess';
import type { Processed } from '../../src/pipeline/runner';
import { formatRust, type RustfmtSetting } from '../../src/pipeline/rust/rustfmt';

export interface FnAnswerOptions {
  /** The function name the request asked for, if it named one. */
  wantedName?: string;
  importEnv: ImportEnv;
  /** `false` skips formatting (tests, benchmarks). */
  rustfmt?: RustfmtSetting;
}

/**
 * A raw answer → one formatted function plus the imports it needs: thinking and fences removed,
 * the requested function picked (unwrapped from an `impl`), the answer's imports replaced by
 * computed ones, `dsl::*` globs made consistent with the body (./dslGlobs), rustfmt applied when available.
 */
export async function processFunctionAnswer(answer: { content: string; reasoning?: string }, opts: FnAnswerOptions): Promise<Processed> {
  const cleaned = cleanAnswer(answer.content, { ...(answer.reasoning ? { reasoning: answer.reasoning } : {}), looksLikeAnswer: /\bfn\s+\w+/ });
  if (hasErrors(cleaned.diagnostics)) return { diagnostics: cleaned.diagnostics };
  const fn = extractFunction(cleaned.code, opts.wantedName ? { wantedName: opts.wantedName } : {});
  const diagnostics = [...cleaned.diagnostics, ...fn.diagnostics];
  if (!('code' in fn)) return { diagnostics };
  const answerUses = fn.uses.flatMap(expandUse);
  const globs = normalizeDslGlobs(
    fn.code,
    answerUses.filter((u) => dslGlobTable(u)),
    { style: opts.importEnv.style, tables: opts.importEnv.tables, fileUses: opts.importEnv.fileUses ?? [] },
  );
  diagnostics.push(...globs.diagnostics);
  if (hasErrors(globs.diagnostics)) return { code: globs.code, diagnostics };
  const plan = planImports(globs.code, answerUses.filter((u) => !dslGlobTable(u)), opts.importEnv);
  diagnostics.push(...plan.diagnostics);
  let code = addBodyUses(globs.code, plan.bodyUses);
  code = await formatRust(code, opts.rustfmt);
  return { code, uses: plan.uses, diagnostics };
}
