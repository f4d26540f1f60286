import type * as TS from 'typescript';
import type { Node } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../../core/diagnostics';
import type { EditOp, FileChange } from '../../domain';
import { parseRustFile } from '../../rust';
import { withRustTree } from '../../rust/parser';
import { applyActixRegister } from './actixRegisterOp';
import { useCoverage } from '../../rust/uses';
import { applySetClasses } from '../tsx/classOps';
import { applyAddRoute } from '../tsx/routeOp';

/**
 * Applies edit operations to a file's text by syntax, not by offsets: every op finds its anchor
 * (the impl block, the use block, the last `table!`) in the CURRENT text. That is what lets a
 * proposal be re-applied after the user edited the file. Ops already applied are skipped, so
 * applying twice changes nothing. Pure; needs `await initRustParser()` first.
 */

export interface ApplyResult {
  text: string;
  diagnostics: Diagnostic[];
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Indents every non-blank line of `code` by `indent`. */
export function indentCode(code: string, indent: string): string {
  return code
    .split('\n')
    .map((l) => (l.trim() ? indent + l : ''))
    .join('\n');
}

/**
 * `code` (indented in steps of 4 spaces, as rustfmt writes it) re-indented in the file's own step
 * (tabs, 2 spaces) so the inserted function looks like its neighbours.
 */
export function matchIndentStep(code: string, step: string): string {
  if (step === '    ' || !step) return code;
  return code
    .split('\n')
    .map((l) => {
      const lead = /^ */.exec(l)![0].length;
      return step.repeat(Math.floor(lead / 4)) + ' '.repeat(lead % 4) + l.slice(lead);
    })
    .join('\n');
}

/** The indentation step a file uses: a tab, or the smallest indent of its indented lines. */
export function indentStep(text: string): string {
  const lines = text.split('\n').filter((l) => /^[ \t]+\S/.test(l) && !/^\s*(?:\*|\/\/)/.test(l));
  if (lines.filter((l) => l.startsWith('\t')).length > lines.length / 2) return '\t';
  const sizes = lines.map((l) => /^ */.exec(l)![0].length).filter((n) => n > 0);
  const min = sizes.length ? Math.min(...sizes) : 4;
  return ' '.repeat(min >= 2 && min <= 8 ? min : 4);
}

function lineIndent(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Top-level items, looking into ERROR nodes (a file mid-edit still has its items found). */
function topItems(root: Node): Node[] {
  const out: Node[] = [];
  for (const c of root.namedChildren) {
    if (!c) continue;
    if (c.type === 'ERROR') out.push(...topItems(c));
    else out.push(c);
  }
  return out;
}

function macroName(n: Node): string | undefined {
  if (n.type === 'macro_invocation') return n.childForFieldName('macro')?.text.replace(/\s+/g, '').replace(/^(?:::)?diesel::/, '');
  if (n.type === 'expression_statement') {
    const inner = n.namedChildren[0];
    return inner ? macroName(inner) : undefined;
  }
  return undefined;
}

/** The base name of an impl's self type: `impl<'a> NewUser<'a>` → `NewUser`. */
function implTypeName(n: Node): string | undefined {
  const type = n.childForFieldName('type');
  if (!type) return undefined;
  const base = type.type === 'generic_type' ? (type.childForFieldName('type') ?? type) : type;
  return base.text.split('::').pop();
}

function insertAt(text: string, at: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at);
}

function fnName(code: string): string | undefined {
  return /\bfn\s+((?:r#)?\w+)/.exec(code)?.[1];
}

function applyInsertInImpl(text: string, typeName: string, code: string, ds: Diagnostic[]): string {
  const name = fnName(code);
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const impl = items.find((n) => n.type === 'impl_item' && !n.childForFieldName('trait') && implTypeName(n) === typeName);
    if (impl) {
      const body = impl.childForFieldName('body')!;
      const members = body.namedChildren.filter((c): c is Node => c !== null);
      const same = members.find((c) => c.type === 'function_item' && c.childForFieldName('name')?.text === name);
      if (same) {
        if (collapse(same.text) === collapse(code.replace(/^(?:\s*(?:\/\/\/[^\n]*|#\[[^\n]*\])\n)*/, ''))) return text;
        ds.push(diag('error', 'duplicate-fn', `\`impl ${typeName}\` already has a function \`${name}\`; nothing was inserted.`, { line: same.startPosition.row + 1 }));
        return text;
      }
      const implIndent = lineIndent(text, impl.startIndex);
      const step = indentStep(text);
      const firstMember = members.find((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
      const unit = firstMember ? lineIndent(text, firstMember.startIndex) : `${implIndent}${step}`;
      const innerIndent = unit.length > implIndent.length ? unit : `${implIndent}${step}`;
      const close = body.endIndex - 1;
      const last = members[members.length - 1];
      const from = last ? last.endIndex : body.startIndex + 1;
      const block = indentCode(matchIndentStep(code, step), innerIndent);
      return `${text.slice(0, from)}${last ? '\n\n' : '\n'}${block}\n${implIndent}${text.slice(close)}`;
    }
    const owner = items.find((n) => (n.type === 'struct_item' || n.type === 'enum_item') && n.childForFieldName('name')?.text === typeName);
    const step = indentStep(text);
    const block = `impl ${typeName} {\n${indentCode(matchIndentStep(code, step), step)}\n}`;
    if (owner) return insertAt(text, owner.endIndex, `\n\n${block}`);
    ds.push(diag('warning', 'struct-missing', `No \`struct ${typeName}\` in this file; \`impl ${typeName}\` was added at the end.`));
    return appendAtEnd(text, block);
  });
}

/** A module-level function after the file's last one (before a trailing `#[cfg(test)] mod`), or at the end. */
function applyInsertFn(text: string, code: string, ds: Diagnostic[]): string {
  const name = fnName(code);
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const same = items.find((n) => n.type === 'function_item' && n.childForFieldName('name')?.text === name);
    if (same) {
      if (collapse(same.text) === collapse(code.replace(/^(?:\s*(?:\/\/\/[^\n]*|#\[[^\n]*\])\n)*/, ''))) return text;
      ds.push(diag('error', 'duplicate-fn', `The file already has a function \`${name}\`; nothing was inserted.`, { line: same.startPosition.row + 1 }));
      return text;
    }
    const block = matchIndentStep(code, indentStep(text));
    const fns = items.filter((n) => n.type === 'function_item');
    const last = fns[fns.length - 1];
    if (last) return insertAt(text, last.endIndex, `\n\n${block}`);
    return appendAtEnd(text, block);
  });
}

function appendAtEnd(text: string, block: string, sep = '\n\n'): string {
  const trimmed = text.replace(/\s+$/, '');
  return trimmed ? `${trimmed}${sep}${block}\n` : `${block}\n`;
}

/** Where new top-of-file lines go when a file has no `use`/`mod` yet: after `//!` docs and `#![...]`. */
function headerEnd(root: Node): number {
  let end = 0;
  for (const c of root.children) {
    if (!c) continue;
    if (c.type === 'inner_attribute_item' || (c.type === 'line_comment' && /^\/\/!/.test(c.text)) || (c.type === 'block_comment' && c.text.startsWith('/*!'))) end = c.endIndex;
    else if (c.type !== 'line_comment' && c.type !== 'block_comment') break;
  }
  return end;
}

function applyAddUses(text: string, uses: readonly string[], ds: Diagnostic[]): string {
  const info = parseRustFile(text);
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const topUses = items.filter((n) => n.type === 'use_declaration');
    const existing = info.uses.filter((u) => topUses.some((n) => n.startIndex === u.span.startIndex)).flatMap((u) => u.items ?? [u.path]);
    const add: string[] = [];
    for (const raw of uses) {
      const path = raw.trim().replace(/^pub\s+/, '').replace(/^use\s+/, '').replace(/;\s*$/, '').replace(/\s+/g, ' ');
      if (!path) continue;
      const cov = useCoverage(path, [...existing, ...add]);
      if (cov === 'missing') add.push(path);
      else if (cov === 'conflict') ds.push(diag('info', 'use-conflict', `Not adding \`use ${path};\`: the file already imports another item with that name.`));
    }
    if (!add.length) return text;
    const lines = add.map((p) => `use ${p};`).join('\n');
    // The use block: the last top-level `use` before the first other item (mods and comments don't end it).
    let anchor: Node | undefined;
    for (const n of items) {
      if (n.type === 'use_declaration') anchor = n;
      else if (!['mod_item', 'line_comment', 'block_comment', 'attribute_item', 'inner_attribute_item', 'extern_crate_declaration'].includes(n.type) || (n.type === 'mod_item' && n.childForFieldName('body'))) {
        if (anchor) break;
      }
    }
    anchor ??= topUses[topUses.length - 1];
    if (anchor) return insertAt(text, anchor.endIndex, `\n${lines}`);
    const mods = items.filter((n) => n.type === 'mod_item' && !n.childForFieldName('body'));
    const lastMod = mods[mods.length - 1];
    if (lastMod) return insertAt(text, lastMod.endIndex, `\n\n${lines}`);
    const at = headerEnd(tree.rootNode);
    const before = text.slice(0, at).replace(/\s+$/, '');
    const after = text.slice(at).replace(/^\s*\n/, '');
    return `${before}${at ? '\n\n' : ''}${lines}\n${after.trim() ? '\n' : ''}${after}`;
  });
}

function applyAddMod(text: string, name: string, isPub: boolean): string {
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const mods = items.filter((n) => n.type === 'mod_item');
    if (mods.some((m) => m.childForFieldName('name')?.text === name)) return text;
    const line = `${isPub ? 'pub ' : ''}mod ${name};`;
    const decls = mods.filter((m) => !m.childForFieldName('body'));
    if (decls.length) {
      const names = decls.map((m) => m.childForFieldName('name')?.text ?? '');
      const sorted = names.every((n, i) => i === 0 || names[i - 1]! <= n);
      const next = sorted ? decls.find((m) => (m.childForFieldName('name')?.text ?? '') > name) : undefined;
      if (next) {
        // Attributes above the next declaration (`#[cfg(test)]`) stay with it.
        let first = next;
        while (first.previousSibling?.type === 'attribute_item') first = first.previousSibling;
        return insertAt(text, text.lastIndexOf('\n', first.startIndex - 1) + 1, `${line}\n`);
      }
      return insertAt(text, decls[decls.length - 1]!.endIndex, `\n${line}`);
    }
    const at = headerEnd(tree.rootNode);
    const before = text.slice(0, at).replace(/\s+$/, '');
    const after = text.slice(at).replace(/^\s*\n/, '');
    return `${before}${at ? '\n\n' : ''}${line}\n${after.trim() ? '\n' : ''}${after}`;
  });
}

function applyAppendItem(text: string, code: string): string {
  const kind = /^\s*(?:#\[[^\n]*\]\s*)*(?:diesel::)?(table|joinable|allow_tables_to_appear_in_same_query)!/.exec(code)?.[1];
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const wanted = collapse(code);
    if (items.some((n) => collapse(n.text) === wanted)) return text;
    if (kind === 'table' || kind === 'joinable') {
      const same = items.filter((n) => macroName(n) === kind);
      const fallback = kind === 'joinable' ? items.filter((n) => macroName(n) === 'table') : [];
      const anchor = same[same.length - 1] ?? fallback[fallback.length - 1];
      if (anchor) {
        // Macro invocations at module level end at `}` or `)`; a following `;` belongs to them.
        let end = anchor.endIndex;
        if (text[end] === ';') end++;
        const sep = kind === 'joinable' && same.length ? '\n' : '\n\n';
        return insertAt(text, end, `${sep}${code}`);
      }
    }
    return appendAtEnd(text, code);
  });
}

/** Identifiers listed in a macro's token tree. */
function listedNames(macro: Node): string[] {
  const tt = macro.namedChildren.find((c) => c?.type === 'token_tree');
  return tt ? [...tt.text.matchAll(/(?:r#)?[A-Za-z_]\w*/g)].map((m) => m[0]) : [];
}

function applyAllowTables(text: string, tables: readonly string[]): string {
  return withRustTree(text, (tree) => {
    const items = topItems(tree.rootNode);
    const macro = items.map((n) => (n.type === 'expression_statement' ? n.namedChildren[0] : n)).find((n): n is Node => !!n && macroName(n) === 'allow_tables_to_appear_in_same_query');
    if (!macro) {
      const declared = items.filter((n) => macroName(n) === 'table').map((n) => /\{\s*(?:use[^;]*;\s*)*(?:#\[[^\]]*\]\s*)*(?:\w+\s*\.\s*)?((?:r#)?\w+)/.exec(n.text)?.[1]).filter((x): x is string => !!x);
      const all = [...new Set([...declared, ...tables])];
      if (all.length < 2) return text;
      return appendAtEnd(text, `diesel::allow_tables_to_appear_in_same_query!(${all.join(', ')},);`);
    }
    const present = new Set(listedNames(macro));
    const missing = tables.filter((t) => !present.has(t));
    if (!missing.length) return text;
    const tt = macro.namedChildren.find((c) => c?.type === 'token_tree')!;
    const inner = text.slice(tt.startIndex + 1, tt.endIndex - 1);
    const close = tt.endIndex - 1;
    if (inner.includes('\n')) {
      const lastLine = inner.trimEnd().split('\n').pop() ?? '';
      const indent = /^\s*/.exec(lastLine)![0] || '    ';
      const trailing = inner.trimEnd().endsWith(',');
      const head = text.slice(0, tt.startIndex + 1) + inner.trimEnd() + (trailing ? '' : ',');
      return `${head}\n${missing.map((m) => `${indent}${m},`).join('\n')}\n${lineIndent(text, macro.startIndex)}${text.slice(close)}`;
    }
    const trimmed = inner.trimEnd();
    const trailing = trimmed.endsWith(',');
    const added = trailing ? `${trimmed} ${missing.join(', ')},` : `${trimmed}, ${missing.join(', ')}`;
    return text.slice(0, tt.startIndex + 1) + added + text.slice(close);
  });
}

/** What the TSX ops (`addRoute`, `setClasses`) need: the TypeScript compiler and the file's name (for its kind). */
export interface ApplyEnv {
  ts?: typeof TS;
  file?: string;
}

/** Applies `ops` in order to `text` (the file's current content; '' for a new file). */
export function applyOps(text: string, ops: readonly EditOp[], env: ApplyEnv = {}): ApplyResult {
  const diagnostics: Diagnostic[] = [];
  const crlf = /\r\n/.test(text);
  let s = crlf ? text.replace(/\r\n/g, '\n') : text;
  for (const op of ops) {
    switch (op.op) {
      case 'createFile':
        s = op.content.replace(/\r\n/g, '\n');
        break;
      case 'insertInImpl':
        s = applyInsertInImpl(s, op.typeName, op.code.replace(/\r\n/g, '\n'), diagnostics);
        break;
      case 'insertFn':
        s = applyInsertFn(s, op.code.replace(/\r\n/g, '\n'), diagnostics);
        break;
      case 'addUses':
        s = applyAddUses(s, op.uses, diagnostics);
        break;
      case 'appendItem':
        s = applyAppendItem(s, op.code.replace(/\r\n/g, '\n').trim());
        break;
      case 'addMod':
        s = applyAddMod(s, op.name, op.pub);
        break;
      case 'allowTables':
        s = applyAllowTables(s, op.tables);
        break;
      case 'actixRegister':
        s = applyActixRegister(s, op, diagnostics);
        break;
      case 'addRoute':
      case 'setClasses': {
        if (!env.ts) {
          diagnostics.push(diag('error', 'typescript-missing', 'TypeScript is not installed in the frontend (run `npm install` there): nocodo needs it to apply this change to the file as it is now.'));
          break;
        }
        const file = env.file ?? 'component.tsx';
        s = op.op === 'addRoute' ? applyAddRoute(env.ts, file, s, op, diagnostics) : applySetClasses(env.ts, file, s, op, diagnostics);
        break;
      }
    }
  }
  if (s && !s.endsWith('\n')) s += '\n';
  return { text: crlf ? s.replace(/\n/g, '\r\n') : s, diagnostics };
}

/** A FileChange whose `proposed` is exactly `applyOps(original ?? '', ops)`. */
export function fileChange(path: string, original: string | undefined, ops: EditOp[], env: ApplyEnv = {}): { change: FileChange; diagnostics: Diagnostic[] } {
  const r = applyOps(original ?? '', ops, { file: path, ...env });
  return { change: { path, original: original ?? null, proposed: r.text, ops }, diagnostics: r.diagnostics.map((d) => ({ ...d, file: path })) };
}
