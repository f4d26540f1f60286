import * as vscode from 'vscode';
import type { GitRepository } from '../../git';

export const GIT_SCHEME = 'nocodo-git';

/**
 * Read-only documents of a file at a commit (`nocodo-git:/<repo-relative path>?<query>`), for the
 * diffs of a task's commits and of a revert preview. The query carries the repository root and
 * either a revision or, for previews, a key into `previews`.
 */
export class GitDocuments implements vscode.TextDocumentContentProvider {
  private readonly previews = new Map<string, string>();

  constructor(private readonly repoAt: (root: string) => Promise<GitRepository | undefined>) {}

  static uri(root: string, path: string, source: { rev: string } | { preview: string }): vscode.Uri {
    const q = new URLSearchParams({ root, ...('rev' in source ? { rev: source.rev } : { preview: source.preview }) });
    return vscode.Uri.from({ scheme: GIT_SCHEME, path: `/${path}`, query: q.toString() });
  }

  /** Text shown for a preview key (the file as a revert would leave it). */
  setPreview(key: string, text: string): void {
    this.previews.set(key, text);
  }

  clearPreviews(prefix: string): void {
    for (const k of [...this.previews.keys()]) if (k.startsWith(prefix)) this.previews.delete(k);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const preview = q.get('preview');
    if (preview !== null) return this.previews.get(preview) ?? '';
    const root = q.get('root');
    const rev = q.get('rev');
    if (!root || !rev || !/^[0-9a-f]{4,64}\^?$/i.test(rev)) return '';
    const repo = await this.repoAt(root);
    if (!repo) return '';
    // A file that did not exist at that revision shows as empty (a new or deleted file).
    return repo.raw(['show', `${rev}:${uri.path.replace(/^\/+/, '')}`]).catch(() => '');
  }
}
