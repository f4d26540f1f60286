import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * Loads a package the TSX checks need (typescript, eslint, tailwindcss, daisyui): the frontend
 * project's own copy first, so the checks use the versions the project builds with, then
 * nocodo's. Returns undefined when neither has it.
 */
export function loadPackage<T>(frontendAbs: string, name: string): T | undefined {
  for (const base of requireBases(frontendAbs)) {
    try {
      const mod = createRequire(base)(name) as T & { default?: T };
      return mod;
    } catch {
      // not installed there; try the next base
    }
  }
  return undefined;
}

/** Resolved file of a package export (`tailwindcss/index.css`), same search order as loadPackage. */
export function resolvePackageFile(frontendAbs: string, id: string): string | undefined {
  for (const base of requireBases(frontendAbs)) {
    try {
      return createRequire(base).resolve(id);
    } catch {
      // next base
    }
  }
  return undefined;
}

function requireBases(frontendAbs: string): string[] {
  const bases = [path.join(frontendAbs, 'package.json')];
  try {
    bases.push(__filename);
  } catch {
    // ESM without __filename: the working folder below still applies
  }
  bases.push(path.join(process.cwd(), 'package.json'));
  return bases;
}

/** The frontend's own packages are installed (its node_modules has solid-js). */
export const frontendInstalled = (frontendAbs: string): boolean => existsSync(path.join(frontendAbs, 'node_modules', 'solid-js', 'package.json'));
