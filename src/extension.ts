import * as vscode from 'vscode';
import { NocodoContext } from './host/ctx';
import { disposeLog, log } from './host/log';
import { ModelServerFeature } from './host/modelServer';
import { SidebarView } from './host/sidebarView';

let current: NocodoContext | undefined;

/** What the extension exports: used by the extension-host tests, not a public API. */
export interface NocodoApi {
  ctx: NocodoContext;
  models: ModelServerFeature;
  sidebar: SidebarView;
}

export async function activate(context: vscode.ExtensionContext): Promise<NocodoApi> {
  const started = Date.now();
  const ctx = new NocodoContext(context);
  current = ctx;
  const models = ctx.own(new ModelServerFeature(ctx));
  const sidebar = ctx.own(new SidebarView(ctx.extensionUri, (msg) => log().debug('webview message', msg)));
  ctx.own(vscode.window.registerWebviewViewProvider(SidebarView.viewId, sidebar, { webviewOptions: { retainContextWhenHidden: false } }));
  ctx.own(vscode.commands.registerCommand('nocodo.openTeamPanel', () => sidebar.reveal()));

  // Don't hold up activation on the network.
  void models.check();
  log().info(`nocodo ${String(context.extension.packageJSON.version)} activated in ${Date.now() - started} ms`);
  return { ctx, models, sidebar };
}

export async function deactivate(): Promise<void> {
  await current?.deactivate();
  current = undefined;
  disposeLog();
}
