import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { CLI_WASM, cliOptions, typecheckWorkerOptions } from '../../scripts/lib/bundles.mjs';

const ROOT = path.resolve(__dirname, '../..');

/** Bundles the CLI alone into `out/cli.js` (with its wasm files and type-check worker beside it), as the build does. */
export async function bundleCli(out: string): Promise<string> {
  mkdirSync(out, { recursive: true });
  await build(cliOptions(ROOT, path.join(out, 'cli.js'), { logLevel: 'silent' }));
  await build(typecheckWorkerOptions(ROOT, path.join(out, 'typecheckWorker.js'), { logLevel: 'silent' }));
  for (const [from, name] of CLI_WASM) copyFileSync(path.join(ROOT, from), path.join(out, name));
  return path.join(out, 'cli.js');
}
