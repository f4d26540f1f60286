import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { resolveInsideRoot } from './paths';

/**
 * Writes a proposal's files all or nothing, and only inside the project: the same checks as the
 * editor's accept path (no `..`, no symlink that leads out, no file where a folder must be), then
 * every file goes to a temporary sibling first and is renamed into place; if any step fails, the
 * files already replaced get their old text back and new ones and new folders are removed.
 */

export class WriteRefused extends Error {}

export interface PlannedWrite {
  path: string;
  /** The text to write, given what the file holds now (undefined: it does not exist). */
  text: (current: string | undefined) => string;
}

interface Target {
  rel: string;
  abs: string;
  before: string | undefined;
  text: string;
  temp?: string;
  replaced?: boolean;
}

export async function writeAllOrNothing(root: string, writes: readonly PlannedWrite[]): Promise<string[]> {
  const targets: Target[] = [];
  for (const w of writes) {
    const r = await resolveInsideRoot(root, w.path);
    if (!r.ok) throw new WriteRefused(`refusing to write ${w.path}: ${r.reason}. Nothing was written.`);
    const before = r.exists ? await fsp.readFile(r.abs, 'utf8') : undefined;
    targets.push({ rel: r.rel, abs: r.abs, before, text: w.text(before) });
  }
  const madeDirs: string[] = [];
  try {
    for (const t of targets) {
      const made = await fsp.mkdir(path.dirname(t.abs), { recursive: true });
      if (made) madeDirs.push(made);
      t.temp = `${t.abs}.nocodo-${randomBytes(4).toString('hex')}.tmp`;
      await fsp.writeFile(t.temp, t.text, { encoding: 'utf8', flag: 'wx' });
    }
    for (const t of targets) {
      await fsp.rename(t.temp!, t.abs);
      t.replaced = true;
    }
  } catch (err) {
    await rollback(targets, madeDirs);
    throw new WriteRefused(`writing the proposal failed (${(err as Error).message}); every file is as it was.`);
  }
  return targets.map((t) => t.rel);
}

async function rollback(targets: readonly Target[], madeDirs: readonly string[]): Promise<void> {
  for (const t of targets) {
    if (t.replaced) {
      if (t.before === undefined) await fsp.rm(t.abs, { force: true }).catch(() => undefined);
      else await fsp.writeFile(t.abs, t.before, 'utf8').catch(() => undefined);
    } else if (t.temp) await fsp.rm(t.temp, { force: true }).catch(() => undefined);
  }
  // Folders created for new files go too, deepest first (mkdir returned the topmost one it made).
  for (const d of [...madeDirs].reverse()) await fsp.rm(d, { recursive: true, force: true }).catch(() => undefined);
}
