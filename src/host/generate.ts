import type { CompileCheckFeature } from './compileCheck';
import { cargoProgressLabel } from '../compile';
import * as vscode from 'vscode';
import { readRustfmtSetting } from './config';
import * as path from 'node:path';
import { getMode, ModeInputError, type Mode, type ModeInput, type ModeResult } from '../../modes';
import type { Diagnostic } from '../core/diagnostics';
import { MODE_DESCRIPTORS, type ModeId, type Proposal } from '../domain';
import { isInside } from '../proposals';
import { loadProject } from '../rust';
import { log } from './log';
import { notice } from './notice';
import type { ModelServerFeature } from './modelServer';
import { askRequest, pickApiStruct, pickFunction, pickModelStruct, pickScope, pickTable, UserCancelled } from './pickers';
import type { RunLog } from './proposals/runLog';
import type { ProposalService } from './proposals/service';
import { projectFiles } from './projectFiles';
import { workspaceProjectFs } from './workspaceFs';
import { readProjectStack } from '../rust/stack';
import { whyModeDoesNotApply } from '../rust/modeFit';

/**
 * The right-click flow: Explorer or editor context menu → nocodo → Generate… on a Rust file
 * (Restyle… on a .tsx file). Pick the struct, table, function or scope → say what it should do →
 * the mode runs under a cancellable progress notification (streamed characters shown) → the diff
 * of the proposal opens. One command per mode descriptor that has one, with its pickers and wording.
 *
 * Each command takes, as its first argument, the file's URI (menus pass it) or an object
 * `{ file?, struct?, table?, request? }` (keybinding args, the sidebar, tests); whatever is given
 * is not asked for.
 */

export interface GenerateArgs {
  file?: vscode.Uri | string;
  struct?: string;
  table?: string;
  request?: string;
  /** Actix modes: the model function a handler calls, or the handlers to register (comma-separated). */
  function?: string;
  /** Actix modes: the route or scope (`GET /orders/{id}`, `/api`). */
  route?: string;
}

/** Every mode command (its id, title and menus in package.json come from the same descriptors). */
const COMMANDS = MODE_DESCRIPTORS.flatMap((d) => (d.command ? [{ command: d.command.id, mode: d.id, pickers: d.command.pickers }] : []));

/** Model failures that a working server would fix, and what to offer for each. */
const SERVER_PROBLEMS: Record<string, string> = {
  'model-unreachable': 'Check Model Server',
  'model-loading': 'Check Model Server',
  'model-timeout': 'Check Model Server',
  'model-disconnected': 'Check Model Server',
  'model-server': 'Check Model Server',
  'model-bad-response': 'Check Model Server',
  'model-auth': 'Set API Key',
  'model-model-not-found': 'Open Settings',
};

interface Target {
  uri: vscode.Uri;
  root: string;
  rel: string;
}

function parseArgs(arg: unknown): GenerateArgs {
  if (arg instanceof vscode.Uri) return { file: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const a = arg as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof a[k] === 'string' ? (a[k] as string) : undefined);
  const file = a.file instanceof vscode.Uri ? a.file : str('file');
  return {
    ...(file ? { file } : {}),
    ...(str('struct') ? { struct: str('struct') } : {}),
    ...(str('table') ? { table: str('table') } : {}),
    ...(str('request') !== undefined ? { request: str('request') } : {}),
    ...(str('function') ? { function: str('function') } : {}),
    ...(str('route') ? { route: str('route') } : {}),
  };
}

/** The file the command is about: the argument, else the active editor; it must be inside a workspace folder. */
function resolveTarget(file: vscode.Uri | string | undefined): Target | string {
  let uri: vscode.Uri | undefined;
  if (file instanceof vscode.Uri) uri = file;
  else if (typeof file === 'string') {
    const folder = vscode.workspace.workspaceFolders?.[0];
    uri = path.isAbsolute(file) ? vscode.Uri.file(file) : folder ? vscode.Uri.joinPath(folder.uri, file) : undefined;
  } else uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri) return 'Open a Rust file of your project first, or right-click one in the Explorer → nocodo.';
  if (uri.scheme !== 'file') return `nocodo works on files of your project folder, not on ${uri.scheme}: documents.`;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return `${uri.fsPath} is not inside the open project folder.`;
  const root = folder.uri.fsPath;
  if (!isInside(root, uri.fsPath)) return `${uri.fsPath} is not inside the open project folder.`;
  return { uri, root, rel: path.relative(root, uri.fsPath).split(path.sep).join('/') };
}

