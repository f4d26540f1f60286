import type { Node } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../../core/diagnostics';
import { withRustTree } from '../../rust/parser';
import { unclosedBraces } from '../postprocess';

/**
 * Syntax-level choice of the ONE artifact a mode asked for, out of cleaned answer code that may
 * hold several items (imports, a second function, an `impl` wrapper, a `fn main`).
 * Needs `await initRustParser()` first.
 */

export interface FnArtifact {
  name: string;
  /** The function with its doc comments and attributes, dedented to column 0. */
  code: string;
  /** Paths of the answer's top-level `use` declarations (`diesel::prelude::*`), as written. */
  uses: string[];
  diagnostics: Diagnostic[];
}

export interface MacroArtifact {
  /** Table name the `table!` declares (first word of its body). */
  name: string;
  code: string;
  diagnostics: Diagnostic[];
}

/** Removes the indentation all non-blank lines share. */
export function dedent(text: string): string {
  const lines = text.replace(/\t/g, '    ').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(Math.min(cut, /^ */.exec(l)![0].length)).trimEnd())
    .join('\n')
    .trim();
}

/** Start offset of `node` including the doc comments and attributes right above it. */
function leadingStart(node: Node): number {
  let start = node.startIndex;
  let prev = node.previousSibling;
  while (prev && (prev.type === 'attribute_item' || (prev.type === 'line_comment' && /^\/\/\/(?!\/)/.test(prev.text)) || (prev.type === 'block_comment' && prev.text.startsWith('/**')))) {
    start = prev.startIndex;
    prev = prev.previousSibling;
  }
  return start;
}

/** The text of `node` with its leading attributes, cut from the start of its first line so dedent works. */
function itemText(src: string, node: Node): string {
  const start = leadingStart(node);
  const lineStart = src.lastIndexOf('\n', start - 1) + 1;
  const head = src.slice(lineStart, start);
  return dedent((/^\s*$/.test(head) ? head : '') + src.slice(start, node.endIndex));
}

interface FnCandidate {
  name: string;
  code: string;
  /** `impl` it was found in (`impl Order { … }`), if any. */
  implType?: string;
  inTraitImpl: boolean;
}

const truncatedDiag = (n: number): Diagnostic =>
  diag('error', 'truncated', `The code is cut off: ${n} \`{\` never closed (the answer probably hit the token limit).`);

/**
 * Picks the function: the one named `wantedName` if present, else the first that is not `main`.
 * Functions inside an `impl` are unwrapped. Unbalanced braces reject the answer.
 */
