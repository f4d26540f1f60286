import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ProjectFs } from '../core/projectFs';
import type { FileChange } from '../domain';

/**
 * The shadow copy: the project's files (unsaved editor buffers included, through ProjectFs) with
 * the proposed change written over them, in a folder of nocodo's own. The user's files are only
 * read. The folder stays between checks (files whose text did not change keep their times, so
 * cargo's fingerprints hold); while a check runs it carries a marker with the process id, and a
 * later start removes shadows whose process is gone (a crash mid-check).
 */

const MARKER = '.nocodo-shadow-in-use';
/** cargo writes these into the shadow; they are not the project's. */
const CARGO_OWNED = new Set(['Cargo.lock']);

export interface ShadowFiles {
  /** Project-relative path → text, the change applied. */
  files: Map<string, string>;
  bytes: number;
}

/** The project's files as the shadow will hold them, or the reason it cannot be copied. */
export async function collectShadowFiles(project: ProjectFs, changes: readonly FileChange[], maxBytes: number): Promise<ShadowFiles | { tooLarge: number }> {
  const files = new Map<string, string>();
  let bytes = 0;
  for (const rel of await project.listFiles('', [''])) {
    const text = await project.readFile(rel);
    if (text === undefined) continue;
    bytes += Buffer.byteLength(text);
    if (bytes > maxBytes) return { tooLarge: bytes };
    files.set(rel, text);
  }
  for (const c of changes) files.set(c.path, c.proposed);
  return { files, bytes };
}

/** A stable key for a project root: the shadow of one project is always the same folder. */
export function shadowKey(root: string): string {
  const base = path.basename(root).replace(/[^\w.-]/g, '_').slice(0, 40) || 'project';
  return `${base}-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`;
}

/** Hash of a file set: the same texts give the same key (baseline results are cached by it). */
export function filesHash(files: ReadonlyMap<string, string>): string {
  const h = createHash('sha256');
  for (const rel of [...files.keys()].sort()) h.update(rel).update('\0').update(files.get(rel)!).update('\0');
  return h.digest('hex');
}

function inside(dir: string, rel: string): string {
  const abs = path.resolve(dir, rel);
  const back = path.relative(dir, abs);
  if (back.startsWith('..') || path.isAbsolute(back)) throw new Error(`Refusing to write ${rel}: it is outside the shadow folder.`);
  return abs;
}

async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await fsp.readdir(path.join(dir, prefix), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listTree(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Makes `dir` hold exactly `files` (plus cargo's own Cargo.lock when the project has none), touching only what differs. */
export async function syncShadow(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  for (const rel of await listTree(dir)) {
    if (rel === MARKER || files.has(rel) || CARGO_OWNED.has(rel)) continue;
    await fsp.rm(path.join(dir, rel), { force: true });
  }
  for (const [rel, text] of files) {
    const abs = inside(dir, rel);
    const current = await fsp.readFile(abs, 'utf8').catch(() => undefined);
    if (current === text) continue;
    await fsp.mkdir(path.dirname(abs), { recursive: true });
    await fsp.writeFile(abs, text, 'utf8');
  }
  // cargo decides freshness by file times against the last build of a package of this name in
  // the (shared) build folder, which may be newer than these files: the sources must be newest.
  const now = new Date();
  await Promise.all([...files.keys()].map((rel) => fsp.utimes(inside(dir, rel), now, now).catch(() => undefined)));
}

export async function markInUse(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(path.join(dir, MARKER), String(process.pid), 'utf8');
}

export async function unmark(dir: string): Promise<void> {
  await fsp.rm(path.join(dir, MARKER), { force: true });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the shadows under `shadowsDir` left by a process that died during a check (they may
 * hold a change the user never accepted). Returns the folders removed.
 */
export async function sweepCrashedShadows(shadowsDir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries;
  try {
    entries = await fsp.readdir(shadowsDir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const dir = path.join(shadowsDir, e.name);
    const pid = Number(await fsp.readFile(path.join(dir, MARKER), 'utf8').catch(() => ''));
    if (!pid || pid === process.pid || alive(pid)) continue;
    await fsp.rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

/** Bytes under `dir` (0 when missing). */
export async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fsp.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) total += (await fsp.stat(p).catch(() => ({ size: 0 }))).size;
      }),
    );
  };
  await walk(dir);
  return total;
}
