import { diag, type Diagnostic } from '../core/diagnostics';
import { RustNestingError } from '../rust/parser';

/** Longest artifact a mode accepts unless it sets its own cap: one narrow task is never this long. */
export const DEFAULT_MAX_CODE_LINES = 400;

/**
 * Characters that have no place in source code and hide a change from review: C0 controls other
 * than tab/newline/carriage return (a NUL makes git treat the file as binary), DEL, C1 controls,
 * and the bidirectional overrides/isolates of "Trojan Source" (code that reads differently than it runs).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const codePoint = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Checks every mode's extracted code before it can reach a file: no hidden control characters,
 * no artifact longer than the mode's cap. Errors, so the model is asked again and nothing is written.
 */
export function checkCodeLimits(code: string, maxLines: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = code.split('\n');
  const bad = lines.findIndex((l) => HIDDEN.test(l));
  if (bad >= 0) {
    const c = HIDDEN.exec(lines[bad]!)![0];
    out.push(
      diag('error', 'control-character', `The code holds the control character ${codePoint(c)}, which would hide the change from review; write it as an escape (\\0, \\u{…}) or leave it out.`, {
        line: bad + 1,
      }),
    );
  }
  if (lines.length > maxLines) {
    out.push(diag('error', 'code-too-long', `The code is ${lines.length} lines long; this task takes at most ${maxLines}. Write only what the request asks for.`));
  }
  return out;
}

/** Runs a post-processing or check step; an answer nested too deep to parse becomes an error diagnostic. */
export async function readingAnswer<T>(step: () => Promise<T>, onTooDeep: (d: Diagnostic) => T): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof RustNestingError)) throw err;
    return onTooDeep(diag('error', 'answer-too-deep', `The answer could not be read: ${err.message.replace(/^The Rust code/, 'it')}`));
  }
}