export function extractFunction(code: string, opts: { wantedName?: string } = {}): FnArtifact | { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const open = unclosedBraces(code);
  if (open > 0) return { diagnostics: [truncatedDiag(open)] };
  const uses: string[] = [];
  const fns: FnCandidate[] = [];
  const dropped: string[] = [];

  withRustTree(code, (tree) => {
    const visit = (container: Node, implType: string | undefined, inTrait: boolean): void => {
      for (const node of container.namedChildren) {
        if (!node) continue;
        switch (node.type) {
          case 'use_declaration': {
            const arg = node.childForFieldName('argument');
            if (arg && !implType) uses.push(arg.text.replace(/\s+/g, ''));
            break;
          }
          case 'function_item': {
            const name = node.childForFieldName('name')?.text ?? '';
            fns.push({ name, code: itemText(code, node), ...(implType ? { implType } : {}), inTraitImpl: inTrait });
            break;
          }
          case 'impl_item': {
            const type = node.childForFieldName('type');
            const body = node.childForFieldName('body');
            const base = type?.type === 'generic_type' ? (type.childForFieldName('type') ?? type) : type;
            if (body) visit(body, base?.text ?? '?', node.childForFieldName('trait') !== null);
            break;
          }
          case 'ERROR':
            visit(node, implType, inTrait);
            break;
          case 'attribute_item':
          case 'line_comment':
          case 'block_comment':
          case 'extern_crate_declaration':
          case 'inner_attribute_item':
            break;
          case 'mod_item':
            dropped.push(`mod ${node.childForFieldName('name')?.text ?? ''}`);
            break;
          default:
            if (/_item$|^macro_invocation$/.test(node.type)) dropped.push(node.text.split('\n')[0]!.slice(0, 50));
        }
      }
    };
    visit(tree.rootNode, undefined, false);
  });

  const pool = fns.filter((f) => !f.inTraitImpl);
  const usable = (pool.length ? pool : fns).filter((f) => f.name !== 'main' || opts.wantedName === 'main');
  if (!usable.length) {
    diagnostics.push(diag('error', 'no-function', fns.length ? 'The answer holds only `fn main`, not the function asked for.' : 'The answer holds no Rust function.'));
    return { diagnostics };
  }
  const chosen = (opts.wantedName ? usable.find((f) => f.name === opts.wantedName) : undefined) ?? usable[0]!;
  const others = usable.filter((f) => f !== chosen && f.code !== chosen.code);
  if (others.length) {
    diagnostics.push(
      diag('warning', 'extra-functions', `The answer had ${others.length + 1} functions (${[chosen, ...others].map((f) => `\`${f.name}\``).join(', ')}); kept \`${chosen.name}\` only.`),
    );
  }
  if (chosen.implType) diagnostics.push(diag('info', 'impl-unwrapped', `Took \`${chosen.name}\` out of the \`impl ${chosen.implType}\` block the answer wrapped it in.`));
  if (fns.some((f) => f.name === 'main') && chosen.name !== 'main') diagnostics.push(diag('info', 'dropped-main', 'Dropped the `fn main` the answer added.'));
  if (dropped.length) diagnostics.push(diag('info', 'dropped-items', `Dropped other items from the answer: ${dropped.map((d) => `\`${d}\``).join(', ')}.`));
  return { name: chosen.name, code: chosen.code, uses, diagnostics };
}

/** `table!` / `diesel::table!` invocations (also inside error-recovered regions). */
function tableMacros(root: Node): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'macro_invocation') {
      const name = n.childForFieldName('macro')?.text.replace(/\s+/g, '');
      if (name === 'table' || name === 'diesel::table' || name === '::diesel::table') out.push(n);
      return;
    }
    for (const c of n.namedChildren) if (c) walk(c);
  };
  walk(root);
  return out;
}

/** The table a `table!` text declares: the first identifier of its body (after `use` lines and attributes). */
export function tableNameOf(macroText: string): string | undefined {
  const body = macroText.slice(macroText.indexOf('{') + 1);
  const cleaned = body
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\buse\s[^;]*;/g, '')
    .replace(/#\[[^\]]*\]/g, '');
  const m = /^\s*(?:[A-Za-z_]\w*\s*\.\s*)?((?:r#)?[A-Za-z_]\w*)/.exec(cleaned);
  return m?.[1];
}

/** Picks the one `table!` of an answer: the one declaring `wantedName` if given, else the first. */
export function extractTableMacro(code: string, opts: { wantedName?: string } = {}): MacroArtifact | { diagnostics: Diagnostic[] } {
  const open = unclosedBraces(code);
  if (open > 0) return { diagnostics: [truncatedDiag(open)] };
  const found = withRustTree(code, (tree) => tableMacros(tree.rootNode).map((n) => itemText(code, n)));
  if (!found.length) {
    const sql = /\bcreate\s+table\b/i.test(code) ? ' It wrote SQL (`CREATE TABLE`); a Diesel `diesel::table!` block was asked for.' : '';
    return { diagnostics: [diag('error', 'no-table-macro', `The answer holds no \`diesel::table!\` block.${sql}`)] };
  }
  const items = found.map((text) => ({ text, name: tableNameOf(text) ?? '' }));
  const chosen = (opts.wantedName ? items.find((i) => i.name === opts.wantedName) : undefined) ?? items[0]!;
  const diagnostics: Diagnostic[] = [];
  if (items.length > 1) {
    diagnostics.push(diag('warning', 'extra-tables', `The answer declared ${items.length} tables (${items.map((i) => `\`${i.name}\``).join(', ')}); kept \`${chosen.name}\` only.`));
  }
  return { name: chosen.name, code: chosen.text, diagnostics };
}

/** The function name a request asks for: `fn find_x`, `` `find_x` ``, "called find_x". */
export function wantedFunctionName(request: string): string | undefined {
  const m = /\bfn\s+([a-z_][a-z0-9_]*)/.exec(request) ?? /`([a-z_][a-z0-9_]*)`/.exec(request) ?? /\b(?:called|named)\s+([a-z_][a-z0-9_]*_[a-z0-9_]+)\b/.exec(request);
  return m?.[1];
}
