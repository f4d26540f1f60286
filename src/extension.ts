import * as path from 'node:path';
import * as vscode from 'vscode';
import { NocodoContext } from './host/ctx';
import { disposeLog, log } from './host/log';
import { SidebarView } from './host/sidebarView';
import { LateCommands } from './host/lateCommands';
import { PROPOSE_CHANGE_SET_COMMAND } from './host/proposals/commandIds';
import type * as Core from './host/core';

export type { NocodoCore, NocodoServices } from './host/core';

/**
 * The activation bundle (dist/extension.js): only what registration needs. Every command gets a
 * stand-in and the team view its provider; the features live in a second bundle (dist/core.js,
 * see src/host/core.ts) that is loaded right after `activate()` returns, and the database opens
 * after that. A command run meanwhile waits for its feature.
 */

let current: { ctx: NocodoContext; timer?: NodeJS.Timeout } | undefined;

/** What the extension exports: used by the extension-host tests, not a public API. */
export interface NocodoApi {
  ctx: NocodoContext;
  sidebar: SidebarView;
  /** Resolves when the core is loaded (models, store) … */
  core: Promise<Core.NocodoCore>;
  /** … and when the database is open and the features that need it are wired too. */
  ready: Promise<Core.NocodoCore & Core.NocodoServices>;
  /** Time spent inside `activate()`; the core loads and the database opens afterwards. */
  activationMs: number;
}

/** The core bundle, beside this one. A runtime require keeps esbuild from inlining it. */
function loadCore(): typeof Core {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(__dirname, 'core.js')) as typeof Core;
}

export function activate(context: vscode.ExtensionContext): NocodoApi {
  const started = performance.now();
  const ctx = new NocodoContext(context);
  const state: NonNullable<typeof current> = { ctx };
  current = state;
  // The webview's messages wait for the team panel, which needs the core and the database.
  const early: unknown[] = [];
  let route: ((msg: unknown) => void) | undefined;
  const sidebar = ctx.own(new SidebarView(ctx.extensionUri, (msg) => (route ? route(msg) : early.push(msg))));
  ctx.own(vscode.window.registerWebviewViewProvider(SidebarView.viewId, sidebar, { webviewOptions: { retainContextWhenHidden: false } }));
  ctx.own(vscode.commands.registerCommand('nocodo.openTeamPanel', () => sidebar.reveal()));

  const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
  const commandIds = [...contributed.map((c) => c.command), PROPOSE_CHANGE_SET_COMMAND];
  let coreLoaded!: (c: Core.NocodoCore & { ready: Promise<Core.NocodoServices> }) => void;
  let coreFailed!: (e: unknown) => void;
  const coreStart = new Promise<Core.NocodoCore & { ready: Promise<Core.NocodoServices> }>((resolve, reject) => {
    coreLoaded = resolve;
    coreFailed = reject;
  });
  // Every contributed command exists from now on; each waits for the core to register the real one.
  const standIns = ctx.own(new LateCommands(commandIds, coreStart));
  state.timer = setTimeout(() => {
    const t = performance.now();
    try {
      const c = loadCore().startCore({
        ctx,
        sidebar,
        commandIds,
        standIns,
        routeMessages: (handle) => {
          route = handle;
          for (const msg of early.splice(0)) handle(msg);
        },
      });
      log().info(`nocodo's core loaded and started in ${Math.round(performance.now() - t)} ms`);
      coreLoaded(c);
    } catch (e) {
      ctx.log.error('nocodo could not load its features (dist/core.js)', e);
      coreFailed(e);
    }
  }, 0);
  const core = coreStart.then(({ ready: _ready, ...c }) => c);
  const ready = coreStart.then(async ({ ready: services, ...c }) => ({ ...c, ...(await services) }));
  ready.catch(() => undefined); // reported where it fails; callers that await it see the error

  const activationMs = Math.round((performance.now() - started) * 10) / 10;
  log().info(`nocodo ${String(context.extension.packageJSON.version)} activated in ${activationMs} ms (${standIns.count} commands wait for the core)`);
  return { ctx, sidebar, core, ready, activationMs };
}

export async function deactivate(): Promise<void> {
  const state = current;
  current = undefined;
  clearTimeout(state?.timer);
  await state?.ctx.deactivate();
  disposeLog();
}
