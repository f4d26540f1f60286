import type * as TS from 'typescript';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { TSX_LANGUAGE } from '../language';
import { findFences } from '../../llm/fences';
import { splitReasoning } from '../../llm/reasoning';
import { parseTsx, syntaxErrors } from './syntax';

type Ts = typeof TS;

/** Fences and first lines of a TSX answer (src/pipeline/language.ts). */
const TSX_LANGS = TSX_LANGUAGE.fenceLangs;
const CODE_START = TSX_LANGUAGE.codeStart;

/** Prose before the first code line and after the last top-level `}`/`);`/`;` is dropped. */
function dropProse(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => CODE_START.test(l));
  if (start < 0) return '';
  let end = lines.length;
  for (let i = lines.length - 1; i > start; i--) {
    if (/^(?:\}|\);?|\};?|.*;)\s*$/.test(lines[i]!) && !/^\s/.test(lines[i]!)) {
      end = i + 1;
      break;
    }
  }
  return lines.slice(start, end).join('\n');
}

/**
 * From a raw answer to one TSX module: thinking removed, the tsx/ts fence (or the code among
 * prose) kept, and an answer cut off by the token limit recognised by its syntax errors at the end.
 */
export function cleanTsxAnswer(ts: Ts, raw: string): { code: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { content: text, unclosedThink: unclosed } = splitReasoning(raw);
  if (unclosed) diagnostics.push(diag('warning', 'unclosed-think', 'The answer opened <think> and never closed it; everything after it was treated as reasoning.'));
  const body = text.trim();
  const fences = findFences(body).filter((f) => TSX_LANGS.has(f.lang));
  const pick = fences.filter((f) => /\bexport\b|<\w/.test(f.body));
  let code = (pick.length ? pick.sort((a, b) => b.body.length - a.body.length)[0]!.body : fences[0]?.body ?? dropProse(body)).trim();
  if (!fences.length) code = dropProse(body).trim();
  if (!code) {
    diagnostics.push(diag('error', 'no-code', 'The answer holds no TSX code.'));
    return { code: '', diagnostics };
  }
  // The one syntax check of the TSX pipeline (syntax.ts): what "parses" means here is what it means at accept.
  const sf = parseTsx(ts, 'answer.tsx', code);
  const syntax = syntaxErrors(ts, sf);
  if (syntax.length) {
    const offset = (d: Diagnostic): number | undefined => (d.line ? sf.getPositionOfLineAndCharacter(d.line - 1, (d.column ?? 1) - 1) : undefined);
    const atEnd = syntax.some((d) => (offset(d) ?? -1) >= code.length - 2);
    const first = syntax[0]!;
    diagnostics.push(
      atEnd
        ? diag('error', 'cut-off', `The answer stops in the middle of the code (cut off at the token limit?): ${first.message}. Write a shorter, complete component.`)
        : diag('error', 'tsx-syntax', `TSX syntax error: ${first.message}`, first.line ? { line: first.line } : {}),
    );
  }
  return { code, diagnostics };
}
