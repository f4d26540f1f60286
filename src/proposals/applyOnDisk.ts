import { promises as fsp } from 'node:fs';
import type { ChangeSet } from '../domain';
import { planAccept, reanchoredChangeSet } from './plan';
import { writeAllOrNothing, WriteRefused } from './writeFiles';

/**
 * Accepting a proposal without an editor (the CLI, the core's auto-accept): the same plan as the
 * editor's accept path, against the files on disk, then every file written all or nothing.
 */

export type ApplyOutcome =
  /** Every file written (or already as proposed). `notes`: what did not refuse it but should be said (a type check out of time). */
  | { status: 'applied'; written: string[]; notes: string[] }
  /**
   * A file was edited after the change was proposed; `changeSet` is the change re-applied to the
   * current text (nothing written: the user reviews it first).
   */
  | { status: 'reanchored'; files: string[]; changeSet: ChangeSet }
  /** Nothing was written; `problems` say why (conflicts, unsafe paths, a failed write). */
  | { status: 'refused'; problems: string[] };

async function readOrUndefined(abs: string): Promise<string | undefined> {
  try {
    return await fsp.readFile(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function applyOnDisk(changeSet: ChangeSet, root: string): Promise<ApplyOutcome> {
  let plan;
  try {
    plan = await planAccept(changeSet, root, (_rel, abs) => readOrUndefined(abs));
  } catch (e) {
    return { status: 'refused', problems: [`Could not read the files to check them: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (plan.kind === 'refused') return { status: 'refused', problems: plan.problems };
  if (plan.kind === 'reanchored') {
    return { status: 'reanchored', files: plan.reanchored.map((r) => r.path), changeSet: reanchoredChangeSet(changeSet, plan.reanchored) };
  }
  const writes = plan.files.filter((f) => f.kind === 'write');
  try {
    // Each text was planned against the file as read just above.
    const written = await writeAllOrNothing(
      root,
      writes.map((w) => ({ path: w.path, text: () => w.text })),
    );
    return { status: 'applied', written, notes: plan.notes };
  } catch (e) {
    if (e instanceof WriteRefused) return { status: 'refused', problems: [e.message] };
    throw e;
  }
}
