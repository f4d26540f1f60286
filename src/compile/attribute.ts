import type { CompilerError } from './messages';

/**
 * Sorts the compiler's errors after a change into the ones the change caused (in the generated
 * code, mapped back to its own lines, or elsewhere) and the ones that were there before it.
 */

export interface GeneratedCode {
  /** Project-relative file the artifact was placed in. */
  file: string;
  /** The artifact as post-processing produced it (what the model is told about). */
  code: string;
}

export interface AttributedError extends CompilerError {
  /** Line and column in the generated code (1-based), when the error lies inside it. */
  codeLine?: number;
  codeColumn?: number;
}

export interface Attribution {
  /** Caused by the change: block the proposal and go into the re-ask. */
  caused: AttributedError[];
  /** Present before the change too: reported, never blocking. */
  preExisting: CompilerError[];
}

const norm = (l: string): string => l.trim();

/**
 * File line (1-based) → generated-code line, by finding the code's lines (indentation ignored, as
 * the code is re-indented when it goes into an impl) in the proposed file text.
 */
export function codeLineMap(fileText: string, code: string): Map<number, { codeLine: number; indentDelta: number }> {
  const fileLines = fileText.split('\n');
  const codeLines = code.split('\n');
  const firstIdx = codeLines.findIndex((l) => norm(l) !== '');
  const map = new Map<number, { codeLine: number; indentDelta: number }>();
  if (firstIdx < 0) return map;
  const lastIdx = codeLines.length - 1 - [...codeLines].reverse().findIndex((l) => norm(l) !== '');
  const body = codeLines.slice(firstIdx, lastIdx + 1);
  for (let start = 0; start + body.length <= fileLines.length; start++) {
    if (norm(fileLines[start]!) !== norm(body[0]!)) continue;
    if (!body.every((l, i) => norm(l) === norm(fileLines[start + i]!))) continue;
    body.forEach((l, i) => {
      const fl = fileLines[start + i]!;
      const indentDelta = (fl.length - fl.trimStart().length) - (l.length - l.trimStart().length);
      map.set(start + i + 1, { codeLine: firstIdx + i + 1, indentDelta });
    });
    return map;
  }
  return map;
}

const keyOf = (e: CompilerError): string => `${e.file ?? ''}\0${e.code ?? ''}\0${e.message}`;

/**
 * `after`: errors with the change applied; `before`: errors of the project without it (undefined
 * when the change compiled, so no baseline was needed). Errors are matched by file, code and
 * message, not by line: the change moves the lines below it.
 */
export function attributeErrors(after: readonly CompilerError[], before: readonly CompilerError[] | undefined, generated: GeneratedCode | undefined, proposedText: string | undefined): Attribution {
  const budget = new Map<string, number>();
  for (const e of before ?? []) budget.set(keyOf(e), (budget.get(keyOf(e)) ?? 0) + 1);
  const lines = generated && proposedText !== undefined ? codeLineMap(proposedText, generated.code) : new Map();
  const out: Attribution = { caused: [], preExisting: [] };
  for (const e of after) {
    const mapped = generated && e.file === generated.file && e.line !== undefined ? lines.get(e.line) : undefined;
    const left = budget.get(keyOf(e)) ?? 0;
    // An error inside the generated lines is the change's own, whatever the baseline says.
    if (!mapped && left > 0) {
      budget.set(keyOf(e), left - 1);
      out.preExisting.push(e);
      continue;
    }
    out.caused.push({
      ...e,
      ...(mapped ? { codeLine: mapped.codeLine, ...(e.column !== undefined ? { codeColumn: Math.max(1, e.column - mapped.indentDelta) } : {}) } : {}),
    });
  }
  return out;
}
