import type { Node } from 'web-tree-sitter';
import { withRustTree } from '../rust/parser';

/**
 * Formatting-blind views of Rust code, for comparing a model's answer with a reference: a
 * canonical syntax tree (node kinds and tokens; whitespace, comments, commas and `use` lines
 * ignored, except a glob inside a body such as `use …::dsl::*`; runs of `.filter(…)` in a method chain compared as a set) and a token stream for the
 * listed checks. Needs `await initRustParser()`.
 */

export interface NormalizeOptions {
  /** Replace `Self` with this type name (a method may say `Self` or the struct's name). */
  selfType?: string;
  /** Keep `use` declarations (default: dropped, nocodo computes imports itself; but a glob inside a body always counts, since `use …::dsl::*` changes what the body's names mean). */
  keepUses?: boolean;
}

const COMMENTS = new Set(['line_comment', 'block_comment']);
/** Methods whose consecutive calls commute: `.filter(a).filter(b)` is `.filter(b).filter(a)`. */
const COMMUTING = new Set(['filter', 'or_filter']);

interface Segment {
  method: string;
  /** Canonical type arguments and arguments. */
  text: string;
}

/** `x.m::<T>(args)` → its parts; undefined when the node is not a method call. */
function methodCall(n: Node): { receiver: Node; method: string; typeArgs?: Node; args: Node } | undefined {
  if (n.type !== 'call_expression') return undefined;
  let fn = n.childForFieldName('function');
  const args = n.childForFieldName('arguments');
  let typeArgs: Node | undefined;
  if (fn?.type === 'generic_function') {
    typeArgs = fn.childForFieldName('type_arguments') ?? undefined;
    fn = fn.childForFieldName('function');
  }
  if (!fn || fn.type !== 'field_expression' || !args) return undefined;
  const receiver = fn.childForFieldName('value');
  const method = fn.childForFieldName('field')?.text;
  if (!receiver || !method) return undefined;
  return { receiver, method, ...(typeArgs ? { typeArgs } : {}), args };
}

function canon(n: Node, opts: NormalizeOptions): string {
  if (COMMENTS.has(n.type)) return '';
  if (n.type === 'use_declaration' && !opts.keepUses && !(n.parent?.type === 'block' && /\*\s*;?\s*$/.test(n.text))) return '';
  if (n.childCount === 0) {
    if (n.type === ',') return '';
    return n.text === 'Self' && opts.selfType ? opts.selfType : n.text;
  }
  const call = methodCall(n);
  if (call) return canonChain(n, opts);
  const parts: string[] = [];
  for (let i = 0; i < n.childCount; i++) {
    const c = n.child(i);
    if (!c) continue;
    const s = canon(c, opts);
    if (s) parts.push(s);
  }
  return `(${n.type}${parts.length ? ` ${parts.join(' ')}` : ''})`;
}

/** A method chain as base + segments, with runs of commuting calls sorted. */
function canonChain(n: Node, opts: NormalizeOptions): string {
  const segs: Segment[] = [];
  let cur: Node = n;
  for (;;) {
    const call = methodCall(cur);
    if (!call) break;
    const targs = call.typeArgs ? canon(call.typeArgs, opts) : '';
    segs.push({ method: call.method, text: `.${call.method}${targs}${canon(call.args, opts)}` });
    cur = call.receiver;
  }
  segs.reverse();
  const out: string[] = [];
  for (let i = 0; i < segs.length; ) {
    let j = i;
    while (j < segs.length && COMMUTING.has(segs[j]!.method) && segs[j]!.method === segs[i]!.method) j++;
    if (j - i > 1) {
      out.push(
        ...segs
          .slice(i, j)
          .map((s) => s.text)
          .sort(),
      );
      i = j;
    } else {
      out.push(segs[i]!.text);
      i++;
    }
  }
  return `(chain ${canon(cur, opts)} ${out.join(' ')})`;
}

/** The canonical form of `code` (one string; equal strings mean the same code up to formatting). */
export function normalizeRust(code: string, opts: NormalizeOptions = {}): string {
  return withRustTree(code, (tree) => canon(tree.rootNode, opts));
}

/** Whether two pieces of code have the same normalised syntax tree. */
export function sameSyntaxTree(a: string, b: string, opts: NormalizeOptions = {}): boolean {
  return normalizeRust(a, opts) === normalizeRust(b, opts);
}

/** Whether the code parses without syntax errors (no ERROR or MISSING nodes). */
export function parsesCleanly(code: string): boolean {
  if (!code.trim()) return false;
  return withRustTree(code, (tree) => !tree.rootNode.hasError);
}

// ---------------------------------------------------------------------------------------------
// Tokens, for the listed checks.

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d[\w.]*|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])'|::|->|=>|==|!=|<=|>=|&&|\|\||\.\.\.|\.\.=|\.\.|\S/g;

/** Code with comments blanked out (by syntax, so `//` inside strings stays). */
function withoutComments(code: string): string {
  return withRustTree(code, (tree) => {
    const cuts: [number, number][] = [];
    const walk = (n: Node): void => {
      if (COMMENTS.has(n.type)) {
        cuts.push([n.startIndex, n.endIndex]);
        return;
      }
      for (const c of n.children) if (c) walk(c);
    };
    walk(tree.rootNode);
    let out = '';
    let at = 0;
    for (const [s, e] of cuts) {
      out += code.slice(at, s) + ' ';
      at = e;
    }
    return out + code.slice(at);
  });
}

/** Tokens of a pattern or plain text (no comment handling), commas dropped. */
export function lexTokens(text: string): string[] {
  return (text.match(TOKEN) ?? []).filter((t) => t !== ',');
}

/** Tokens of Rust code: comments removed by syntax, then lexed; commas dropped. */
export function codeTokens(code: string): string[] {
  return lexTokens(withoutComments(code));
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSE = new Set([')', ']', '}']);

/**
 * Whether `pattern` occurs in `tokens` as a contiguous run, where a `...` in the pattern matches
 * any balanced (by brackets) run of tokens, possibly empty.
 */
export function containsPattern(tokens: readonly string[], pattern: string): boolean {
  const pat = lexTokens(pattern);
  if (!pat.length) return false;
  const match = (p: number, c: number): boolean => {
    if (p === pat.length) return true;
    if (pat[p] === '...') {
      // Try every balanced extension, shortest first.
      const stack: string[] = [];
      for (let k = c; k <= tokens.length; k++) {
        if (stack.length === 0 && match(p + 1, k)) return true;
        if (k === tokens.length) break;
        const t = tokens[k]!;
        if (OPEN[t]) stack.push(OPEN[t]!);
        else if (CLOSE.has(t)) {
          if (stack.pop() !== t) return false;
        }
      }
      return false;
    }
    return c < tokens.length && tokens[c] === pat[p] && match(p + 1, c + 1);
  };
  for (let i = 0; i < tokens.length; i++) if (match(0, i)) return true;
  return false;
}
