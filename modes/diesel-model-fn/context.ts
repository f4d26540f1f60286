import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { FnSig, Joinable, RustFileInfo, StructRef, Table } from '../../src/rust';
import type { ImportEnv } from '../diesel-common/imports';
import type { ModeInput } from '../../src/pipeline/mode';
import { wantedFunctionName } from '../../src/pipeline/rust/artifact';
import { singularWord } from '../diesel-common/naming';
import { importEnvFor, isReadStruct, openProject, resolveTargetStruct, type ModeProject } from '../diesel-common/project';
import { estimatePromptTokens } from '../../src/llm/tokenEstimate';
import { fitFnContext, FN_CONTEXT_BUDGET_TOKENS } from './budget';
import { placeFunction, type Placement } from './placement';

/** Everything diesel-model-fn knows about one request, and the compact text the model sees. */
export interface FnContext {
  project: ModeProject;
  target: StructRef;
  table: Table;
  /** Project-relative file the function goes into (see ./placement). */
  file: string;
  placement: Placement;
  fileText: string;
  fileInfo: RustFileInfo;
  /** Tables shown besides the target's: joinable ones and ones the request names. */
  related: Table[];
  joinables: Joinable[];
  existingFns: string[];
  wantedName?: string;
  importEnv: ImportEnv;
  /** The Rust text of the context (the per-request part of the prompt). */
  rendered: string;
}

/** Most related tables shown; a hub table (crates.io's `crates`) joins to dozens. */
const MAX_RELATED = 6;
/** Joinable tables shown without the request naming them, when the target joins at most this many. */
const MAX_UNNAMED_JOINS = 2;

/** Words of a request, lowercased, for matching table names (`order items` → order_items). */
function mentionedTables(request: string, tables: readonly Table[], exclude: string): Table[] {
  const text = ` ${request.toLowerCase().replace(/[^a-z0-9_]+/g, ' ')} `;
  const spaced = ` ${text.replace(/_/g, ' ')} `;
  return tables.filter((t) => {
    if (t.name === exclude) return false;
    const words = t.name.split('_');
    const singular = [...words.slice(0, -1), singularWord(words[words.length - 1]!)];
    return [words.join(' '), singular.join(' ')].some((form) => spaced.includes(` ${form} `)) || text.includes(` ${t.name} `);
  });
}

/** The request names the table itself: `crate_owners`, or "the users table". */
function namesTable(request: string, name: string): boolean {
  const n = name.replace(/[^a-z0-9_]/gi, '');
  return new RegExp(`\`${n}\`|\\b${n}\\s+table\\b`, 'i').test(request) || (n.includes('_') && new RegExp(`\\b${n}\\b`).test(request));
}

