import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitMessage, GitRepository, mergeTaskBranch, pushTaskBranch, revertibleCommits, revertPreview, startTaskBranch, taskBranchName, taskCommits } from '../../../src/git';
import { sandbox, seededRepo, type Sandbox } from './gitFixture';

let sb: Sandbox;
let dir: string;
let repo: GitRepository;
beforeEach(async () => {
  sb = sandbox();
  dir = seededRepo(sb);
  repo = (await GitRepository.find(dir))!;
});
afterEach(() => sb.cleanup());

const accept = async (path: string, text: string, taskId: string, title = 'change'): Promise<string> => {
  sb.write(join(dir, path), text);
  return (await repo.commitPaths([path], commitMessage({ mode: 'diesel-model-fn', title, taskId, runId: `run_${title}` }))).hash;
};

describe('branch per task', () => {
  it('names branches nocodo/<id>-<slug>, valid for git whatever the title', () => {
    expect(taskBranchName('task_1', 'Orders of a customer, newest first!')).toBe('nocodo/task_1-orders-of-a-customer-newest-first');
    const odd = taskBranchName('task 2/..', 'Crème brûlée ~^:?*[ orders');
    expect(odd).toBe('nocodo/task-2-creme-brulee-orders');
    expect(() => sb.git(dir, 'check-ref-format', `refs/heads/${odd}`)).not.toThrow();
  });

  it("creates the task's branch from the base, and checks it out again later", async () => {
    const first = await startTaskBranch(repo, { taskId: 'task_1', title: 'Orders' });
    expect(first).toEqual({ branch: 'nocodo/task_1-orders', base: 'main', created: true, carried: 'clean' });
    expect(await repo.currentBranch()).toBe('nocodo/task_1-orders');
    sb.git(dir, 'checkout', 'main');
    const again = await startTaskBranch(repo, { taskId: 'task_1', title: 'Orders', base: 'main' });
    expect(again.created).toBe(false);
    expect(await repo.currentBranch()).toBe('nocodo/task_1-orders');
  });

  it('never carries a dirty work tree over silently: refuse (listing the files), stash or commit', async () => {
    sb.write(join(dir, 'README.md'), '# edited\n');
    sb.write(join(dir, 'scratch.txt'), 'untracked\n');
    const refused = await startTaskBranch(repo, { taskId: 't', title: 'x' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'dirty-worktree', files: ['README.md', 'scratch.txt'] });
    expect(await repo.currentBranch()).toBe('main');

    const stashed = await startTaskBranch(repo, { taskId: 't', title: 'x', dirty: 'stash' });
    expect(stashed.carried).toBe('stashed');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# app\n');
    expect(existsSync(join(dir, 'scratch.txt'))).toBe(false);
    expect(sb.git(dir, 'stash', 'list')).toContain('nocodo: before nocodo/t-x');

    sb.git(dir, 'checkout', 'main');
    sb.write(join(dir, 'README.md'), '# edited again\n');
    const committed = await startTaskBranch(repo, { taskId: 'u', title: 'y', dirty: 'commit' });
    expect(committed.carried).toBe('committed');
    expect(sb.git(dir, 'log', '-1', '--format=%s', 'main')).toMatch(/^wip: changes saved before starting nocodo\/u-y/);
  });

  it('refuses on a detached HEAD unless a base branch is named', async () => {
    sb.git(dir, 'checkout', '--detach', 'HEAD');
    await expect(startTaskBranch(repo, { taskId: 't', title: 'x' })).rejects.toMatchObject({ kind: 'detached-head' });
    const r = await startTaskBranch(repo, { taskId: 't', title: 'x', base: 'main' });
    expect(r.branch).toBe('nocodo/t-x');
  });
});

