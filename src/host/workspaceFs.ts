import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ProjectFileCache } from '../core/fileCache';
import { NodeProjectFs, OverlayProjectFs, type ProjectFs } from '../core/projectFs';
import { isInside } from '../proposals/paths';

/**
 * The project as the user sees it: files on disk, with the unsaved text of open editors laid
 * over them, so a mode never works from an outdated file. Used by Generate…, the team panel and
 * the project-stack check alike, so it lives with the host, not with the proposals. The core passes
 * its `cache` (src/host/projectFiles.ts): files on disk whose stat did not change are not read again.
 */
export function workspaceProjectFs(root: string, cache?: ProjectFileCache): ProjectFs {
  const overlay = new Map<string, string>();
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.uri.scheme !== 'file' || !doc.isDirty) continue;
    const abs = doc.uri.fsPath;
    if (!isInside(root, abs) || abs === root) continue;
    overlay.set(path.relative(root, abs).split(path.sep).join('/'), doc.getText());
  }
  return new OverlayProjectFs(new NodeProjectFs(root, cache ? { cache } : {}), overlay);
}
