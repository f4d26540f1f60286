import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NocodoContext } from './ctx';
import type { RuntimeLine } from './statusDisplay';
import type { ResolvedLlmConfig } from '../llm/config';
import type { ServerState } from '../llm/types';
import { EmbeddedRuntime, freePort, type RuntimeStatus } from '../localModel/runtime';
import { resolveLocalModelSettings, type ResolvedLocalModel } from '../localModel/settings';
import { rawSection } from './config';

/**
 * The embedded runtime inside the editor: decides whether it serves (setting `runtime`:
 * embedded; or auto once nothing answered at the base URL), rewrites the roles that use the
 * shared base URL to point at it, hands the per-start token to the model client, starts it on
 * the first request and lets it stop when idle. Never spawns in Restricted Mode.
 */
export class LocalRuntimeFeature implements vscode.Disposable {
  private settings: ResolvedLocalModel;
  private runtime: EmbeddedRuntime | undefined;
  private runtimeKey = '';
  private url: string | undefined;
  private autoEngaged = false;
  private readonly changed = new vscode.EventEmitter<RuntimeStatus | undefined>();
  /** Fires with the runtime's status (undefined when no embedded runtime is in use). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: NocodoContext) {
    this.settings = readLocalModelSettings();
    ctx.own(this.changed);
  }

  get resolved(): ResolvedLocalModel {
    return this.settings;
  }

  /** Whether the embedded runtime is the server for the shared base URL now. */
  get active(): boolean {
    if (!this.settings.path) return false;
    return this.settings.runtime === 'embedded' || (this.settings.runtime === 'auto' && this.autoEngaged);
  }

  get status(): RuntimeStatus | undefined {
    return this.active ? this.runtime?.status : undefined;
  }

  /**
   * What the status shows while the embedded runtime serves, from its own state (the child
   * process is watched): no HTTP probe, so background checks neither start the model nor keep it
   * from stopping when idle. Undefined when an external server is in use.
   */
  serverState(): ServerState | undefined {
    const s = this.status;
    if (!s || !this.url) return undefined;
    const model = path.basename(s.modelPath).replace(/\.gguf$/i, '');
    if (s.state === 'starting') return { kind: 'loading', baseUrl: this.url, detail: `The embedded runtime is loading ${path.basename(s.modelPath)}.` };
    if (s.state === 'failed') return { kind: 'error', baseUrl: this.url, detail: s.message };
    // Stopped means idle: the next request starts it.
    return { kind: 'ready', baseUrl: this.url, models: [s.state === 'ready' ? s.info.modelId : model] };
  }

  /** Re-reads the settings; a changed model or thread count stops the old runtime. */
  async reload(): Promise<void> {
    this.settings = readLocalModelSettings();
    if (this.settings.problems.length) this.ctx.log.warn(`local model settings: ${this.settings.problems.join(' ')}`);
    if (this.settings.runtime !== 'auto') this.autoEngaged = false;
    const key = `${this.settings.path}|${this.settings.threads}|${this.settings.idleStopMs}`;
    if (key !== this.runtimeKey || !this.active) await this.dropRuntime();
  }

  /** For auto: nothing answered at `baseUrl`. Returns true when the embedded runtime takes over. */
  engageAuto(baseUrl: string): boolean {
    if (this.settings.runtime !== 'auto' || !this.settings.path || this.autoEngaged) return false;
    this.autoEngaged = true;
    void vscode.window.showInformationMessage(
      `nocodo: nothing answers at ${baseUrl}, so nocodo serves ${path.basename(this.settings.path)} itself with its embedded runtime (it starts on the first request). Setting: nocodo.localModel.runtime.`,
    );
    return true;
  }

  /** Prepares the runtime (a port reserved, nothing started) and returns its stable URL. */
  async prepare(): Promise<string | undefined> {
    if (!this.active) return undefined;
    if (!this.runtime) {
      const port = await freePort();
      this.url = `http://127.0.0.1:${port}/v1`;
      this.runtimeKey = `${this.settings.path}|${this.settings.threads}|${this.settings.idleStopMs}`;
      this.runtime = new EmbeddedRuntime({
        modelPath: this.settings.path,
        idleStopMs: this.settings.idleStopMs,
        port,
        // Default: leave one core to the editor (on 2 cores, one spinning thread beats two).
        threads: this.settings.threads ?? Math.max(1, os.availableParallelism() - 1),
        log: (l) => this.ctx.log.info(`embedded runtime: ${l}`),
      });
      this.runtime.onStatus((s) => this.changed.fire(s));
      this.changed.fire(this.runtime.status);
    }
    return this.url;
  }

  /** The config with every role on the shared base URL pointed at the runtime (model: the file). */
  apply(config: ResolvedLlmConfig, sharedBaseUrl: string): ResolvedLlmConfig {
    if (!this.active || !this.url) return config;
    const model = path.basename(this.settings.path).replace(/\.gguf$/i, '');
    const roles = Object.fromEntries(Object.entries(config.roles).map(([k, r]) => [k, r.baseUrl === sharedBaseUrl ? { ...r, baseUrl: this.url!, model } : r])) as ResolvedLlmConfig['roles'];
    return { ...config, roles };
  }

  /** Whether `baseUrl` is this runtime's own URL (nocodo's server, not a workspace's choice). */
  serves(baseUrl: string): boolean {
    return this.active && !!this.url && baseUrl === this.url;
  }

  /** The token for the runtime's URL, starting it when needed; undefined for any other server. */
  async apiKeyFor(baseUrl: string): Promise<string | undefined> {
    if (!this.runtime || !this.serves(baseUrl)) return undefined;
    if (!vscode.workspace.isTrusted) throw new Error('nocodo does not start its embedded model runtime in Restricted Mode. Trust this workspace, or point nocodo.llm.baseUrl at a server you run yourself.');
    if (this.runtime.status.state === 'failed') this.ctx.log.warn(`embedded runtime failed before: ${this.runtime.status.message}`);
    return (await this.runtime.ensure()).token;
  }

  /** After the user fixed something (another model, Check Model Server): try again. */
  retry(): void {
    this.runtime?.reset();
  }

  private async dropRuntime(): Promise<void> {
    const r = this.runtime;
    this.runtime = undefined;
    this.url = undefined;
    this.runtimeKey = '';
    await r?.stop('settings changed');
    this.changed.fire(undefined);
  }

  dispose(): void {
    void this.dropRuntime();
  }
}

export function readLocalModelSettings(): ResolvedLocalModel {
  // The model file is a machine setting: a repository must not choose a file for the native runtime to load.
  return resolveLocalModelSettings(rawSection('localModel'));
}

/** One line for the status bar: which runtime and model serve. */
export function describeRuntime(s: RuntimeStatus): RuntimeLine {
  const name = path.basename(s.modelPath);
  switch (s.state) {
    case 'ready':
      return { text: `embedded · ${s.info.modelId}`, detail: `Embedded runtime serving \`${name}\` at \`${s.baseUrl}\` (context ${s.info.contextSize}, ${s.info.threads} threads, ${s.info.chatTemplate})${s.lastCrash ? `. Restarted after: ${s.lastCrash}` : ''}` };
    case 'starting':
      return { text: `embedded · loading ${name}`, detail: `Embedded runtime loading \`${name}\`…` };
    case 'failed':
      return { text: 'embedded runtime failed', detail: s.message };
    default:
      return { text: `embedded · ${name} (idle)`, detail: `Embedded runtime for \`${name}\`: starts on the first request${s.reason ? ` (${s.reason})` : ''}.` };
  }
}