const firstError = (ds: readonly Diagnostic[]): Diagnostic | undefined => ds.find((d) => d.severity === 'error');

export class GenerateFeature implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly models: ModelServerFeature,
    private readonly proposals: ProposalService,
    private readonly runs: RunLog,
    private readonly compile?: CompileCheckFeature,
  ) {
    for (const { command, mode } of COMMANDS) this.subs.push(vscode.commands.registerCommand(command, (arg?: unknown) => this.generate(mode, arg)));
  }

  /** Runs one mode on a file and opens the resulting proposal; resolves to it (undefined when nothing was proposed). */
  async generate(modeId: ModeId, arg?: unknown): Promise<Proposal | undefined> {
    const mode = getMode(modeId);
    if (!mode) {
      void notice.error(`the ${modeId} mode is not available in this version.`);
      return undefined;
    }
    const args = parseArgs(arg);
    const target = resolveTarget(args.file);
    if (typeof target === 'string') {
      void notice.error(target);
      return undefined;
    }
    try {
      const project = workspaceProjectFs(target.root, projectFiles);
      // A keybinding or the palette can still reach a command the menus hide: say why it does not apply.
      const notHere = whyModeDoesNotApply(mode.id, await readProjectStack(project));
      if (notHere) {
        void notice.info(`${mode.title}: ${notHere}`);
        return undefined;
      }
      const input: ModeInput = { project, file: target.rel, request: args.request ?? '' };
      const pickers: readonly string[] = COMMANDS.find((c) => c.mode === mode.id)?.pickers ?? [];
      if (pickers.includes('modelStruct') || pickers.includes('table')) {
        const info = await loadProject(project);
        if (pickers.includes('modelStruct')) input.struct = args.struct ?? (args.table ? undefined : await pickModelStruct(info, target.rel));
        if (args.table) input.table = args.table;
        else if (pickers.includes('table') && !pickers.includes('modelStruct')) input.table = await pickTable(info);
        if (input.table && !info.schemaPaths.includes(target.rel)) {
          // Structs go into the right-clicked file only when it is that table's model file (or has none yet).
          const here = info.files.find((f) => f.file === target.rel)?.structs.filter((s) => s.tableName) ?? [];
          if (here.length && !here.some((s) => s.tableName === input.table)) delete input.file;
        }
        if (input.struct === undefined) delete input.struct;
      }
      if (args.struct && !input.struct) input.struct = args.struct;
      if (pickers.includes('apiStruct') && !input.struct) input.struct = await pickApiStruct(project, target.rel, mode.title);
      if (pickers.includes('dieselFunction')) input.function = await pickFunction(project, input.struct, args.function);
      else if (args.function) input.function = args.function;
      if (args.route) input.route = args.route;
      else if (pickers.includes('scope')) {
        const scope = await pickScope(project);
        if (scope) input.route = scope;
      }
      if (mode.needs.request && !input.request.trim()) input.request = await askRequest(mode.id, mode.title, input);
      const subject = input.struct && input.function ? `${input.struct}::${input.function}` : (input.struct ?? input.table);
      const rejected = this.proposals.rejectionReasons(mode.id, subject);
      if (rejected.length) input.notes = rejected.map((r) => `An earlier proposal for this was rejected by the user: ${r}`);
      const started = Date.now();
      log().info(`${mode.id} on ${target.rel}: started${this.modelNote(mode.id)}`);
      const result = await this.runWithProgress(mode, input);
      log().debug(`${mode.id} on ${target.rel}: the run ended after ${Date.now() - started} ms (${result ? (result.ok ? 'ok' : 'not ok') : 'no result'})`);
      const proposal = result ? await this.handleResult(mode, result, target.root) : undefined;
      log().info(`${mode.id} on ${target.rel}: ${proposal ? `proposal ${proposal.id}` : 'no proposal'} after ${Date.now() - started} ms`);
      return proposal;
    } catch (e) {
      if (e instanceof UserCancelled) return undefined;
      const message = e instanceof Error ? e.message : String(e);
      // The input does not suit the mode (no struct, no table…): the user's situation, not a bug.
      if (e instanceof ModeInputError) log().warn(`${mode.id} on ${target.rel}: ${message}`);
      else log().error(`${mode.id} on ${target.rel} failed`, e);
      void notice.error(message);
      return undefined;
    }
  }

  /** Which model a mode asks, for the log (nothing for the modes that need none). */
  private modelNote(modeId: ModeId): string {
    const d = MODE_DESCRIPTORS.find((x) => x.id === modeId);
    if (!d || d.deterministic) return '';
    const role = this.models.config.roles[d.role];
    return ` (${d.role}: ${role.model} at ${role.baseUrl})`;
  }

  private async runWithProgress(mode: Mode, input: ModeInput): Promise<ModeResult | undefined> {
    const what = input.struct ?? input.table;
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `nocodo: ${mode.title}${what ? ` (${what})` : ''}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let content = '';
        let reasoning = 0;
        let lastReport = 0;
        progress.report({ message: mode.needs.request ? 'waiting for the model…' : 'working…' });
        const compile = this.compile?.step((s) => progress.report({ message: cargoProgressLabel(s) }));
        // Each step after the model call goes to the log at debug level: a run that stops
        // somewhere says where ("Developer: Set Log Level…" → Debug shows them in the Output view).
        const trace = (message: string): void => log().debug(message);
        const rustfmt = readRustfmtSetting();
        try {
          return await mode.run(input, {
            client: this.models.client,
            signal: abort.signal,
            rustfmt: rustfmt === false ? false : { ...rustfmt, onOutcome: (note) => trace(`${mode.id}: ${note}`) },
            trace,
            ...(compile ? { compile } : {}),
            onDelta: (d) => {
              if (d.content) content += d.content;
              if (d.reasoning) reasoning += d.reasoning.length;
              const now = Date.now();
              if (now - lastReport < 150) return;
              lastReport = now;
              const tail = content.replace(/\s+/g, ' ').trim().slice(-60);
              progress.report({ message: content ? `${content.length} characters — …${tail}` : `thinking… ${reasoning} characters` });
            },
          });
        } finally {
          sub.dispose();
          if (abort.signal.aborted) log().info(`${mode.id}: cancelled by the user`);
        }
      },
    );
  }

  private async handleResult(mode: Mode, result: ModeResult, root: string): Promise<Proposal | undefined> {
    this.runs.record(result);
    log().debug(`${mode.id}: ${result.runs.length} run(s) recorded`);
    // Once each (a re-ask repeats the same problems), at their own level.
    const logged = new Set<string>();
    for (const d of result.diagnostics) {
      const line = `${mode.id}${d.code ? ` [${d.code}]` : ''}: ${d.message}`;
      if (d.severity === 'info' || logged.has(line)) continue;
      logged.add(line);
      if (d.severity === 'error') log().error(line);
      else log().warn(line);
    }
    const error = firstError(result.diagnostics);
    if (error?.code === 'cancelled') {
      vscode.window.setStatusBarMessage('nocodo: cancelled.', 4000);
      return undefined;
    }
    if (result.ok && !result.changeSet && !error) {
      // e.g. the router found every handler already registered: nothing to review, say so.
      const note = result.diagnostics.find((d) => d.severity === 'info')?.message ?? 'nothing to change.';
      void notice.info(`${mode.title} — ${note}`);
      return undefined;
    }
    if (!result.ok || !result.changeSet || error) {
      const fix = error?.code ? SERVER_PROBLEMS[error.code] : undefined;
      const actions = [...(fix ? [fix] : []), ...(result.runs.length || !result.deterministic ? ['Show Run'] : [])];
      const message = error?.message ?? 'the mode produced no change.';
      void notice.error(`${mode.title} — ${message.replace(/\n+/g, ' ')}`, ...actions).then((pick) => this.onErrorAction(pick));
      return undefined;
    }
    const lastRun = result.runs[result.runs.length - 1];
    log().debug(`${mode.id}: proposing ${result.changeSet.files.map((f) => f.path).join(', ')}`);
    const proposal = await this.proposals.propose(result.changeSet, { root, ...(lastRun ? { runId: lastRun.id } : {}) });
    this.runs.linkProposal(proposal.id);
    return proposal;
  }

  private async onErrorAction(pick: string | undefined): Promise<void> {
    if (pick === 'Check Model Server') await vscode.commands.executeCommand('nocodo.checkModelServer');
    else if (pick === 'Set API Key') await vscode.commands.executeCommand('nocodo.setApiKey');
    else if (pick === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nocodo.roles.rustEngineer.model');
    else if (pick === 'Show Run') await this.runs.showLast();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
