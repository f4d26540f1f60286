export { commitMessage, parseTrailers, REVERTS_TRAILER, RUN_TRAILER, TASK_TRAILER, type CommitFacts } from './commitMessage';
export { GitError, type GitErrorKind } from './errors';
export { mergeTaskBranch, pushTaskBranch, type MergeInput, type MergeResult } from './finish';
export { revertibleCommits, runCommits, taskCommits, type TaskCommit } from './history';
export { GitRepository, type CommitInfo, type GitOptions } from './repository';
export { revertPreview, type RevertedFile } from './revert';
export { BRANCH_PREFIX, isNocodoBranch, slugify, startTaskBranch, taskBranchName, type DirtyChoice, type StartTaskInput, type StartTaskResult } from './taskBranch';
export * from './forge';
