import * as vscode from 'vscode';
import { NocodoContext } from './host/ctx';
import { disposeLog, log } from './host/log';
import { ModelServerFeature } from './host/modelServer';
import { registerChooseModel } from './host/chooseModel';
import { registerProjectStack } from './host/projectStack';
import { registerGit, type GitIntegration } from './host/git';
import { registerProposals, type ProposalsFeature } from './host/proposals';
import { StoreFeature } from './host/storeFeature';
import { SidebarView } from './host/sidebarView';
import { TeamPanel } from './host/teamPanel';
import { emptyWorkspaceFolder, newAppCommand, registerNewApp } from './host/newApp';
import { RunAppFeature } from './host/runApp';
import { readRustfmtSetting } from './host/config';
import type { RustfmtSetting } from './pipeline/rust/rustfmt';

let current: NocodoContext | undefined;

/** What the extension exports: used by the extension-host tests, not a public API. */
export interface NocodoApi {
  ctx: NocodoContext;
  models: ModelServerFeature;
  sidebar: SidebarView;
  store: StoreFeature;
  proposals: ProposalsFeature;
  panel: TeamPanel;
  git: GitIntegration;
  /** How the modes format Rust right now (read on every run: settings, workspace trust). */
  rustfmt: () => RustfmtSetting;
  activationMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<NocodoApi> {
  const started = Date.now();
  const ctx = new NocodoContext(context);
  current = ctx;
  const models = ctx.own(new ModelServerFeature(ctx));
  registerChooseModel(ctx);
  registerProjectStack(ctx);
  // The panel needs the store, which opens after the view is registered: messages wait for it.
  const panelRef: { current?: TeamPanel } = {};
  const early: unknown[] = [];
  const sidebar = ctx.own(new SidebarView(ctx.extensionUri, (msg) => (panelRef.current ? panelRef.current.handle(msg) : early.push(msg))));
  ctx.own(vscode.window.registerWebviewViewProvider(SidebarView.viewId, sidebar, { webviewOptions: { retainContextWhenHidden: false } }));
  ctx.own(vscode.commands.registerCommand('nocodo.openTeamPanel', () => sidebar.reveal()));

  const store = await StoreFeature.open(ctx);
  ctx.own(models.onRun((run) => store.saveRun(run)));
  const proposals = ctx.own(registerProposals(ctx, { models, store: store.store }));
  const git = registerGit(ctx, store.store, proposals.service);
  const panel = (panelRef.current = ctx.own(new TeamPanel(ctx, store.store, models, proposals.service, sidebar)));
  panel.setCompileCheck((onProgress) => proposals.compile.step(onProgress));
  for (const msg of early.splice(0)) panel.handle(msg);
  panel.setGit(git.commands);
  registerNewApp(ctx);
  ctx.own(new RunAppFeature(ctx));
  panel.setNewApp({ isOffered: async () => !!(await emptyWorkspaceFolder(ctx)), create: () => newAppCommand(ctx) });
  panel.team.setTaskPreparer((task) => {
    const root = ctx.workspaceRoot?.fsPath;
    return root ? git.feature.prepareTask(task, root) : Promise.resolve(undefined);
  });

  // Don't hold up activation on interrupted work (the model server is being checked already).
  void panel.resume();
  const activationMs = Date.now() - started;
  log().info(`nocodo ${String(context.extension.packageJSON.version)} activated in ${activationMs} ms`);
  return { ctx, models, sidebar, store, proposals, panel, git, rustfmt: readRustfmtSetting, activationMs };
}

export async function deactivate(): Promise<void> {
  await current?.deactivate();
  current = undefined;
  disposeLog();
}
