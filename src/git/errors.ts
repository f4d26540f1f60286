/**
 * Git failures written for a person. The host shows `message` as it is; `kind` lets callers offer
 * the right next step (install git, stash, resolve the conflict…).
 */
export type GitErrorKind =
  | 'git-missing'
  | 'not-a-repository'
  | 'dirty-worktree'
  | 'detached-head'
  | 'not-nocodo-branch'
  | 'merge-conflict'
  | 'revert-conflict'
  | 'nothing-to-commit'
  | 'no-remote'
  | 'push-rejected'
  | 'git-failed';

export class GitError extends Error {
  constructor(
    readonly kind: GitErrorKind,
    message: string,
    /** Files involved (the dirty or conflicting ones), project-relative. */
    readonly files: readonly string[] = [],
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** simple-git wraps the process error; its text is git's stderr. The first meaningful line is enough. */
export function gitStderr(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'));
  return lines.slice(0, 3).join(' ') || 'git failed';
}
