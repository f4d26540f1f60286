import * as vscode from 'vscode';
import type { NocodoContext } from './ctx';
import { readExplicitLlmSettings, affectsModelClient } from './config';
import { StatusDisplay } from './statusDisplay';
import { describeRuntime, LocalRuntimeFeature } from './localRuntime';
import { resolveLlmConfig, type ResolvedLlmConfig } from '../llm/config';
import { createModelClient } from '../llm/client';
import { findLlamaServer, llamaServerArgs } from '../llm/localServer';
import type { ModelClient, ServerState } from '../llm/types';
import type { RunRecord } from '../domain';

/**
 * Owns the model client (rebuilt when settings change), the status-bar item, the "Check Model
 * Server" and "Start Local Model Server" commands.
 */
export class ModelServerFeature implements vscode.Disposable {
  private resolved!: ResolvedLlmConfig;
  private clientInstance!: ModelClient;
  private readonly status: StatusDisplay;
  readonly local: LocalRuntimeFeature;
  private readonly runListeners = new Set<(run: RunRecord) => void>();
  private terminal: vscode.Terminal | undefined;
  private reportedProblems = '';
  private disposed = false;

  constructor(private readonly ctx: NocodoContext) {
    this.status = ctx.own(new StatusDisplay(() => this.resolved.roles.rustEngineer.model));
    this.local = ctx.own(new LocalRuntimeFeature(ctx));
    ctx.own(this.local.onDidChange((s) => this.status.setRuntime(s ? describeRuntime(s) : undefined)));
    this.rebuild();
    void this.local.prepare().then(() => this.check());
    ctx.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const local = e.affectsConfiguration('nocodo.localModel');
        if (!affectsModelClient(e) && !local) return;
        this.rebuild();
        void (local ? this.local.reload() : Promise.resolve())
          .then(() => this.local.prepare())
          .then(() => this.check());
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

  /** The configuration in effect: settings, with the embedded runtime in place of the shared base URL when it serves. */
  get config(): ResolvedLlmConfig {
    return this.local.apply(this.resolved, this.sharedBaseUrl);
  }

  private sharedBaseUrl = '';

  get lastState(): ServerState | undefined {
    return this.status.state;
  }

  /** Every model call ends here (the store persists it, the run inspector shows it). */
  onRun(listener: (run: RunRecord) => void): vscode.Disposable {
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  private rebuild(): void {
    const settings = readExplicitLlmSettings();
    this.resolved = resolveLlmConfig(settings, process.env);
    this.sharedBaseUrl = resolveLlmConfig({ baseUrl: settings.baseUrl }, process.env).roles.rustEngineer.baseUrl;
    const problems = this.resolved.problems.join('\n');
    if (problems && problems !== this.reportedProblems) {
      this.ctx.log.warn(`settings problems:\n${problems}`);
      void vscode.window.showWarningMessage(`nocodo: some settings are invalid and their defaults are used instead. ${this.resolved.problems[0] ?? ''}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo');
      });
    }
    this.reportedProblems = problems;
    this.clientInstance = createModelClient({
      config: () => this.config,
      getApiKey: async (baseUrl: string) => (await this.local.apiKeyFor(baseUrl)) ?? this.ctx.apiKeys.get(baseUrl),
      onRun: (run: RunRecord) => {
        for (const l of this.runListeners) l(run);
      },
    });
  }

  /** Probes the rust engineer's server (the one every coding mode needs). */
  async check(userAsked = false): Promise<ServerState> {
    let baseUrl = this.config.roles.rustEngineer.baseUrl;
    const runtime = this.local.status;
    // The embedded runtime starts on demand: a background check must not load a model.
    if (runtime && runtime.state !== 'ready' && !userAsked) {
      this.status.setRuntime(describeRuntime(runtime));
      return { kind: 'loading', baseUrl, detail: describeRuntime(runtime).detail };
    }
    if (userAsked) this.local.retry();
    this.status.checking(baseUrl);
    let state = await this.clientInstance.health('rustEngineer');
    if (state.kind === 'unreachable' && this.local.engageAuto(baseUrl)) {
      await this.local.prepare();
      baseUrl = this.config.roles.rustEngineer.baseUrl;
      const line = this.local.status && describeRuntime(this.local.status);
      if (line) this.status.setRuntime(line);
      if (!userAsked) return { kind: 'loading', baseUrl, detail: line?.detail ?? '' };
      state = await this.clientInstance.health('rustEngineer');
    }
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
