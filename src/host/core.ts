import type * as vscode from 'vscode';
import type { NocodoContext } from './ctx';
import { log } from './log';
import { ModelServerFeature } from './modelServer';
import { registerChooseModel } from './chooseModel';
import { registerGit, type GitIntegration } from './git';
import { registerProposals, type ProposalsFeature } from './proposals';
import { StoreFeature } from './storeFeature';
import type { SidebarView } from './sidebarView';
import { TeamPanel } from './teamPanel';
import { emptyWorkspaceFolder, newAppCommand, registerNewApp } from './newApp';
import { RunAppFeature } from './runApp';
import { readRustfmtSetting } from './config';
import { LateCommands } from './lateCommands';
import { projectFiles, watchProjectFiles } from './projectFiles';
import type { ProjectFileCache } from '../core/fileCache';
import type { NocodoStore } from '../store';
import type { RustfmtSetting } from '../pipeline/rust/rustfmt';

/**
 * nocodo's features: the second bundle (dist/core.js, scripts/lib/bundles.mjs). Loading it
 * (tree-sitter, sql.js, the model client, zod, the pipeline and the modes) is most of nocodo's
 * start-up, so `activate()` (src/extension.ts) only registers stand-ins and the menus' context
 * keys, and this is loaded on first use: a command, the Team view, or the model-server status
 * once the workbench's start-up is over.
 */

/** The features that exist once the core is loaded. */
export interface NocodoCore {
  models: ModelServerFeature;
  store: StoreFeature;
  /** How the modes format Rust right now (read on every run: settings, workspace trust). */
  rustfmt: () => RustfmtSetting;
  /** The workspace files the modes read, remembered by stat and dropped on the file watcher's events. */
  projectFiles: ProjectFileCache;
}

/** The features that need the database: wired once it is open. */
export interface NocodoServices {
  proposals: ProposalsFeature;
  panel: TeamPanel;
  git: GitIntegration;
}

export interface CoreStart {
  ctx: NocodoContext;
  sidebar: SidebarView;
  /** Receives the webview's messages from now on (those that came earlier are handed to it in order). */
  routeMessages: (handle: (msg: unknown) => void) => void;
  /** Every command `activate()` put a stand-in for: contributed and internal. */
  commandIds: readonly string[];
  /** The stand-ins registered by `activate()`; removed right before the real commands register. */
  standIns: LateCommands;
  /** The model-server status item `activate()` drew from the settings; the model-server feature takes it over. */
  statusItem?: vscode.StatusBarItem;
}

/** Registers the features; the database opens in the background and `ready` says when the rest is wired. */
export function startCore({ ctx, sidebar, routeMessages, commandIds, standIns, statusItem }: CoreStart): NocodoCore & { ready: Promise<NocodoServices> } {
  standIns.dispose();
  watchProjectFiles(ctx);
  const models = ctx.own(new ModelServerFeature(ctx, statusItem));
  registerChooseModel(ctx);
  registerNewApp(ctx);
  ctx.own(new RunAppFeature(ctx));
  const store = StoreFeature.start(ctx);
  ctx.own(models.onRun((run) => store.saveRun(run)));
  const wire = (db: NocodoStore): NocodoServices => {
    late.dispose();
    const proposals = ctx.own(registerProposals(ctx, { models, store: db }));
    const git = registerGit(ctx, db, proposals.service);
    const panel = ctx.own(new TeamPanel(ctx, db, models, proposals.service, sidebar));
    panel.setCompileCheck((onProgress) => proposals.compile.step(onProgress));
    panel.setGit(git.commands);
    panel.setNewApp({ isOffered: async () => !!(await emptyWorkspaceFolder(ctx)), create: () => newAppCommand(ctx) });
    panel.team.setTaskPreparer((task) => {
      const root = ctx.workspaceRoot?.fsPath;
      return root ? git.feature.prepareTask(task, root) : Promise.resolve(undefined);
    });
    // Last: the messages the webview sent meanwhile (its `ready` first) find the panel fully wired.
    routeMessages((msg) => panel.handle(msg));
    // Don't hold up the rest on interrupted work (the model server is being checked already).
    void panel.resume();
    return { proposals, panel, git };
  };
  const ready = store.ready.then(wire);
  ready.catch((e: unknown) => ctx.log.error('nocodo could not start the features that need its database', e));
  // The commands of the features above wait for the database; the others are registered now.
  const late = ctx.own(new LateCommands(commandIds, () => ready));
  log().info(`nocodo's features are registered (${late.count} commands wait for the database)`);
  return { models, store, rustfmt: readRustfmtSetting, projectFiles, ready };
}
