import type { CompileCheckFeature } from './compileCheck';
import { cargoProgressLabel } from '../compile';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { getMode, ModeInputError, type Mode, type ModeInput, type ModeResult } from '../../modes';
import type { Diagnostic } from '../core/diagnostics';
import type { ModeId, Proposal } from '../domain';
import { isInside } from '../proposals';
import { openActixProject } from '../../modes/actix-common/project';
import type { ProjectFs } from '../core/projectFs';
import { loadActix, loadProject, type ProjectInfo } from '../rust';
import { findDieselFn, qualifiedName, servedStruct, type DieselFn } from '../rust/dieselFns';
import { log } from './log';
import { notice } from './notice';
import type { ModelServerFeature } from './modelServer';
import type { RunLog } from './proposals/runLog';
import type { ProposalService } from './proposals/service';
import { workspaceProjectFs } from './proposals/workspaceFs';
import { readProjectStack, whyModeDoesNotApply } from '../rust/stack';

/**
 * The right-click flow: Explorer or editor context menu → nocodo → Generate… on a Rust file.
 * Pick the struct or table → say what it should do → the mode runs under a cancellable progress
 * notification (streamed characters shown) → the diff of the proposal opens.
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

const COMMANDS: ReadonlyArray<{ command: string; mode: ModeId }> = [
  { command: 'nocodo.generateDieselFunction', mode: 'diesel-model-fn' },
  { command: 'nocodo.generateDieselStruct', mode: 'diesel-model-struct' },
  { command: 'nocodo.generateDieselTable', mode: 'diesel-schema' },
  { command: 'nocodo.generateActixHandler', mode: 'actix-handler' },
  { command: 'nocodo.generateActixRouter', mode: 'actix-router' },
  { command: 'nocodo.generateActixMiddleware', mode: 'actix-middleware' },
];

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

class UserCancelled extends Error {}

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

async function pickStruct(info: ProjectInfo, rel: string): Promise<string> {
  const inFile = info.files.find((f) => f.file === rel)?.structs.filter((s) => s.tableName) ?? [];
  const isSchema = info.schemaPaths.includes(rel);
  const all = info.files.flatMap((f) => f.structs.filter((s) => s.tableName).map((s) => ({ s, file: f.file ?? '' })));
  const pool = !isSchema && inFile.length ? inFile.map((s) => ({ s, file: rel })) : all;
  if (!pool.length) throw new Error(`No Diesel model structs found in ${isSchema ? 'the project' : `${rel} or anywhere in the project`}. Create one first: right-click schema.rs → nocodo → Generate Diesel Model Struct….`);
  const read = (d: readonly string[]) => d.some((x) => ['Queryable', 'Selectable', 'HasQuery'].includes(x));
  const items = pool
    .slice()
    .sort((a, b) => Number(read(b.s.derives)) - Number(read(a.s.derives)))
    .map(({ s, file }) => ({ label: s.name, description: `table ${s.tableName}${read(s.derives) ? '' : ` · ${s.derives.filter((d) => d !== 'Debug').join(', ')}`}`, detail: file === rel ? undefined : file, name: s.name }));
  if (items.length === 1) return items[0]!.name;
  const pick = await vscode.window.showQuickPick(items, {
    title: 'nocodo: Generate Diesel Function',
    placeHolder: pool === all && !isSchema ? `${rel} has no model struct: pick one of the project's` : 'Which model struct gets the function?',
    matchOnDescription: true,
  });
  if (!pick) throw new UserCancelled();
  return pick.name;
}

async function pickTable(info: ProjectInfo): Promise<string> {
  const tables = info.schema.tables;
  if (!tables.length) {
    throw new Error(`No tables found in the schema${info.schemaPaths.length ? ` (${info.schemaPaths.join(', ')})` : ' (no schema.rs found)'}. Add one first: right-click schema.rs → nocodo → Generate Diesel Table….`);
  }
  const without = tables.filter((t) => info.structsForTable(t.name).length === 0);
  const withStructs = tables.filter((t) => info.structsForTable(t.name).length > 0);
  type Item = vscode.QuickPickItem & { table?: string };
  const item = (t: (typeof tables)[number]): Item => ({
    label: t.name,
    description: `${t.columns.length} columns${info.structsForTable(t.name).length ? ` · has ${info.structsForTable(t.name).map((r) => r.struct.name).join(', ')}` : ''}`,
    table: t.name,
  });
  const items: Item[] = [];
  if (without.length) items.push({ label: 'No model struct yet', kind: vscode.QuickPickItemKind.Separator }, ...without.map(item));
  if (withStructs.length) items.push({ label: 'Already have structs (missing ones are added)', kind: vscode.QuickPickItemKind.Separator }, ...withStructs.map(item));
  const pick = await vscode.window.showQuickPick(items, { title: 'nocodo: Generate Diesel Model Struct', placeHolder: 'Which table?' });
  if (!pick?.table) throw new UserCancelled();
  return pick.table;
}

/**
 * The Diesel function an Actix handler will call, from every function of the crate that uses
 * Diesel (query modules, repositories, `impl` blocks in any file). A name that fits several
 * (`--function find`) lists just those; the struct's own functions come first.
 */
