import { homedir } from 'node:os';
import * as path from 'node:path';

/**
 * Where the CLI, the eval and the tests keep compile-check data: `$XDG_CACHE_HOME/nocodo`
 * (default `~/.cache/nocodo`). Their cargo build folder is shared by every project
 * (`cargo-target`, or `NOCODO_CARGO_TARGET_DIR`), so the sample projects' dependencies are built
 * once per machine. The extension keeps its own, per project, in its global storage.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'nocodo');
}

export function sharedTargetDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.NOCODO_CARGO_TARGET_DIR || path.join(defaultCacheDir(env), 'cargo-target');
}
