import { GitError } from './errors';
import type { GitRepository } from './repository';

/** Every branch nocodo creates lives under this prefix; nocodo never merges, pushes or deletes others. */
export const BRANCH_PREFIX = 'nocodo/';

export const isNocodoBranch = (name: string): boolean => name.startsWith(BRANCH_PREFIX) && name.length > BRANCH_PREFIX.length;

/** `Orders of a customer, newest first!` → `orders-of-a-customer-newest-first` (ASCII, ≤ 40 chars). */
export function slugify(text: string, max = 40): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = slug.slice(0, max).replace(/-+$/g, '');
  return cut || 'task';
}

/** `nocodo/<task-id>-<slug>`: valid for `git check-ref-format` whatever the task title holds. */
export function taskBranchName(taskId: string, title: string): string {
  const id = taskId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'task';
  return `${BRANCH_PREFIX}${id}-${slugify(title)}`;
}

/** What to do with uncommitted changes when switching to a task's branch. */
export type DirtyChoice = 'refuse' | 'stash' | 'commit';

export interface StartTaskInput {
  taskId: string;
  title: string;
  /** The epic's base branch; the current branch when omitted (refused on a detached HEAD). */
  base?: string;
  dirty?: DirtyChoice;
}

export interface StartTaskResult {
  branch: string;
  base: string;
  /** The branch did not exist and was created from `base`. */
  created: boolean;
  /** What happened to uncommitted changes. */
  carried: 'clean' | 'stashed' | 'committed' | 'already-on-branch';
}

/**
 * Creates or checks out the task's branch. Uncommitted changes are never carried over silently:
 * with `refuse` (the default) a dirty work tree is an error listing the files, so the host can
 * ask the user to stash or commit first.
 */
export async function startTaskBranch(repo: GitRepository, input: StartTaskInput): Promise<StartTaskResult> {
  const branch = taskBranchName(input.taskId, input.title);
  const current = await repo.currentBranch();
  if (!(await repo.hasCommits())) {
    throw new GitError('git-failed', 'The repository has no commit yet: commit the project once before nocodo branches from it.');
  }
  const base = input.base ?? current;
  if (!base) {
    throw new GitError('detached-head', 'The repository is on a detached HEAD: check out a branch (the one tasks should start from) first.');
  }
  if (current === branch) return { branch, base, created: false, carried: 'already-on-branch' };

  let carried: StartTaskResult['carried'] = 'clean';
  const dirty = await repo.changedFiles();
  if (dirty.length) {
    const choice = input.dirty ?? 'refuse';
    if (choice === 'refuse') {
      const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
      throw new GitError('dirty-worktree', `There are uncommitted changes (${shown}). Stash or commit them before nocodo switches to the task's branch.`, dirty);
    }
    if (choice === 'stash') {
      await repo.raw(['stash', 'push', '--include-untracked', '-m', `nocodo: before ${branch}`]);
      carried = 'stashed';
    } else {
      await repo.commitPaths(dirty, `wip: changes saved before starting ${branch}\n`);
      carried = 'committed';
    }
  }

  const exists = await repo.branchExists(branch);
  if (exists) await repo.raw(['checkout', branch]);
  else await repo.raw(['checkout', '-b', branch, base]);
  return { branch, base, created: !exists, carried };
}
