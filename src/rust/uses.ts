import { parseRustFile } from './models';

// Rust `use` paths as text: what one `use` imports, the name it binds, and whether a file's
// imports already cover a path. Shared by the edit ops (src/pipeline/rust/applyOps.ts) and the
// modes' import planning.

/** Every path a `use` argument imports: `a::{b, c as d}` → `a::b`, `a::c as d`. */
export function expandUse(arg: string): string[] {
  const text = arg.trim().replace(/^pub(?:\([^)]*\))?\s+/, '').replace(/^use\s+/, '').replace(/;\s*$/, '');
  const info = parseRustFile(`use ${text};`);
  const items = info.uses[0]?.items;
  return items && items.length && !info.diagnostics.length ? items : [text.replace(/\s+/g, '')];
}

/** The name a use path binds: `a::B` → `B`, `a::b as c` → `c`; undefined for globs. */
export function boundName(path: string): string | undefined {
  const alias = / as (\w+)$/.exec(path);
  if (alias) return alias[1];
  if (path.endsWith('*')) return undefined;
  const parts = path.split('::');
  const last = parts[parts.length - 1]!;
  return last === 'self' ? parts[parts.length - 2] : last;
}

export type Coverage = 'covered' | 'conflict' | 'missing';

/**
 * Whether `path` is already imported by a file whose `use` items are `existing` (expanded):
 * the same path, a glob of its parent (`diesel::prelude::*`), or — a conflict — another import
 * that binds the same name.
 */
export function useCoverage(path: string, existing: readonly string[]): Coverage {
  const clean = (p: string): string => p.replace(/\s+as\s+/, ' as ').replace(/::self$/, '');
  const target = clean(path.trim());
  if (existing.some((e) => clean(e) === target)) return 'covered';
  if (!target.endsWith('*')) {
    const parent = target.replace(/ as \w+$/, '').split('::').slice(0, -1).join('::');
    if (parent && existing.some((e) => e === `${parent}::*`)) return 'covered';
    const name = boundName(target);
    if (name && existing.some((e) => boundName(clean(e)) === name)) return 'conflict';
  }
  return 'missing';
}
