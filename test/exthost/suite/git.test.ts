// Git on accept, inside a real extension host: a project in a subfolder of the workspace with its
// own repository; accepting a proposal commits exactly its files with the task/run trailers, the
// task gets a comment naming the commit, and a file the user edited by hand stays out of it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { nocodoApi, waitFor } from './helpers';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@x' } });

describe('git: commit on accept', function () {
  this.timeout(120_000);
  let project = '';

  before(() => {
    const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(ws);
    project = join(ws, 'git-sandbox');
    rmSync(project, { recursive: true, force: true });
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'lib.rs'), 'pub fn one() -> i32 {\n    1\n}\n');
    writeFileSync(join(project, 'README.md'), '# sandbox\n');
    git(project, 'init', '--initial-branch=main');
    git(project, 'add', '-A');
    git(project, 'commit', '-m', 'initial');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(project, { recursive: true, force: true });
  });

  it('commits only the accepted files, names the task and run, and comments on the task', async () => {
    const api = await nocodoApi();
    const store = api.store.store;
    const session = store.sessions.create({ title: 'git test' });
    const epic = store.epics.create({ sessionId: session.id, title: 'Orders', description: 'orders' });
    const task = store.tasks.create({ epicId: epic.id, title: 'Add two()', description: 'a second function', role: 'backend', request: 'a function that returns two' });
    writeFileSync(join(project, 'README.md'), '# sandbox, edited by hand\n');

    const original = readFileSync(join(project, 'src', 'lib.rs'), 'utf8');
    const proposed = `${original}\npub fn two() -> i32 {\n    2\n}\n`;
    const p = await api.proposals.service.propose(
      { mode: 'diesel-model-fn', summary: 'add `two`', files: [{ path: 'src/lib.rs', original, proposed, ops: [] }] },
      { root: project, taskId: task.id, runId: 'run_git_test' },
      { reveal: false },
    );
    const outcome = await api.proposals.service.accept(p.id);
    assert.equal(outcome.status, 'applied');

    const body = await waitFor('the accepted change to be committed', () => {
      const b = git(project, 'log', '-1', '--format=%B');
      return b.includes('Nocodo-Task') ? b : undefined;
    }, 60_000);
    assert.match(body, /^diesel-model-fn: Add two\(\)\n\na function that returns two\n\nNocodo-Task: task_\w+\nNocodo-Run: run_git_test\n/);
    assert.equal(git(project, 'show', '--name-only', '--format=', 'HEAD').trim(), 'src/lib.rs');
    assert.equal(git(project, 'status', '--porcelain').trim(), 'M README.md');
    const short = git(project, 'rev-parse', '--short', 'HEAD').trim();
    await waitFor('the commit comment on the task', () => store.comments.list(task.id).find((c) => c.body.startsWith(`Committed ${short}`)));

    const history = await api.git.commands.commitsOf(task.id);
    assert.deepEqual(history?.commits.map((c) => [c.short, c.files]), [[short, ['src/lib.rs']]]);
    // What the board and the run inspector get: the commit with its files, revertible; the run's commit.
    const onBoard = await api.git.commands.taskGit(task.id);
    assert.deepEqual(onBoard?.commits.map((c) => [c.short, c.subject, c.files, c.revert]), [[short, 'diesel-model-fn: Add two()', ['src/lib.rs'], false]]);
    assert.equal(onBoard?.canRevert, true);
    assert.equal((await api.git.commands.runCommit('run_git_test', project))?.short, short);
    assert.equal(await api.git.commands.openTaskCommitDiff(task.id, onBoard!.commits[0]!.hash, 'src/lib.rs'), true);
    assert.equal(await api.git.commands.openTaskCommitDiff(task.id, onBoard!.commits[0]!.hash, 'README.md'), false);

    // Undo this proposal: the files come back and the undo is committed as a revert of that commit.
    const undone = await api.proposals.service.undo(p.id);
    assert.equal(undone.status, 'undone');
    const revert = await waitFor('the undo to be committed', () => {
      const b = git(project, 'log', '-1', '--format=%B');
      return b.includes('Nocodo-Reverts') ? b : undefined;
    }, 60_000);
    const full = git(project, 'rev-parse', 'HEAD~1').trim();
    assert.match(revert, new RegExp(`^revert: Add two\\(\\)[\\s\\S]*Nocodo-Reverts: ${full}\\n*$`));
    assert.equal(readFileSync(join(project, 'src', 'lib.rs'), 'utf8'), original);
    assert.equal(git(project, 'status', '--porcelain').trim(), 'M README.md');
  });
});
