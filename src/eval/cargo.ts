import type { CompileStepOptions } from '../../modes';
import { createCompileChecker, DEFAULT_TIMEOUT_MS } from '../compile';
import { defaultCacheDir, sharedTargetDir } from '../compile/paths';
import * as path from 'node:path';

/**
 * The eval's `--cargo`: the very compile step the modes run for users (shadow copy, cargo check,
 * errors mapped to the answer's lines, fed into the re-ask), with the answers the static checks
 * rejected compiled as well, so the report can count where validation and rustc disagree.
 */
export function evalCompileStep(env: NodeJS.ProcessEnv = process.env, opts: { timeoutMs?: number; onNotice?: (m: string) => void } = {}): CompileStepOptions {
  const checker = createCompileChecker({
    cacheDir: path.join(defaultCacheDir(env), 'eval'),
    targetDirFor: () => sharedTargetDir(env),
    // Shared by every project and run: no single check clears it.
    maxCacheBytes: Infinity,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env,
    ...(opts.onNotice ? { onNotice: opts.onNotice } : {}),
  });
  return { checker, setting: 'on', measureRejected: true };
}
