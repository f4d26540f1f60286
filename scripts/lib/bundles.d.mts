import type { BuildOptions } from 'esbuild';

export interface BundleChoices {
  production?: boolean;
  logLevel?: BuildOptions['logLevel'];
}
export function commonOptions(options?: BundleChoices): BuildOptions;
/** [activation bundle extension.js, core.js], in that order. */
export function extensionOptions(root: string, outdir: string, options?: BundleChoices): BuildOptions[];
export function cliOptions(root: string, outfile: string, options?: BundleChoices): BuildOptions;
export const CLI_WASM: ReadonlyArray<readonly [from: string, name: string]>;
/** The type-check worker thread (dist/typecheckWorker.js), started from beside core.js or cli.js. */
export function typecheckWorkerOptions(root: string, outfile: string, options?: BundleChoices): BuildOptions;
