import * as vscode from 'vscode';
import * as path from 'node:path';
import type { NocodoContext } from './ctx';
import { openStore, exportBoard, exportSession, saveRuns, type NocodoStore, type StoreNotice, type ExportFormat } from '../store';
import type { RunRecord } from '../domain';
import { notice } from './notice';

/**
 * Opens the workspace's database (workspace storage; global storage when no folder is open) in the
 * background, so that activation never waits for it; reports notices to the user, picks up other
 * windows' saves on focus, flushes on deactivate, and owns the export commands.
 */
export class StoreFeature implements vscode.Disposable {
  private opened: NocodoStore | undefined;

  /** Resolves to the open store (in memory, with an error shown, when the file cannot be opened). */
  readonly ready: Promise<NocodoStore>;

  private constructor(private readonly ctx: NocodoContext) {
    this.ready = this.open();
    // A window closed right after activation still flushes what it saved.
    ctx.onDeactivate(async () => (await this.ready.catch(() => undefined))?.close());
    ctx.own(
      vscode.window.onDidChangeWindowState((s) => {
        // Another window on the same workspace may have saved while this one was in the background.
        if (s.focused && this.opened) void this.opened.reload().catch((e: unknown) => ctx.log.warn('reloading the database failed', e));
      }),
    );
    ctx.own(vscode.commands.registerCommand('nocodo.exportSession', () => this.exportCommand('session')));
    ctx.own(vscode.commands.registerCommand('nocodo.exportBoard', () => this.exportCommand('board')));
  }

  /** Starts opening the database and returns at once; `ready` says when it is open. */
  static start(ctx: NocodoContext): StoreFeature {
    return ctx.own(new StoreFeature(ctx));
  }

  /** The open store; only for code that runs after `ready` resolved. */
  get store(): NocodoStore {
    if (!this.opened) throw new Error('nocodo is still opening its database');
    return this.opened;
  }

  private async open(): Promise<NocodoStore> {
    const ctx = this.ctx;
    const dir = ctx.ext.storageUri ?? ctx.ext.globalStorageUri;
    const file = path.join(dir.fsPath, ctx.ext.storageUri ? 'nocodo.sqlite' : 'no-folder.sqlite');
    const wasmDir = path.join(ctx.extensionUri.fsPath, 'dist');
    const onNotice = (n: StoreNotice): void => StoreFeature.report(ctx, n);
    const started = Date.now();
    try {
      this.opened = await openStore({ file, wasmDir, onNotice });
      ctx.log.info(`database: ${file} (opened in ${Date.now() - started} ms, after activation)`);
    } catch (e) {
      // A folder we cannot write (permissions, full disk) must not take the whole extension down:
      // work in memory and say plainly that this window keeps nothing.
      ctx.log.error(`could not open the database ${file}`, e);
      void vscode.window.showErrorMessage(
        `nocodo could not open its database (${e instanceof Error ? e.message : String(e)}). This window works without saving: chats, tasks and runs will be gone when it closes.`,
      );
      this.opened = await openStore({ file: ':memory:', wasmDir, onNotice });
    }
    return this.opened;
  }

  private static report(ctx: NocodoContext, n: StoreNotice): void {
    switch (n.kind) {
      case 'corrupt':
        ctx.log.error(n.message);
        void notice.warn(`${n.message}`, 'Reveal Old File').then((pick) => {
          if (pick) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(n.movedTo));
        });
        break;
      case 'save-failed':
        ctx.log.error(n.message, n.error);
        void notice.error(`${n.message}`);
        break;
      default:
        ctx.log.warn(n.message);
    }
  }

  /** Inserts or completes a run (the client reports it when the call ends; modes add extraction later). */
  saveRun(run: RunRecord): void {
    const save = (store: NocodoStore): void => {
      try {
        saveRuns(store, [run]);
      } catch (e) {
        this.ctx.log.error(`could not save run ${run.id}`, e);
      }
    };
    if (this.opened) save(this.opened);
    else void this.ready.then(save, () => undefined);
  }

  private async exportCommand(what: 'session' | 'board'): Promise<void> {
    await this.ready;
    let sessionId: string | undefined;
    if (what === 'session') {
      const sessions = this.store.sessions.list();
      if (!sessions.length) {
        void notice.info('there is no session to export yet. Start one in the team panel.');
        return;
      }
      const pick = await vscode.window.showQuickPick(
        sessions.map((s) => ({ label: s.title, description: new Date(s.updatedAt).toLocaleString(), id: s.id })),
        { title: 'nocodo: Export Session', placeHolder: 'Which session?' },
      );
      if (!pick) return;
      sessionId = pick.id;
    }
    const fmt = await vscode.window.showQuickPick(
      [
        { label: 'Markdown', format: 'markdown' as ExportFormat, ext: 'md' },
        { label: 'JSON', format: 'json' as ExportFormat, ext: 'json' },
      ],
      { title: 'Format' },
    );
    if (!fmt) return;
    const base = this.ctx.workspaceRoot ?? vscode.Uri.file(process.cwd());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, `nocodo-${what}.${fmt.ext}`),
      filters: { [fmt.label]: [fmt.ext] },
    });
    if (!target) return;
    const text = sessionId ? exportSession(this.store, sessionId, fmt.format) : exportBoard(this.store, fmt.format);
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    const open = await notice.info(`exported to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
    if (open) await vscode.window.showTextDocument(target);
  }

  dispose(): void {
    /* closing happens in the deactivate hook, which can await the final save */
  }
}
