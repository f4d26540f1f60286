import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { Diagnostic } from '../core/diagnostics';
import { frontendInstalled, loadPackage } from '../pipeline/tsx/packages';
import { parseTsx, syntaxErrors, diagnosticsSummary } from '../pipeline/tsx/syntax';
import type { TsxUnit } from '../pipeline/tsx/typecheck';
import { limitText, TYPECHECK_LIMIT_MS, typecheckTsxWithin } from '../pipeline/tsx/typecheckThread';

/**
 * The accept-time check of TypeScript files: what accepting would write must still parse, and
 * (when the file's frontend has a tsconfig and its packages) must not bring type errors the file
 * does not have now. The file may have changed since the proposal was checked, and so may the
 * project around it: this is the last look before writing.
 */

type Ts = typeof TS;

const TS_FILE = /\.(?:tsx|jsx|[cm]?ts)$/i;

export const isTsFile = (rel: string): boolean => TS_FILE.test(rel) && !/\.d\.[cm]?ts$/i.test(rel);

/** The TypeScript compiler the file's project builds with (searched from its folder up), else nocodo's. */
export const typescriptFor = (abs: string): Ts | undefined => loadPackage<Ts>(path.dirname(abs), 'typescript');

/** The folder of the nearest package.json above `abs` that has a tsconfig.json. */
function frontendOf(abs: string, root: string): string | undefined {
  let dir = path.dirname(abs);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return existsSync(path.join(dir, 'tsconfig.json')) ? dir : undefined;
    const up = path.dirname(dir);
    if (up === dir || !(up + path.sep).startsWith(path.resolve(root) + path.sep)) return undefined;
    dir = up;
  }
}

export interface PlannedTsFile {
  path: string;
  abs: string;
  /** What accepting would write. */
  text: string;
  /** The file's text now (undefined: a new file). */
  current: string | undefined;
}

const key = (d: Diagnostic): string => `${d.code ?? ''}:${d.message}`;

/** Diagnostics of `after` that `before` does not have as often (positions set aside: lines move). */
function added(before: readonly Diagnostic[], after: readonly Diagnostic[]): Diagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
  return after.filter((d) => {
    const n = left.get(key(d)) ?? 0;
    if (n > 0) left.set(key(d), n - 1);
    return n === 0;
  });
}

/**
 * How long the type checks of one accept may take together (the same budget as one check while
 * generating). They run in a worker thread, so the editor stays responsive meanwhile; past this
 * the accept goes on without them (see below).
 */
export const ACCEPT_TYPECHECK_LIMIT_MS = TYPECHECK_LIMIT_MS;

export interface TsAcceptCheck {
  /** Sentences that refuse the accept. */
  problems: string[];
  /** Sentences for the user that do not refuse it (a type check that ran out of time). */
  notes: string[];
}

/**
 * The accept-time check. Syntax: every TypeScript file written (parsing one file is quick, and
 * runs here). Types: the files that exist now (a new file was type-checked when it was proposed),
 * against the other files of the same change set as they would be written; in a worker thread,
 * all of them within `limitMs`. A type check that does not finish in time does not refuse the
 * accept: the change passed the type check when it was proposed (or its proposal said the check
 * did not finish: src/pipeline/tsx/index.ts), the user has reviewed the diff and asked for it, and a frontend too big to check in time would otherwise refuse every change.
 * The note says which files were written without that last look, and how to check them.
 */
export async function tsAcceptCheck(files: readonly PlannedTsFile[], root: string, limitMs = ACCEPT_TYPECHECK_LIMIT_MS): Promise<TsAcceptCheck> {
  const problems: string[] = [];
  const notes: string[] = [];
  const deadline = Date.now() + limitMs;
  const unchecked: string[] = [];
  const checked = files.filter((f) => isTsFile(f.path));
  const withinLimit = async (unit: TsxUnit): Promise<Diagnostic[] | undefined> => {
    const left = deadline - Date.now();
    const out = left > 0 ? await typecheckTsxWithin(unit, left) : undefined;
    return out?.kind === 'done' ? out.diagnostics.filter((d) => d.severity === 'error') : undefined;
  };
  for (const f of checked) {
    const ts = typescriptFor(f.abs);
    if (!ts) continue;
    const after = syntaxErrors(ts, parseTsx(ts, f.path, f.text));
    const broken = f.current === undefined ? after : added(syntaxErrors(ts, parseTsx(ts, f.path, f.current)), after);
    if (broken.length) {
      problems.push(`${f.path} would not parse after this change (${diagnosticsSummary(broken)}); nothing was written.`);
      continue;
    }
    if (f.current === undefined) continue;
    const frontendAbs = frontendOf(f.abs, root);
    if (!frontendAbs || !frontendInstalled(frontendAbs)) continue;
    const rel = path.relative(frontendAbs, f.abs).split(path.sep).join('/');
    const others = new Map(checked.filter((o) => o !== f && o.abs.startsWith(frontendAbs + path.sep)).map((o) => [path.relative(frontendAbs, o.abs).split(path.sep).join('/'), o.text]));
    const afterTypes = await withinLimit({ frontendAbs, file: rel, text: f.text, others });
    if (afterTypes === undefined) {
      unchecked.push(f.path);
      continue;
    }
    if (!afterTypes.length) continue;
    const now = await withinLimit({ frontendAbs, file: rel, text: f.current });
    if (now === undefined) {
      unchecked.push(f.path);
      continue;
    }
    const brought = added(now, afterTypes);
    if (brought.length) problems.push(`${f.path} would not type-check after this change (${diagnosticsSummary(brought)}); nothing was written.`);
  }
  if (unchecked.length && !problems.length) {
    const limit = limitText(limitMs);
    notes.push(
      `The type check of ${unchecked.join(', ')} did not finish within ${limit}, so it was stopped and the accept went on without it (${unchecked.length > 1 ? 'they parse' : 'it parses'}). Run \`npx tsc --noEmit\` in the frontend to check ${unchecked.length > 1 ? 'them' : 'it'}.`,
    );
  }
  return { problems, notes };
}
