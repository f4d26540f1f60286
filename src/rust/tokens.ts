import type { Node } from 'web-tree-sitter';
import { allChildren, forEachNode } from './walk';

/**
 * A leaf of the syntax tree. Macro bodies (`table!`, attributes) are flat token trees in
 * tree-sitter, and error recovery leaves loose tokens too, so both are read from this one shape.
 */
export interface Token {
  /** tree-sitter node type: `identifier`, `->`, `string_literal`, `line_comment`, … */
  type: string;
  text: string;
  /** JS string offsets. */
  start: number;
  end: number;
  /** 0-based row. */
  row: number;
  column: number;
  /** `outer` for `///` and block doc comments, `inner` for `//!` and inner block docs. */
  doc?: 'outer' | 'inner';
}

/** Node types kept whole: their children are pieces of one lexical token. */
const ATOMIC = new Set(['string_literal', 'raw_string_literal', 'char_literal', 'line_comment', 'block_comment']);

export function isComment(t: Token): boolean {
  return t.type === 'line_comment' || t.type === 'block_comment';
}

function docKind(node: Node): Token['doc'] {
  for (const c of node.children) {
    if (c?.type === 'outer_doc_comment_marker') return 'outer';
    if (c?.type === 'inner_doc_comment_marker') return 'inner';
  }
  return undefined;
}

/** Leaves of `node` in source order; zero-width (MISSING) tokens are dropped. Iterative: see forEachNode. */
export function flatten(node: Node, out: Token[] = []): Token[] {
  forEachNode(
    node,
    (n) => {
      if (n.startIndex === n.endIndex) return false;
      if (n.childCount !== 0 && !ATOMIC.has(n.type)) return true;
      out.push(leaf(n));
      return false;
    },
    allChildren,
  );
  return out;
}

function leaf(node: Node): Token {
  const t: Token = {
    type: node.type,
    text: node.text,
    start: node.startIndex,
    end: node.endIndex,
    row: node.startPosition.row,
    column: node.startPosition.column,
  };
  if (t.type === 'line_comment' || t.type === 'block_comment') {
    const d = docKind(node);
    if (d) t.doc = d;
  }
  return t;
}

const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
export const isOpen = (t: Token | undefined): boolean => t !== undefined && t.text in CLOSE && t.type === t.text;
export const isClose = (t: Token | undefined): boolean => t !== undefined && (t.text === ')' || t.text === ']' || t.text === '}') && t.type === t.text;

/**
 * Index of the bracket closing the one at `open`, or -1 when the input ends first (or a
 * mismatched closer shows the group was never closed).
 */
export function matchClose(tokens: readonly Token[], open: number): number {
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOpen(t)) stack.push(CLOSE[t.text]!);
    else if (isClose(t)) {
      if (stack.pop() !== t.text) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Index after the group or token at `i` (a whole bracket group counts as one step). */
export function skipTree(tokens: readonly Token[], i: number): number {
  if (!isOpen(tokens[i])) return i + 1;
  const close = matchClose(tokens, i);
  return close < 0 ? tokens.length : close + 1;
}

/** Splits `tokens` at top-level commas (brackets nest; comments are dropped). */
export function splitTopLevel(tokens: readonly Token[], sep = ','): Token[][] {
  const parts: Token[][] = [];
  let cur: Token[] = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i]!;
    if (isComment(t)) {
      i++;
      continue;
    }
    if (t.text === sep && t.type === sep) {
      parts.push(cur);
      cur = [];
      i++;
      continue;
    }
    const next = skipTree(tokens, i);
    cur.push(...tokens.slice(i, next));
    i = next;
  }
  if (cur.length) parts.push(cur);
  return parts;
}

export const WORD = /^(?:r#)?[A-Za-z_][A-Za-z0-9_]*$/;
export const isWord = (t: Token | undefined): boolean => t !== undefined && !isComment(t) && WORD.test(t.text) && !t.type.endsWith('literal');

/** Text of the tokens with all whitespace and comments removed: `Nullable<Array<Text>>`. */
export function compactText(tokens: readonly Token[]): string {
  return tokens
    .filter((t) => !isComment(t))
    .map((t) => t.text)
    .join('');
}

/** Source text from the first to the last token, whitespace runs collapsed to one space. */
export function sourceText(src: string, tokens: readonly Token[]): string {
  const code = tokens.filter((t) => !isComment(t));
  if (!code.length) return '';
  return collapse(src.slice(code[0]!.start, code[code.length - 1]!.end));
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Contents of a Rust string literal token, with the common escapes undone. */
export function unquote(text: string): string {
  const raw = /^r(#*)"([\s\S]*)"\1$/.exec(text);
  if (raw) return raw[2]!;
  const m = /^b?"([\s\S]*)"$/.exec(text);
  if (!m) return text;
  return m[1]!.replace(/\\(n|t|r|0|\\|"|'|\n\s*)/g, (_, e: string) => {
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case '\n':
        return '';
      default:
        return e;
    }
  });
}

/** The text of a doc comment (line or block) without its markers (one leading space dropped per line). */
export function docLineText(t: Token): string {
  if (t.type === 'line_comment') return t.text.replace(/^\/\/[/!]/, '').replace(/^ /, '').replace(/\r?\n$/, '').trimEnd();
  const body = t.text.replace(/^\/\*[*!]/, '').replace(/\*\/$/, '');
  return body
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim();
}

/** Joins doc comment lines into one doc string; undefined when there is none. */
export function joinDoc(lines: readonly string[]): string | undefined {
  const text = lines.join('\n').trim();
  return text ? text : undefined;
}
