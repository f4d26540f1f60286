import * as vscode from 'vscode';
import type { NocodoContext } from './ctx';
import { readExplicitLlmSettings, affectsModelClient } from './config';
import { StatusDisplay } from './statusDisplay';
import { resolveLlmConfig, type ResolvedLlmConfig } from '../llm/config';
import { createModelClient } from '../llm/client';
import { findLlamaServer, llamaServerArgs } from '../llm/localServer';
import type { ModelClient, ServerState } from '../llm/types';
import type { ModelRole, RunRecord } from '../domain';
import { BaseUrlConsent } from './baseUrlConsent';
import { isTrusted } from './workspaceTrust';

/**
 * Owns the model client (rebuilt when settings change), the status-bar item, the "Check Model
 * Server" and "Start Local Model Server" commands.
 */
export class ModelServerFeature implements vscode.Disposable {
  private resolved!: ResolvedLlmConfig;
  /** The configuration without any base URL from the workspace: what the user chose. */
  private userOnly!: ResolvedLlmConfig;
  readonly consent: BaseUrlConsent;
  private clientInstance!: ModelClient;
  private readonly status: StatusDisplay;
  private readonly runListeners = new Set<(run: RunRecord) => void>();
  private terminal: vscode.Terminal | undefined;
  private reportedProblems = '';
  private disposed = false;

  constructor(private readonly ctx: NocodoContext) {
    this.status = ctx.own(new StatusDisplay(() => this.resolved.roles.rustEngineer.model));
    this.consent = new BaseUrlConsent(ctx.ext.workspaceState);
    this.rebuild();
    ctx.own(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.rebuild();
        void this.check();
      }),
    );
    ctx.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsModelClient(e)) return;
        this.rebuild();
        void this.check();
      }),
    );
    ctx.own(vscode.commands.registerCommand('nocodo.checkModelServer', () => this.check(true)));
    ctx.own(vscode.commands.registerCommand('nocodo.startModelServer', () => this.startLocalServer()));
    ctx.own(vscode.commands.registerCommand('nocodo.setApiKey', () => ctx.apiKeys.promptAndStore(Object.values(this.resolved.roles).map((r) => r.baseUrl))));
    ctx.own(
      vscode.window.onDidCloseTerminal((t) => {
        if (t === this.terminal) {
          this.terminal = undefined;
          void this.check();
        }
      }),
    );
  }

  get client(): ModelClient {
    return this.clientInstance;
  }

  get config(): ResolvedLlmConfig {
    return this.resolved;
  }

  get lastState(): ServerState | undefined {
    return this.status.state;
  }

  /** Every model call ends here (the store persists it, the run inspector shows it). */
  onRun(listener: (run: RunRecord) => void): vscode.Disposable {
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  private rebuild(): void {
    // Restricted Mode: the workspace's base URLs are ignored, so nothing goes to a server it chose.
    const trusted = isTrusted();
    this.resolved = resolveLlmConfig(readExplicitLlmSettings({ workspaceBaseUrls: trusted }), process.env);
    this.userOnly = trusted ? resolveLlmConfig(readExplicitLlmSettings({ workspaceBaseUrls: false }), process.env) : this.resolved;
    const problems = this.resolved.problems.join('\n');
    if (problems && problems !== this.reportedProblems) {
      this.ctx.log.warn(`settings problems:\n${problems}`);
      void vscode.window.showWarningMessage(`nocodo: some settings are invalid and their defaults are used instead. ${this.resolved.problems[0] ?? ''}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo');
      });
    }
    this.reportedProblems = problems;
    this.clientInstance = createModelClient({
      config: this.resolved,
      getApiKey: (baseUrl: string) => this.ctx.apiKeys.get(baseUrl),
      vetBaseUrl: (role, baseUrl) => this.vetBaseUrl(role, baseUrl),
      onRun: (run: RunRecord) => {
        for (const l of this.runListeners) l(run);
      },
    });
  }

  /** A base URL only the workspace chose is used once the user allowed it; otherwise the user's own. */
  private async vetBaseUrl(role: ModelRole, baseUrl: string): Promise<string> {
    const users = this.userOnly.roles[role].baseUrl;
    if (baseUrl === users) return baseUrl;
    return (await this.consent.allowed(baseUrl, users)) ? baseUrl : users;
  }

  /** Probes the rust engineer's server (the one every coding mode needs). */
  async check(userAsked = false): Promise<ServerState> {
    const baseUrl = this.resolved.roles.rustEngineer.baseUrl;
    this.status.checking(baseUrl);
    const state = await this.clientInstance.health('rustEngineer');
    this.status.show(state);
    this.ctx.log.info(`model server ${baseUrl}: ${state.kind}${'detail' in state ? ` — ${state.detail}` : ''}`);
    if (userAsked) {
      if (state.kind === 'ready') {
        void vscode.window.showInformationMessage(`nocodo: the model server at ${baseUrl} is ready (${state.models.join(', ') || 'no models listed'}).`);
      } else {
        const actions = findLlamaServer(process.env) ? ['Start llama-server', 'Open Settings'] : ['Open Settings'];
        const pick = await vscode.window.showWarningMessage(`nocodo: ${state.detail}`, ...actions);
        if (pick === 'Start llama-server') await this.startLocalServer();
        else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo.llm');
      }
    }
    return state;
  }

  /** Starts llama-server for the rust engineer's model in a terminal the user can see and stop. */
  private async startLocalServer(): Promise<void> {
    if (!isTrusted()) {
      void vscode.window.showWarningMessage('nocodo: this workspace is in Restricted Mode, so nocodo starts no programs. Trust the workspace to start llama-server from here.');
      return;
    }
    const exe = findLlamaServer(process.env);
    const role = this.resolved.roles.rustEngineer;
    if (!exe) {
      const pick = await vscode.window.showWarningMessage(
        'nocodo: llama-server is not on PATH. Install llama.cpp (it provides llama-server), then run this command again — or point nocodo.llm.baseUrl at a server you already run.',
        'Open Settings',
      );
      if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo.llm.baseUrl');
      return;
    }
    if (this.terminal) {
      this.terminal.show();
      return;
    }
    let port = 8080;
    try {
      port = Number(new URL(role.baseUrl).port) || 8080;
    } catch {
      /* keep 8080 */
    }
    this.terminal = vscode.window.createTerminal({ name: 'nocodo: llama-server', shellPath: exe, shellArgs: llamaServerArgs(role.model, port) });
    this.terminal.show(true);
    // The model may need to download and load: poll for a while so the status bar follows it.
    for (let i = 0; i < 60 && this.terminal && !this.disposed; i++) {
      await new Promise((r) => setTimeout(r, 5000));
      const s = await this.check();
      if (s.kind === 'ready') break;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.runListeners.clear();
  }
}
