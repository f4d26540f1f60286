import * as vscode from 'vscode';
import type { ProposalService } from './service';
import { proposalOfTab } from './uris';

/**
 * Context keys and the status-bar hint that follow the proposals:
 * - `nocodo.proposalFocused`: the active editor shows a proposal (its diff or proposed document);
 *   the Accept/Reject keybindings and title-bar buttons use it.
 * - `nocodo.proposalMultiFile`: that proposal changes several files (shows "Review Files").
 * - `nocodo.hasPendingProposal`: something waits for review (palette entries).
 * - `nocodo.hasAcceptedProposal`: an accepted proposal can be undone (palette entry).
 */
export class ProposalIndicators implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subs: vscode.Disposable[] = [];
  private last = { focused: false, multi: false, pending: -1 };
  /** Counted when proposals change, not on every tab switch (listing parses every pending proposal). */
  private pending = 0;

  constructor(private readonly service: ProposalService) {
    this.item = vscode.window.createStatusBarItem('nocodo.proposals', vscode.StatusBarAlignment.Left, 49);
    this.item.name = 'nocodo proposals';
    this.item.command = 'nocodo.reviewProposals';
    this.subs.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.update()),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.update()),
      service.onDidChange(() => this.recount()),
    );
    this.recount();
  }

  private hasAccepted: boolean | undefined;

  private recount(): void {
    this.pending = this.service.list().length;
    const hasAccepted = this.service.accepted().length > 0;
    if (hasAccepted !== this.hasAccepted) void vscode.commands.executeCommand('setContext', 'nocodo.hasAcceptedProposal', hasAccepted);
    this.hasAccepted = hasAccepted;
    this.update();
  }

  update(): void {
    const ref = proposalOfTab(vscode.window.tabGroups.activeTabGroup.activeTab);
    const p = ref ? this.service.get(ref.proposalId) : undefined;
    const focused = !!p && p.status === 'pending';
    const multi = focused && p.changeSet.files.length > 1;
    const pending = this.pending;
    if (focused !== this.last.focused) void vscode.commands.executeCommand('setContext', 'nocodo.proposalFocused', focused);
    if (multi !== this.last.multi) void vscode.commands.executeCommand('setContext', 'nocodo.proposalMultiFile', multi);
    if (pending !== this.last.pending) {
      void vscode.commands.executeCommand('setContext', 'nocodo.hasPendingProposal', pending > 0);
      if (pending > 0) {
        this.item.text = `$(git-pull-request) ${pending}`;
        this.item.tooltip = `nocodo: ${pending} proposed change${pending > 1 ? 's' : ''} waiting for your review. Click to review.`;
        this.item.show();
      } else this.item.hide();
    }
    this.last = { focused, multi, pending };
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.item.dispose();
  }
}
