import * as vscode from 'vscode';
import type { Proposal } from '../../domain';
import { noticeText } from '../notice';

/** `[label](command:id?args)` for a notification message (VS Code renders these links). */
export const commandLink = (label: string, command: string, ...args: unknown[]): string =>
  `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;

/**
 * The notice of a pending proposal. An extension cannot close an ordinary notification, so one
 * with Accept / Reject buttons would stay after the proposal was decided elsewhere (the diff's
 * title bar, the sidebar, a keybinding) with buttons that no longer do anything. A progress
 * notification can be closed: this one carries the actions as links and closes itself as soon as
 * the proposal stops being pending, however that happened. Cancel only closes the notice.
 */
export function showPendingNotice(p: Proposal, stillPending: (id: string) => boolean, onDidChange: vscode.Event<void>): void {
  const n = p.changeSet.files.length;
  const files = n > 1 ? `${n} files` : (p.changeSet.files[0]?.path ?? '');
  const links = [
    commandLink('Accept', 'nocodo.acceptProposal', p.id),
    commandLink('Reject…', 'nocodo.rejectProposal', p.id),
    n > 1 ? commandLink('Review Files', 'nocodo.reviewProposalFiles', p.id) : commandLink('Open Diff', 'nocodo.reviewProposalFiles', { proposalId: p.id, file: p.changeSet.files[0]?.path }),
  ].join(' · ');
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: noticeText(`nocodo proposes: ${p.changeSet.summary}`), cancellable: true },
    (progress, token) => {
      progress.report({ message: `(${files}) ${links}` });
      return new Promise<void>((resolve) => {
        const done = (): void => {
          sub.dispose();
          cancel.dispose();
          resolve();
        };
        const sub = onDidChange(() => {
          if (!stillPending(p.id)) done();
        });
        const cancel = token.onCancellationRequested(done);
        if (!stillPending(p.id)) done();
      });
    },
  );
}
