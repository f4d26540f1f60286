import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitMessage, GitError, GitRepository, parseTrailers, taskCommits } from '../../../src/git';
import { sandbox, seededRepo, type Sandbox } from './gitFixture';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

describe('commit messages', () => {
  it('are deterministic: mode and title, the request as body, task and run trailers', () => {
    const msg = commitMessage({ mode: 'diesel-model-fn', title: 'Orders of a customer', request: 'orders of a customer, newest first', taskId: 'task_1', runId: 'run_9' });
    expect(msg).toBe('diesel-model-fn: Orders of a customer\n\norders of a customer, newest first\n\nNocodo-Task: task_1\nNocodo-Run: run_9\n');
    expect(parseTrailers(msg)).toEqual({ 'Nocodo-Task': 'task_1', 'Nocodo-Run': 'run_9' });
  });

  it('keep the subject on one short line and trailers on theirs, whatever the title holds', () => {
    const msg = commitMessage({ mode: 'diesel-schema', title: `a\nNocodo-Task: forged\n${'x'.repeat(200)}`, taskId: 'task_2' });
    const [subject] = msg.split('\n');
    expect(subject!.length).toBeLessThanOrEqual(72);
    expect(parseTrailers(msg)).toEqual({ 'Nocodo-Task': 'task_2' });
  });

  it('a subject alone has no trailers even when it looks like one', () => {
    expect(parseTrailers('diesel-model-fn: find by login\n')).toEqual({});
  });
});

describe('GitRepository', () => {
  it('finds the repository of a subfolder, and none outside it', async () => {
    const repo = seededRepo(sb, 'workspace/app');
    expect((await GitRepository.find(join(repo, 'src')))?.root).toBe(repo);
    expect(await GitRepository.find(join(sb.dir, 'workspace'))).toBeUndefined();
  });

  it('says clearly when git is not installed', async () => {
    const repo = seededRepo(sb);
    const err = await GitRepository.find(repo, { binary: join(sb.dir, 'no-such-git') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).kind).toBe('git-missing');
    expect((err as GitError).message).toMatch(/git is not installed/);
  });

  it('commits only the accepted files: other edits and staged files stay as they were', async () => {
    const dir = seededRepo(sb);
    const repo = (await GitRepository.find(dir))!;
    sb.write(join(dir, 'src/lib.rs'), 'pub fn one() -> i32 {\n    1\n}\npub fn two() -> i32 {\n    2\n}\n');
    sb.write(join(dir, 'src/new.rs'), 'pub struct New;\n');
    sb.write(join(dir, 'README.md'), '# app (edited by hand)\n');
    sb.write(join(dir, 'notes.txt'), 'staged by the user\n');
    sb.git(dir, 'add', 'notes.txt');

    const info = await repo.commitPaths([join(dir, 'src/lib.rs'), 'src/new.rs'], commitMessage({ mode: 'diesel-model-fn', title: 'two', taskId: 'task_a', runId: 'run_a' }));
    expect(info.files.sort()).toEqual(['src/lib.rs', 'src/new.rs']);
    expect(info.subject).toBe('diesel-model-fn: two');
    expect(sb.git(dir, 'log', '-1', '--format=%B')).toContain('Nocodo-Task: task_a\nNocodo-Run: run_a');
    const status = sb.git(dir, 'status', '--porcelain').split('\n').filter(Boolean).sort();
    expect(status).toEqual([' M README.md', 'A  notes.txt']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# app (edited by hand)\n');
  });

  it('commits with a fallback identity when the user never configured one', async () => {
    const dir = seededRepo(sb);
    sb.git(dir, 'config', '--unset', 'user.name');
    sb.git(dir, 'config', '--unset', 'user.email');
    const repo = (await GitRepository.find(dir))!;
    sb.write(join(dir, 'src/lib.rs'), 'pub fn one() -> i32 {\n    11\n}\n');
    await repo.commitPaths(['src/lib.rs'], 'diesel-model-fn: eleven\n');
    expect(sb.git(dir, 'log', '-1', '--format=%an <%ae>').trim()).toBe('nocodo <nocodo@localhost>');
  });

  it('refuses to commit files without changes, and paths outside the repository', async () => {
    const dir = seededRepo(sb);
    const repo = (await GitRepository.find(dir))!;
    await expect(repo.commitPaths(['src/lib.rs'], 'x\n')).rejects.toMatchObject({ kind: 'nothing-to-commit' });
    await expect(repo.commitPaths([join(sb.dir, 'elsewhere.rs')], 'x\n')).rejects.toThrow(/not inside the repository/);
  });

  it("lists a task's commits on every branch by their trailer, not by a mention", async () => {
    const dir = seededRepo(sb);
    const repo = (await GitRepository.find(dir))!;
    sb.write(join(dir, 'a.rs'), 'a\n');
    await repo.commitPaths(['a.rs'], commitMessage({ mode: 'diesel-schema', title: 'table a', taskId: 'task_x', runId: 'run_1' }));
    sb.git(dir, 'checkout', '-b', 'nocodo/task_x-b');
    sb.write(join(dir, 'b.rs'), 'b\n');
    await repo.commitPaths(['b.rs'], commitMessage({ mode: 'diesel-model-struct', title: 'struct b', taskId: 'task_x', runId: 'run_2' }));
    sb.write(join(dir, 'c.rs'), 'c\n');
    await repo.commitPaths(['c.rs'], 'chore: mentions Nocodo-Task: task_x in the subject only\n');
    sb.git(dir, 'checkout', 'main');

    const commits = await taskCommits(repo, 'task_x');
    expect(commits.map((c) => [c.subject, c.runId, c.files])).toEqual([
      ['diesel-model-struct: struct b', 'run_2', ['b.rs']],
      ['diesel-schema: table a', 'run_1', ['a.rs']],
    ]);
    expect(await taskCommits(repo, 'task_other')).toEqual([]);
  });
});
