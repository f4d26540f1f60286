import * as vscode from 'vscode';
import * as path from 'node:path';
import { NodeProjectFs, OverlayProjectFs, type ProjectFs } from '../core/projectFs';
import { isInside } from '../proposals/paths';

/**
 * The project as the user sees it: files on disk, with the unsaved text of open editors laid
 * over them, so a mode never works from an outdated file. Used by Generate…, the team panel and
 * the project-stack check alike, so it lives with the host, not with the proposals.
 */
export function workspaceProjectFs(root: string): ProjectFs {
  const overlay = new Map<string, string>();
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file' || !doc.isDirty) continue;
    const abs = doc.uri.fsPath;
    if (!isInside(root, abs) || abs === root) continue;
    overlay.set(path.relative(root, abs).split(path.sep).join('/'), doc.getText());
  }
  return new OverlayProjectFs(new NodeProjectFs(root), overlay);
}
