// The esbuild options of the bundles nocodo ships. scripts/build.mjs builds dist/ with them, and
// the tests that run the bundled CLI build it the same way (test/helpers/cliBundle.ts).
import { join } from 'node:path';

// web-tree-sitter is ESM and reads import.meta.url; in a CJS bundle that must come from __filename.
const IMPORT_META_URL = "const importMetaUrl = require('url').pathToFileURL(__filename).href;";

/** Options every CommonJS bundle shares. */
export function commonOptions({ production = false, logLevel = 'info' } = {}) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel,
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: IMPORT_META_URL },
    loader: { '.md': 'text' },
  };
}

/**
 * The extension: a small activation bundle (`extension.js`: stand-ins for the commands, the team
 * view's provider) and the core it loads right after activation (`core.js`: the features, the
 * pipeline, tree-sitter, sql.js, the model client). src/extension.ts requires core.js by path.
 */
export function extensionOptions(root, outdir, options = {}) {
  const common = commonOptions(options);
  return [
    { ...common, entryPoints: [join(root, 'src/extension.ts')], outfile: join(outdir, 'extension.js'), external: ['vscode'] },
    { ...common, entryPoints: [join(root, 'src/host/core.ts')], outfile: join(outdir, 'core.js'), external: ['vscode'] },
  ];
}

/** The `nocodo` CLI: one executable file (`cli.js`). */
export function cliOptions(root, outfile, options = {}) {
  return { ...commonOptions(options), entryPoints: [join(root, 'src/cli/main.ts')], outfile, banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL}` } };
}

/**
 * The type-check worker thread (src/pipeline/tsx/typecheckThread.ts starts it from beside the
 * bundle that runs it: core.js or cli.js).
 */
export function typecheckWorkerOptions(root, outfile, options = {}) {
  return { ...commonOptions(options), entryPoints: [join(root, 'src/pipeline/tsx/typecheckWorker.ts')], outfile };
}

/** The wasm files the CLI loads from beside itself: [from the repository root, file name]. */
export const CLI_WASM = [
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'web-tree-sitter.wasm'],
  ['node_modules/tree-sitter-rust/tree-sitter-rust.wasm', 'tree-sitter-rust.wasm'],
];
