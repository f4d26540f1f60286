#!/usr/bin/env node
// Builds everything the extension and the CLI ship: dist/extension.js and dist/core.js (the
// extension's activation bundle and its features), dist/cli.js, dist/typecheckWorker.js (esbuild, CJS),
// the wasm files they load, and the webview (vite). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { copyFileSync, cpSync, mkdirSync, chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_WASM, cliOptions, commonOptions, extensionOptions, typecheckWorkerOptions } from './lib/bundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

mkdirSync(dist, { recursive: true });

const common = commonOptions({ production });

const targets = [
  ...extensionOptions(root, dist, { production }),
  cliOptions(root, join(dist, 'cli.js'), { production }),
  typecheckWorkerOptions(root, join(dist, 'typecheckWorker.js'), { production }),
  // The embedded model runtime's child process. node-llama-cpp is ESM with native binaries: it
  // stays outside the bundle and is loaded from node_modules at run time.
  { ...common, format: 'esm', define: {}, banner: {}, entryPoints: [join(root, 'src/localModel/child.ts')], outfile: join(dist, 'localRuntime.mjs'), external: ['node-llama-cpp'] },
];

function copyAssets() {
  const wasm = [
    ['node_modules/sql.js/dist/sql-wasm.wasm', 'sql-wasm.wasm'],
    ...CLI_WASM,
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
