import { posix } from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { DIESEL_DERIVES, parseRustFile, type ModelStruct, type RustFileInfo, type Table } from '../../src/rust';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { columnDefaults, migrationsDir } from '../diesel-common/migrations';
import { type Mode, type ModeInput, type ModeResult, described } from '../../src/pipeline/mode';
import { snakeCase, structNameForTable } from '../diesel-common/naming';
import { openProject, type ModeProject } from '../diesel-common/project';
import { deterministicResult, emptyTimings, ModeInputError } from '../../src/pipeline/runner';
import { joinPosix } from '../diesel-common/style';
import { validateStruct } from '../diesel-common/validate';
import { generateStructs, renderUseBlock, STRUCT_KINDS, type GeneratedStructs, type StructKind } from './generate';
import { withCompileCheck } from '../../src/pipeline/compileStep';
import { descriptor } from './descriptor';

const READ = ['Queryable', 'Selectable', 'HasQuery'];
const KIND_DERIVE: Record<StructKind, string[]> = { row: READ, new: ['Insertable'], changes: ['AsChangeset'] };

/** The table from `--table`, else from `--struct` (`OrderItem` → `order_items`). */
function resolveTable(p: ModeProject, input: ModeInput): Table | Diagnostic {
  if (input.table) {
    return p.info.findTable(input.table) ?? diag('error', 'unknown-table', `No table \`${input.table}\` in the schema (tables: ${p.info.schema.tables.map((t) => t.name).join(', ') || 'none'}).`);
  }
  if (input.struct) {
    const t = p.info.schema.tables.find((x) => structNameForTable(x.name) === input.struct);
    return t ?? diag('error', 'unknown-table', `No table matches struct \`${input.struct}\`; name it with --table.`);
  }
  return diag('error', 'no-table', 'Say which table the structs are for (--table orders).');
}

interface Placement {
  /** File the structs go into. */
  file: string;
  original: string | undefined;
  /** Other files to change (a `mod` line). */
  extra: { path: string; original: string | undefined; ops: EditOp[] }[];
  /** What could not be placed for the user (a folder whose module file the project does not show). */
  diagnostics: Diagnostic[];
}

const isModelStruct = (s: ModelStruct): boolean => (s.tableName !== undefined && !s.tableInferred) || s.derives.some((d) => DIESEL_DERIVES.has(d));