export async function buildFnContext(input: ModeInput): Promise<{ ctx: FnContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  if (!input.request.trim()) return { diagnostics: [diag('error', 'no-request', 'Describe what the function should do.')] };
  const project = await openProject(input.project);
  const resolved = resolveTargetStruct(project, { ...(input.struct ? { struct: input.struct } : {}), ...(input.table ? { table: input.table } : {}), ...(input.file ? { file: input.file } : {}) });
  if (!('ref' in resolved)) return { diagnostics: resolved.diagnostics };
  const { ref, table } = resolved;
  const info = project.info;
  const placement = await placeFunction(project, input.project, ref, table, input.file);
  const file = placement.file;
  const fileText = placement.text;
  const diagnostics: Diagnostic[] = [];
  if (file !== ref.file.file) diagnostics.push(diag('info', 'placement', `The function goes into ${file}: ${placement.why}.`, { file }));
  const fileErrors = placement.info.diagnostics.filter((d) => d.severity === 'error');
  if (fileErrors.length) diagnostics.push(diag('warning', 'file-has-errors', `${file} has syntax errors; the function is still inserted by syntax, but check the file.`, { file }));

  // Related tables: the ones the request names first, then those joinable to the target, then bridges.
  const joined = info.joinableTables(table.name);
  const mentioned = mentionedTables(input.request, info.schema.tables, table.name);
  const related: Table[] = [];
  const add = (t: Table | undefined): void => {
    if (t && t.name !== table.name && !related.includes(t) && related.length < MAX_RELATED) related.push(t);
  };
  for (const m of mentioned) {
    if (joined.some((j) => j.table === m.name)) add(m);
  }
  for (const m of mentioned) {
    if (joined.some((j) => j.table === m.name)) continue;
    // A table the request names but that joins only through another one (crate_authors between authors and crates).
    const bridges = joined.filter((j) => info.joinableTables(j.table).some((x) => x.table === m.name));
    for (const j of bridges) add(info.findTable(j.table));
    // A word of the request ("transaction") is no reason to show a table the target cannot join; its own name is.
    if (bridges.length || namesTable(input.request, m.name)) add(m);
  }
  // Unnamed joinable tables only when there are few: a hub table (crates.io's `crates`) joins dozens,
  // and every unrelated table is prompt a small model reads and may wrongly join. A table whose
  // column the request names ("by username") counts as named.
  const words = new Set(input.request.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length > 3));
  const namesColumn = (t: Table | undefined): boolean => !!t && t.columns.some((c) => !/^id$|_id$/.test(c.name) && (words.has(c.name) || c.name.split('_').every((w) => words.has(w))));
  for (const j of joined) if (joined.length <= MAX_UNNAMED_JOINS || namesColumn(info.findTable(j.table))) add(info.findTable(j.table));
  const shown = new Set([table.name, ...related.map((t) => t.name)]);
  const joinables = info.schema.joinables.filter((j) => shown.has(j.child) && shown.has(j.parent));

  // Names the new function must not reuse: the target impl's methods, or the file's free functions.
  const targetImplFns = placement.info.impls.filter((i) => i.typeName === ref.struct.name && !i.trait).flatMap((i) => i.functions);
  const fns = placement.how === 'free' ? placement.info.functions : targetImplFns;
  // The struct's existing functions, wherever they live: the model copies their conventions.
  const ownImplFns = ref.file.impls.filter((i) => i.typeName === ref.struct.name && !i.trait).flatMap((i) => i.functions);
  const methods = [...new Map([...ownImplFns, ...placement.related.filter((r) => r.kind === 'method').map((r) => r.fn)].map((f) => [f.signature, f])).values()];
  const freeByFile = new Map<string, FnSig[]>();
  for (const r of placement.related) if (r.kind === 'free') freeByFile.set(r.file, [...(freeByFile.get(r.file) ?? []), r.fn]);
  const siblings = info.structsForTable(table.name).filter((r) => r.struct.name !== ref.struct.name);
  const rowStructs = related.map((t) => ({ t, s: info.structsForTable(t.name).find(isReadStruct) })).filter((x) => x.s);
  const fieldTypes = [...ref.struct.fields, ...siblings.flatMap((s) => s.struct.fields)].map((f) => f.type).join(' ');
  // Enums the struct's fields use, and the ones the request names ("orders with status Ready" → OrderStatus).
  const requestWords = input.request.toLowerCase();
  const enums = info.files
    .flatMap((f) => f.enums)
    .filter((e) => new RegExp(`\\b${e.name}\\b`).test(fieldTypes) || requestWords.includes(e.name.toLowerCase()) || e.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(' ').every((w) => requestWords.includes(w)));

  // The project's query macro (./placement): one existing function written with it, always shown
  // (at most 20 lines), since its arms cannot be guessed.
  const qm = placement.queryMacro;
  const macroExample = qm?.example ? `// An existing function, written with the project's \`${qm.name}!\` macro:\n${qm.example}` : '';
  // Everything above is a candidate; the budget keeps the most relevant part (./budget).
  const fitted = fitFnContext(
    { fileUses: placement.info.uses, table, related, joinables, targetStruct: ref.struct, siblings: siblings.map((s) => s.struct), rowStructs: rowStructs.map((x) => ({ t: x.t, s: x.s!.struct })), enums, typeName: ref.struct.name, methods, freeByFile, request: input.request },
    FN_CONTEXT_BUDGET_TOKENS - estimatePromptTokens(`Request: ${input.request}\n${(input.notes ?? []).join('\n')}`) - (macroExample ? estimatePromptTokens(macroExample) : 0),
  );
  if (fitted.dropped.length) diagnostics.push(diag('info', 'context-trimmed', `The prompt's context was cut to about ${FN_CONTEXT_BUDGET_TOKENS} tokens with the request; left out: ${fitted.dropped.join('; ')}.`));

  const wantedName = wantedFunctionName(input.request);
  return {
    ctx: {
      project,
      target: ref,
      table,
      file,
      placement,
      fileText,
      fileInfo: placement.info,
      related: fitted.tables,
      joinables: fitted.joinables,
      existingFns: fns.map((f) => f.name),
      ...(wantedName ? { wantedName } : {}),
      importEnv: importEnvFor(project, file, placement.info),
      rendered: macroExample ? `${fitted.rendered}\n\n${macroExample}` : fitted.rendered,
    },
    diagnostics,
  };
}
