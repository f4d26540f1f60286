import * as vscode from 'vscode';
import type { ProjectFs } from '../core/projectFs';
import { modeDescriptor, type ModeId } from '../domain';
import { generateApiFiles } from '../frontend';
import { openActixProject } from '../../modes';
import { loadActix, parseRustFile, type ProjectInfo } from '../rust';
import { findDieselFn, qualifiedName, servedStruct, type DieselFn } from '../rust/dieselFns';

/**
 * The questions a generation command asks when its invocation did not answer them: quick picks
 * for the struct, table, function or scope (which ones: the mode descriptor's `command.pickers`),
 * then the input box for the request. Cancelling any of them throws UserCancelled.
 */

export class UserCancelled extends Error {}

/** The Diesel model struct a function goes into: the right-clicked file's, else any of the project's (readable ones first). */
export async function pickModelStruct(info: ProjectInfo, rel: string): Promise<string> {
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

/** The table to generate model structs for: those without structs first. */
export async function pickTable(info: ProjectInfo): Promise<string> {
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
export async function pickFunction(project: ProjectFs, struct: string | undefined, wanted: string | undefined): Promise<string> {
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

/** Where middleware applies: the whole app or one of its scopes (undefined: the app). */
export async function pickScope(project: ProjectFs): Promise<string | undefined> {
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

/**
 * The struct a Solid view is built for: one the API takes or returns (the frontend's generated
 * types.ts), preferably declared in the right-clicked file.
 */
export async function pickApiStruct(project: ProjectFs, rel: string, title: string): Promise<string> {
  const api = await generateApiFiles(project);
  const known = [...api.types.matchAll(/export (?:interface|type) (\w+)/g)].map((m) => m[1]!);
  if (!known.length) throw new Error('No struct is taken or returned by an Actix handler yet, so there is nothing to build a view for. Add a handler first (right-click a model file → nocodo → Generate Actix Handler…).');
  const text = rel.endsWith('.rs') ? await project.readFile(rel) : undefined;
  const inFile = text === undefined ? [] : parseRustFile(text).structs.map((s) => s.name).filter((n) => known.includes(n));
  const pool = inFile.length ? inFile : known;
  if (pool.length === 1) return pool[0]!;
  const pick = await vscode.window.showQuickPick(
    pool.map((name) => ({ label: name, description: inFile.length ? rel : 'from the API types' })),
    { title: `nocodo: ${title}`, placeHolder: inFile.length ? 'Which struct?' : `${rel} declares no struct the API uses: pick one of the API's` },
  );
  if (!pick) throw new UserCancelled();
  return pick.label;
}

const DEFAULT_REQUEST = { prompt: 'What should it do? Say it in your words.', placeHolder: '' };

/** What the artifact should do, in the user's words; the wording is the descriptor's. */
export async function askRequest(modeId: ModeId, title: string, target: { struct?: string }): Promise<string> {
  const text = modeDescriptor(modeId)?.request ?? DEFAULT_REQUEST;
  const value = await vscode.window.showInputBox({
    title: `nocodo: ${title}${target.struct ? ` for ${target.struct}` : ''}`,
    prompt: text.prompt,
    placeHolder: text.placeHolder,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Please describe it in a few words.'),
  });
  if (value === undefined) throw new UserCancelled();
  return value.trim();
}
