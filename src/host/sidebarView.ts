import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderWebviewHtml } from '../protocol/html';
import { log } from './log';

/**
 * The team panel. The webview only renders; the host owns all state. Messages from the webview
 * are untrusted: they are validated by the protocol router before anything acts on them.
 */
export class SidebarView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'nocodo.team';
  private view: vscode.WebviewView | undefined;
  private viewListeners: vscode.Disposable | undefined;
  private readonly readyEmitter = new vscode.EventEmitter<vscode.WebviewView>();
  /** Fires each time the webview (re)loads and says it is ready. */
  readonly onDidBecomeReady = this.readyEmitter.event;
  private readonly resolveEmitter = new vscode.EventEmitter<vscode.WebviewView>();
  /** Fires each time VS Code resolves the view (it is being shown), once its HTML is set. */
  readonly onDidResolve = this.resolveEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onMessage: (msg: unknown, view: vscode.WebviewView) => void,
  ) {}

  get webview(): vscode.Webview | undefined {
    return this.view?.webview;
  }

  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = {
      enableScripts: true,
      // Only the built assets and media/ can be loaded; nothing from the workspace.
      localResourceRoots: [dist, vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    const nonce = randomBytes(16).toString('base64');
    view.webview.html = renderWebviewHtml({
      cspSource: view.webview.cspSource,
      nonce,
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.js')).toString(),
      styleUris: [view.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'main.css')).toString()],
      title: 'nocodo team',
    });
    // VS Code resolves the view again after it was disposed (closed, moved): replace its listeners, don't pile them up.
    this.viewListeners?.dispose();
    this.viewListeners = vscode.Disposable.from(
      view.webview.onDidReceiveMessage((msg: unknown) => {
        if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready') this.readyEmitter.fire(view);
        this.onMessage(msg, view);
      }),
      view.onDidDispose(() => {
        if (this.view === view) this.view = undefined;
      }),
    );
    log().debug('team panel resolved');
    this.resolveEmitter.fire(view);
  }

  post(message: unknown): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${SidebarView.viewId}.focus`);
  }

  dispose(): void {
    this.readyEmitter.dispose();
    this.resolveEmitter.dispose();
    this.viewListeners?.dispose();
  }
}
