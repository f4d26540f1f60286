import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ProjectFileCache } from '../core/fileCache';
import { NodeProjectFs, OverlayProjectFs, type ProjectFs } from '../core/projectFs';
import { isInside } from '../proposals/paths';

/**
 * The project as the user sees it: files on disk, with the unsaved text of open editors laid
 * over them, so a mode never works from an outdated file. Used by Generate…, the API files'
 * regeneration and the project-stack check, so it lives with the host, not with the proposals.
 * The editors are read once, here: one run sees one consistent project. The core passes its
 * `cache` (src/host/projectFiles.ts): files on disk whose stat did not change are not read again.
 */
export function workspaceProjectFs(root: string, cache?: ProjectFileCache): ProjectFs {
  const overlay = new Map<string, string>();
  for (const doc of vscode.workspace.textDocuments) {
    const rel = unsavedPath(root, doc);
    if (rel !== undefined) overlay.set(rel, doc.getText());
  }
  return new OverlayProjectFs(new NodeProjectFs(root, cache ? { cache } : {}), overlay);
}

/**
 * The same view for a holder that lives as long as the editor (the team panel): the editors'
 * unsaved text is looked up on every read, so a task run an hour after the panel opened sees the
 * edits made since, and no longer sees edits that were saved or reverted.
 */
export function liveWorkspaceProjectFs(root: string, cache?: ProjectFileCache): ProjectFs {
  const disk = new NodeProjectFs(root, cache ? { cache } : {});
  return {
    root,
    async readFile(rel: string): Promise<string | undefined> {
      const doc = vscode.workspace.textDocuments.find((d) => unsavedPath(root, d) === rel);
      return doc ? doc.getText() : disk.readFile(rel);
    },
    listFiles: (dir, exts) => disk.listFiles(dir, exts),
  };
}

/** The project-relative path of an open editor's unsaved file inside `root`, else undefined. */
function unsavedPath(root: string, doc: vscode.TextDocument): string | undefined {
  if (doc.uri.scheme !== 'file' || !doc.isDirty) return undefined;
  const abs = doc.uri.fsPath;
  if (!isInside(root, abs) || abs === root) return undefined;
  return path.relative(root, abs).split(path.sep).join('/');
}
