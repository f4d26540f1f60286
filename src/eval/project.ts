import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { FileChange } from '../domain';
import { withRustTree } from '../rust/parser';

// The project a task runs on is held in memory (fixture files, overlays, masks applied); a
// scratch copy is written only for `cargo check`.
export { MemoryProjectFs } from '../core/projectFs';

const SKIP_DIRS = new Set(['target', 'node_modules', '.git', 'dist']);

/** Every file under `dir` (relative posix paths → text), skipping build folders and dot folders. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (abs: string): Promise<void> => {
    const entries = await fsp.readdir(abs, { withFileTypes: true });
    for (const e of entries) {
      const child = path.join(abs, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(child);
      } else if (e.isFile()) {
        out.set(path.relative(dir, child).split(path.sep).join('/'), await fsp.readFile(child, 'utf8'));
      }
    }
  };
  await walk(dir);
  return out;
}

/** The function item named `name` (top level or in any impl), with its doc comments and attributes. */
function findFunction(root: Node, name: string): Node | undefined {
  let found: Node | undefined;
  const walk = (n: Node): void => {
    if (found) return;
    if (n.type === 'function_item' && n.childForFieldName('name')?.text === name) {
      found = n;
      return;
    }
    for (const c of n.namedChildren) if (c) walk(c);
  };
  walk(root);
  return found;
}

/** Start of `node` including the `///` comments and attributes directly above it. */
function leadingStart(node: Node): number {
  let start = node.startIndex;
  let prev = node.previousSibling;
  while (prev && (prev.type === 'attribute_item' || (prev.type === 'line_comment' && prev.text.startsWith('///')) || (prev.type === 'block_comment' && prev.text.startsWith('/**')))) {
    start = prev.startIndex;
    prev = prev.previousSibling;
  }
  return start;
}

/** The text of function `name` in `text`, or undefined. Needs `await initRustParser()`. */
export function extractFunctionText(text: string, name: string): string | undefined {
  return withRustTree(text, (tree) => {
    const fn = findFunction(tree.rootNode, name);
    return fn ? text.slice(leadingStart(fn), fn.endIndex) : undefined;
  });
}

/**
 * Removes function `name` (with its docs and attributes, and the blank line it leaves) from
 * `text`. Returns undefined when there is no such function. Needs `await initRustParser()`.
 */
export function maskFunction(text: string, name: string): string | undefined {
  return withRustTree(text, (tree) => {
    const fn = findFunction(tree.rootNode, name);
    if (!fn) return undefined;
    const lineStart = text.lastIndexOf('\n', leadingStart(fn) - 1) + 1;
    let end = fn.endIndex;
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + 1;
    // Drop one blank line so the impl has no double gap, nor a gap before its closing brace.
    let before = text.slice(0, lineStart);
    const gapBefore = /\n[ \t]*\n$/.test(before);
    const after = /^[ \t]*\n/.exec(text.slice(end));
    if (gapBefore && after) end += after[0].length;
    else if (gapBefore && /^[ \t]*\}/.test(text.slice(end))) before = before.replace(/[ \t]*\n$/, '');
    return before + text.slice(end);
  });
}

/** Writes `files` under `dir`, then the change set's proposed texts over them. */
export async function materialize(dir: string, files: ReadonlyMap<string, string>, changes: readonly FileChange[] = []): Promise<void> {
  const all = new Map(files);
  for (const c of changes) all.set(c.path, c.proposed);
  for (const [rel, text] of all) {
    const abs = path.resolve(dir, rel);
    const back = path.relative(dir, abs);
    if (back.startsWith('..') || path.isAbsolute(back)) throw new Error(`Refusing to write ${rel}: it is outside ${dir}.`);
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.writeFile(abs, text, 'utf8');
  }
}