async function pickFunction(project: ProjectFs, struct: string | undefined, wanted: string | undefined): Promise<string> {
  const ap = await openActixProject(project);
  const isModel = (n: string): boolean => !!ap.p.info.findStruct(n)?.struct.tableName;
  if (wanted) {
    const hit = findDieselFn(ap.fns, wanted, { ...(struct ? { struct } : {}), isModel });
    if ('fn' in hit) return qualifiedName(hit.fn);
    if ('none' in hit) return wanted; // the mode explains what exists
  }
  const hit = wanted ? findDieselFn(ap.fns, wanted, { isModel }) : undefined;
  const pool = hit && 'candidates' in hit ? hit.candidates : ap.fns;
  if (!pool.length) throw new Error('The project has no Diesel query functions yet. Generate one first: right-click a model file → nocodo → Generate Diesel Function….');
  const related = (f: DieselFn): number => (struct && (f.owner === struct || servedStruct(f, isModel) === struct) ? 0 : 1);
  const items = [...pool].sort((a, b) => related(a) - related(b) || qualifiedName(a).localeCompare(qualifiedName(b))).map((f) => ({ label: qualifiedName(f), description: f.file, detail: f.signature }));
  const pick = await vscode.window.showQuickPick(items, {
    title: 'nocodo: Generate Actix Handler',
    placeHolder: hit && 'candidates' in hit ? `Several functions are called ${wanted}: which one?` : 'Which Diesel function should the endpoint call?',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!pick) throw new UserCancelled();
  return pick.label;
}

async function pickScope(project: ReturnType<typeof workspaceProjectFs>): Promise<string | undefined> {
  const actix = await loadActix(project);
  const scopes = [...new Set(actix.sites.filter((s) => s.kind === 'scope' && s.prefix).map((s) => s.prefix))];
  if (!scopes.length) return undefined;
  const pick = await vscode.window.showQuickPick([{ label: 'The whole app', scope: undefined }, ...scopes.map((p) => ({ label: p, scope: p }))], {
    title: 'nocodo: Generate Actix Middleware',
    placeHolder: 'Where should the middleware apply?',
  });
  if (!pick) throw new UserCancelled();
  return pick.scope;
}

const REQUEST_TEXT: Partial<Record<ModeId, { prompt: string; placeHolder: string }>> = {
  'diesel-schema': { prompt: 'Describe the new table: what it stores and which columns it needs.', placeHolder: 'e.g. suppliers with a name, a phone number and an optional email' },
  'actix-handler': { prompt: 'What should the endpoint do? Say it in your words.', placeHolder: 'e.g. GET one customer by id, 404 when there is none' },
  'actix-middleware': { prompt: 'What should the middleware do?', placeHolder: 'e.g. log every request with its method, path and duration' },
};

async function askRequest(mode: Mode, target: { struct?: string }): Promise<string> {
  const text = REQUEST_TEXT[mode.id] ?? { prompt: 'What should the function do? Say it in your words.', placeHolder: 'e.g. list the orders of a customer, newest first' };
  const value = await vscode.window.showInputBox({
    title: `nocodo: ${mode.title}${target.struct ? ` for ${target.struct}` : ''}`,
    prompt: text.prompt,
    placeHolder: text.placeHolder,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Please describe it in a few words.'),
  });
  if (value === undefined) throw new UserCancelled();
  return value.trim();
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
      const project = workspaceProjectFs(target.root);
      // A keybinding or the palette can still reach a command the menus hide: say why it does not apply.
      const notHere = whyModeDoesNotApply(mode.id, await readProjectStack(project));
      if (notHere) {
        void notice.info(`${mode.title}: ${notHere}`);
        return undefined;
      }
      const input: ModeInput = { project, file: target.rel, request: args.request ?? '' };
      if (mode.needs.struct || mode.needs.table) {
        const info = await loadProject(project);
        if (mode.needs.struct) input.struct = args.struct ?? (args.table ? undefined : await pickStruct(info, target.rel));
        if (args.table) input.table = args.table;
        else if (mode.needs.table && !mode.needs.struct) input.table = await pickTable(info);
        if (input.table && !info.schemaPaths.includes(target.rel)) {
          // Structs go into the right-clicked file only when it is that table's model file (or has none yet).
          const here = info.files.find((f) => f.file === target.rel)?.structs.filter((s) => s.tableName) ?? [];
          if (here.length && !here.some((s) => s.tableName === input.table)) delete input.file;
        }
        if (input.struct === undefined) delete input.struct;
      }
      if (args.struct && !input.struct) input.struct = args.struct;
      if (mode.id === 'actix-handler') input.function = await pickFunction(project, input.struct, args.function);
      if (mode.id !== 'actix-handler' && args.function) input.function = args.function;
      if (args.route) input.route = args.route;
      else if (mode.id === 'actix-middleware') {
        const scope = await pickScope(project);
        if (scope) input.route = scope;
      }
      if (mode.needs.request && !input.request.trim()) input.request = await askRequest(mode, input);
      const subject = input.struct && input.function ? `${input.struct}::${input.function}` : (input.struct ?? input.table);
      const rejected = this.proposals.rejectionReasons(mode.id, subject);
      if (rejected.length) input.notes = rejected.map((r) => `An earlier proposal for this was rejected by the user: ${r}`);
      const result = await this.runWithProgress(mode, input);
      if (!result) return undefined;
      return await this.handleResult(mode, result, target.root);
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
        try {
          return await mode.run(input, {
            client: this.models.client,
            signal: abort.signal,
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
