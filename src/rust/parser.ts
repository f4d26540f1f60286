import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Edit, Language, Parser, type Point, type Tree } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../core/diagnostics';

const RUNTIME_WASM = 'web-tree-sitter.wasm';
const RUST_WASM = 'tree-sitter-rust.wasm';

let wasmDirOverride: string | undefined;
let loading: Promise<Parser> | undefined;
let ready: Parser | undefined;

/**
 * Folder that holds `web-tree-sitter.wasm` and `tree-sitter-rust.wasm`, tried before the
 * built-in locations. Call it before the first parse; a load that failed is retried on the next
 * call, so fixing the folder after a failure works.
 */
export function setWasmDir(dir: string | undefined): void {
  wasmDirOverride = dir;
}

/** Folders to look in, most specific first: explicit, env, beside the bundle, node_modules, cwd. */
function candidateDirs(file: string): string[] {
  const dirs: string[] = [];
  if (wasmDirOverride) dirs.push(wasmDirOverride);
  const env = process.env.NOCODO_WASM_DIR;
  if (env) dirs.push(env);
  // In the esbuild bundle import.meta.url is the bundle's own file (dist/), where build.mjs copies the wasm.
  const here = moduleDir();
  if (here) dirs.push(here);
  const pkgFile = file === RUNTIME_WASM ? 'web-tree-sitter/web-tree-sitter.wasm' : 'tree-sitter-rust/tree-sitter-rust.wasm';
  for (const base of [import.meta.url, path.join(process.cwd(), 'package.json')]) {
    try {
      dirs.push(path.dirname(createRequire(base).resolve(pkgFile)));
    } catch {
      // not resolvable from there; try the next base
    }
  }
  const pkgDir = file === RUNTIME_WASM ? 'web-tree-sitter' : 'tree-sitter-rust';
  dirs.push(path.join(process.cwd(), 'node_modules', pkgDir), path.join(process.cwd(), 'dist'));
  return [...new Set(dirs)];
}

