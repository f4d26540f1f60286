import type { ProjectFs } from '../../src/core/projectFs';
import { parseRustFile, type FnSig, type RustFileInfo, type StructRef, type Table } from '../../src/rust';
import { singularWord } from '../diesel-common/naming';
import type { ModeProject } from '../diesel-common/project';
import { STD_MACROS } from '../diesel-common/validate';

/**
 * Where a new query function goes: where the project already keeps the struct's queries.
 * - The file the user named (`--file`, the right-clicked file) wins, unless it is the schema.
 *   There the project's style of that file is kept (methods in `impl <Struct>`, or free functions).
 * - Else the file whose `impl <Struct>` holds the most query functions (an `impls/` file, a
 *   `service_impl.rs`), else the module of free query functions about the table (`dbqueries.rs`,
 *   rfcbot's `nag.rs`, Rocket's `database/articles.rs`), else the struct's own file.
 */

export interface Placement {
  file: string;
  text: string;
  info: RustFileInfo;
  /** `impl`: a method of `impl <Struct>`; `free`: a module-level function, the project's style there. */
  how: 'impl' | 'free';
  /** Why this file, for the diagnostics. */
  why: string;
  /** Query functions of the struct found in the project (methods and free functions), for the context. */
  related: { file: string; fn: FnSig; kind: 'method' | 'free' }[];
  /** How the existing `async fn`s run sync Diesel (see asyncWrapperOf), when that is the project's style. */
  asyncWrapper?: string;
  /** The project's own macro its queries run in (`db_run! { conn: { … } }`), with one existing function as the example. */
  queryMacro?: QueryMacro;
}

export interface QueryMacro {
  name: string;
  /** The shortest existing query function written with it, as it is in the project. */
  example: string;
}

