import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Task } from '../../domain';
import {
  commitMessage,
  defaultApiBase,
  ForgeError,
  GitError,
  guessForge,
  isNocodoBranch,
  mergeTaskBranch,
  openPullRequest,
  parseRemoteUrl,
  pushTaskBranch,
  revertibleCommits,
  revertPreview,
  taskBranchName,
  taskCommits,
  runCommits,
  type GitRepository,
  type TaskCommit,
} from '../../git';
import type { TaskCommitSummary, TaskGit } from '../../protocol/messages';
import type { NocodoStore } from '../../store';
import { log } from '../log';
import { BASE_KEY, type GitFeature } from './gitFeature';
import { GitDocuments } from './gitDocuments';
import { readGitSettings } from './settings';
import type { GitHostTokens } from './tokens';

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const toCommitSummary = (c: TaskCommit): TaskCommitSummary => ({
  hash: c.hash,
  short: c.short,
  subject: c.subject.slice(0, 200),
  at: c.at,
  ...(c.runId ? { runId: c.runId } : {}),
  revert: c.reverts.length > 0,
  files: c.files.slice(0, 200),
});

/**
 * The task-level git commands: its history (commits and their diffs), "Revert this task" (shown
 * as diffs first, then revert commits), and "Finish task" (merge into the base branch, or push and
 * open a pull/merge request).
 */
