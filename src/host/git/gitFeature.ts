import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Proposal, Task } from '../../domain';
import { commitMessage, GitError, GitRepository, revertibleCommits, runCommits, startTaskBranch, type CommitInfo, type DirtyChoice, type StartTaskResult } from '../../git';
import { notCommittedNote, type SaveRefusal } from '../../proposals';
import type { NocodoStore } from '../../store';
import type { NocodoContext } from '../ctx';
import { log } from '../log';
import { readGitSettings } from './settings';

/** Per-branch git config key holding the branch a task's branch started from (its merge target). */
export const BASE_KEY = 'nocodo-base';
const INIT_ASKED = 'nocodo.git.initAsked';

export interface AcceptedChange {
  proposal: Proposal;
  /** Project-relative files written and saved by the accept. */
  saved: readonly string[];
  /** Files written but left unsaved (the user had unsaved edits in them, or VS Code refused the save). */
  unsaved: readonly string[];
  /** Those of `unsaved` whose save VS Code refused (e.g. changed on disk behind the editor). */
  saveRefused: readonly SaveRefusal[];
}

/**
 * nocodo's use of git in the editor: the repository of a project, `git init` offered once, a
 * commit of exactly the accepted files after every accept, and a branch per task when the user
 * turned it on. Git runs only in a trusted workspace: a repository's config can name programs
 * that git runs (hooks, fsmonitor), so Restricted Mode gets no git from nocodo, as from VS Code.
 */
export class GitFeature implements vscode.Disposable {
  private warnedMissing = false;
  private readonly changed = new vscode.EventEmitter<{ taskId?: string; commit?: CommitInfo }>();
  /** Fires after nocodo committed, branched or reverted (views refresh their git facts). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly ctx: NocodoContext,
    private readonly store: NocodoStore,
  ) {}

  get enabled(): boolean {
    return vscode.workspace.isTrusted;
  }

  /**
   * The repository holding `root`, looked up each time (one `git rev-parse`): the user may create,
   * move or delete it at any moment, in the terminal or with VS Code's Git view.
   */
  async repoAt(root: string): Promise<GitRepository | undefined> {
    if (!this.enabled) return undefined;
    try {
      return await GitRepository.find(root);
    } catch (e) {
      if (e instanceof GitError && e.kind === 'git-missing') {
        if (!this.warnedMissing) log().warn(e.message);
        this.warnedMissing = true;
        return undefined;
      }
      throw e;
    }
  }

