import { diag, type Diagnostic } from '../core/diagnostics';
import { findFences } from '../llm/fences';
import { splitReasoning } from '../llm/reasoning';
import { RUST_LANGUAGE } from './language';

/**
 * Text-level clean-up of a model answer, before any parsing: reasoning out, fences unwrapped,
 * prose around the code dropped. Tiny models wrap code in every way imaginable; each rule here
 * answers a shape seen in practice (see test/fixtures/model-server/messy.mjs).
 */

export interface CleanedAnswer {
  /** The code part of the answer (may still hold several items; see ./artifact). */
  code: string;
  diagnostics: Diagnostic[];
}

/** The answer of a Rust mode sits in a fence of these languages (src/pipeline/language.ts). */
const RUST_LANGS = RUST_LANGUAGE.fenceLangs;

/** Lines that can start Rust code an answer is made of. */
const CODE_START = RUST_LANGUAGE.codeStart;

/** A line that reads like an English sentence rather than code. */
function isProse(line: string): boolean {
  const t = line.trim();
  if (!t) return false;
  if (CODE_START.test(t)) return false;
  if (/^[})\]];?,?$/.test(t)) return false;
  if (/[;{}(,]$/.test(t) && !/[.!?:]$/.test(t)) return false;
  return /^(?:[*-]\s|\d+\.\s|[A-Z][\w'’]*[\s,:])/.test(t) || /[.!?:]$/.test(t);
}

/** Net `{` minus `}` of a line, ignoring strings, chars and comments (good enough for model answers). */
export function braceDelta(line: string, state: { inBlockComment: boolean }): number {
  let d = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (state.inBlockComment) {
      if (c === '*' && line[i + 1] === '/') {
        state.inBlockComment = false;
        i++;
      }
      continue;
    }
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '/' && line[i + 1] === '*') {
      state.inBlockComment = true;
      i++;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === "'" && /^'(?:\\.|[^\\'])'/.test(line.slice(i))) {
      i += line[i + 1] === '\\' ? 3 : 2;
      continue;
    }
    if (c === '{') d++;
    else if (c === '}') d--;
  }
  return d;
}

/**
 * Drops prose before the first code line and after the code ends: a line of prose at brace depth
 * zero, once code has been seen, ends the code.
 */
export function dropProse(text: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => CODE_START.test(l));
  if (start < 0) return '';
  const state = { inBlockComment: false };
  let depth = 0;
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (depth <= 0 && !state.inBlockComment && isProse(line)) {
      end = i;
      break;
    }
    depth += braceDelta(line, state);
  }
  return lines.slice(start, end).join('\n').trim();
}

/** Unclosed `{` left at the end of the code (0 when balanced; negative when there are extra `}`). */
export function unclosedBraces(code: string): number {
  const state = { inBlockComment: false };
  let depth = 0;
  for (const line of code.split(/\r?\n/)) depth += braceDelta(line, state);
  return depth;
}

export interface CleanOptions {
  /** Reasoning the server or the client already separated from the answer. */
  reasoning?: string;
  /** What a fenced block must contain to be the answer (e.g. /\bfn\b/ or /table!/). */
  looksLikeAnswer?: RegExp;
}

/**
 * From a raw answer to the code in it: thinking removed, the right fenced block(s) unwrapped
 * (or prose dropped when there are no fences). Diagnostics explain an empty result.
 */
export function cleanAnswer(raw: string, opts: CleanOptions = {}): CleanedAnswer {
  const diagnostics: Diagnostic[] = [];
  // The client already separated the reasoning it saw; an answer from elsewhere (the eval, a stored run) may still hold it.
  const { content: text, unclosedThink: unclosed } = splitReasoning(raw);
  if (unclosed) {
    diagnostics.push(diag('warning', 'unclosed-think', 'The answer opened <think> and never closed it; everything after <think> was treated as reasoning and dropped.'));
  }
  const body = text.trim();
  if (!body) {
    const why = opts.reasoning?.trim() || unclosed ? ' It only reasoned (a <think> block that never ended, or an answer cut by the token limit).' : '';
    diagnostics.push(diag('error', 'no-code', `The model gave no code.${why}`));
    return { code: '', diagnostics };
  }
  const fences = findFences(body);
  let code: string;
  if (fences.length) {
    const rustLike = fences.filter((f) => RUST_LANGS.has(f.lang) || (opts.looksLikeAnswer?.test(f.body) ?? false));
    const pool = rustLike.length ? rustLike : fences;
    const wanted = opts.looksLikeAnswer ? pool.filter((f) => opts.looksLikeAnswer!.test(f.body)) : pool;
    const chosen = wanted.length ? wanted : pool;
    code = chosen.map((f) => f.body.trim()).join('\n\n');
    // Text outside the fences may hold the code when the fences hold only a usage example.
    if (!wanted.length && opts.looksLikeAnswer) {
      const outside = dropProse(body.replace(/^\s*(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n\s*\1\s*(?:\n|$)|$)/gm, '\n'));
      if (opts.looksLikeAnswer.test(outside)) code = outside;
    }
  } else {
    code = dropProse(body);
  }
  code = code.replace(/^\s*\n/, '').trimEnd();
  if (!code.trim()) diagnostics.push(diag('error', 'no-code', 'The answer holds no code, only prose.'));
  return { code, diagnostics };
}
