import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, gitStderr } from './errors';
import { GitRepository } from './repository';

export interface RevertedFile {
  /** Repository-relative, forward slashes. */
  path: string;
  /** The file at HEAD; null when HEAD does not have it. */
  before: string | null;
  /** The file after the revert; null when the revert deletes it. */
  after: string | null;
}

const showAtHead = (repo: GitRepository, path: string): Promise<string | null> =>
  repo.raw(['show', `HEAD:${path}`]).then(
    (t) => t,
    () => null,
  );

/**
 * What reverting `commits` (newest first) on top of HEAD would change, computed in a throw-away
 * worktree so the user's files, index and branch are never touched. The host turns the result into
 * a proposal; accepting it writes the files and makes the revert commit.
 */
export async function revertPreview(repo: GitRepository, commits: readonly string[]): Promise<RevertedFile[]> {
  if (!commits.length) return [];
  const scratch = await mkdtemp(join(tmpdir(), 'nocodo-revert-'));
  const tree = join(scratch, 'tree');
  try {
    await repo.raw(['worktree', 'add', '--detach', '--quiet', tree, 'HEAD']);
    const wt = await GitRepository.find(tree);
    if (!wt) throw new GitError('git-failed', 'Could not open a scratch worktree to prepare the revert.');
    try {
      await wt.raw(['revert', '--no-commit', ...commits]);
    } catch (e) {
      const conflicted = (await wt.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => ''))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      throw new GitError(
        'revert-conflict',
        conflicted.length
          ? `The task's changes cannot be reverted automatically: later changes touch the same lines in ${conflicted.join(', ')}. Nothing was changed.`
          : `git revert failed: ${gitStderr(e)}. Nothing was changed.`,
        conflicted,
      );
    }
    const status = await wt.raw(['diff', '--cached', '--no-renames', '--name-status', 'HEAD']);
    const files: RevertedFile[] = [];
    for (const line of status.split('\n')) {
      const m = /^([ADM])\t(.+)$/.exec(line.trim());
      if (!m) continue;
      const path = m[2]!;
      const after = m[1] === 'D' ? null : await readFile(join(tree, path), 'utf8');
      files.push({ path, before: await showAtHead(repo, path), after });
    }
    return files;
  } finally {
    await repo.raw(['worktree', 'remove', '--force', tree]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
    await repo.raw(['worktree', 'prune']).catch(() => undefined);
  }
}
