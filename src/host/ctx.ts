import * as vscode from 'vscode';
import { log } from './log';

/**
 * The extension's live objects and their disposal, in one place. Features receive the context and
 * register what they own with `ctx.own(...)`.
 */
export class NocodoContext implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private readonly deactivateHooks: Array<() => Promise<void> | void> = [];

  constructor(readonly ext: vscode.ExtensionContext) {}

  get log(): vscode.LogOutputChannel {
    return log();
  }

  get extensionUri(): vscode.Uri {
    return this.ext.extensionUri;
  }

  /** Folder of the first workspace folder, if any (nocodo works on one project at a time). */
  get workspaceRoot(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  own<T extends vscode.Disposable>(d: T): T {
    this.owned.push(d);
    return d;
  }

  /** Work that must finish before the extension host goes away (e.g. flushing the store). */
  onDeactivate(hook: () => Promise<void> | void): void {
    this.deactivateHooks.push(hook);
  }

  async deactivate(): Promise<void> {
    for (const hook of this.deactivateHooks.reverse()) {
      try {
        await hook();
      } catch (e) {
        this.log.error('deactivate hook failed', e);
      }
    }
    this.dispose();
  }

  dispose(): void {
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
