import * as vscode from 'vscode';
import type { NocodoContext } from './ctx';
import { readExplicitLlmSettings, affectsModelClient } from './config';
import { notice } from './notice';
import { StatusDisplay, LLAMA_CPP_INSTALL_URL } from './statusDisplay';
import { describeRuntime, LocalRuntimeFeature } from './localRuntime';
import { resolveLlmConfig, type ResolvedLlmConfig } from '../llm/config';
import { createModelClient } from '../llm/client';
import { findLlamaServer, isLocalBaseUrl, llamaServerArgs, portOf } from '../llm/localServer';
import { ServerWatch } from '../llm/serverWatch';
import type { ModelClient, ServerState } from '../llm/types';
import type { ModelRole, RunRecord } from '../domain';
import { BaseUrlConsent } from './baseUrlConsent';
import { ApiKeys } from './secrets';
import { isTrusted } from './workspaceTrust';

/**
 * Owns the model client (rebuilt when settings change), what nocodo believes about the server
 * (every call's outcome and gentle background probes, see ServerWatch), the status-bar item, the
 * "Check Model Server" and "Start Local Model Server" commands.
 */
/** The log line of one model call. */
export function describeRun(run: RunRecord): string {
  const what = [run.mode, run.role].filter(Boolean).join(', ');
  const took = run.timings?.totalMs !== undefined ? ` in ${run.timings.totalMs} ms` : '';
  return `model call ${run.id} (${what}) to ${run.baseUrl} (${run.model}): ${run.outcome}${took}${run.error ? ` — ${run.error}` : ''}`;
}

export class ModelServerFeature implements vscode.Disposable {
  private resolved!: ResolvedLlmConfig;
  /** The configuration without any base URL from the workspace: what the user chose. */
  private userOnly!: ResolvedLlmConfig;
  readonly consent: BaseUrlConsent;
  /** The API keys of the model servers (SecretStorage, one per origin). */
  private readonly apiKeys: ApiKeys;
  private clientInstance!: ModelClient;
  private readonly status: StatusDisplay;
  private readonly watch: ServerWatch;
  readonly local: LocalRuntimeFeature;
  /** The base URL shared by the roles (the embedded runtime stands in for it while it serves). */
  private sharedBaseUrl = '';
  private lastLogged = '';
  private readonly runListeners = new Set<(run: RunRecord) => void>();
  private terminal: vscode.Terminal | undefined;
  private reportedProblems = '';
  private disposed = false;

