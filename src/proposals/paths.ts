import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Where a proposal may write. Change sets come from models, from the store (which another window
 * or a hand-edited database may have filled) and from other extensions, so every path is checked
 * twice: by its spelling (no `..`, nothing absolute, nothing in `.git`) and on disk (symlinks and
 * the real location of the deepest existing folder must stay inside the project).
 */

export type RelPathCheck = { ok: true; rel: string; segments: string[] } | { ok: false; reason: string };

/** Folders a generated change never writes into, whatever the model or a tampered store says. */
const FORBIDDEN_SEGMENTS = new Set(['.git']);

/** Checks the spelling of a project-relative posix path and returns its normal form. */
export function checkRelativePath(rel: unknown): RelPathCheck {
  if (typeof rel !== 'string' || rel.trim() === '') return { ok: false, reason: 'the path is empty' };
  const shown = JSON.stringify(rel.length > 200 ? `${rel.slice(0, 200)}…` : rel);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(rel)) return { ok: false, reason: `${shown} contains control characters` };
  // A backslash is a separator on Windows and a file-name character elsewhere: refuse both readings.
  if (rel.includes('\\')) return { ok: false, reason: `${shown} uses backslashes; project paths use forward slashes` };
  if (rel.startsWith('/') || /^[A-Za-z]:/.test(rel) || path.isAbsolute(rel)) return { ok: false, reason: `${shown} is an absolute path` };
  if (rel.startsWith('~')) return { ok: false, reason: `${shown} starts with ~ (a home folder), not a project path` };
  const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { ok: false, reason: `${shown} leads out of the project with ".."` };
  if (segments.some((s) => FORBIDDEN_SEGMENTS.has(s.toLowerCase()))) return { ok: false, reason: `${shown} is inside .git` };
  if (segments.length === 0) return { ok: false, reason: `${shown} names the project folder itself, not a file` };
  return { ok: true, rel: segments.join('/'), segments };
}

/** True when `child` is `parent` or below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const back = path.relative(parent, child);
  return back === '' || (!back.startsWith('..') && !path.isAbsolute(back));
}

export type ResolvedPath = { ok: true; rel: string; abs: string; exists: boolean } | { ok: false; reason: string };

const isMissing = (e: unknown): boolean => typeof e === 'object' && e !== null && ['ENOENT', 'ENOTDIR'].includes((e as { code?: string }).code ?? '');

/**
 * Resolves `rel` against `root` and proves on disk that writing it stays inside the root: the real
 * path of the file (when it exists) or of its deepest existing folder must be inside the root's
 * real path. That catches symlinked files and folders that point elsewhere. `abs` keeps the
 * root's own spelling, so it matches the editor's URIs for the workspace folder.
 */
export async function resolveInsideRoot(root: string, rel: unknown): Promise<ResolvedPath> {
  const check = checkRelativePath(rel);
  if (!check.ok) return check;
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return { ok: false, reason: `the project folder ${root} does not exist` };
  }
  const abs = path.join(root, ...check.segments);
  // Walk down from the root: every existing component is resolved, so a symlink anywhere counts.
  let existing = realRoot;
  let exists = true;
  for (let i = 0; i < check.segments.length; i++) {
    const next = path.join(existing, check.segments[i]!);
    let st;
    try {
      st = await fs.lstat(next);
    } catch (e) {
      if (!isMissing(e)) return { ok: false, reason: `cannot inspect ${check.segments.slice(0, i + 1).join('/')}: ${(e as Error).message}` };
      exists = false;
      break;
    }
    let real: string;
    if (st.isSymbolicLink()) {
      try {
        real = await fs.realpath(next);
      } catch {
        return { ok: false, reason: `${check.segments.slice(0, i + 1).join('/')} is a symbolic link that points nowhere` };
      }
    } else real = next;
    if (!isInside(realRoot, real)) {
      return { ok: false, reason: `${check.segments.slice(0, i + 1).join('/')} is a symbolic link to ${real}, outside the project folder` };
    }
    if (i < check.segments.length - 1) {
      const s = st.isSymbolicLink() ? await fs.stat(next) : st;
      if (!s.isDirectory()) return { ok: false, reason: `${check.segments.slice(0, i + 1).join('/')} is a file, not a folder` };
    } else {
      const s = st.isSymbolicLink() ? await fs.stat(next) : st;
      if (s.isDirectory()) return { ok: false, reason: `${check.rel} is a folder, not a file` };
    }
    existing = real;
  }
  return { ok: true, rel: check.rel, abs, exists };
}

/** Whether `root` (a proposal's project folder) is one of, or inside one of, the open `folders`. */
export async function rootIsInside(root: string, folders: readonly string[]): Promise<boolean> {
  if (!path.isAbsolute(root)) return false;
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    return false;
  }
  for (const f of folders) {
    try {
      if (isInside(await fs.realpath(f), realRoot)) return true;
    } catch {
      // a folder that vanished cannot contain anything
    }
  }
  return false;
}