function moduleDir(): string | undefined {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

/** First existing location of a wasm file, or an error that lists every place tried. */
export function locateWasm(file: string): string {
  const tried = candidateDirs(file).map((d) => path.join(d, file));
  const found = tried.find((p) => existsSync(p));
  if (!found) throw new Error(`Cannot find ${file}; looked in:\n  ${tried.join('\n  ')}\nCall setWasmDir() or set NOCODO_WASM_DIR.`);
  return found;
}

async function load(): Promise<Parser> {
  const runtime = locateWasm(RUNTIME_WASM);
  await Parser.init({ locateFile: (name: string) => (name === RUNTIME_WASM ? runtime : locateWasm(name)) });
  const bytes = await fs.readFile(locateWasm(RUST_WASM));
  const language = await Language.load(new Uint8Array(bytes));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Loads the tree-sitter runtime and the Rust grammar once; later calls reuse them. */
export async function initRustParser(): Promise<void> {
  if (ready) return;
  loading ??= load().then(
    (p) => (ready = p),
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  await loading;
}

export function isRustParserReady(): boolean {
  return ready !== undefined;
}

/**
 * Parses Rust text synchronously (after `initRustParser()`) and hands the tree to `use`, which
 * only reads it. Large texts keep their tree in a small cache keyed on the exact text: a
 * generation parses the same schema and model files again and again (reading the project,
 * applying each edit op), and a text that differs from a cached one by one splice (an op that
 * inserted a function or a `table!`) is parsed incrementally from that tree. Small texts (an
 * answer, a `use` line) are parsed fresh and freed at once: trees live in wasm memory, which the
 * JS garbage collector does not reclaim.
 */
export function withRustTree<T>(text: string, use: (tree: Tree) => T): T {
  if (!ready) throw new Error('The Rust parser is not loaded yet: await initRustParser() before parsing.');
  const entry = treeFor(ready, text);
  try {
    return use(entry.tree);
  } catch (err) {
    // The readers walk trees iteratively; a stack overflow left in a rarer recursive helper
    // becomes a clear error about the input instead of a RangeError with a stack trace.
    if (err instanceof RangeError && /call stack/i.test(err.message)) throw new RustNestingError(treeDepth(entry.tree));
    throw err;
  } finally {
    release(entry);
  }
}

interface TreeEntry {
  text: string;
  tree: Tree;
  /** withRustTree calls reading it now (a reader may parse another text meanwhile). */
  users: number;
  cached: boolean;
}

/** Texts shorter than this are parsed fresh: they cost little, and would push the big ones out. */
const MIN_CACHED_CHARS = 512;
const MAX_CACHED_TREES = 12;
const MAX_CACHED_CHARS = 1_000_000;
/** Most recently used last. */
const treeCache: TreeEntry[] = [];

function treeFor(parser: Parser, text: string): TreeEntry {
  const hit = treeCache.findIndex((e) => e.text === text);
  if (hit >= 0) {
    const entry = treeCache.splice(hit, 1)[0]!;
    treeCache.push(entry);
    entry.users++;
    return entry;
  }
  const depth = bracketDepth(text);
  if (depth > MAX_BRACKET_DEPTH) throw new RustNestingError(depth, 'brackets');
  const base = text.length >= MIN_CACHED_CHARS ? closestCached(text) : undefined;
  let tree: Tree | null;
  if (base) {
    const old = base.entry.tree.copy();
    try {
      old.edit(base.edit);
      tree = parser.parse(text, old);
    } finally {
      old.delete();
    }
  } else tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree.');
  const entry: TreeEntry = { text, tree, users: 1, cached: text.length >= MIN_CACHED_CHARS };
  if (entry.cached) {
    treeCache.push(entry);
    evict();
  }
  return entry;
}

function release(entry: TreeEntry): void {
  entry.users--;
  if (!entry.cached && entry.users === 0) entry.tree.delete();
}

function evict(): void {
  let chars = treeCache.reduce((n, e) => n + e.text.length, 0);
  for (let i = 0; i < treeCache.length - 1 && (treeCache.length > MAX_CACHED_TREES || chars > MAX_CACHED_CHARS); ) {
    const e = treeCache[i]!;
    if (e.users > 0) {
      i++; // being read: it goes when it is next in line and free
      continue;
    }
    treeCache.splice(i, 1);
    chars -= e.text.length;
    e.tree.delete();
  }
}

/** Frees every cached tree (tests and benchmarks that want a cold parse). */
export function clearRustTreeCache(): void {
  for (const e of treeCache.splice(0)) {
    e.cached = false;
    if (e.users === 0) e.tree.delete();
  }
}

/**
 * The cached text that `text` shares most with as one unchanged prefix and suffix around a
 * single splice, and the tree edit describing that splice; none when less than half is shared.
 */
function closestCached(text: string): { entry: TreeEntry; edit: Edit } | undefined {
  let best: { entry: TreeEntry; prefix: number; suffix: number } | undefined;
  for (const entry of treeCache) {
    const old = entry.text;
    const max = Math.min(old.length, text.length);
    const prefix = commonPrefix(old, text, max);
    const suffix = commonSuffix(old, text, max - prefix);
    if (prefix + suffix >= text.length / 2 && (!best || prefix + suffix > best.prefix + best.suffix)) best = { entry, prefix, suffix };
  }
  if (!best) return undefined;
  const old = best.entry.text;
  const start = best.prefix;
  const oldEnd = old.length - best.suffix;
  const newEnd = text.length - best.suffix;
  return {
    entry: best.entry,
    edit: new Edit({ startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: pointAt(text, start), oldEndPosition: pointAt(old, oldEnd), newEndPosition: pointAt(text, newEnd) }),
  };
}

/** Compared a chunk at a time first (string equality is native), then a character at a time. */
const CHUNK = 1024;

function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.slice(n, n + CHUNK) === b.slice(n, n + CHUNK)) n += CHUNK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of an index. */
function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Deeper than any real Rust nests its brackets; beyond it a file is refused before parsing. */
export const MAX_BRACKET_DEPTH = 512;

/** Rust text nested deeper than nocodo reads (a hostile or generated file with 100 000 brackets). */
export class RustNestingError extends Error {
  constructor(
    readonly depth: number,
    unit: 'brackets' | 'levels' = 'levels',
  ) {
    super(
      unit === 'brackets'
        ? `The Rust code nests brackets ${depth} deep (nocodo reads up to ${MAX_BRACKET_DEPTH}).`
        : `The Rust code nests ${depth} levels deep, too deep to read.`,
    );
    this.name = 'RustNestingError';
  }
}

/**
 * Runs `read` on a file's text; a file nested too deep becomes one error diagnostic for that file
 * (it is skipped, the rest of the project is still read) instead of an exception.
 */
export function readOrSkipDeep(file: string | undefined, read: () => void, report: (d: Diagnostic) => void): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof RustNestingError)) throw err;
    report(diag('error', 'rust-too-deep', `${err.message} The file was skipped.`, file !== undefined ? { file } : {}));
  }
}

/**
 * Deepest nesting of `(`, `[` and `{` outside strings, chars and comments: a linear scan, far
 * cheaper than a parse. Raw strings count as plain strings; over-counting only matters past 512.
 */
export function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'") {
      // '{' or '\n' are chars; 'a in a lifetime is not closed and is skipped as one quote.
      if (text[i + 1] === '\\') {
        const close = text.indexOf("'", i + 3);
        i = close < 0 ? text.length : close;
      } else if (text[i + 2] === "'") i += 2;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    }
  }
  return max;
}

/** Depth of the syntax tree, with a cursor (no recursion). */
function treeDepth(tree: Tree): number {
  const c = tree.walk();
  let depth = 0;
  let max = 0;
  try {
    for (;;) {
      if (c.gotoFirstChild()) {
        max = Math.max(max, ++depth);
        continue;
      }
      while (!c.gotoNextSibling()) {
        if (!c.gotoParent()) return max;
        depth--;
      }
    }
  } finally {
    c.delete();
  }
}
