#!/usr/bin/env node
// Builds everything the extension and the CLI ship: dist/extension.js, dist/cli.js (esbuild, CJS),
// the wasm files they load, and the webview (vite). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFileSync, cpSync, mkdirSync, chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

mkdirSync(dist, { recursive: true });

// web-tree-sitter is ESM and reads import.meta.url; in a CJS bundle that must come from __filename.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  loader: { '.md': 'text' },
};

const targets = [
  { ...common, entryPoints: [join(root, 'src/extension.ts')], outfile: join(dist, 'extension.js'), external: ['vscode'] },
  { ...common, entryPoints: [join(root, 'src/cli/main.ts')], outfile: join(dist, 'cli.js'), banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } },
  // The embedded model runtime's child process. node-llama-cpp is ESM with native binaries: it
  // stays outside the bundle and is loaded from node_modules at run time.
  { ...common, format: 'esm', define: {}, banner: {}, entryPoints: [join(root, 'src/localModel/child.ts')], outfile: join(dist, 'localRuntime.mjs'), external: ['node-llama-cpp'] },
];

function copyAssets() {
  const wasm = [
    ['node_modules/sql.js/dist/sql-wasm.wasm', 'sql-wasm.wasm'],
    ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
    ['node_modules/tree-sitter-rust/tree-sitter-rust.wasm', 'tree-sitter-rust.wasm'],
  ];
  for (const [from, to] of wasm) copyFileSync(join(root, from), join(dist, to));
  if (existsSync(join(dist, 'cli.js'))) chmodSync(join(dist, 'cli.js'), 0o755);
  // New App's template is data the bundles read at run time (src/scaffold/template.ts).
  rmSync(join(dist, 'templates'), { recursive: true, force: true });
  cpSync(join(root, 'templates'), join(dist, 'templates'), { recursive: true, filter: (src) => !/[\\/](node_modules|target)$/.test(src) });
}

async function buildWebview() {
  if (!existsSync(join(root, 'webview/vite.config.ts'))) return;
  await viteBuild({ configFile: join(root, 'webview/vite.config.ts'), mode: production ? 'production' : 'development', build: { watch: watch ? {} : null } });
}

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context({ ...t, plugins: [{ name: 'assets', setup: (b) => b.onEnd(copyAssets) }] });
    await ctx.watch();
  }
  await buildWebview();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  copyAssets();
  await buildWebview();
}
