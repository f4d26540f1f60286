import * as vscode from 'vscode';
import { readProjectStack, type ProjectStack } from '../rust/stack';
import type { NocodoContext } from './ctx';
import { log } from './log';
import { workspaceProjectFs } from './workspaceFs';

/**
 * Sets the context keys `nocodo.project.actix` and `nocodo.project.diesel` from the workspace's
 * Cargo.toml files, so the Actix generation commands show only in Actix Web projects and the
 * Diesel ones only with diesel (package.json `when` clauses). A folder without any Cargo.toml
 * offers everything: nocodo then reads its Rust files as they are. Updated when a Cargo.toml changes.
 */
export function registerProjectStack(ctx: NocodoContext): void {
  let pending: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<void> => {
    const stacks = await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => readProjectStack(workspaceProjectFs(f.uri.fsPath)).catch(() => undefined)));
    const offered = (key: keyof Omit<ProjectStack, 'cargoFound'>): boolean => stacks.some((s) => !s || !s.cargoFound || s[key]);
    await vscode.commands.executeCommand('setContext', 'nocodo.project.actix', offered('actix'));
    await vscode.commands.executeCommand('setContext', 'nocodo.project.diesel', offered('diesel'));
  };
  // Saving Cargo.toml fires several events in a row: read once they settle.
  const soon = (): void => {
    clearTimeout(pending);
    pending = setTimeout(() => void refresh().catch((e: unknown) => log().warn(`reading Cargo.toml for the menus failed: ${String(e)}`)), 300);
  };
  const watcher = ctx.own(vscode.workspace.createFileSystemWatcher('**/Cargo.toml'));
  ctx.own(watcher.onDidChange(soon));
  ctx.own(watcher.onDidCreate(soon));
  ctx.own(watcher.onDidDelete(soon));
  ctx.own(vscode.workspace.onDidChangeWorkspaceFolders(soon));
  ctx.own({ dispose: () => clearTimeout(pending) });
  soon();
}
