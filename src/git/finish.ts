import { GitError, gitStderr } from './errors';
import type { GitRepository } from './repository';
import { isNocodoBranch } from './taskBranch';

export interface MergeInput {
  branch: string;
  base: string;
  /** `ff`: fast-forward only; `merge`: always a merge commit. */
  how: 'ff' | 'merge';
  /** Subject of the merge commit (`merge` only). */
  message?: string;
}

export interface MergeResult {
  base: string;
  head: string;
  fastForward: boolean;
}

const listLines = (s: string): string[] =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Refuses anything but nocodo's own branches: nocodo never merges or pushes a branch it did not create. */
function ownBranch(branch: string): void {
  if (!isNocodoBranch(branch)) throw new GitError('not-nocodo-branch', `${branch} is not a branch nocodo created; nocodo only merges and pushes its own nocodo/… branches.`);
}

/**
 * Merges a task's branch into its base. A conflict aborts the merge and returns to the task's
 * branch, so nothing is lost and the work tree is as it was; the error names the files.
 */
export async function mergeTaskBranch(repo: GitRepository, input: MergeInput): Promise<MergeResult> {
  ownBranch(input.branch);
  const dirty = await repo.changedFiles();
  if (dirty.length) throw new GitError('dirty-worktree', `Commit or stash the uncommitted changes (${dirty.slice(0, 5).join(', ')}) before finishing the task.`, dirty);
  const back = await repo.currentBranch();
  await repo.raw(['checkout', input.base]);
  try {
    const before = (await repo.raw(['rev-parse', 'HEAD'])).trim();
    if (input.how === 'ff') {
      try {
        await repo.raw(['merge', '--ff-only', input.branch]);
      } catch (e) {
        throw new GitError('merge-conflict', `${input.base} has moved on since the task started, so a fast-forward is not possible (${gitStderr(e)}). Finish it with a merge commit instead.`);
      }
    } else {
      try {
        await repo.raw([...(await repo.identityArgs()), 'merge', '--no-ff', '-m', input.message ?? `Merge ${input.branch}`, input.branch]);
      } catch (e) {
        const conflicted = listLines(await repo.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => ''));
        await repo.raw(['merge', '--abort']).catch(() => undefined);
        throw new GitError(
          'merge-conflict',
          conflicted.length
            ? `Merging ${input.branch} into ${input.base} conflicts in ${conflicted.join(', ')}. The merge was undone; nothing was lost. Resolve it by hand or ask nocodo to redo the task on top of ${input.base}.`
            : `Merging ${input.branch} into ${input.base} failed: ${gitStderr(e)}. Nothing was changed.`,
          conflicted,
        );
      }
    }
    const head = (await repo.raw(['rev-parse', 'HEAD'])).trim();
    const parents = listLines(await repo.raw(['rev-list', '--parents', '-n', '1', 'HEAD']))[0]?.split(' ') ?? [];
    return { base: input.base, head, fastForward: head !== before && parents.length === 2 };
  } catch (e) {
    if (back && back !== input.base) await repo.raw(['checkout', back]).catch(() => undefined);
    throw e;
  }
}

/** `git push -u <remote> <branch>`, never forced; a rejected push says why. */
export async function pushTaskBranch(repo: GitRepository, branch: string, remote = 'origin'): Promise<void> {
  ownBranch(branch);
  const remotes = listLines(await repo.raw(['remote']));
  if (!remotes.includes(remote)) throw new GitError('no-remote', remotes.length ? `The repository has no remote named ${remote} (it has ${remotes.join(', ')}).` : 'The repository has no remote to push to. Add one (e.g. on GitHub or GitLab) first.');
  try {
    await repo.raw(['push', '--set-upstream', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  } catch (e) {
    const text = gitStderr(e);
    throw new GitError('push-rejected', /rejected|non-fast-forward|fetch first/i.test(text) ? `${remote} has commits on ${branch} that are not here; nocodo never force-pushes. Pull them first (${text}).` : `Push to ${remote} failed: ${text}`);
  }
}
