import type { Node } from 'web-tree-sitter';
import { compactText, docLineText, flatten, isComment, isOpen, isWord, joinDoc, matchClose, sourceText, splitTopLevel, unquote, type Token } from './tokens';

/**
 * One attribute item, Rust "meta" style: `path`, `path = value` or `path(list, …)`.
 * `diesel(table_name = users, primary_key(a, b))` is a list whose items are metas again.
 */
export interface Meta {
  path: string;
  /** Right side of `=`: a string literal's contents, or the tokens as written. */
  value?: string;
  /** The value was a string literal (`table_name = "users"`, Diesel 1.x style). */
  quoted?: boolean;
  list?: Meta[];
  /** The item as written, whitespace collapsed. */
  text: string;
}

const isPathToken = (t: Token): boolean => isWord(t) || t.text === '::' || t.type === 'crate' || t.type === 'self' || t.type === 'super';

export function parseMeta(tokens: readonly Token[], src: string): Meta {
  const code = tokens.filter((t) => !isComment(t));
  let i = 0;
  while (i < code.length && isPathToken(code[i]!)) i++;
  const meta: Meta = { path: compactText(code.slice(0, i)), text: sourceText(src, code) };
  const rest = code.slice(i);
  if (rest[0]?.text === '=') {
    const value = rest.slice(1);
    const lit = value.length === 1 && /string_literal$/.test(value[0]!.type);
    if (lit) {
      meta.value = unquote(value[0]!.text);
      meta.quoted = true;
    } else if (value.length) {
      meta.value = value.every(isPathToken) ? compactText(value) : sourceText(src, value);
    }
  } else if (isOpen(rest[0])) {
    const close = matchClose(rest, 0);
    meta.list = parseMetaList(rest.slice(1, close < 0 ? rest.length : close), src);
  }
  return meta;
}

export function parseMetaList(tokens: readonly Token[], src: string): Meta[] {
  return splitTopLevel(tokens).map((part) => parseMeta(part, src));
}

export function lastSegment(path: string): string {
  const parts = path.split('::');
  return parts[parts.length - 1] ?? path;
}

/** Value of `key = value` inside a meta list. */
export function metaValue(list: readonly Meta[] | undefined, key: string): string | undefined {
  return list?.find((m) => m.path === key && m.value !== undefined)?.value;
}

/**
 * Attributes that `cfg_attr(condition, a, b)` applies, flattened with the plain ones, so
 * `cfg_attr(feature = "x", derive(Insertable))` counts like `derive(Insertable)`.
 */
export function effectiveMetas(metas: readonly Meta[]): Meta[] {
  const out: Meta[] = [];
  for (const m of metas) {
    if (m.path === 'cfg_attr' && m.list) out.push(...effectiveMetas(m.list.slice(1)));
    else out.push(m);
  }
  return out;
}

/** Outer attributes and doc comments written right before an item. */
export interface LeadingAttrs {
  metas: Meta[];
  /** Each attribute as written without `#[`/`]`. */
  texts: string[];
  doc?: string;
  /** Offset where the item's attributes/docs begin (the item's own start when it has none). */
  start: number;
}

/**
 * Reads the `#[...]` attributes and `///` comments preceding `node` (tree-sitter makes them
 * siblings, not children, of the item). Plain `//` comments in between are skipped.
 */
export function leadingAttrs(node: Node, src: string): LeadingAttrs {
  const items: Node[] = [];
  for (let p = node.previousSibling; p; p = p.previousSibling) {
    if (p.type === 'attribute_item') items.push(p);
    else if (p.type === 'line_comment' || p.type === 'block_comment') items.push(p);
    else break;
  }
  items.reverse();
  const metas: Meta[] = [];
  const texts: string[] = [];
  const docLines: string[] = [];
  let start = node.startIndex;
  let first = true;
  for (const it of items) {
    if (it.type === 'attribute_item') {
      const meta = readAttributeItem(it, src);
      metas.push(meta);
      texts.push(meta.text);
      if (meta.path === 'doc' && meta.quoted && meta.value !== undefined) docLines.push(meta.value.replace(/^ /, ''));
    } else {
      const t = flatten(it)[0];
      if (!t?.doc || t.doc !== 'outer') continue;
      docLines.push(docLineText(t));
    }
    if (first) start = it.startIndex;
    first = false;
  }
  const doc = joinDoc(docLines);
  return { metas, texts, ...(doc !== undefined ? { doc } : {}), start };
}

/** The meta inside one `#[...]` attribute_item node. */
export function readAttributeItem(node: Node, src: string): Meta {
  const toks = flatten(node);
  const open = toks.findIndex((t) => t.text === '[');
  const close = open < 0 ? -1 : matchClose(toks, open);
  return parseMeta(toks.slice(open + 1, close < 0 ? toks.length : close), src);
}