export class GitTaskCommands {
  constructor(
    private readonly git: GitFeature,
    private readonly store: NocodoStore,
    private readonly docs: GitDocuments,
    private readonly tokens: GitHostTokens,
    private readonly projectRoot: () => string | undefined,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('nocodo.git.showTaskCommits', (taskId?: string) => this.showCommits(taskId)),
      vscode.commands.registerCommand('nocodo.git.revertTask', (taskId?: string) => this.revert(taskId)),
      vscode.commands.registerCommand('nocodo.git.finishTask', (taskId?: string) => this.finish(taskId)),
      vscode.commands.registerCommand('nocodo.git.setHostToken', () => this.setToken()),
    ];
  }

  /** The task's commits, newest first, with the repository they live in. */
  async commitsOf(taskId: string): Promise<{ repo: GitRepository; commits: TaskCommit[] } | undefined> {
    const root = this.rootOf(taskId);
    const repo = root ? await this.git.repoAt(root) : undefined;
    if (!repo) return undefined;
    return { repo, commits: await taskCommits(repo, taskId) };
  }

  /** What the board shows of a task's git history, or undefined when there is no repository. */
  async taskGit(taskId: string): Promise<TaskGit | undefined> {
    if (!this.git.enabled) return undefined;
    const found = await this.commitsOf(taskId).catch(() => undefined);
    if (!found) return undefined;
    const task = this.store.tasks.get(taskId);
    const branch = task ? taskBranchName(task.id, task.title) : undefined;
    const hasBranch = branch ? await found.repo.branchExists(branch) : false;
    return {
      commits: found.commits.slice(0, 100).map(toCommitSummary),
      canRevert: revertibleCommits(found.commits).length > 0,
      ...(hasBranch && branch ? { branch } : {}),
    };
  }

  /** The commit a run's accepted change became (not a revert of it), if any. */
  async runCommit(runId: string, root: string | undefined): Promise<TaskCommitSummary | undefined> {
    const repo = root ? await this.git.repoAt(root).catch(() => undefined) : undefined;
    if (!repo) return undefined;
    const commits = await runCommits(repo, runId).catch(() => []);
    const made = commits.find((c) => c.reverts.length === 0);
    return made ? toCommitSummary(made) : undefined;
  }

  /** Opens the diff of one file of one of the task's commits; false when the task has no such commit or file. */
  async openTaskCommitDiff(taskId: string, hash: string, file: string): Promise<boolean> {
    const found = await this.commitsOf(taskId);
    const commit = found?.commits.find((c) => c.hash === hash);
    if (!found || !commit || !commit.files.includes(file)) return false;
    await this.openCommitDiff(found.repo, commit, file);
    return true;
  }

  /** Opens the diff of one file of a commit (parent → commit). */
  async openCommitDiff(repo: GitRepository, commit: Pick<TaskCommit, 'hash' | 'short' | 'subject'>, file: string): Promise<void> {
    const left = GitDocuments.uri(repo.root, file, { rev: `${commit.hash}^` });
    const right = GitDocuments.uri(repo.root, file, { rev: commit.hash });
    await vscode.commands.executeCommand('vscode.diff', left, right, `${file} (${commit.short}: ${commit.subject})`, { preview: true });
  }

  private rootOf(taskId: string): string | undefined {
    return this.store.proposals.list({ taskId })[0]?.root ?? this.projectRoot();
  }

  private async pickTask(taskId: string | undefined, title: string): Promise<Task | undefined> {
    if (taskId) return this.store.tasks.get(taskId);
    const tasks = this.store.tasks.list().filter((t) => t.state === 'in_progress' || t.state === 'done');
    if (!tasks.length) {
      void vscode.window.showInformationMessage('nocodo: no task has accepted changes yet.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      tasks.map((t) => ({ label: t.title, description: t.state === 'done' ? 'done' : 'in progress', task: t })),
      { title },
    );
    return pick?.task;
  }

  private async guarded(what: string, fn: () => Promise<void>): Promise<void> {
    if (!this.git.enabled) {
      void vscode.window.showInformationMessage('nocodo uses git only in a trusted workspace (Restricted Mode is on).');
      return;
    }
    try {
      await fn();
    } catch (e) {
      log().warn(`git: ${what} failed: ${messageOf(e)}`);
      void vscode.window.showErrorMessage(`nocodo: ${what} failed. ${messageOf(e)}`);
    }
  }

  async showCommits(taskId?: string): Promise<void> {
    await this.guarded('showing the task history', async () => {
      const task = await this.pickTask(taskId, "nocodo: Show a Task's Commits");
      if (!task) return;
      const found = await this.commitsOf(task.id);
      if (!found?.commits.length) {
        void vscode.window.showInformationMessage(`nocodo: "${task.title}" has no commits yet.`);
        return;
      }
      type Item = vscode.QuickPickItem & { commit: TaskCommit; file: string };
      const items: Item[] = found.commits.flatMap((c) => c.files.map((f) => ({ label: `$(git-commit) ${c.short} ${f}`, description: c.subject, detail: new Date(c.at).toLocaleString(), commit: c, file: f })));
      const pick = await vscode.window.showQuickPick(items, { title: `nocodo: commits of "${task.title}"`, placeHolder: 'Pick a file to see its diff' });
      if (pick) await this.openCommitDiff(found.repo, pick.commit, pick.file);
    });
  }

  /**
   * Reverting is shown before it is done: every file's diff (now → after the revert), then one
   * confirmation. Accepting writes the files and makes one revert commit naming the reverted ones.
   */
  async revert(taskId?: string): Promise<void> {
    await this.guarded('reverting the task', async () => {
      const task = await this.pickTask(taskId, 'nocodo: Revert a Task');
      if (!task) return;
      const found = await this.commitsOf(task.id);
      const commits = found ? revertibleCommits(found.commits) : [];
      if (!found || !commits.length) {
        void vscode.window.showInformationMessage(`nocodo: "${task.title}" has no commits to revert.`);
        return;
      }
      const { repo } = found;
      const files = await revertPreview(
        repo,
        commits.map((c) => c.hash),
      );
      const dirty = new Set(await repo.changedFiles());
      const blocked = files.filter((f) => dirty.has(f.path)).map((f) => f.path);
      if (blocked.length) throw new GitError('dirty-worktree', `${blocked.join(', ')} ${blocked.length > 1 ? 'have' : 'has'} uncommitted changes; commit or discard them first.`, blocked);
      const key = `revert:${task.id}:${Date.now()}`;
      for (const f of files) {
        this.docs.setPreview(`${key}:${f.path}`, f.after ?? '');
        const left = GitDocuments.uri(repo.root, f.path, { rev: 'HEAD' });
        const right = GitDocuments.uri(repo.root, f.path, { preview: `${key}:${f.path}` });
        await vscode.commands.executeCommand('vscode.diff', left, right, `${f.path} (revert "${task.title}")${f.after === null ? ' — deleted' : ''}`, { preview: files.length === 1 });
      }
      const pick = await vscode.window.showWarningMessage(
        `Revert "${task.title}"? ${commits.length} commit${commits.length > 1 ? 's' : ''}, ${files.length} file${files.length > 1 ? 's' : ''} (the diffs are open).`,
        { modal: true, detail: files.map((f) => `${f.after === null ? 'delete' : 'restore'} ${f.path}`).join('\n') },
        'Revert',
      );
      this.docs.clearPreviews(key);
      if (pick !== 'Revert') return;
      // Written as the preview showed them; open editors reload from disk as after any git revert.
      for (const f of files) {
        const abs = join(repo.root, f.path);
        if (f.after === null) await rm(abs, { force: true });
        else {
          await mkdir(dirname(abs), { recursive: true });
          await writeFile(abs, f.after);
        }
      }
      const commit = await repo.commitPaths(
        files.map((f) => f.path),
        commitMessage({ mode: 'revert', title: task.title, request: `Revert the changes of "${task.title}".`, taskId: task.id, reverts: commits.map((c) => c.hash) }),
      );
      this.store.comments.create({ taskId: task.id, author: 'system', body: `Reverted in ${commit.short}: ${commits.map((c) => c.short).join(', ')} (${commit.files.join(', ')})` });
      log().info(`git: reverted task ${task.id} in ${commit.short}`);
      void vscode.window.showInformationMessage(`nocodo reverted "${task.title}" in commit ${commit.short}.`);
      this.git.refreshScm();
    });
  }

  /** Finish: merge the task's branch into its base (fast-forward or a merge commit), or push it and open a pull request. */
  async finish(taskId?: string): Promise<void> {
    await this.guarded('finishing the task', async () => {
      const task = await this.pickTask(taskId, 'nocodo: Finish a Task');
      if (!task) return;
      const root = this.rootOf(task.id);
      const repo = root ? await this.git.repoAt(root) : undefined;
      if (!repo) throw new GitError('not-a-repository', 'The project has no git repository.');
      const branch = taskBranchName(task.id, task.title);
      if (!(await repo.branchExists(branch)) || !isNocodoBranch(branch)) {
        throw new GitError('git-failed', `"${task.title}" has no branch of its own (turn on "nocodo.git.branchPerTask" to work on each task in a branch).`);
      }
      const base = (await repo.raw(['config', '--get', `branch.${branch}.${BASE_KEY}`]).catch(() => '')).trim() || 'main';
      type Item = vscode.QuickPickItem & { how: 'ff' | 'merge' | 'pr' };
      const pick = await vscode.window.showQuickPick<Item>(
        [
          { label: `$(git-merge) Merge into ${base}`, description: 'fast-forward', how: 'ff' },
          { label: `$(git-merge) Merge into ${base} with a merge commit`, how: 'merge' },
          { label: '$(git-pull-request) Push and open a pull request', description: readGitSettings().remote, how: 'pr' },
        ],
        { title: `nocodo: Finish "${task.title}"` },
      );
      if (!pick) return;
      if (pick.how === 'pr') return this.pullRequest(repo, task, branch, base);
      const merged = await mergeTaskBranch(repo, { branch, base, how: pick.how, message: `Merge ${branch}: ${task.title}` });
      this.store.comments.create({ taskId: task.id, author: 'system', body: `Merged ${branch} into ${base} (${merged.fastForward ? 'fast-forward' : 'merge commit'}, ${merged.head.slice(0, 7)}).` });
      void vscode.window.showInformationMessage(`nocodo merged "${task.title}" into ${base}.`);
      this.git.refreshScm();
    });
  }

  private async pullRequest(repo: GitRepository, task: Task, branch: string, base: string): Promise<void> {
    const settings = readGitSettings();
    const url = (await repo.raw(['remote', 'get-url', settings.remote]).catch(() => '')).trim();
    const remote = url ? parseRemoteUrl(url) : undefined;
    if (!remote) throw new GitError('no-remote', url ? `The remote ${settings.remote} (${url}) is not a GitHub or GitLab address nocodo understands.` : `The repository has no remote named ${settings.remote}.`);
    const kind = settings.forge === 'auto' ? guessForge(remote.host) : settings.forge;
    if (!kind) throw new ForgeError(0, `nocodo cannot tell whether ${remote.host} runs GitHub or GitLab: set "nocodo.git.forge".`, 'invalid');
    const apiBase = settings.apiUrl || defaultApiBase(kind, remote.host);
    const token = (await this.tokens.get(remote.host)) ?? (await this.tokens.prompt(remote.host, kind));
    if (!token) return;
    await pushTaskBranch(repo, branch, settings.remote);
    const runs = this.store.runs.list({ taskId: task.id });
    const body = [
      task.request ?? task.description,
      task.acceptanceCriteria.length ? `\n**Acceptance**\n${task.acceptanceCriteria.map((a) => `- ${a}`).join('\n')}` : '',
      runs.length ? `\n**Runs**\n${runs.map((r) => `- ${r.id}${r.model ? ` (${r.model})` : ''}`).join('\n')}` : '',
      '\n_Made with nocodo._',
    ].join('\n');
    const pr = await openPullRequest({ kind, apiBase, token, repo: remote.path, head: branch, base, title: task.title, body });
    this.store.comments.create({ taskId: task.id, author: 'system', body: `${pr.reused ? 'Pull request (already open)' : 'Opened pull request'}: ${pr.url}` });
    log().info(`git: pull request ${pr.url} for ${branch}`);
    const open = await vscode.window.showInformationMessage(`nocodo: ${pr.reused ? 'the pull request was already open' : 'opened a pull request'} for "${task.title}".`, 'Open');
    if (open) await vscode.env.openExternal(vscode.Uri.parse(pr.url));
  }

  private async setToken(): Promise<void> {
    const root = this.projectRoot();
    const repo = root ? await this.git.repoAt(root) : undefined;
    const url = repo ? (await repo.raw(['remote', 'get-url', readGitSettings().remote]).catch(() => '')).trim() : '';
    const host = (url && parseRemoteUrl(url)?.host) || (await vscode.window.showInputBox({ title: 'nocodo: Git host', prompt: 'Host name, e.g. github.com or gitlab.example.com' }))?.trim();
    if (!host) return;
    const kind = readGitSettings().forge === 'auto' ? (guessForge(host) ?? 'github') : (readGitSettings().forge as 'github' | 'gitlab');
    const stored = await this.tokens.prompt(host, kind);
    void vscode.window.showInformationMessage(stored ? `nocodo: saved the token for ${host}.` : `nocodo: no token is stored for ${host}.`);
  }
}
