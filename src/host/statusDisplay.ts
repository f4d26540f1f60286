import * as vscode from 'vscode';
import type { ServerState } from '../llm/types';

/** The embedded runtime's line: `serving` once it answers; otherwise idle, loading or failed. */
export interface RuntimeLine {
  text: string;
  detail: string;
  serving: boolean;
  failed?: boolean;
}

/** Status-bar item that tells whether the model server answers, and how to get one when it doesn't. */
export class StatusDisplay implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: ServerState | undefined;
  /** Set while nocodo's embedded runtime is the server: which runtime and model serve. */
  private runtime: RuntimeLine | undefined;

  constructor(private readonly modelHint: () => string) {
    this.item = vscode.window.createStatusBarItem('nocodo.modelServer', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'nocodo model server';
    this.item.command = 'nocodo.checkModelServer';
    this.item.text = '$(loading~spin) nocodo';
    this.item.tooltip = 'nocodo: checking the model server…';
    this.item.show();
  }

  get state(): ServerState | undefined {
    return this.last;
  }

  /** Says which runtime and model serve (undefined: an external server); redraws at once. */
  setRuntime(runtime: RuntimeLine | undefined): void {
    this.runtime = runtime;
    if (runtime && !runtime.serving) {
      this.item.text = `${runtime.failed ? '$(warning)' : '$(circle-outline)'} nocodo · ${runtime.text}`;
      this.item.tooltip = runtime.detail;
      this.item.backgroundColor = runtime.failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    } else if (this.last) this.show(this.last);
  }

  checking(baseUrl: string): void {
    this.item.text = '$(loading~spin) nocodo';
    this.item.tooltip = `nocodo: checking the model server at ${baseUrl}…`;
  }

  show(state: ServerState): void {
    this.last = state;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['nocodo.checkModelServer', 'nocodo.startModelServer', 'workbench.action.openSettings'] };
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'ready':
        this.item.text = this.runtime ? `$(pass-filled) nocodo · ${this.runtime.text}` : '$(pass-filled) nocodo';
        md.appendMarkdown(`**Model server reachable** at \`${state.baseUrl}\`\n\n`);
        if (this.runtime) md.appendMarkdown(`${this.runtime.detail}\n\n`);
        if (state.models.length) md.appendMarkdown(`Models: ${state.models.map((m) => `\`${m}\``).join(', ')}\n\n`);
        break;
      case 'loading':
        this.item.text = '$(loading~spin) nocodo: model loading';
        md.appendMarkdown(`**Model server is still loading** at \`${state.baseUrl}\`: ${state.detail}\n\n`);
        break;
      default:
        this.item.text = '$(warning) nocodo: no model server';
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        md.appendMarkdown(`**Model server not reachable** at \`${state.baseUrl}\`\n\n${state.detail}\n\n`);
        md.appendMarkdown(`Start one with \`llama-server -hf ${this.modelHint()} --port 8080\` or change \`nocodo.llm.baseUrl\`.\n\n`);
        md.appendMarkdown('[Start llama-server](command:nocodo.startModelServer) · ');
        md.appendMarkdown('[Settings](command:workbench.action.openSettings?%22nocodo.llm%22) · ');
    }
    md.appendMarkdown('[Check again](command:nocodo.checkModelServer)');
    this.item.tooltip = md;
  }

  dispose(): void {
    this.item.dispose();
  }
}
