import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser, type Tree } from 'web-tree-sitter';

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
 * Parses Rust text synchronously (after `initRustParser()`), hands the tree to `use`, then frees
 * it: trees live in wasm memory, which the JS garbage collector does not reclaim.
 */
export function withRustTree<T>(text: string, use: (tree: Tree) => T): T {
  if (!ready) throw new Error('The Rust parser is not loaded yet: await initRustParser() before parsing.');
  const tree = ready.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree.');
  try {
    return use(tree);
  } finally {
    tree.delete();
  }
}
