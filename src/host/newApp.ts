import * as path from 'node:path';
import * as vscode from 'vscode';
import { appNames, checkNewAppTarget, createNewApp, NewAppRefused, type NewAppResult } from '../scaffold';
import type { NocodoContext } from './ctx';
import { notice } from './notice';
import { isTrusted } from './workspaceTrust';

export const NEW_APP_COMMAND = 'nocodo.newApp';

/** The workspace folder when it holds nothing yet (the Team panel then offers New App). */
export async function emptyWorkspaceFolder(ctx: NocodoContext): Promise<vscode.Uri | undefined> {
  const root = ctx.workspaceRoot;
  if (!root || root.scheme !== 'file') return undefined;
  try {
    await checkNewAppTarget(root.fsPath, appNames('app'));
    return root;
  } catch {
    return undefined;
  }
}

/** Where the app goes: the workspace folder when empty, else a free subfolder of it (asked), else a picked folder. */
async function chooseFolder(ctx: NocodoContext): Promise<string | undefined> {
  const root = ctx.workspaceRoot;
  if (root?.scheme === 'file') {
    try {
      await checkNewAppTarget(root.fsPath, appNames(path.basename(root.fsPath) || 'app'));
      return root.fsPath;
    } catch (err) {
      if (!(err instanceof NewAppRefused)) throw err;
      const sub = err.suggestion;
      const inSub = sub ? `Create in ${path.basename(sub)}/` : undefined;
      const pick = await notice.warn(
        `This folder is not empty, and New App never overwrites files.${sub ? ` Create the app in a new subfolder ${path.basename(sub)}/ instead?` : ''}`,
        ...(inSub ? [inSub] : []),
        'Choose Another Folder…',
      );
      if (pick === inSub) return sub;
      if (pick === undefined) return undefined;
    }
  }
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Create the App Here' });
  return picked?.[0]?.fsPath;
}

async function askName(folder: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: 'nocodo: New App',
    prompt: 'Name of the app, as people will see it (e.g. Corner Bakery)',
    value: path.basename(folder),
    validateInput: (v) => {
      try {
        appNames(v);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    },
  });
}

/** `nocodo: New App`: the deterministic scaffold (no model), then the README opened. */
export async function newAppCommand(ctx: NocodoContext): Promise<NewAppResult | undefined> {
  const folder = await chooseFolder(ctx);
  if (!folder) return undefined;
  const name = await askName(folder);
  if (name === undefined) return undefined;
  let result: NewAppResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `nocodo: creating ${name}…` }, () =>
      // git runs a program: only in a trusted workspace (the files are written either way).
      createNewApp({ dir: folder, name, ...(isTrusted() ? {} : { git: false as const }) }),
    );
  } catch (err) {
    void notice.error(`New App failed: ${(err as Error).message}`);
    return undefined;
  }
  const commit = result.commit ? ` First commit ${result.commit.short}.` : result.gitError ? ` No git repository: ${result.gitError}` : '';
  const inWorkspace = ctx.workspaceRoot?.fsPath === result.dir;
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(result.dir, 'README.md')), { preview: true });
  const open = inWorkspace ? undefined : 'Open the App Folder';
  const run = inWorkspace ? 'Run App' : undefined;
  const pick = await notice.info(`Created ${result.names.appName}: backend/ (Actix + Diesel + SQLite) and frontend/ (SolidJS), ${result.files.length} files.${commit} Tell the Team panel what the app should do.`, ...[open, run].filter((x): x is string => !!x));
  if (pick === open && open) await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(result.dir));
  if (pick === run && run) await vscode.commands.executeCommand('nocodo.runApp');
  return result;
}

export function registerNewApp(ctx: NocodoContext): void {
  ctx.own(vscode.commands.registerCommand(NEW_APP_COMMAND, () => newAppCommand(ctx)));
}