/** Whether a file is named after one of its structs (`order.rs` for `Order`) or their table (`orders.rs`). */
const namedAfterItsModel = (file: string, structs: readonly ModelStruct[]): boolean => {
  const stem = posix.basename(file, '.rs');
  return structs.some((s) => snakeCase(s.name) === stem || s.tableName?.replace(/^r#/, '') === stem);
};

/** A model file in a folder named after its struct or table (`model/service/mod.rs` for `Service`). */
function folderNamedAfterItsModel(f: RustFileInfo & { file: string }): boolean {
  const folder = posix.basename(posix.dirname(f.file));
  return f.structs.some((s) => isModelStruct(s) && (snakeCase(s.name) === folder || s.tableName?.replace(/^r#/, '') === folder));
}

/**
 * The file that declares the modules of folder `dir`: `dir/mod.rs`, `dir.rs`, or the crate root
 * for `src` itself. Undefined when the project shows none (a fragment of a crate).
 */
async function moduleFileOf(p: ModeProject, dir: string): Promise<{ path: string; text: string } | undefined> {
  const src = joinPosix(p.info.crateDir, 'src');
  const candidates = dir === src ? [`${src}/lib.rs`, `${src}/main.rs`] : [`${dir}/mod.rs`, `${dir}.rs`];
  for (const path of candidates) {
    const text = await p.info.fs.readFile(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** `pub mod <name>;` in the file that declares `dir`'s modules, or a warning when the project shows none. */
async function declareModule(p: ModeProject, dir: string, name: string, place: Placement): Promise<void> {
  const decl = await moduleFileOf(p, dir);
  if (decl) place.extra.push({ path: decl.path, original: decl.text, ops: [{ op: 'addMod', name, pub: true }] });
  else place.diagnostics.push(diag('warning', 'mod-not-declared', `No module file declares ${dir}/ (mod.rs or ${dir}.rs); add \`pub mod ${name};\` where the project declares it.`));
}

/**
 * Where the structs of a table without any go, following where the project keeps its models:
 * - one folder per model holding a file of the same name (`model/service/mod.rs`,
 *   `features/article/entities.rs`): a new folder of that shape;
 * - a folder of model files (`src/models/user.rs`, or rfcbot's `src/domain/github.rs`): a new file
 *   there, named like the others (after the struct or after the table), with its `mod` line;
 * - a single file of models (`src/models.rs`, `src/db.rs`): appended to it;
 * - no models yet: `src/models/<table>.rs` with `models/mod.rs`.
 */
async function placeNewFile(p: ModeProject, table: Table, rowName: string): Promise<Placement> {
  const read = (path: string) => p.info.fs.readFile(path);
  const models = p.info.files.filter((f): f is RustFileInfo & { file: string } => !!f.file && f.structs.some(isModelStruct));
  if (!models.length) return placeInModelsFolder(p, table, rowName);
  const tableStem = table.name.replace(/^r#/, '');
  // Folder per model: the same file name in sibling folders.
  const byBase = new Map<string, (RustFileInfo & { file: string })[]>();
  for (const f of models) byBase.set(posix.basename(f.file), [...(byBase.get(posix.basename(f.file)) ?? []), f]);
  const perFolder = [...byBase.entries()]
    .map(([base, fs]) => ({ base, fs, parent: posix.dirname(posix.dirname(fs[0]!.file)) }))
    .filter((g) => (g.fs.length >= 2 || folderNamedAfterItsModel(g.fs[0]!)) && g.fs.every((f) => posix.dirname(posix.dirname(f.file)) === g.parent))
    .sort((a, b) => b.fs.length - a.fs.length)[0];
  if (perFolder && perFolder.fs.length * 2 >= models.length) {
    // Folders named after the struct (`service/` for `Service`) or after the table.
    const singular = perFolder.fs.some((f) => f.structs.some((s) => snakeCase(s.name) === posix.basename(posix.dirname(f.file))));
    const stem = singular ? snakeCase(rowName) : tableStem;
    const dir = `${perFolder.parent}/${stem}`;
    const file = `${dir}/${perFolder.base}`;
    const place: Placement = { file, original: await read(file), extra: [], diagnostics: [] };
    if (perFolder.base !== 'mod.rs') {
      const inner = posix.basename(perFolder.base, '.rs');
      place.extra.push({ path: `${dir}/mod.rs`, original: undefined, ops: [{ op: 'createFile', content: `pub mod ${inner};\n` }] });
    }
    await declareModule(p, perFolder.parent, stem, place);
    return place;
  }
  // The folder holding the most row structs (the Insertable ones may sit beside the queries), then the most model structs.
  const weight = new Map<string, number>();
  for (const f of models) {
    const dir = posix.dirname(f.file);
    weight.set(dir, (weight.get(dir) ?? 0) + f.structs.filter(isModelStruct).reduce((n, s) => n + (s.derives.some((d) => READ.includes(d)) ? 1000 : 1), 0));
  }
  const dir = [...weight.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const inDir = models.filter((f) => posix.dirname(f.file) === dir && posix.basename(f.file) !== 'mod.rs');
  if (inDir.length === 1 && !namedAfterItsModel(inDir[0]!.file, inDir[0]!.structs)) {
    return { file: inDir[0]!.file, original: await read(inDir[0]!.file), extra: [], diagnostics: [] };
  }
  if (!inDir.length) {
    const only = models.find((f) => posix.dirname(f.file) === dir)!;
    return { file: only.file, original: await read(only.file), extra: [], diagnostics: [] };
  }
  const bySingular = inDir.some((f) => f.structs.some((s) => `${snakeCase(s.name)}.rs` === posix.basename(f.file)));
  const stem = bySingular ? snakeCase(rowName) : tableStem;
  const file = `${dir}/${stem}.rs`;
  const place: Placement = { file, original: await read(file), extra: [], diagnostics: [] };
  await declareModule(p, dir, stem, place);
  return place;
}

/** A project without model structs: `src/models/<table>.rs`, with mod.rs or models.rs. */
async function placeInModelsFolder(p: ModeProject, table: Table, rowName: string): Promise<Placement> {
  const src = joinPosix(p.info.crateDir, 'src');
  const inDir = p.rustFiles.filter((f) => f.startsWith(`${src}/models/`) && !f.endsWith('/mod.rs'));
  const bySingular = p.info.files.some((f) => f.file && f.file.startsWith(`${src}/models/`) && f.structs.some((s) => `${snakeCase(s.name)}.rs` === posix.basename(f.file!)));
  const stem = bySingular ? snakeCase(rowName) : table.name.replace(/^r#/, '');
  const file = `${src}/models/${stem}.rs`;
  const read = (path: string) => p.info.fs.readFile(path);
  const modRs = `${src}/models/mod.rs`;
  const modelsRs = `${src}/models.rs`;
  const extra: Placement['extra'] = [];
  const modText = await read(modRs);
  const modelsText = modText === undefined ? await read(modelsRs) : undefined;
  if (modText !== undefined) extra.push({ path: modRs, original: modText, ops: [{ op: 'addMod', name: stem, pub: true }] });
  else if (modelsText !== undefined) {
    if (!inDir.length && !/\bmod\s+\w+\s*;/.test(modelsText)) return { file: modelsRs, original: modelsText, extra: [], diagnostics: [] };
    extra.push({ path: modelsRs, original: modelsText, ops: [{ op: 'addMod', name: stem, pub: true }] });
  } else {
    extra.push({ path: modRs, original: undefined, ops: [{ op: 'createFile', content: `pub mod ${stem};\n` }] });
    const lib = await read(`${src}/lib.rs`);
    const root = lib !== undefined ? `${src}/lib.rs` : `${src}/main.rs`;
    extra.push({ path: root, original: lib ?? (await read(root)), ops: [{ op: 'addMod', name: 'models', pub: lib !== undefined }] });
  }
  return { file, original: await read(file), extra, diagnostics: [] };
}

/** Whether the crate root says `#[macro_use] extern crate diesel` (Diesel 1.x projects' usual way to get the derives). */
async function crateRootMacroUse(p: ModeProject): Promise<boolean> {
  const src = joinPosix(p.info.crateDir, 'src');
  for (const root of ['lib.rs', 'main.rs']) {
    const text = await p.info.fs.readFile(`${src}/${root}`);
    if (text !== undefined && /#\[macro_use\]\s*(?:pub\s+)?extern\s+crate\s+diesel\s*;/.test(text)) return true;
  }
  return false;
}

/** Generates (without a model) the structs of `input.table` that the project does not have yet. */
async function plan(input: ModeInput): Promise<{ p: ModeProject; table: Table; gen: GeneratedStructs; place: Placement } | { diagnostics: Diagnostic[] }> {
  const p = await openProject(input.project);
  const table = resolveTable(p, input);
  if ('severity' in table) return { diagnostics: [table] };
  const existing = p.info.structsForTable(table.name);
  const missing = STRUCT_KINDS.filter((k) => !existing.some((r) => r.struct.derives.some((d) => KIND_DERIVE[k].includes(d))));
  const rowRef = existing.find((r) => r.struct.derives.some((d) => READ.includes(d)));
  const rowName = rowRef?.struct.name ?? (input.struct && structNameForTable(table.name) === input.struct ? input.struct : structNameForTable(table.name));
  if (!missing.length) {
    return { diagnostics: [diag('error', 'structs-exist', `\`${table.name}\` already has its structs (${existing.map((r) => r.struct.name).join(', ')}); nothing to generate.`)] };
  }
  const defaults = (await columnDefaults(p.info.fs, await migrationsDir(p.info))).get(table.name.replace(/^r#/, ''));
  const macroUseDiesel = p.style.diesel1 ? await crateRootMacroUse(p) : undefined;
  const gen = generateStructs(table, { style: p.style, sqlTypes: p.info.schema.sqlTypes, kinds: missing, rowName, ...(defaults ? { defaults } : {}), ...(macroUseDiesel !== undefined ? { macroUseDiesel } : {}) });
  const taken = new Set(p.info.files.flatMap((f) => f.structs.map((s) => s.name)));
  for (const s of gen.structs) {
    if (taken.has(s.name)) gen.diagnostics.push(diag('error', 'name-taken', `A struct named \`${s.name}\` already exists for another table; rename it before generating.`));
  }
  let place: Placement;
  const explicit = input.file && !p.info.schemaPaths.includes(input.file) ? input.file : undefined;
  const home = explicit ?? rowRef?.file.file ?? existing[0]?.file.file;
  if (home) place = { file: home, original: await input.project.readFile(home), extra: [], diagnostics: [] };
  else place = await placeNewFile(p, table, rowName);
  return { p, table, gen, place };
}

function buildChanges(gen: GeneratedStructs, place: Placement): { files: FileChange[]; diagnostics: Diagnostic[] } {
  const code = gen.structs.map((s) => s.code).join('\n\n');
  const files: FileChange[] = [];
  const diagnostics: Diagnostic[] = [...place.diagnostics];
  const ops: EditOp[] =
    place.original === undefined
      ? [{ op: 'createFile', content: `${renderUseBlock(gen.uses)}\n\n${code}\n` }]
      : [{ op: 'addUses', uses: gen.uses }, ...gen.structs.map((s): EditOp => ({ op: 'appendItem', code: s.code }))];
  const main = fileChange(place.file, place.original, ops);
  files.push(main.change);
  diagnostics.push(...main.diagnostics);
  for (const e of place.extra) {
    const fc = fileChange(e.path, e.original, e.ops);
    files.push(fc.change);
    diagnostics.push(...fc.diagnostics);
  }
  return { files, diagnostics };
}

async function run(input: ModeInput): Promise<ModeResult> {
  const t0 = performance.now();
  const timings = emptyTimings();
  const planned = await plan(input);
  timings.contextMs = performance.now() - t0;
  const done = deterministicResult('diesel-model-struct', t0, timings);
  if (!('gen' in planned)) return done({ ok: false, diagnostics: planned.diagnostics });
  const { p, table, gen, place } = planned;
  const code = gen.structs.map((s) => s.code).join('\n\n');
  const t1 = performance.now();
  // Deterministic code is still checked: a wrong type mapping must never reach a file.
  const diagnostics = [...gen.diagnostics];
  for (const s of parseRustFile(code).structs) diagnostics.push(...validateStruct(s, { tables: p.info.schema.tables, style: p.style, sqlTypes: p.info.schema.sqlTypes }));
  timings.validateMs = performance.now() - t1;
  if (hasErrors(diagnostics) || !gen.structs.length) return done({ ok: false, code, diagnostics });
  const changes = buildChanges(gen, place);
  diagnostics.push(...changes.diagnostics);
  const names = gen.structs.map((s) => s.name).join(', ');
  return done({
    ok: !hasErrors(diagnostics),
    code,
    changeSet: { mode: 'diesel-model-struct', summary: `Add ${names} for \`${table.name}\` in ${place.file}`, files: changes.files },
    diagnostics,
  });
}

/** Model structs for an existing table: deterministic, no model call. */
export const dieselModelStructMode: Mode = {
  ...described(descriptor),
  async buildPrompt(input) {
    const planned = await plan(input);
    if (!('gen' in planned)) throw new ModeInputError(planned.diagnostics);
    return { messages: [], stablePrefixChars: 0 };
  },
  run: (input) => run(input),
};

/** As the registry runs it: model-free, so the compile check wraps the mode (the model modes check inside their runner). */
export default withCompileCheck(dieselModelStructMode);
