import { jsonrepair } from 'jsonrepair';
import { findFences } from './fences';
import { splitReasoning } from './reasoning';

// Tiny models rarely answer with bare JSON: they think first, fence the JSON (often tagged
// `js` or `python`), chat around it, and write JS-ish literals. This finds every plausible JSON
// value in such an answer, in the order a reader would, repairing what jsonrepair can repair.

export interface JsonCandidate {
  /** The JSON text as found (before repair). */
  text: string;
  value: unknown;
  repaired: boolean;
}

export type JsonShape = 'object' | 'array' | 'any';

const MAX_CANDIDATES = 8;

/** Plausible JSON values in `answer`, best first: fenced blocks, then bracketed spans in the text. */
export function findJsonCandidates(answer: string, shape: JsonShape = 'any'): JsonCandidate[] {
  const text = splitReasoning(answer).content || answer;
  const regions = [...findFences(text).map((f) => f.body).filter((b) => b.trim()), text];
  const out: JsonCandidate[] = [];
  const seen = new Set<string>();
  for (const region of regions) {
    for (const span of bracketSpans(region, shape)) {
      if (seen.has(span)) continue;
      seen.add(span);
      const c = parseLenient(span);
      if (c) out.push(c);
      if (out.length >= MAX_CANDIDATES) return out;
    }
  }
  return out;
}

/** JSON.parse, then jsonrepair + JSON.parse; undefined when neither yields a value. */
export function parseLenient(text: string): JsonCandidate | undefined {
  try {
    return { text, value: JSON.parse(text), repaired: false };
  } catch {
    // fall through to repair
  }
  try {
    return { text, value: JSON.parse(jsonrepair(text)), repaired: true };
  } catch {
    return undefined;
  }
}

/**
 * Outermost balanced `{…}` / `[…]` spans, string-aware for both quote styles. A span never
 * closed (answer cut by max_tokens) runs to the end of the text, for jsonrepair to close.
 */
function bracketSpans(text: string, shape: JsonShape): string[] {
  const openers = shape === 'object' ? '{' : shape === 'array' ? '[' : '{[';
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = indexOfAny(text, openers, i);
    if (start < 0) break;
    const end = matchingClose(text, start);
    out.push(text.slice(start, end));
    i = end > start + 1 ? end : start + 1;
  }
  return out;
}

function indexOfAny(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i] as string)) return i;
  return -1;
}

/** Index just past the bracket closing the one at `start` (or text.length when unbalanced). */
function matchingClose(text: string, start: number): number {
  const stack: string[] = [];
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      else if (ch === '\n' && quote === "'") quote = undefined; // an apostrophe in prose, not a string
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') {
      if (stack[stack.length - 1] === ch) stack.pop();
      else return i; // mismatched: stop before it
      if (stack.length === 0) return i + 1;
    }
  }
  return text.length;
}
