import * as vscode from 'vscode';
import type { ChangeSet, Proposal } from '../../domain';
import { getMode } from '../../../modes';
import {
  checkRelativePath,
  describeUndo,
  planAccept,
  planUndo,
  recordUndo,
  reanchoredChangeSet,
  resolveInsideRoot,
  rootIsInside,
  ProposalInputError,
  validateChangeSet,
  type AcceptPlan,
  type DecisionRecorder,
  type ProposalBook,
  type SaveRefusal,
  unsavedNote,
} from '../../proposals';
import { toProposalSummary } from '../../protocol/board';
import { log } from '../log';
import { StepTimeoutError, withinLimit } from '../../core/timeLimit';
import { notice } from '../notice';
import { applyWrites, DocumentSnapshots } from './applyEdit';
import type { ProposalContentProvider } from './contentProvider';
import { showPendingNotice } from './notices';
import { applyUndo, listFolder } from './undo';
import { proposalOfTab, proposalUri } from './uris';

export type AcceptOutcome =
  /**
   * Written (one undo step) and saved; the proposal is accepted. `unsaved`: files written but left
   * unsaved, either holding the user's unsaved edits or refused by VS Code's save (`saveRefused`,
   * e.g. the file changed on disk behind the editor).
   */
  | { status: 'applied'; proposal: Proposal; written: string[]; unsaved: string[]; saveRefused: SaveRefusal[] }
  /** A file changed since the proposal: the change was re-applied to it and awaits a second Accept. */
  | { status: 'reanchored'; proposal: Proposal; files: string[] }
  /** Nothing was written; `problems` say why (conflicts, unsafe paths, not pending…). */
  | { status: 'refused'; problems: string[]; proposal?: Proposal };

/**
 * Limits of the steps of proposing and deciding that wait on the store or on the editor. A save
 * takes milliseconds (the store's own file lock gives up after 10 s); opening or closing a diff
 * well under a second. A step past its limit is logged and skipped: the proposal and the decision
 * are in the store already (it saves again by itself), so the command returns instead of hanging.
 */
export const PROPOSAL_LIMITS = { saveMs: 15_000, diffMs: 20_000 };

export type UndoOutcome = { status: 'undone'; proposal: Proposal; what: string } | { status: 'refused'; problems: string[] };

/** A mode's title for people ("Diesel query function"), its id when it is unknown. */
export const modeTitle = (id: string): string => getMode(id)?.title ?? id;

export interface ProposeMeta {
  /** Absolute project folder the change set's paths are relative to. */
  root: string;
  runId?: string;
  taskId?: string;
}

const folderPaths = (): string[] => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);

/** Normalised project-relative path of a change (paths were validated when the proposal was stored). */
const relOf = (p: string): string => {
  const c = checkRelativePath(p);
  return c.ok ? c.rel : p;
};

/**
 * Proposed changes: shown as diffs of the real file against the read-only proposed text, accepted
 * as one WorkspaceEdit after re-checking every file, or rejected with an optional reason. The
 * sidebar, the commands, the keybindings and the notifications all end up here.
 */