  /** `statusItem`: the status item `activate()` showed before the core loaded, if any. */
  constructor(
    private readonly ctx: NocodoContext,
    statusItem?: vscode.StatusBarItem,
  ) {
    this.status = ctx.own(
      new StatusDisplay(
        () => ({
        model: this.resolved.roles.rustEngineer.model,
        canStartLlamaServer: isLocalBaseUrl(this.resolved.roles.rustEngineer.baseUrl) && !!findLlamaServer(process.env),
        // No llama-server needed: nocodo can serve a .gguf itself.
        embedded: { command: 'nocodo.chooseLocalModel', label: this.local.resolved.path ? 'Use the embedded runtime' : 'Choose a local model (embedded runtime)' },
        }),
        statusItem,
      ),
    );
    this.local = ctx.own(new LocalRuntimeFeature(ctx));
    this.consent = new BaseUrlConsent(ctx.ext.workspaceState);
    this.apiKeys = new ApiKeys(ctx.ext.secrets);
    this.rebuild();
    this.watch = new ServerWatch(this.resolved.roles.rustEngineer.baseUrl, {
      probe: () => this.probe(),
      onChange: (state, checking) => {
        this.status.render(state, checking);
        if (state && !checking) this.logState(state);
      },
    });
    ctx.own({ dispose: () => this.watch.stop() });
    ctx.own(
      this.local.onDidChange((s) => {
        this.status.setRuntime(s ? describeRuntime(s) : undefined);
        void this.watch.check();
      }),
    );
    void this.local.prepare().then((url) => {
      if (url) void this.watch.retarget(this.config.roles.rustEngineer.baseUrl);
    });
    // At once, not after the store opened: a refused connection shows as such within a moment.
    void this.watch.check();
    // Every call tells whether the server answers: the status follows without a click.
    this.runListeners.add((run) => this.watch.observe(run));
    // One line per model call: which server answered what, and how long it took (a hung or
    // misdirected call then shows in the log, also in a test run's transcript).
    this.runListeners.add((run) => ctx.log.info(describeRun(run)));
    ctx.own(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.rebuild();
        void this.local.prepare().then(() => this.watch.retarget(this.config.roles.rustEngineer.baseUrl));
      }),
    );
    ctx.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        const local = e.affectsConfiguration('nocodo.localModel');
        if (!affectsModelClient(e) && !local) return;
        this.rebuild();
        void (local ? this.local.reload() : Promise.resolve())
          .then(() => this.local.prepare())
          .then(() => this.watch.retarget(this.config.roles.rustEngineer.baseUrl));
      }),
    );
    ctx.own(vscode.commands.registerCommand('nocodo.checkModelServer', () => this.check(true)));
    ctx.own(vscode.commands.registerCommand('nocodo.startModelServer', () => this.startLocalServer()));
    ctx.own(vscode.commands.registerCommand('nocodo.setApiKey', () => this.apiKeys.promptAndStore(Object.values(this.resolved.roles).map((r) => r.baseUrl))));
    ctx.own(
      vscode.window.onDidCloseTerminal((t) => {
        if (t === this.terminal) {
          this.terminal = undefined;
          void this.watch.check();
        }
      }),
    );
  }

  get client(): ModelClient {
    return this.clientInstance;
  }

  /** The configuration in effect: the settings, with the embedded runtime in place of the shared base URL while it serves. */
  get config(): ResolvedLlmConfig {
    return this.local.apply(this.resolved, this.sharedBaseUrl);
  }

  get lastState(): ServerState | undefined {
    return this.watch.state;
  }

  /** Every model call ends here (the store persists it, the run inspector shows it). */
  onRun(listener: (run: RunRecord) => void): vscode.Disposable {
    // Added after the watch's own listener: the status is right before the run is shown.
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  private rebuild(): void {
    // Restricted Mode: the workspace's base URLs are ignored, so nothing goes to a server it chose.
    const trusted = isTrusted();
    const settings = readExplicitLlmSettings({ workspaceBaseUrls: trusted });
    this.resolved = resolveLlmConfig(settings, process.env);
    this.userOnly = trusted ? resolveLlmConfig(readExplicitLlmSettings({ workspaceBaseUrls: false }), process.env) : this.resolved;
    this.sharedBaseUrl = resolveLlmConfig({ baseUrl: settings.baseUrl }, process.env).roles.rustEngineer.baseUrl;
    // A workspace server the user refused is replaced by the user's own for good (in this workspace).
    for (const r of Object.values(this.resolved.roles)) {
      const users = this.userOnly.roles[r.role].baseUrl;
      if (r.baseUrl !== users && this.consent.decision(r.baseUrl) === 'deny') {
        if (r.baseUrl === this.sharedBaseUrl) this.sharedBaseUrl = users;
        r.baseUrl = users;
      }
    }
    const problems = this.resolved.problems.join('\n');
    if (problems && problems !== this.reportedProblems) {
      this.ctx.log.warn(`settings problems:\n${problems}`);
      void notice.warn(`Some settings are invalid and their defaults are used instead. ${this.resolved.problems[0] ?? ''}`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo');
      });
    }
    this.reportedProblems = problems;
    this.clientInstance = createModelClient({
      config: () => this.config,
      // The embedded runtime's per-start token (starting it on the first request), else the stored key.
      getApiKey: async (baseUrl: string) => (await this.local.apiKeyFor(baseUrl)) ?? this.apiKeys.get(baseUrl),
      vetBaseUrl: (role, baseUrl) => this.vetBaseUrl(role, baseUrl),
      onRun: (run: RunRecord) => {
        for (const l of this.runListeners) l(run);
      },
    });
  }

  /** A base URL only the workspace chose is used once the user allowed it; otherwise the user's own. */
  private async vetBaseUrl(role: ModelRole, baseUrl: string): Promise<string> {
    // nocodo's own embedded runtime (127.0.0.1, its per-start token) is no workspace's choice.
    if (this.local.serves(baseUrl)) return baseUrl;
    const users = this.userOnly.roles[role].baseUrl;
    if (baseUrl === users) return baseUrl;
    if (await this.consent.allowed(baseUrl, users)) return baseUrl;
    this.rebuild();
    void this.watch.retarget(this.config.roles.rustEngineer.baseUrl);
    return users;
  }

  /**
   * The background probe. While the embedded runtime serves, its own state answers (no request
   * that would load the model). It never asks the consent question itself: before the user
   * allowed a server that only the workspace chose, nothing at all goes there (not even a health
   * check). With runtime "auto", a server that does not answer hands over to the embedded runtime
   * when a local model is set.
   */
  private async probe(): Promise<ServerState> {
    const embedded = this.local.serverState();
    if (embedded) return embedded;
    const baseUrl = this.resolved.roles.rustEngineer.baseUrl;
    if (baseUrl !== this.userOnly.roles.rustEngineer.baseUrl && this.consent.decision(baseUrl) === undefined) {
      return { kind: 'error', baseUrl, detail: `This workspace's settings choose the model server ${baseUrl}; nocodo asks you before anything is sent there (check the server, or run a mode).` };
    }
    const state = await this.clientInstance.health('rustEngineer');
    if (state.kind === 'unreachable' && this.local.engageAuto(state.baseUrl)) {
      const url = await this.local.prepare();
      if (url) {
        void this.watch.retarget(this.config.roles.rustEngineer.baseUrl);
        return this.local.serverState() ?? state;
      }
    }
    return state;
  }

  /** Probes the rust engineer's server (the one every coding mode needs). */
  async check(userAsked = false): Promise<ServerState> {
    // The user asked: this is the moment to ask about a workspace's server, if still open.
    if (userAsked) {
      this.local.retry();
      await this.vetBaseUrl('rustEngineer', this.config.roles.rustEngineer.baseUrl);
    }
    const baseUrl = this.config.roles.rustEngineer.baseUrl;
    const state = await this.watch.check();
    if (userAsked) {
      if (state.kind === 'ready') {
        void notice.info(`The model server at ${baseUrl} is ready (${state.models.join(', ') || 'no models listed'}).`);
      } else {
        const local = isLocalBaseUrl(baseUrl);
        const canStart = local && !!findLlamaServer(process.env);
        // The embedded runtime needs no llama-server: offered first, as in the status tooltip.
        const embedded = this.local.resolved.path ? 'Use the embedded runtime' : 'Choose a local model';
        const actions = [embedded, ...(canStart ? ['Start llama-server'] : local ? ['How to get llama-server'] : []), 'Open Settings'];
        const pick = await notice.warn(state.detail, ...actions);
        if (pick === embedded) await vscode.commands.executeCommand('nocodo.chooseLocalModel');
        else if (pick === 'Start llama-server') await this.startLocalServer();
        else if (pick === 'How to get llama-server') await vscode.env.openExternal(vscode.Uri.parse(LLAMA_CPP_INSTALL_URL));
        else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo.llm');
      }
    }
    return state;
  }

  /** One log line per change of state (background probes repeat; the log should not). */
  private logState(state: ServerState): void {
    const line = `model server ${state.baseUrl}: ${state.kind}${'detail' in state ? ` — ${state.detail}` : ''}`;
    if (line === this.lastLogged) return;
    this.lastLogged = line;
    if (state.kind === 'ready' || state.kind === 'loading') this.ctx.log.info(line);
    else this.ctx.log.warn(line);
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
      const pick = await notice.warn(
        'llama-server is not on PATH. Install llama.cpp (it provides llama-server), then run this command again — or point nocodo.llm.baseUrl at a server you already run.',
        'How to get llama-server',
        'Open Settings',
      );
      if (pick === 'How to get llama-server') await vscode.env.openExternal(vscode.Uri.parse(LLAMA_CPP_INSTALL_URL));
      else if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo.llm.baseUrl');
      return;
    }
    if (this.terminal) {
      this.terminal.show();
      return;
    }
    this.terminal = vscode.window.createTerminal({ name: 'nocodo: llama-server', shellPath: exe, shellArgs: llamaServerArgs(role.model, portOf(role.baseUrl)) });
    this.terminal.show(true);
    // The model may need to download and load: the watch probes again soon, then less often.
    this.watch.expectChange();
    if (!this.disposed) await this.watch.check();
  }

  dispose(): void {
    this.disposed = true;
    this.runListeners.clear();
  }
}
