import * as vscode from 'vscode';
import { NocodoContext } from './host/ctx';
import { disposeLog, log } from './host/log';
import { ModelServerFeature } from './host/modelServer';
import { registerChooseModel } from './host/chooseModel';
import { registerProjectStack } from './host/projectStack';
import { registerGit, type GitIntegration } from './host/git';
import { registerProposals, type ProposalsFeature } from './host/proposals';
import { PROPOSE_CHANGE_SET_COMMAND } from './host/proposals/commands';
import { StoreFeature } from './host/storeFeature';
import { SidebarView } from './host/sidebarView';
import { TeamPanel } from './host/teamPanel';
import { emptyWorkspaceFolder, newAppCommand, registerNewApp } from './host/newApp';
import { RunAppFeature } from './host/runApp';
import { readRustfmtSetting } from './host/config';
import { LateCommands } from './host/lateCommands';
import type { NocodoStore } from './store';
import type { RustfmtSetting } from './pipeline/rust/rustfmt';

let current: NocodoContext | undefined;

/** What the extension exports: used by the extension-host tests, not a public API. */
export interface NocodoApi {
  ctx: NocodoContext;
  models: ModelServerFeature;
  sidebar: SidebarView;
  store: StoreFeature;
  /** Resolves when the database is open and the features that need it are wired (after activation). */
  ready: Promise<NocodoServices>;
  /** How the modes format Rust right now (read on every run: settings, workspace trust). */
  rustfmt: () => RustfmtSetting;
  /** Time spent inside `activate()`; the database opens afterwards. */
  activationMs: number;
}

/** The features that need the database: wired once it is open. */
export interface NocodoServices {
  proposals: ProposalsFeature;
  panel: TeamPanel;
  git: GitIntegration;
}

export function activate(context: vscode.ExtensionContext): NocodoApi {
  const started = Date.now();
  const ctx = new NocodoContext(context);
  current = ctx;
  const models = ctx.own(new ModelServerFeature(ctx));
  registerChooseModel(ctx);
  registerProjectStack(ctx);
  registerNewApp(ctx);
  ctx.own(new RunAppFeature(ctx));
  // The panel needs the store, which opens in the background: the webview's messages wait for it.
  const panelRef: { current?: TeamPanel } = {};
  const early: unknown[] = [];
  const sidebar = ctx.own(new SidebarView(ctx.extensionUri, (msg) => (panelRef.current ? panelRef.current.handle(msg) : early.push(msg))));
  ctx.own(vscode.window.registerWebviewViewProvider(SidebarView.viewId, sidebar, { webviewOptions: { retainContextWhenHidden: false } }));
  ctx.own(vscode.commands.registerCommand('nocodo.openTeamPanel', () => sidebar.reveal()));

  // Activation does only registration: the database opens after it returns.
  const store = StoreFeature.start(ctx);
  ctx.own(models.onRun((run) => store.saveRun(run)));
  const wire = (db: NocodoStore): NocodoServices => {
    late.dispose();
    const proposals = ctx.own(registerProposals(ctx, { models, store: db }));
    const git = registerGit(ctx, db, proposals.service);
    const panel = (panelRef.current = ctx.own(new TeamPanel(ctx, db, models, proposals.service, sidebar)));
    panel.setCompileCheck((onProgress) => proposals.compile.step(onProgress));
    for (const msg of early.splice(0)) panel.handle(msg);
    panel.setGit(git.commands);
    panel.setNewApp({ isOffered: async () => !!(await emptyWorkspaceFolder(ctx)), create: () => newAppCommand(ctx) });
    panel.team.setTaskPreparer((task) => {
      const root = ctx.workspaceRoot?.fsPath;
      return root ? git.feature.prepareTask(task, root) : Promise.resolve(undefined);
    });
    // Don't hold up the rest on interrupted work (the model server is being checked already).
    void panel.resume();
    return { proposals, panel, git };
  };
  const ready = store.ready.then(wire);
  ready.catch((e: unknown) => ctx.log.error('nocodo could not start the features that need its database', e));
  // Every contributed command exists from now on; those of the features above wait for them.
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
  const late = ctx.own(new LateCommands([...contributed.map((c) => c.command), PROPOSE_CHANGE_SET_COMMAND], ready));

  const activationMs = Date.now() - started;
  log().info(`nocodo ${String(context.extension.packageJSON.version)} activated in ${activationMs} ms (${late.count} commands wait for the database)`);
  return { ctx, models, sidebar, store, ready, rustfmt: readRustfmtSetting, activationMs };
}

export async function deactivate(): Promise<void> {
  await current?.deactivate();
  current = undefined;
  disposeLog();
}