export class ProposalService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when proposals were added, changed or decided (here, by the team, or in another window). */
  readonly onDidChange = this.changed.event;
  private readonly acceptedEmitter = new vscode.EventEmitter<{ proposal: Proposal; saved: string[]; unsaved: string[]; saveRefused: SaveRefusal[] }>();
  /** Fires after an accept wrote its files (git commits them). */
  readonly onDidAccept = this.acceptedEmitter.event;
  private readonly undoneEmitter = new vscode.EventEmitter<{ proposal: Proposal; files: string[] }>();
  /** Fires after "Undo this proposal" restored its files (absolute paths); git commits the revert. */
  readonly onDidUndo = this.undoneEmitter.event;
  private readonly inFlight = new Set<string>();
  /** Paths each accept of this window wrote (files that already had the change were not). */
  private readonly written = new Map<string, string[]>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly book: ProposalBook,
    private readonly content: ProposalContentProvider,
  ) {
    this.subscription = book.onChange(() => this.changed.fire());
  }

  /** The team (src/agents/team.ts `onProposalDecided`) plugs its bookkeeping in here. */
  setDecisionRecorder(recorder: DecisionRecorder): void {
    this.book.setDecisionRecorder(recorder);
  }

  /** Pending proposals, oldest first. */
  list(): Proposal[] {
    return this.book.pending();
  }

  get(id: string): Proposal | undefined {
    return this.book.get(id);
  }

  /** Why the user rejected earlier proposals of this mode about `subject` (for the next attempt's notes). */
  rejectionReasons(mode: string, subject: string | undefined): string[] {
    return this.book.rejectionReasons(mode, subject);
  }

  /**
   * Stores a change set as a pending proposal and (by default) opens its diff with a notification.
   * Throws ProposalInputError for malformed change sets and paths outside the project.
   */
  async propose(input: ChangeSet, meta: ProposeMeta, opts: { reveal?: boolean } = {}): Promise<Proposal> {
    // Callers outside TypeScript (commands, the store) may hand anything: validate before use.
    const changeSet = validateChangeSet(input);
    if (!(await rootIsInside(meta.root, folderPaths()))) {
      throw new ProposalInputError([`The project folder ${meta.root} is not inside the open workspace; nocodo only writes inside it.`]);
    }
    const problems: string[] = [];
    for (const f of changeSet.files) {
      const where = await resolveInsideRoot(meta.root, f.path);
      if (!where.ok) problems.push(`Refusing to write ${JSON.stringify(f.path)}: ${where.reason}.`);
    }
    if (problems.length) throw new ProposalInputError(problems);
    const p = this.book.create({ changeSet, root: meta.root, ...(meta.runId ? { runId: meta.runId } : {}), ...(meta.taskId ? { taskId: meta.taskId } : {}) });
    log().debug(`proposal ${p.id}: stored, saving`);
    await this.flushQuietly();
    log().info(`proposal ${p.id}: ${p.changeSet.summary} (${p.changeSet.files.map((f) => f.path).join(', ')})`);
    if (opts.reveal !== false) await this.bounded(`opening the diff of proposal ${p.id}`, this.present(p.id), PROPOSAL_LIMITS.diffMs);
    return p;
  }

  /** Opens the first file's diff and a notice with Accept / Reject that closes once the proposal is decided. */
  async present(id: string): Promise<void> {
    const p = this.book.get(id);
    if (!p) return;
    await this.openDiff(id);
    showPendingNotice(p, (pid) => this.book.get(pid)?.status === 'pending', this.onDidChange);
  }

  /** Opens the diff of one file of the proposal (the first when `file` is not given). */
  async openDiff(id: string, file?: string): Promise<boolean> {
    const p = this.book.get(id);
    if (!p) {
      void notice.warn(`there is no proposal ${id} (it may have been decided in another window).`);
      return false;
    }
    const change = file ? p.changeSet.files.find((f) => relOf(f.path) === relOf(file)) : p.changeSet.files[0];
    if (!change) return false;
    const rel = relOf(change.path);
    const where = await resolveInsideRoot(p.root, rel);
    const exists = where.ok && where.exists;
    const right = proposalUri(id, rel, 'proposed');
    const n = p.changeSet.files.length;
    const options = { preview: n > 1, preserveFocus: false } satisfies vscode.TextDocumentShowOptions;
    // A new file (or one deleted since) is shown alone, read-only: a diff against an empty document
    // would show a deleted empty line that is not there.
    if (!exists) {
      await vscode.window.showTextDocument(right, options);
      return true;
    }
    const index = p.changeSet.files.indexOf(change);
    const title = `${modeTitle(p.changeSet.mode)} — ${rel}${n > 1 ? ` [${index + 1}/${n}]` : ''} (proposed)`;
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(where.abs), right, title, options);
    return true;
  }

  /** Quick pick over the proposal's files (and Accept / Reject), for reviewing file by file. */
  async pickFile(id: string): Promise<void> {
    const p = this.book.get(id);
    if (!p) return;
    const summary = toProposalSummary(p);
    type Item = vscode.QuickPickItem & { file?: string; action?: 'accept' | 'reject' };
    const items: Item[] = summary.files.map((f) => ({
      label: `$(file) ${f.path}`,
      description: f.isNew ? `new file, ${f.added} lines` : `+${f.added} −${f.removed}`,
      file: f.path,
    }));
    if (p.status === 'pending') {
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: `$(check) Accept all ${p.changeSet.files.length} files`, action: 'accept' });
      items.push({ label: '$(close) Reject the whole proposal', action: 'reject' });
    }
    const pick = await vscode.window.showQuickPick(items, { title: `nocodo: ${p.changeSet.summary}`, placeHolder: 'Pick a file to see its diff' });
    if (!pick) return;
    if (pick.file) await this.openDiff(id, pick.file);
    else if (pick.action === 'accept') await this.accept(id);
    else if (pick.action === 'reject') {
      const reason = await askRejectionReason();
      if (reason !== undefined) await this.rejectWithMessage(id, reason);
    }
  }

  /**
   * Accepts a proposal: every file is re-checked against its current text. Unchanged files are
   * written with ONE WorkspaceEdit and saved; edited files are re-anchored and shown again for a
   * second Accept; anything unsafe or conflicting refuses the whole proposal. Never throws for
   * the user's situation — the outcome says what happened, and the user is told (a refusal only
   * when `reportRefusal`: the sidebar shows the problems itself, so it passes false).
   */
  async accept(id: string, opts: { reportRefusal?: boolean; /** An automatic accept: no notice, no editor opened for the written file. */ quiet?: boolean } = {}): Promise<AcceptOutcome> {
    const refuse = (problems: string[], of?: Proposal, level: 'error' | 'warning' = 'error'): AcceptOutcome => this.refuse(problems, of, opts.reportRefusal === false ? 'none' : level);
    const p = this.book.get(id);
    if (!p) return refuse([`There is no proposal ${id}.`]);
    if (p.status !== 'pending') return refuse([`This proposal was already ${p.status}.`], p, 'warning');
    if (this.inFlight.has(id)) return refuse(['This proposal is already being applied.'], p, 'warning');
    this.inFlight.add(id);
    const t0 = Date.now();
    const step = (what: string): void => log().debug(`proposal ${id}: ${what} (${Date.now() - t0} ms)`);
    try {
      step(`accepting: reading ${p.changeSet.files.length} file(s)`);
      if (!(await rootIsInside(p.root, folderPaths()))) {
        return refuse([`The proposal is for ${p.root}, which is not inside the open workspace folder; nocodo writes only inside it.`], p);
      }
      const snapshots = new DocumentSnapshots();
      let plan: AcceptPlan;
      try {
        plan = await planAccept(p.changeSet, p.root, snapshots.read);
      } catch (e) {
        return refuse([`Could not read the files to check them: ${e instanceof Error ? e.message : String(e)}`], p);
      }
      step(`planned: ${plan.kind}`);
      if (plan.kind === 'refused') return refuse(plan.problems, p);
      if (plan.kind === 'reanchored') return await this.reanchor(p, plan);

      const writes = plan.files.filter((f) => f.kind === 'write');
      const result = await applyWrites(writes, snapshots, `nocodo: ${p.changeSet.summary}`, step);
      if (!result.ok) return refuse([result.message], p);
      const decided = this.decide(id, 'accepted');
      step('recorded as accepted');
      await this.afterDecision(decided);
      const written = writes.map((w) => w.path);
      this.written.set(id, written);
      this.acceptedEmitter.fire({ proposal: decided, saved: result.saved, unsaved: result.unsaved, saveRefused: result.refused });
      const refusals = result.refused.map((r) => `${r.path}: ${r.why}`);
      log().info(`proposal ${id} accepted: ${written.length ? `wrote ${written.join(', ')}` : 'nothing to write'}${result.unsaved.length ? ` (left unsaved: ${result.unsaved.join(', ')})` : ''}${refusals.length ? ` (save refused: ${refusals.join(', ')})` : ''}`);
      const what = written.length ? `changed ${written.join(', ')}` : 'nothing to write: the files already had the change';
      // Ctrl+Z undoes per editor, and not a file the proposal created: promise only what holds.
      const undoHint = !written.length ? '' : written.length === 1 && !writes[0]!.isNew ? ' Ctrl+Z in the file, or Undo this proposal, reverts it.' : ' Undo this proposal reverts every file at once.';
      for (const note of plan.notes) log().warn(`proposal ${id}: ${note}`);
      const notes = plan.notes.map((n) => ` ${n}`).join('');
      if (!opts.quiet) this.noticeAccepted(id, `accepted — ${what}.${unsavedNote(result.unsaved, result.refused)}${notes}${undoHint}`, written.length > 0, result.refused.map((r) => ({ ...r, abs: writes.find((w) => w.path === r.path)!.abs })), plan.notes.length > 0);
      const reveal = result.reveal;
      if (reveal && written.length && !opts.quiet) {
        const shown = Promise.resolve(vscode.window.showTextDocument(reveal.uri, { preview: false })).then((editor) => {
          editor.selection = new vscode.Selection(reveal.range.start, reveal.range.end);
          editor.revealRange(reveal.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        });
        await this.bounded(`showing the change of proposal ${id}`, shown, PROPOSAL_LIMITS.diffMs);
      }
      return { status: 'applied', proposal: decided, written, unsaved: result.unsaved, saveRefused: result.refused };
    } finally {
      this.inFlight.delete(id);
    }
  }

  /**
   * The accept notice (a warning when `warn`, or when a save was refused). A file VS Code would not
   * save because it changed on disk gets Compare with Disk (VS Code's own compare of the editor's text against the file on disk).
   */
  private noticeAccepted(id: string, message: string, canUndo: boolean, refused: readonly (SaveRefusal & { abs: string })[], warn: boolean): void {
    const onDisk = refused.filter((r) => r.why === 'changed-on-disk');
    const compare = 'Compare with Disk';
    const undo = 'Undo this proposal';
    const actions = [...(onDisk.length ? [compare] : []), ...(canUndo ? [undo] : [])];
    const show = refused.length || warn ? notice.warn : notice.info;
    void show(message, ...actions).then(async (pick) => {
      if (pick === undo) await this.undoWithMessage(id);
      else if (pick === compare) {
        for (const r of onDisk) await vscode.commands.executeCommand('workbench.files.action.compareWithSaved', vscode.Uri.file(r.abs));
      }
    });
  }

  /**
   * Undoes an accepted proposal: every file it wrote back as it was, the files it created deleted
   * (and folders left empty), in one edit; or nothing at all when a file was edited since.
   */
  async undo(id: string): Promise<UndoOutcome> {
    const p = this.book.get(id);
    if (!p) return { status: 'refused', problems: [`There is no proposal ${id}.`] };
    if (this.inFlight.has(id)) return { status: 'refused', problems: ['This proposal is being changed already.'] };
    this.inFlight.add(id);
    try {
      const snapshots = new DocumentSnapshots();
      const plan = await planUndo(p, snapshots.read, listFolder, this.written.get(id));
      if (plan.kind === 'refused') return { status: 'refused', problems: plan.problems };
      const applied = await applyUndo(plan, `nocodo: undo ${p.changeSet.summary}`);
      if (!applied.ok) return { status: 'refused', problems: [applied.message] };
      const undone = recordUndo(this.book.store, id);
      this.written.delete(id);
      await this.flushQuietly();
      const what = describeUndo(plan, p.root);
      log().info(`proposal ${id} undone: ${what}`);
      this.undoneEmitter.fire({ proposal: undone, files: plan.files.map((f) => f.abs) });
      return { status: 'undone', proposal: undone, what };
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** undo() for UI callers: the outcome becomes a message. */
  async undoWithMessage(id: string): Promise<UndoOutcome> {
    const out = await this.undo(id);
    if (out.status === 'undone') void notice.info(`undid the proposal — ${out.what}.`);
    else {
      log().warn(`proposal ${id} not undone: ${out.problems.join(' | ')}`);
      void notice.warn(`the proposal was not undone; no file was changed. ${out.problems.join(' ')}`);
    }
    return out;
  }

  /** Accepted proposals, newest first (what "Undo this proposal" can offer). */
  accepted(): Proposal[] {
    return this.book.store.proposals
      .list({ status: 'accepted' })
      .sort((a, b) => (b.decidedAt ?? b.createdAt) - (a.decidedAt ?? a.createdAt));
  }

  /** Rejects a proposal; files stay untouched. The reason reaches the run, the task and the next attempt. Throws when it is not pending. */
  async reject(id: string, reason?: string): Promise<Proposal> {
    const decided = this.decide(id, 'rejected', reason);
    await this.afterDecision(decided);
    log().info(`proposal ${id} rejected${decided.rejectionReason ? `: ${decided.rejectionReason}` : ''}`);
    return decided;
  }

  /** reject() for UI callers: problems become messages instead of exceptions. */
  async rejectWithMessage(id: string, reason?: string): Promise<Proposal | undefined> {
    try {
      const p = await this.reject(id, reason);
      void notice.info('rejected the proposed change; no file was touched.');
      return p;
    } catch (e) {
      void notice.warn(e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  private decide(id: string, decision: 'accepted' | 'rejected', reason?: string): Proposal {
    return this.book.decide(id, decision, reason);
  }

  private async afterDecision(p: Proposal): Promise<void> {
    await this.flushQuietly();
    await this.bounded(`closing the diffs of proposal ${p.id}`, this.closeDiffs(p.id), PROPOSAL_LIMITS.diffMs);
    this.content.refresh(p.id, p.changeSet.files.map((f) => relOf(f.path)));
  }

  private async reanchor(p: Proposal, plan: Extract<AcceptPlan, { kind: 'reanchored' }>): Promise<AcceptOutcome> {
    const updated = this.book.replaceChangeSet(p.id, reanchoredChangeSet(p.changeSet, plan.reanchored));
    await this.flushQuietly();
    const files = plan.reanchored.map((r) => r.path);
    this.content.refresh(p.id, files);
    const notes = plan.reanchored.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message));
    log().info(`proposal ${p.id}: re-anchored ${files.join(', ')} on the user's edits`);
    await this.openDiff(p.id, files[0]);
    const msg = `${files.join(', ')} changed after the change was proposed. nocodo re-applied it to your current text without touching your edits — check the diff, then accept again.${notes.length ? ` Note: ${notes.join(' ')}` : ''}`;
    void notice.warn(msg, 'Accept', 'Reject').then(async (pick) => {
      if (this.book.get(p.id)?.status !== 'pending') return;
      if (pick === 'Accept') await this.accept(p.id);
      else if (pick === 'Reject') {
        const reason = await askRejectionReason();
        if (reason !== undefined) await this.rejectWithMessage(p.id, reason);
      }
    });
    return { status: 'reanchored', proposal: updated, files };
  }

  private refuse(problems: string[], p: Proposal | undefined, show: 'error' | 'warning' | 'none'): AcceptOutcome {
    log().warn(`proposal ${p?.id ?? '?'} not applied: ${problems.join(' | ')}`);
    if (show === 'error') {
      const actions = p?.status === 'pending' ? ['Open Diff', 'Reject'] : [];
      void notice.error(`the proposed change was not applied. ${problems.join(' ')}`, ...actions).then(async (pick) => {
        if (!p || !pick) return;
        if (pick === 'Open Diff') await this.openDiff(p.id);
        else {
          const reason = await askRejectionReason();
          if (reason !== undefined) await this.rejectWithMessage(p.id, reason);
        }
      });
    } else if (show === 'warning') void notice.warn(problems.join(' '));
    return { status: 'refused', problems, ...(p ? { proposal: p } : {}) };
  }

  /** Closes every tab showing this proposal (diffs and proposed documents). */
  private async closeDiffs(id: string): Promise<void> {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => proposalOfTab(t)?.proposalId === id);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  private async flushQuietly(): Promise<void> {
    const t0 = Date.now();
    try {
      await withinLimit("Saving to nocodo's database", this.book.flush(), PROPOSAL_LIMITS.saveMs);
      log().debug(`proposals: saved to the database in ${Date.now() - t0} ms`);
    } catch (e) {
      // The store keeps the change in memory and retries; it reports the failure itself. A save
      // that does not answer must not hold the proposal or the decision: they are in the store.
      log().warn(`saving the proposal to the database ${e instanceof StepTimeoutError ? 'did not finish in time' : 'failed'} (the store keeps it and saves again)`, e);
    }
  }

  /** `work` within `limitMs`; past it a warning names the step and the caller goes on (the work may still finish). */
  private async bounded(what: string, work: Promise<unknown>, limitMs: number): Promise<void> {
    try {
      await withinLimit(what, work, limitMs);
    } catch (e) {
      if (!(e instanceof StepTimeoutError)) throw e;
      log().warn(`${e.message}; going on without it`);
    }
  }


  /** The proposal shown in the active editor tab, if any. */
  activeProposalId(): string | undefined {
    return proposalOfTab(vscode.window.tabGroups.activeTabGroup.activeTab)?.proposalId;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.acceptedEmitter.dispose();
    this.undoneEmitter.dispose();
  }
}

/** Asks why (optional). Resolves '' for "no reason", undefined when the user cancelled. */
export async function askRejectionReason(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'nocodo: Reject the proposed change',
    prompt: 'Why? (optional) The reason is kept with the run and given to the next attempt. Enter rejects; Escape cancels.',
    placeHolder: 'e.g. it should filter by the customer, not by the order status',
  });
}
