import * as path from 'node:path';
import * as vscode from 'vscode';
import { AppStartError, findAppLayout, startApp, type AppPart, type RunningApp } from '../runApp';
import type { NocodoContext } from './ctx';
import { notice } from './notice';
import { isTrusted } from './workspaceTrust';

export const RUN_APP_COMMAND = 'nocodo.runApp';
export const STOP_APP_COMMAND = 'nocodo.stopApp';

/** A task terminal that shows one part's output; closing it (or ending the task) stops the app. */
class PartTerminal implements vscode.Pseudoterminal {
  private readonly write = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private ended = false;
  private buffered: string[] = [];
  private opened = false;
  /** Set when nocodo ended the task before VS Code opened its terminal: the close waits for open. */
  private pendingExit: number | undefined;

  constructor(private readonly onClosedByUser: () => void) {}

  open(): void {
    this.opened = true;
    for (const l of this.buffered.splice(0)) this.write.fire(l);
    if (this.pendingExit !== undefined) this.closed.fire(this.pendingExit);
  }

  line(text: string): void {
    const t = `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
    if (this.opened) this.write.fire(t);
    else this.buffered.push(t);
  }

  /**
   * nocodo ends the task (the app stopped). Ending it through the terminal, not
   * `TaskExecution.terminate()`, works whether or not VS Code has started the task yet.
   */
  end(code = 0): void {
    if (this.ended) return;
    this.ended = true;
    if (this.opened) this.closed.fire(code);
    else this.pendingExit = code;
  }

  /** The user closed the terminal or terminated the task: stop the whole app. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClosedByUser();
  }
}

/**
 * `nocodo: Run App` / `nocodo: Stop App`: the backend and the frontend as two VS Code tasks whose
 * terminals show their output; the app opens in the Simple Browser once the health route answers.
 */
export class RunAppFeature implements vscode.Disposable {
  private running: { app?: RunningApp; terminals: Map<AppPart, PartTerminal>; abort: AbortController } | undefined;

  constructor(private readonly ctx: NocodoContext) {
    ctx.own(vscode.commands.registerCommand(RUN_APP_COMMAND, () => this.run()));
    ctx.own(vscode.commands.registerCommand(STOP_APP_COMMAND, () => this.stop()));
  }

  get isRunning(): boolean {
    return !!this.running;
  }

  async run(): Promise<RunningApp | undefined> {
    const root = this.ctx.workspaceRoot;
    if (!root || root.scheme !== 'file') return void notice.error('Run App needs a folder with an app made by New App.');
    if (!isTrusted()) return void notice.error('Run App builds and runs the app’s code: trust this folder first (Restricted Mode runs no programs).');
    let layout;
    try {
      layout = findAppLayout(root.fsPath);
    } catch (e) {
      return void notice.error((e as Error).message);
    }
    if (this.running) await this.stop();
    const abort = new AbortController();
    const terminals = new Map<AppPart, PartTerminal>();
    const state: NonNullable<typeof this.running> = { terminals, abort };
    this.running = state;
    const parts: AppPart[] = layout.frontend ? ['backend', 'frontend'] : ['backend'];
    for (const part of parts) {
      const term = new PartTerminal(() => void this.stop());
      terminals.set(part, term);
      const task = new vscode.Task(
        { type: 'nocodo', part },
        vscode.TaskScope.Workspace,
        part === 'backend' ? 'backend (cargo run)' : 'frontend (vite)',
        'nocodo',
        new vscode.CustomExecution(async () => term),
      );
      task.isBackground = true;
      task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, panel: vscode.TaskPanelKind.Dedicated };
      await vscode.tasks.executeTask(task);
    }
    try {
      const app = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'nocodo: starting the app (the first build takes a few minutes)…', cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          return startApp({
            dir: layout.dir,
            signal: abort.signal,
            onLine: (part, line) => terminals.get(part)?.line(line),
            onNote: (t) => {
              progress.report({ message: t });
              terminals.get('backend')?.line(`nocodo: ${t}`);
            },
          });
        },
      );
      state.app = app;
      void app.ended.then((why) => {
        if (this.running === state && why !== 'stopped') {
          void notice.warn(`The app stopped: ${why}.`);
          void this.stop();
        }
      });
      await vscode.commands.executeCommand('simpleBrowser.show', app.appUrl);
      void notice.info(`The app runs at ${app.appUrl} (API ${app.backendUrl}). nocodo: Stop App stops it.`);
      return app;
    } catch (e) {
      // Cancelled by the user (the progress notice, Stop App, a closed terminal): nothing to say.
      // Read it before stop(), which aborts too.
      const cancelled = abort.signal.aborted;
      await this.stop();
      if (e instanceof AppStartError && e.buildFailure?.file) {
        const f = e.buildFailure;
        const open = 'Open the File';
        const pick = await notice.error(e.message, open);
        if (pick === open) {
          const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(layout.dir, f.file!)));
          const line = Math.max(0, (f.line ?? 1) - 1);
          await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
        }
      } else if (!cancelled) void notice.error(`Run App: ${(e as Error).message}`);
      return undefined;
    }
  }

  async stop(): Promise<void> {
    const state = this.running;
    if (!state) return;
    this.running = undefined;
    state.abort.abort();
    await state.app?.stop();
    for (const t of state.terminals.values()) t.end();
  }

  dispose(): void {
    void this.stop();
  }
}
