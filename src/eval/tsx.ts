import type * as TS from 'typescript';
import { modeDescriptor } from '../domain';
import { loadPackage } from '../pipeline/tsx/packages';
import { parseTsx, syntaxErrors } from '../pipeline/tsx/syntax';
import { lexTokens } from './normalize';

/**
 * The eval's view of TSX answers (the Solid modes): parsing, a formatting-blind comparison with
 * the reference and the tokens the listed checks match, all with the TypeScript compiler.
 */

/** Modes whose artifact is a TSX file rather than Rust (the descriptor's language). */
export const isTsxMode = (mode: string): boolean => modeDescriptor(mode)?.language === 'tsx';

let cached: typeof TS | undefined;
/** The TypeScript compiler (the working folder's, else nocodo's own). */
function typescript(): typeof TS {
  cached ??= loadPackage<typeof TS>(process.cwd(), 'typescript');
  if (!cached) throw new Error('TypeScript is not installed next to nocodo: TSX answers cannot be scored.');
  return cached;
}

const source = (code: string): TS.SourceFile => parseTsx(typescript(), 'answer.tsx', code);

/** Whether the code is TSX without syntax errors (the pipeline's own check: src/pipeline/tsx/syntax.ts). */
export function tsxParses(code: string): boolean {
  if (!code.trim()) return false;
  return syntaxErrors(typescript(), source(code)).length === 0;
}

/** The code printed by TypeScript without comments and import lines (nocodo writes the imports itself). */
export function normalizeTsx(code: string): string {
  const ts = typescript();
  const sf = source(code);
  const kept = ts.factory.updateSourceFile(sf, sf.statements.filter((s) => !ts.isImportDeclaration(s)));
  return ts.createPrinter({ removeComments: true }).printFile(kept).replace(/\s+/g, ' ').trim();
}

/** Same code up to formatting, comments and imports. */
export const sameTsx = (a: string, b: string): boolean => tsxParses(a) && tsxParses(b) && normalizeTsx(a) === normalizeTsx(b);

/** Tokens of TSX code for the listed checks: printed by TypeScript without comments, then lexed like the patterns. */
export function tsxTokens(code: string): string[] {
  const ts = typescript();
  return lexTokens(ts.createPrinter({ removeComments: true }).printFile(source(code)));
}
