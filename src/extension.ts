import * as path from 'node:path';
import * as vscode from 'vscode';
import { NocodoContext } from './host/ctx';
import { disposeLog, log } from './host/log';
import { SidebarView } from './host/sidebarView';
import { LateCommands } from './host/lateCommands';
import { OnFirstUse } from './host/onFirstUse';
import { registerProjectStack } from './host/projectStack';
import { createModelStatusItem } from './host/statusItem';
import { PROPOSE_CHANGE_SET_COMMAND } from './host/proposals/commandIds';
import type * as Core from './host/core';

export type { NocodoCore, NocodoServices } from './host/core';

/**
 * The activation bundle (dist/extension.js): only what must exist from the start. Every command
 * gets a stand-in, the team view its provider, the menus' `when` clauses their context keys (the
 * project's stack, read from Cargo.toml without the pipeline), and the model-server status item
 * its first look, from the settings (src/host/statusItem.ts). The features live in a second
 * bundle (dist/core.js, see src/host/core.ts), loaded on first use: a command (it waits for its
 * feature, then runs), the Team view being shown, the extension API being asked, or, once the
 * workbench's start-up is over, the model-server status item's first check (the item follows the
 * server without a click: that needs the core's model client and its background probes). The
 * database opens after that.
 */

/**
 * When the core loads if nothing needed it sooner. VS Code's own "eventually" phase (when the
 * `onStartupFinished` extensions start) comes about 2.5 s after the window is restored: loading
 * later keeps nocodo off the extension host's thread while the other extensions start, and the
 * status item still tells within moments whether a model server answers.
 */
const CORE_AFTER_STARTUP_MS = 3_000;

let current: { ctx: NocodoContext; timer?: NodeJS.Timeout } | undefined;

type LoadedCore = Core.NocodoCore & { ready: Promise<Core.NocodoServices> };

/** What the extension exports: used by the extension-host tests, not a public API. */
export interface NocodoApi {
  ctx: NocodoContext;
  sidebar: SidebarView;
  /** Resolves when the core is loaded (models, store); asking loads it if nothing did yet … */
  readonly core: Promise<Core.NocodoCore>;
  /** … and when the database is open and the features that need it are wired too. */
  readonly ready: Promise<Core.NocodoCore & Core.NocodoServices>;
  /** What first needed the core (undefined while nothing did). */
  readonly coreFirstUse: string | undefined;
  /** How long loading and starting the core took (undefined until it did). */
  readonly coreLoadMs: number | undefined;
  /** Time spent inside `activate()`; the core loads on first use, the database opens afterwards. */
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
  // The Generate… menus show by the project's stack: their context keys can't wait for the core.
  registerProjectStack(ctx);
  // The status item shows from the start, drawn from the settings; the core takes it over.
  // (Disposing it twice, here and by the core's status display, is harmless.)
  const statusItem = ctx.own(createModelStatusItem());

  const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
  const commandIds = [...contributed.map((c) => c.command), PROPOSE_CHANGE_SET_COMMAND];
  let coreLoadMs: number | undefined;
  const core = new OnFirstUse<LoadedCore>(
    "nocodo's features (dist/core.js)",
    (why) => {
      if (current !== state) throw new Error('nocodo was deactivated meanwhile');
      const t = performance.now();
      const c = loadCore().startCore({
        ctx,
        sidebar,
        commandIds,
        standIns,
        statusItem,
        routeMessages: (handle) => {
          route = handle;
          for (const msg of early.splice(0)) handle(msg);
        },
      });
      coreLoadMs = Math.round(performance.now() - t);
      log().info(`nocodo's core loaded and started in ${coreLoadMs} ms (first needed for ${why})`);
      return c;
    },
    (error) => {
      ctx.log.error(error.message, error.cause);
      // Shutting down is no failure to tell the user about.
      if (current !== state) return;
      void vscode.window.showErrorMessage(`${error.message}. Reinstall nocodo or reload the window; the nocodo output has the details.`, 'Show Log').then((pick) => {
        if (pick) ctx.log.show();
      });
    },
  );
  // Every contributed command exists from now on; the first one run loads the core and waits for the real one.
  const standIns = ctx.own(new LateCommands(commandIds, (id) => core.use(`the command ${id}`)));
  ctx.own(sidebar.onDidResolve(() => void core.use('the Team view')));
  state.timer = setTimeout(() => void core.use('the model-server status (start-up is over)'), CORE_AFTER_STARTUP_MS);

  const loaded = (why: string): Promise<Core.NocodoCore> => core.use(why).then(({ ready: _ready, ...c }) => c);
  const ready = (why: string): Promise<Core.NocodoCore & Core.NocodoServices> => core.use(why).then(async ({ ready: services, ...c }) => ({ ...c, ...(await services) }));
  const activationMs = Math.round((performance.now() - started) * 10) / 10;
  log().info(`nocodo ${String(context.extension.packageJSON.version)} activated in ${activationMs} ms (${standIns.count} commands load the core on first use)`);
  return {
    ctx,
    sidebar,
    get core() {
      return loaded('the extension API');
    },
    get ready() {
      return ready('the extension API');
    },
    get coreFirstUse() {
      return core.firstUse;
    },
    get coreLoadMs() {
      return coreLoadMs;
    },
    activationMs,
  };
}

export async function deactivate(): Promise<void> {
  const state = current;
  current = undefined;
  clearTimeout(state?.timer);
  await state?.ctx.deactivate();
  disposeLog();
}
