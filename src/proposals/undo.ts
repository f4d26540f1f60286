import * as path from 'node:path';
import type { Proposal } from '../domain';
import type { NocodoStore } from '../store/types';
import type { ReadCurrent } from './plan';
import { resolveInsideRoot } from './paths';
import { sameContent } from './text';

/**
 * "Undo this proposal": puts every file an accepted proposal wrote back as it was, or does
 * nothing at all. Ctrl+Z cannot promise that for a proposal that spans files (VS Code undoes per
 * editor, and a file the proposal created is not open anywhere), so nocodo offers this instead.
 *
 * A file is put back only while it still holds exactly what nocodo wrote: if the user edited one
 * since, undoing would destroy that work, so the whole undo is refused and the message says which
 * file. Files the proposal created are deleted, and so are folders that held nothing else.
 */

export type UndoFile =
  /** Write `text` (the file as it was before the accept). */
  | { kind: 'restore'; path: string; abs: string; text: string }
  /** The proposal created this file: delete it. */
  | { kind: 'delete'; path: string; abs: string };

export type UndoPlan =
  | { kind: 'undo'; files: UndoFile[]; /** Absolute folders that become empty, deepest first. */ folders: string[] }
  | { kind: 'refused'; problems: string[] };

/** Entries (names) of a folder, undefined when it does not exist. */
export type ListFolder = (abs: string) => Promise<string[] | undefined>;

/**
 * Decides the undo of `p`. `written`: the project-relative paths the accept wrote, when known
 * (files that already had the change were not written and must not be "restored").
 */
export async function planUndo(p: Pick<Proposal, 'status' | 'root' | 'changeSet'>, read: ReadCurrent, list: ListFolder, written?: readonly string[]): Promise<UndoPlan> {
  if (p.status !== 'accepted') return { kind: 'refused', problems: [`Only an accepted proposal can be undone; this one is ${p.status}.`] };
  const problems: string[] = [];
  const files: UndoFile[] = [];
  for (const change of p.changeSet.files) {
    const where = await resolveInsideRoot(p.root, change.path);
    if (!where.ok) {
      problems.push(`${change.path}: ${where.reason}.`);
      continue;
    }
    if (written && !written.includes(where.rel)) continue;
    const current = where.exists ? await read(where.rel, where.abs) : undefined;
    if (current === undefined) {
      problems.push(`${where.rel} no longer exists.`);
      continue;
    }
    if (!sameContent(current, change.proposed)) {
      problems.push(`${where.rel} was edited after the change was accepted; undoing would lose those edits.`);
      continue;
    }
    if (change.original === null) files.push({ kind: 'delete', path: where.rel, abs: where.abs });
    else if (!sameContent(change.original, change.proposed)) files.push({ kind: 'restore', path: where.rel, abs: where.abs, text: change.original });
  }
  if (problems.length) return { kind: 'refused', problems };
  if (files.length === 0) return { kind: 'refused', problems: ['The proposal changed nothing that could be put back.'] };
  return { kind: 'undo', files, folders: await emptiedFolders(p.root, files, list) };
}

/** Folders under `root` that contain nothing but files (and folders) the undo deletes. */
async function emptiedFolders(root: string, files: readonly UndoFile[], list: ListFolder): Promise<string[]> {
  const gone = new Set(files.filter((f) => f.kind === 'delete').map((f) => path.resolve(f.abs)));
  const rootAbs = path.resolve(root);
  const candidates = new Set<string>();
  for (const abs of gone) {
    for (let dir = path.dirname(abs); dir !== rootAbs && dir.startsWith(rootAbs + path.sep); dir = path.dirname(dir)) candidates.add(dir);
  }
  // Deepest first, so a parent sees its emptied children as gone.
  const ordered = [...candidates].sort((a, b) => b.length - a.length);
  const folders: string[] = [];
  for (const dir of ordered) {
    const entries = await list(dir);
    if (entries && entries.every((name) => gone.has(path.join(dir, name)))) {
      gone.add(dir);
      folders.push(dir);
    }
  }
  return folders;
}

/** What the undo does, in words ("restores a.rs; deletes b.sql and the folder m/"). */
export function describeUndo(plan: Extract<UndoPlan, { kind: 'undo' }>, root: string): string {
  const restored = plan.files.filter((f) => f.kind === 'restore').map((f) => f.path);
  const deleted = plan.files.filter((f) => f.kind === 'delete').map((f) => f.path);
  const folders = plan.folders.map((f) => `${path.relative(root, f).split(path.sep).join('/')}/`);
  const parts: string[] = [];
  if (restored.length) parts.push(`put back ${restored.join(', ')}`);
  if (deleted.length) parts.push(`deleted ${deleted.join(', ')}${folders.length ? ` and the folder${folders.length > 1 ? 's' : ''} ${folders.join(', ')}` : ''}`);
  return parts.join('; ');
}

/**
 * Records the undo: the proposal stops counting as accepted, and a task it had finished goes back
 * to ready (with a comment, so the board says why).
 */
export function recordUndo(store: NocodoStore, proposalId: string, now: () => number = Date.now): Proposal {
  const current = store.proposals.get(proposalId);
  if (!current) throw new Error(`There is no proposal ${proposalId}.`);
  const proposal = store.proposals.update(proposalId, { status: 'undone', decidedAt: now() });
  const task = current.taskId ? store.tasks.get(current.taskId) : undefined;
  if (task && task.state === 'done') {
    store.comments.create({ taskId: task.id, author: 'user', body: 'Undid the accepted change: the files are back as they were.' });
    store.transitionTask(task.id, { to: 'ready', by: 'user', why: 'Undid the accepted change.' });
  }
  return proposal;
}
