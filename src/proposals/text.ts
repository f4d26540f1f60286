/**
 * Text plumbing between what modes produce (LF, maybe with the BOM of the file they read) and
 * what an editor document holds (its own EOL, never a BOM: the editor keeps the encoding aside).
 */

export type Eol = '\n' | '\r\n';

const BOM = '\uFEFF';

export const stripBom = (s: string): string => (s.startsWith(BOM) ? s.slice(1) : s);

export const toLf = (s: string): string => s.replace(/\r\n/g, '\n');

/** The file's line ending: the first one found, else `fallback`. */
export function detectEol(text: string, fallback: Eol = '\n'): Eol {
  const i = text.indexOf('\n');
  if (i < 0) return fallback;
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** `text` as a document with line ending `eol` would hold it. */
export function forDocument(text: string, eol: Eol): string {
  const lf = toLf(stripBom(text));
  return eol === '\n' ? lf : lf.replace(/\n/g, '\r\n');
}

/** Equal as file contents, ignoring line endings and a BOM (both are kept by the editor, not by us). */
export const sameContent = (a: string, b: string): boolean => toLf(stripBom(a)) === toLf(stripBom(b));

export interface TextEditSpan {
  /** Offsets into the current text. */
  start: number;
  end: number;
  text: string;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/**
 * The smallest single replacement turning `current` into `next` (common prefix and suffix kept),
 * so cursors, folds and breakpoints outside the change stay put. Never splits a CRLF pair or a
 * surrogate pair. Undefined when the texts are equal.
 */
export function minimalEdit(current: string, next: string): TextEditSpan | undefined {
  if (current === next) return undefined;
  const max = Math.min(current.length, next.length);
  let p = 0;
  while (p < max && current.charCodeAt(p) === next.charCodeAt(p)) p++;
  while (p > 0 && (current[p - 1] === '\r' || isHighSurrogate(current.charCodeAt(p - 1)))) p--;
  let s = 0;
  const maxSuffix = max - p;
  while (s < maxSuffix && current.charCodeAt(current.length - 1 - s) === next.charCodeAt(next.length - 1 - s)) s++;
  // The suffix must not start with the `\n` of a CRLF or the low half of a surrogate pair.
  while (s > 0) {
    const at = current.length - s;
    const c = current.charCodeAt(at);
    if ((current[at] === '\n' && current[at - 1] === '\r') || (c >= 0xdc00 && c <= 0xdfff)) s--;
    else break;
  }
  return { start: p, end: current.length - s, text: next.slice(p, next.length - s) };
}

/**
 * Whether every non-whitespace character of `before` survives, in order, in `after`: the test
 * that re-applying a proposal only added code and removed nothing the user wrote.
 */
export function keepsAllCode(before: string, after: string): boolean {
  let j = 0;
  for (let i = 0; i < before.length; i++) {
    const c = before.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    for (;;) {
      if (j >= after.length) return false;
      if (after.charCodeAt(j++) === c) break;
    }
  }
  return true;
}