/** Macros that are no query wrapper even when a query sits inside one. */
const NOT_WRAPPERS = new Set([...STD_MACROS, 'dbg', 'sql_function', 'define_sql_function', 'table', 'joinable', 'allow_tables_to_appear_in_same_query']);
const RUN_CALL_IN = /\.(?:load|get_result|get_results|first|execute)\b(?:::<[^(]*>)?\s*\(|\bdiesel::(?:insert_into|update|delete|replace_into)\b/;
/** Longest example shown in the prompt; a longer function would crowd out the context. */
const MAX_EXAMPLE_LINES = 20;

/**
 * The project's own query macro (vaultwarden's `db_run!`, per-backend wrappers): the macro whose
 * body runs the query in most existing query functions, with the shortest of them as the example.
 */
export function queryMacroOf(fns: readonly { body: string; text: string }[]): QueryMacro | undefined {
  const users = new Map<string, { body: string; text: string }[]>();
  for (const f of fns) {
    const seen = new Set<string>();
    for (const m of f.body.matchAll(/\b([a-z_][a-z0-9_]*)!\s*[{([]/g)) {
      const name = m[1]!;
      if (NOT_WRAPPERS.has(name) || seen.has(name) || !RUN_CALL_IN.test(f.body.slice(m.index))) continue;
      seen.add(name);
      users.set(name, [...(users.get(name) ?? []), f]);
    }
  }
  const [name, list] = [...users].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!name || !list || list.length * 2 < fns.length) return undefined;
  const example = [...list].sort((a, b) => a.text.length - b.text.length)[0]!.text;
  if (example.split('\n').length > MAX_EXAMPLE_LINES) return { name, example: '' };
  return { name, example };
}

/** Ways projects without diesel-async run sync Diesel from `async fn`, as told to the model. */
const WRAPPERS: [RegExp, string][] = [
  [/\.run\s*\(\s*(?:move\s*)?\|/, '`conn.run(move |c| …).await` (the pooled connection runs the closure on a blocking thread)'],
  [/\.interact\s*\(\s*(?:move\s*)?\|/, '`conn.interact(move |c| …).await` (deadpool-diesel)'],
  [/\bweb::block\s*\(/, '`web::block(move || …).await` (Actix runs the closure on its blocking pool)'],
  [/\bspawn_blocking\s*\(/, '`tokio::task::spawn_blocking(move || …).await`'],
  [/\.(?:load|get_result|get_results|first|execute)_async\s*\(/, "actix-diesel's `…_async(&db).await` calls"],
];

/** The wrapper most existing async query functions use, when most query functions are async. */
export function asyncWrapperOf(bodies: readonly { isAsync: boolean; body: string }[]): string | undefined {
  const asyncOnes = bodies.filter((b) => b.isAsync);
  if (!asyncOnes.length || asyncOnes.length * 2 < bodies.length) return undefined;
  let best: [string, number] | undefined;
  for (const [re, text] of WRAPPERS) {
    const n = asyncOnes.filter((b) => re.test(b.body)).length;
    if (n && (!best || n > best[1])) best = [text, n];
  }
  return best?.[0];
}

/** A function body that runs a Diesel query itself (sync, diesel-async, or inside a pooled wrapper's closure); a handler that calls model functions does not. */
const RUNS_QUERY = /\.(?:load|get_result|get_results|first|execute|load_async|get_result_async|get_results_async|first_async|execute_async)\b(?:::<[^(]*>)?\s*\(|\bdiesel::(?:insert_into|update|delete|replace_into|sql_query)\b|\.run\s*\(\s*move\s*\|/;

/** The function's text from the start of its line, so the example keeps its indentation. */
function withIndentOf(text: string, fn: FnSig): string {
  const s = fn.span.startIndex ?? 0;
  const lineStart = text.lastIndexOf('\n', s - 1) + 1;
  const lines = text.slice(lineStart, fn.span.endIndex ?? text.length).split('\n');
  const indent = /^\s*/.exec(lines[0]!)![0].length;
  return lines.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)![0].length))).join('\n');
}

function bodyOf(text: string, fn: FnSig): string {
  const s = fn.span.startIndex ?? 0;
  const e = fn.span.endIndex ?? text.length;
  return text.slice(s, e);
}

const mentions = (body: string, table: Table, structName: string): boolean =>
  new RegExp(`\\b(?:${table.name}::|${table.name}\\b\\s*\\.|${structName}\\b)`).test(body) || new RegExp(`\\b${table.name}::dsl::\\*`).test(body);

interface Scan {
  file: string;
  text: string;
  info: RustFileInfo;
  methods: FnSig[];
  free: FnSig[];
}

async function scanFiles(project: ModeProject, fs: ProjectFs, ref: StructRef, table: Table): Promise<Scan[]> {
  const out: Scan[] = [];
  const schema = new Set(project.info.schemaPaths);
  for (const file of project.rustFiles) {
    if (schema.has(file)) continue;
    const text = await fs.readFile(file);
    if (text === undefined || !(text.includes(table.name) || text.includes(ref.struct.name))) continue;
    const known = project.info.files.find((f) => f.file === file);
    const info = known ?? parseRustFile(text, file);
    const methods = info.impls
      .filter((i) => i.typeName === ref.struct.name && !i.trait)
      .flatMap((i) => i.functions)
      .filter((f) => RUNS_QUERY.test(bodyOf(text, f)));
    const free = info.functions.filter((f) => {
      const b = bodyOf(text, f);
      return RUNS_QUERY.test(b) && mentions(b, table, ref.struct.name);
    });
    out.push({ file, text, info, methods, free });
  }
  return out;
}

export async function placeFunction(project: ModeProject, fs: ProjectFs, ref: StructRef, table: Table, requested?: string): Promise<Placement> {
  const scans = await scanFiles(project, fs, ref, table);
  const existing = scans.flatMap((s) => [...s.methods, ...s.free].map((f) => ({ isAsync: f.isAsync, body: bodyOf(s.text, f), text: withIndentOf(s.text, f) })));
  const queryMacro = queryMacroOf(existing);
  // `async fn`s whose queries run in the project's macro: the macro is what makes sync Diesel async-safe there.
  const asyncWrapper = asyncWrapperOf(existing) ?? (queryMacro && existing.filter((f) => f.isAsync).length * 2 >= existing.length ? `the project's \`${queryMacro.name}!\` macro` : undefined);
  const related = scans.flatMap((s) => [...s.methods.map((fn) => ({ file: s.file, fn, kind: 'method' as const })), ...s.free.map((fn) => ({ file: s.file, fn, kind: 'free' as const }))]);
  const styleOf = (s: Scan): 'impl' | 'free' => (s.methods.length || !s.free.length ? 'impl' : 'free');
  const structFile = ref.file.file!;

  if (requested && !project.info.schemaPaths.includes(requested) && requested.endsWith('.rs')) {
    const scanned = scans.find((s) => s.file === requested);
    const text = scanned?.text ?? (await fs.readFile(requested));
    if (text !== undefined) {
      const info = scanned?.info ?? (requested === structFile ? ref.file : parseRustFile(text, requested));
      const hasImpl = info.impls.some((i) => i.typeName === ref.struct.name && !i.trait);
      const how = scanned && (scanned.methods.length || scanned.free.length) ? styleOf(scanned) : hasImpl || !info.functions.length ? 'impl' : 'free';
      return { file: requested, text, info, how, why: `the file you chose (${requested})`, related, ...(asyncWrapper ? { asyncWrapper } : {}), ...(queryMacro ? { queryMacro } : {}) };
    }
  }
  const byMethods = [...scans].sort((a, b) => b.methods.length - a.methods.length || Number(b.file === structFile) - Number(a.file === structFile))[0];
  if (byMethods && byMethods.methods.length) {
    return { ...byMethods, how: 'impl', why: `${byMethods.file} holds \`impl ${ref.struct.name}\` with ${byMethods.methods.length} query function(s)`, related, ...(asyncWrapper ? { asyncWrapper } : {}), ...(queryMacro ? { queryMacro } : {}) };
  }
  // A module of free functions is about the table when it is named after it or its functions return the struct.
  const stem = (f: string): string => f.replace(/^.*\//, '').replace(/\.rs$/, '');
  const names = new Set([table.name, singularWord(table.name), ref.struct.name.toLowerCase()]);
  const freeScore = (s: Scan): number =>
    s.free.length ? s.free.length + 3 * s.free.filter((f) => new RegExp(`\\b${ref.struct.name}\\b`).test(f.returnType ?? '')).length + (names.has(stem(s.file)) ? 5 : 0) : 0;
  const byFree = [...scans].sort((a, b) => freeScore(b) - freeScore(a))[0];
  if (byFree && byFree.free.length) {
    return { ...byFree, how: 'free', why: `${byFree.file} holds ${byFree.free.length} query function(s) on \`${table.name}\` as free functions`, related, ...(asyncWrapper ? { asyncWrapper } : {}), ...(queryMacro ? { queryMacro } : {}) };
  }
  const own = scans.find((s) => s.file === structFile);
  const text = own?.text ?? (await fs.readFile(structFile)) ?? '';
  return { file: structFile, text, info: ref.file, how: 'impl', why: `the file that defines \`${ref.struct.name}\``, related, ...(asyncWrapper ? { asyncWrapper } : {}), ...(queryMacro ? { queryMacro } : {}) };
}