describe('revert a task', () => {
  it("computes the revert of a task's commits without touching the user's files", async () => {
    await startTaskBranch(repo, { taskId: 'task_r', title: 'r' });
    await accept('src/lib.rs', 'pub fn one() -> i32 {\n    1\n}\npub fn two() -> i32 {\n    2\n}\n', 'task_r', 'two');
    await accept('migrations/1_up.sql', 'CREATE TABLE t ();\n', 'task_r', 'migration');
    sb.write(join(dir, 'README.md'), '# user edit, uncommitted\n');

    const commits = revertibleCommits(await taskCommits(repo, 'task_r'));
    const files = await revertPreview(
      repo,
      commits.map((c) => c.hash),
    );
    expect(files.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'migrations/1_up.sql', before: 'CREATE TABLE t ();\n', after: null },
      { path: 'src/lib.rs', before: 'pub fn one() -> i32 {\n    1\n}\npub fn two() -> i32 {\n    2\n}\n', after: 'pub fn one() -> i32 {\n    1\n}\n' },
    ]);
    // The user's tree, index and worktree list are as they were.
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# user edit, uncommitted\n');
    expect(sb.git(dir, 'status', '--porcelain').trim()).toBe('M README.md');
    expect(sb.git(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('reports a conflict with later changes, naming the file, and changes nothing', async () => {
    const h = await accept('src/lib.rs', 'pub fn one() -> i32 {\n    10\n}\n', 'task_c', 'ten');
    await accept('src/lib.rs', 'pub fn one() -> i32 {\n    100\n}\n', 'task_later', 'hundred');
    const err = await revertPreview(repo, [h]).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'revert-conflict', files: ['src/lib.rs'] });
    expect(sb.git(dir, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('does not offer commits that were already reverted', async () => {
    const h = await accept('a.rs', 'a\n', 'task_z', 'a');
    sb.write(join(dir, 'a.rs'), '');
    await repo.commitPaths(['a.rs'], commitMessage({ mode: 'revert', title: 'a', taskId: 'task_z', reverts: [h] }));
    expect(revertibleCommits(await taskCommits(repo, 'task_z'))).toEqual([]);
  });
});

describe('finish a task', () => {
  it('fast-forwards the base, or makes a merge commit', async () => {
    const { branch } = await startTaskBranch(repo, { taskId: 'f', title: 'ff' });
    await accept('f.rs', 'f\n', 'f');
    const ff = await mergeTaskBranch(repo, { branch, base: 'main', how: 'ff' });
    expect(ff.fastForward).toBe(true);
    expect(await repo.currentBranch()).toBe('main');

    const second = await startTaskBranch(repo, { taskId: 'g', title: 'merge' });
    await accept('g.rs', 'g\n', 'g');
    const merged = await mergeTaskBranch(repo, { branch: second.branch, base: 'main', how: 'merge', message: 'Merge task g' });
    expect(merged.fastForward).toBe(false);
    expect(sb.git(dir, 'log', '-1', '--format=%p').trim().split(' ')).toHaveLength(2);
  });

  it('a conflict undoes the merge, returns to the task branch and names the files: nothing is lost', async () => {
    const { branch } = await startTaskBranch(repo, { taskId: 'c', title: 'conflict' });
    await accept('src/lib.rs', 'pub fn one() -> i32 {\n    2\n}\n', 'c');
    sb.git(dir, 'checkout', 'main');
    sb.write(join(dir, 'src/lib.rs'), 'pub fn one() -> i32 {\n    3\n}\n');
    sb.git(dir, 'commit', '-am', 'hand edit on main');
    sb.git(dir, 'checkout', branch);

    const err = await mergeTaskBranch(repo, { branch, base: 'main', how: 'merge' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'merge-conflict', files: ['src/lib.rs'] });
    expect(await repo.currentBranch()).toBe(branch);
    expect(readFileSync(join(dir, 'src/lib.rs'), 'utf8')).toContain('2');
    expect(sb.git(dir, 'status', '--porcelain').trim()).toBe('');
    await expect(mergeTaskBranch(repo, { branch, base: 'main', how: 'ff' })).rejects.toMatchObject({ kind: 'merge-conflict' });
  });

  it('never merges or pushes a branch nocodo did not create', async () => {
    sb.git(dir, 'branch', 'feature');
    await expect(mergeTaskBranch(repo, { branch: 'feature', base: 'main', how: 'ff' })).rejects.toMatchObject({ kind: 'not-nocodo-branch' });
    await expect(pushTaskBranch(repo, 'main')).rejects.toMatchObject({ kind: 'not-nocodo-branch' });
  });

  it('pushes to a remote without force; a diverged remote is refused with a clear message', async () => {
    await expect(pushTaskBranch(repo, 'nocodo/p-x')).rejects.toMatchObject({ kind: 'no-remote' });
    const bare = join(sb.dir, 'remote.git');
    sb.git(sb.dir, 'init', '--bare', '--initial-branch=main', bare);
    sb.git(dir, 'remote', 'add', 'origin', bare);
    const { branch } = await startTaskBranch(repo, { taskId: 'p', title: 'x' });
    await accept('p.rs', 'p\n', 'p');
    await pushTaskBranch(repo, branch);
    expect(sb.git(bare, 'log', '-1', '--format=%s', branch).trim()).toBe('diesel-model-fn: change');

    // Someone else pushed to the same branch: nocodo's push must not overwrite it.
    const other = join(sb.dir, 'other');
    sb.git(sb.dir, 'clone', '--branch', branch, bare, other);
    sb.write(join(other, 'q.rs'), 'q\n');
    sb.git(other, 'add', 'q.rs');
    sb.git(other, '-c', 'user.name=B', '-c', 'user.email=b@x', 'commit', '-m', 'theirs');
    sb.git(other, 'push', 'origin', branch);
    await accept('p.rs', 'p2\n', 'p');
    const err = await pushTaskBranch(repo, branch).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'push-rejected' });
    expect((err as Error).message).toMatch(/never force-pushes/);
    expect(sb.git(bare, 'log', '-1', '--format=%s', branch).trim()).toBe('theirs');
  });
});