  /**
   * The repository of `root`, offering `git init` when there is none, once per project: the
   * answer (yes or no) is remembered in the workspace state.
   */
  async repoOrOfferInit(root: string): Promise<GitRepository | undefined> {
    const repo = await this.repoAt(root);
    if (repo || !this.enabled) return repo;
    const asked = this.ctx.ext.workspaceState.get<string[]>(INIT_ASKED, []);
    if (asked.includes(root)) return undefined;
    await this.ctx.ext.workspaceState.update(INIT_ASKED, [...asked, root]);
    const pick = await vscode.window.showInformationMessage(
      'nocodo can keep a history of every accepted change in git (one commit per change, linked to its task). This project has no git repository yet.',
      'Create Repository',
      'Not Now',
    );
    if (pick !== 'Create Repository') return undefined;
    try {
      const created = await GitRepository.init(root);
      log().info(`git: initialised a repository in ${root}`);
      void vscode.commands.executeCommand('git.refresh').then(undefined, () => undefined);
      return created;
    } catch (e) {
      void vscode.window.showErrorMessage(`nocodo: could not create the repository: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * Commits exactly the files an accepted proposal wrote, with a deterministic message naming its
   * task and run. Files the user edited by hand elsewhere stay out of the commit; files the user
   * had unsaved edits in are not committed (their state on disk is not the accepted one).
   */
  async commitAccepted(change: AcceptedChange): Promise<CommitInfo | undefined> {
    const { proposal } = change;
    if (!this.enabled || !readGitSettings().commitOnAccept || change.saved.length === 0) return undefined;
    const repo = await this.repoOrOfferInit(proposal.root);
    if (!repo) return undefined;
    const task = proposal.taskId ? this.store.tasks.get(proposal.taskId) : undefined;
    const message = commitMessage({
      mode: proposal.changeSet.mode,
      title: task?.title ?? proposal.changeSet.summary,
      request: task?.request ?? proposal.changeSet.summary,
      ...(proposal.taskId ? { taskId: proposal.taskId } : {}),
      ...(proposal.runId ? { runId: proposal.runId } : {}),
    });
    try {
      const commit = await repo.commitPaths(
        change.saved.map((p) => join(proposal.root, p)),
        message,
      );
      log().info(`git: committed ${commit.short} "${commit.subject}" (${commit.files.join(', ')})`);
      if (task) {
        this.store.comments.create({ taskId: task.id, author: 'system', body: `Committed ${commit.short}: ${commit.subject} (${commit.files.join(', ')})` });
      }
      const skipped = notCommittedNote(change.unsaved, change.saveRefused);
      vscode.window.setStatusBarMessage(`$(git-commit) nocodo committed ${commit.short}`, 6000);
      if (skipped) void vscode.window.showWarningMessage(`nocodo committed ${commit.short}.${skipped}`);
      this.refreshScm();
      this.changed.fire({ ...(task ? { taskId: task.id } : {}), commit });
      return commit;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      log().warn(`git: the accepted change was not committed: ${why}`);
      void vscode.window.showWarningMessage(`nocodo applied the change, but could not commit it: ${why}`);
      return undefined;
    }
  }

  /**
   * "Undo this proposal" after it was committed: the restored files are committed as a revert of
   * the accept's commit, so the history says what happened instead of leaving a dirty work tree.
   * Nothing happens when the accept was never committed (the undo then leaves no trace to record).
   */
  async commitUndo(proposal: Proposal, files: readonly string[]): Promise<CommitInfo | undefined> {
    if (!this.enabled || !proposal.runId) return undefined;
    const repo = await this.repoAt(proposal.root);
    if (!repo) return undefined;
    const accepted = revertibleCommits(await runCommits(repo, proposal.runId));
    if (!accepted.length) return undefined;
    const task = proposal.taskId ? this.store.tasks.get(proposal.taskId) : undefined;
    try {
      const commit = await repo.commitPaths(
        files,
        commitMessage({
          mode: 'revert',
          title: task?.title ?? proposal.changeSet.summary,
          request: `Undo the accepted change "${proposal.changeSet.summary}".`,
          ...(proposal.taskId ? { taskId: proposal.taskId } : {}),
          runId: proposal.runId,
          reverts: accepted.map((c) => c.hash),
        }),
      );
      log().info(`git: committed the undo of ${accepted.map((c) => c.short).join(', ')} as ${commit.short}`);
      if (task) this.store.comments.create({ taskId: task.id, author: 'system', body: `Undone in ${commit.short} (reverts ${accepted.map((c) => c.short).join(', ')})` });
      this.refreshScm();
      this.changed.fire({ ...(task ? { taskId: task.id } : {}), commit });
      return commit;
    } catch (e) {
      log().warn(`git: the undo was not committed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * Before a task runs: with "branch per task" on, create or check out its branch. A dirty work
   * tree is never carried over silently: the user picks stash or commit, or cancels the run.
   * Resolves why the task must not run now, or undefined when it can.
   */
  async prepareTask(task: Task, root: string): Promise<string | undefined> {
    if (!this.enabled || !readGitSettings().branchPerTask) return undefined;
    // An epic that accepts automatically builds itself task after task, each on the changes
    // accepted before it: a branch per task would hide them from the next task until merged.
    if (this.store.epics.get(task.epicId)?.autoAccept === true) return undefined;
    const repo = await this.repoAt(root);
    if (!repo) return undefined;
    const base = await this.baseFor(repo);
    let dirty: DirtyChoice = 'refuse';
    for (;;) {
      try {
        const r: StartTaskResult = await startTaskBranch(repo, { taskId: task.id, title: task.title, ...(base ? { base } : {}), dirty });
        if (r.created) await repo.raw(['config', `branch.${r.branch}.${BASE_KEY}`, r.base]);
        log().info(`git: task "${task.title}" on ${r.branch} (from ${r.base}; ${r.carried})`);
        this.refreshScm();
        this.changed.fire({ taskId: task.id });
        return undefined;
      } catch (e) {
        if (e instanceof GitError && e.kind === 'dirty-worktree' && dirty === 'refuse') {
          const pick = await vscode.window.showWarningMessage(
            `${e.message}`,
            { modal: true, detail: 'nocodo works on each task in its own branch. Stash keeps your changes aside (git stash); Commit saves them on the current branch first.' },
            'Stash',
            'Commit',
          );
          if (!pick) return `"${task.title}" was not started: its branch needs a clean work tree, and you chose to keep your changes where they are.`;
          dirty = pick === 'Stash' ? 'stash' : 'commit';
          continue;
        }
        return `"${task.title}" was not started: nocodo could not switch to its branch. ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  }

  /** The branch new task branches start from: the current one, unless that is a task branch itself. */
  private async baseFor(repo: GitRepository): Promise<string | undefined> {
    const current = await repo.currentBranch();
    if (!current) return undefined;
    if (!current.startsWith('nocodo/')) return current;
    const recorded = (await repo.raw(['config', '--get', `branch.${current}.${BASE_KEY}`]).catch(() => '')).trim();
    return recorded || undefined;
  }

  /** Lets VS Code's Git view pick up what nocodo did without waiting for its file watcher. */
  refreshScm(): void {
    void vscode.commands.executeCommand('git.refresh').then(undefined, () => undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
