import * as vscode from 'vscode';
import { isLocalBaseUrl, llamaServerCommandLine } from '../llm/localServer';
import type { ServerState } from '../llm/types';

/** Where to get llama-server when it is not installed (llama.cpp's own install instructions). */
export const LLAMA_CPP_INSTALL_URL = 'https://github.com/ggml-org/llama.cpp#quick-start';

/** What the status item can offer for getting a server running, decided by the model-server feature. */
export interface ServerOffers {
  /** The model the rust engineer uses (for the suggested command line). */
  model: string;
  /** `llama-server` is on PATH and the server is local: "Start llama-server" works. */
  canStartLlamaServer: boolean;
  /** A runtime nocodo ships itself, when there is one: its command and a short label. */
  embedded?: { command: string; label: string };
}

/**
 * Status-bar item that tells whether the model server answers, and how to get one when it doesn't.
 * It shows what ServerWatch (src/llm/serverWatch.ts) believes; it never claims a state it has
 * not seen, and a re-check keeps the last known state on screen instead of "checking…".
 */
/** The embedded runtime's line (src/host/localRuntime.ts): which runtime and model serve. */
export interface RuntimeLine {
  text: string;
  detail: string;
}

export class StatusDisplay implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private last: ServerState | undefined;
  private lastChecking = false;
  /** Set while nocodo's embedded runtime is the server. */
  private runtime: RuntimeLine | undefined;

  /** `item`: the one `activate()` made and drew from the settings (src/host/statusItem.ts), taken over. */
  constructor(
    private readonly offers: () => ServerOffers,
    item?: vscode.StatusBarItem,
  ) {
    this.item = item ?? vscode.window.createStatusBarItem('nocodo.modelServer', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'nocodo model server';
    this.item.command = 'nocodo.checkModelServer';
    this.render(undefined, true);
    this.item.show();
  }

  get state(): ServerState | undefined {
    return this.last;
  }

  /** Shows `state` (undefined: nothing known yet); `checking` while a probe is under way. */
  render(state: ServerState | undefined, checking: boolean): void {
    this.last = state;
    this.lastChecking = checking;
    this.item.backgroundColor = undefined;
    if (!state) {
      this.item.text = '$(loading~spin) nocodo';
      this.item.tooltip = 'Checking the model server…';
      return;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['nocodo.checkModelServer', 'nocodo.startModelServer', 'workbench.action.openSettings', ...this.embeddedCommands()] };
    const spin = checking ? ' $(sync~spin)' : '';
    switch (state.kind) {
      case 'ready':
        this.item.text = `$(pass-filled) nocodo${this.runtime ? ` · ${this.runtime.text}` : ''}${spin}`;
        md.appendMarkdown(`**Model server reachable** at \`${state.baseUrl}\`\n\n`);
        if (this.runtime) md.appendMarkdown(`${this.runtime.detail}\n\n`);
        if (state.models.length) md.appendMarkdown(`Models: ${state.models.map((m) => `\`${m}\``).join(', ')}\n\n`);
        break;
      case 'loading':
        this.item.text = `$(loading~spin) nocodo: model loading`;
        md.appendMarkdown(`**The model server is still loading** at \`${state.baseUrl}\`. nocodo checks again by itself.\n\n`);
        break;
      default:
        this.item.text = `$(warning) nocodo: no model server${spin}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        md.appendMarkdown(`**${state.kind === 'unreachable' ? 'Model server not reachable' : 'Model server problem'}** at \`${state.baseUrl}\`\n\n`);
        md.appendMarkdown(`${state.detail}\n\n`);
        md.appendMarkdown(`nocodo checks again by itself, less often the longer it stays down.\n\n`);
        this.appendWaysToStart(md, state.baseUrl, state.detail);
    }
    if (checking) md.appendMarkdown('Checking now…');
    else md.appendMarkdown('[Check again](command:nocodo.checkModelServer)');
    this.item.tooltip = md;
  }

  /** Says which runtime and model serve (undefined: an external server) and redraws. */
  setRuntime(runtime: RuntimeLine | undefined): void {
    this.runtime = runtime;
    this.render(this.last, this.lastChecking);
  }

  private appendWaysToStart(md: vscode.MarkdownString, baseUrl: string, detail: string): void {
    const o = this.offers();
    const links: string[] = [];
    if (o.embedded) links.push(`[${o.embedded.label}](command:${o.embedded.command})`);
    if (o.canStartLlamaServer) links.push('[Start llama-server](command:nocodo.startModelServer)');
    else if (isLocalBaseUrl(baseUrl)) links.push(`[How to get llama-server](${LLAMA_CPP_INSTALL_URL})`);
    links.push('[Settings](command:workbench.action.openSettings?%22nocodo.llm%22)');
    // The detail of a refused connection gives the command already: once is enough.
    if (isLocalBaseUrl(baseUrl) && !detail.includes('llama-server')) md.appendMarkdown(`Start one with \`${llamaServerCommandLine(o.model, baseUrl)}\` or change \`nocodo.llm.baseUrl\`.\n\n`);
    md.appendMarkdown(`${links.join(' · ')} · `);
  }

  private embeddedCommands(): string[] {
    const e = this.offers().embedded;
    return e ? [e.command] : [];
  }

  dispose(): void {
    this.item.dispose();
  }
}
