import * as vscode from 'vscode';
import { checkRelativePath, forDocument, type ProposalBook } from '../../proposals';
import { parseProposalUri, proposalUri } from './uris';

/**
 * Serves the proposed side of each diff from the store, read-only (content-provider documents
 * cannot be edited or saved). Nothing is ever written to a temp file in the user's workspace.
 */
export class ProposalContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly book: ProposalBook) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = parseProposalUri(uri);
    if (!ref) return '';
    if (ref.side === 'empty') return '';
    const p = this.book.get(ref.proposalId);
    const file = p?.changeSet.files.find((f) => {
      const c = checkRelativePath(f.path);
      return c.ok && c.rel === ref.path;
    });
    // A decided or deleted proposal can still be open in a tab (e.g. after a reload): say so
    // rather than showing an empty file that looks like a proposal to delete everything.
    if (!p || !file) return `// nocodo: this proposal is no longer available (${ref.proposalId}).\n`;
    return forDocument(file.proposed, '\n');
  }

  /** Tells open documents of this proposal to reload (after re-anchoring or a decision). */
  refresh(proposalId: string, paths: readonly string[]): void {
    for (const path of paths) this.changed.fire(proposalUri(proposalId, path, 'proposed'));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
