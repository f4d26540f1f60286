import * as vscode from 'vscode';
import { ProjectFileCache } from '../core/fileCache';
import type { NocodoContext } from './ctx';

/**
 * The workspace's files as the core's modes read them (Generate…, the team's tasks, the API
 * files), remembered by path, size and mtime (src/core/fileCache.ts): a generation reads only what
 * changed since the last one. In the core bundle only; the activation bundle reads without it.
 */
export const projectFiles = new ProjectFileCache();

/**
 * Drops what the workspace's file watcher reports as changed, created or deleted (a deleted folder
 * is one event: everything below it goes). Every read still checks the file's stat, so an event
 * that comes late, or a change outside the watched folders, never serves an old text.
 */
export function watchProjectFiles(ctx: NocodoContext): void {
  const watcher = ctx.own(vscode.workspace.createFileSystemWatcher('**/*'));
  ctx.own(watcher.onDidChange((uri) => projectFiles.drop(uri.fsPath)));
  ctx.own(watcher.onDidCreate((uri) => projectFiles.drop(uri.fsPath)));
  ctx.own(watcher.onDidDelete((uri) => projectFiles.dropTree(uri.fsPath)));
  ctx.own({ dispose: () => projectFiles.clear() });
}
