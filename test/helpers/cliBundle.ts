import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../..');

/** Bundles the CLI alone into `out/cli.js` (with its wasm files beside it), as the build does. */
export async function bundleCli(out: string): Promise<string> {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [path.join(ROOT, 'src/cli/main.ts')],
    outfile: path.join(out, 'cli.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "#!/usr/bin/env node\nconst importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    loader: { '.md': 'text' },
  });
  copyFileSync(path.join(ROOT, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  copyFileSync(path.join(ROOT, 'node_modules/tree-sitter-rust/tree-sitter-rust.wasm'), path.join(out, 'tree-sitter-rust.wasm'));
  return path.join(out, 'cli.js');
}
