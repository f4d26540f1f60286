import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { diag, type Diagnostic } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';
import { readCargo } from './cargo';
import { DIESEL_DERIVES, parseRustFile } from './models';
import { scanModDecls } from './modScan';
import { initRustParser } from './parser';
import { parseSchema, type SchemaSource } from './schema';
import type { CargoInfo, JoinedTable, ProjectInfo, RustFileInfo, SchemaInfo, StructRef, Table } from './types';

type TomlTable = Record<string, unknown>;
const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Joins project-relative posix paths; undefined when the result leaves the project. */
function joinRel(dir: string, rel: string): string | undefined {
  const p = posix.normalize(posix.join(dir || '.', rel));
  if (p.startsWith('../') || p === '..' || posix.isAbsolute(p)) return undefined;
  return p === '.' ? '' : p.replace(/^\.\//, '');
}

const dirOf = (p: string): string => {
  const d = posix.dirname(p);
  return d === '.' ? '' : d;
};

const TABLE_MACRO = /\b(?:diesel::)?table!\s*[{([]/;
const MODEL_HINT = /\b(?:table_name|Queryable|QueryableByName|Insertable|AsChangeset|Identifiable|Associations|Selectable|HasQuery)\b/;

interface CrateChoice {
  crateDir: string;
  cargoPath?: string;
  cargo?: CargoInfo;
}

async function chooseCrate(fs: ProjectFs, diagnostics: Diagnostic[]): Promise<CrateChoice> {
  const all = (await fs.listFiles('', ['Cargo.toml'])).filter((p) => posix.basename(p) === 'Cargo.toml' && p.split('/').length <= 3);
  const rootText = all.includes('Cargo.toml') ? await fs.readFile('Cargo.toml') : undefined;
  const read = async (p: string): Promise<CargoInfo | undefined> => {
    const text = await fs.readFile(p);
    return text === undefined ? undefined : readCargo(text, { file: p, ...(rootText !== undefined && p !== 'Cargo.toml' ? { workspaceText: rootText } : {}) });
  };
  const usesDiesel = (c: CargoInfo | undefined): boolean => !!c && (c.dieselVersion !== undefined || c.dieselFeatures !== undefined || c.async);

  if (rootText !== undefined) {
    const root = await read('Cargo.toml');
    if (root && (!root.workspace || usesDiesel(root))) return { crateDir: '', cargoPath: 'Cargo.toml', cargo: root };
  }
  const candidates: { path: string; cargo: CargoInfo | undefined }[] = [];
  for (const p of all) if (p !== 'Cargo.toml') candidates.push({ path: p, cargo: await read(p) });
  const withDiesel = candidates.filter((c) => usesDiesel(c.cargo));
  const pool = withDiesel.length ? withDiesel : candidates;
  if (pool.length === 0) {
    if (rootText !== undefined) {
      const root = await read('Cargo.toml');
      return { crateDir: '', cargoPath: 'Cargo.toml', ...(root ? { cargo: root } : {}) };
    }
    diagnostics.push(diag('info', 'no-cargo', 'No Cargo.toml found; reading the folder as a plain set of Rust files.'));
    return { crateDir: '' };
  }
  let pick = pool[0]!;
  if (pool.length > 1) {
    for (const c of pool) if ((await fs.readFile(joinRel(dirOf(c.path), 'diesel.toml') ?? '')) !== undefined) pick = c;
    diagnostics.push(
      diag('info', 'several-crates', `Several crates use Diesel (${pool.map((c) => c.path).join(', ')}); reading ${pick.path}.`),
    );
  }
  return { crateDir: dirOf(pick.path), cargoPath: pick.path, ...(pick.cargo ? { cargo: pick.cargo } : {}) };
}

/** `[print_schema] file = ...`, and the per-schema `[print_schema.name] file = ...` of Diesel 2. */
function printSchemaFiles(text: string): string[] {
  const doc = parseToml(text) as TomlTable;
  const ps = doc.print_schema;
  if (!isTable(ps)) return [];
  const out: string[] = [];
  if (typeof ps.file === 'string') out.push(ps.file);
  for (const v of Object.values(ps)) if (isTable(v) && typeof v.file === 'string') out.push(v.file);
  return out;
}

/** Files a Rust module file declares with `mod x;`, as siblings (`x.rs`, `x/mod.rs`). */
async function subModuleFiles(fs: ProjectFs, file: string, text: string, seen: Set<string>): Promise<string[]> {
  const mods = scanModDecls(text);
  const dir = ownedDir(file);
  const out: string[] = [];
  for (const m of mods) {
    for (const cand of [joinRel(dir, `${m}.rs`), joinRel(dir, `${m}/mod.rs`)]) {
      if (!cand || seen.has(cand)) continue;
      const t = await fs.readFile(cand);
      if (t === undefined) continue;
      seen.add(cand);
      out.push(cand, ...(await subModuleFiles(fs, cand, t, seen)));
      break;
    }
  }
  return out;
}

/** The folder whose files a module file owns: `mod.rs`/`lib.rs`/`main.rs` their own folder, `schema.rs` `schema/`. */
function ownedDir(file: string): string {
  const base = posix.basename(file);
  return base === 'mod.rs' || base === 'lib.rs' || base === 'main.rs' ? dirOf(file) : (joinRel(dirOf(file), base.replace(/\.rs$/, '')) ?? '');
}

/**
 * The module path of `file` under the schema module rooted at one of `paths` (the first that owns
 * it): `src/schema/account.rs` under `src/schema/mod.rs` → `account`. Undefined for a root.
 */
export function schemaSubModule(file: string, paths: readonly string[]): string | undefined {
  for (const root of paths) {
    if (root === file) return undefined;
    const dir = ownedDir(root);
    const prefix = dir ? `${dir}/` : '';
    if (!file.startsWith(prefix)) continue;
    const parts = file.slice(prefix.length).replace(/\.rs$/, '').split('/');
    if (parts[parts.length - 1] === 'mod') parts.pop();
    if (parts.length && parts.every((x) => /^[A-Za-z_]\w*$/.test(x))) return parts.join('::');
  }
  return undefined;
}

/** A schema file followed through its `mod x;` declarations (what `nocodo schema src/schema/mod.rs` reads). */
export async function schemaFileWithModules(fs: ProjectFs, file: string): Promise<string[]> {
  await initRustParser();
  const text = await fs.readFile(file);
  if (text === undefined) return [file];
  return [file, ...(await subModuleFiles(fs, file, text, new Set([file])))];
}

/**
 * Where the schema lives: diesel.toml's `[print_schema] file` (relative to diesel.toml), else
 * `src/schema.rs`, else `src/schema/mod.rs`, else any .rs file with a `table!`. Files that a
 * schema file pulls in with `mod x;` are included.
 */
export async function findSchemaPaths(
  fs: ProjectFs,
  crateDir = '',
  diagnostics: Diagnostic[] = [],
): Promise<{ paths: string[]; dieselTomlPath?: string }> {
  await initRustParser();
  const found: string[] = [];
  let dieselTomlPath: string | undefined;
  for (const cand of [joinRel(crateDir, 'diesel.toml'), 'diesel.toml']) {
    if (!cand || dieselTomlPath) continue;
    const text = await fs.readFile(cand);
    if (text === undefined) continue;
    dieselTomlPath = cand;
    let files: string[] = [];
    try {
      files = printSchemaFiles(text);
    } catch (err) {
      diagnostics.push(diag('error', 'diesel-toml', `${cand} is not valid TOML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { file: cand }));
    }
    for (const f of files) {
      const p = joinRel(dirOf(cand), f);
      if (!p) diagnostics.push(diag('warning', 'schema-missing', `${cand} points outside the project: ${f}.`, { file: cand }));
      else if ((await fs.readFile(p)) === undefined) diagnostics.push(diag('warning', 'schema-missing', `${cand} names ${f}, which does not exist.`, { file: cand }));
      else if (!found.includes(p)) found.push(p);
    }
  }
  if (!found.length) {
    for (const cand of [joinRel(crateDir, 'src/schema.rs'), joinRel(crateDir, 'src/schema/mod.rs')]) {
      if (cand && (await fs.readFile(cand)) !== undefined) {
        found.push(cand);
        break;
      }
    }
  }
  if (!found.length) {
    for (const p of await fs.listFiles(crateDir, ['.rs'])) {
      const text = await fs.readFile(p);
      if (text !== undefined && TABLE_MACRO.test(text)) found.push(p);
    }
  }
  const seen = new Set(found);
  const paths: string[] = [];
  for (const p of found) {
    paths.push(p);
    const text = await fs.readFile(p);
    if (text !== undefined) paths.push(...(await subModuleFiles(fs, p, text, seen)));
  }
  if (!paths.length) diagnostics.push(diag('warning', 'no-schema', 'No Diesel schema found (no diesel.toml, src/schema.rs or `table!`).'));
  return { paths, ...(dieselTomlPath ? { dieselTomlPath } : {}) };
}

/**
 * The crate and schema files of a project, as `loadProject` finds them, without reading the
 * model files.
 */
export async function locateSchema(
  fs: ProjectFs,
): Promise<{ crateDir: string; cargoPath?: string; cargo?: CargoInfo; dieselTomlPath?: string; paths: string[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const crate = await chooseCrate(fs, diagnostics);
  const found = await findSchemaPaths(fs, crate.crateDir, diagnostics);
  return { ...crate, ...found, diagnostics };
}

/** Reads and parses the given schema files together (so `joinable!` can name tables of another file). */
export async function parseSchemaFiles(fs: ProjectFs, paths: readonly string[]): Promise<SchemaInfo> {
  await initRustParser();
  const sources: SchemaSource[] = [];
  const missing: Diagnostic[] = [];
  for (const p of paths) {
    const text = await fs.readFile(p);
    if (text === undefined) missing.push(diag('error', 'file-missing', `Cannot read ${p}.`, { file: p }));
    else {
      const module = schemaSubModule(p, paths);
      sources.push({ file: p, text, ...(module ? { module } : {}) });
    }
  }
  const schema = parseSchema(sources);
  schema.diagnostics.unshift(...missing);
  return schema;
}

function isModelFile(path: string, info: RustFileInfo): boolean {
  if (/(^|\/)models\//.test(path)) return true;
  return info.structs.some((s) => (s.tableName !== undefined && !s.tableInferred) || s.derives.some((d) => DIESEL_DERIVES.has(d)));
}

/**
 * Reads a Diesel project: its crate and Cargo.toml, schema (see `findSchemaPaths`), and model
 * files (every .rs with a Diesel derive or `table_name`, and everything in `models/` folders).
 */
export async function loadProject(fs: ProjectFs): Promise<ProjectInfo> {
  await initRustParser();
  const diagnostics: Diagnostic[] = [];
  const crate = await chooseCrate(fs, diagnostics);
  const { paths: schemaPaths, dieselTomlPath } = await findSchemaPaths(fs, crate.crateDir, diagnostics);
  const schema = await parseSchemaFiles(fs, schemaPaths);

  const srcDir = joinRel(crate.crateDir, 'src') ?? '';
  let rsFiles = await fs.listFiles(srcDir, ['.rs']);
  if (!rsFiles.length && srcDir !== crate.crateDir) rsFiles = await fs.listFiles(crate.crateDir, ['.rs']);
  const files: RustFileInfo[] = [];
  for (const p of rsFiles) {
    if (schemaPaths.includes(p)) continue;
    const text = await fs.readFile(p);
    if (text === undefined) continue;
    if (!/(^|\/)models\//.test(p) && !MODEL_HINT.test(text)) continue;
    const info = parseRustFile(text, p);
    if (isModelFile(p, info)) files.push(info);
  }

  diagnostics.push(...(crate.cargo?.diagnostics ?? []), ...schema.diagnostics);
  for (const f of files) diagnostics.push(...f.diagnostics);

  const findTable = (name: string): Table | undefined =>
    schema.tables.find((t) => t.name === name || (t.schema !== undefined && `${t.schema}.${t.name}` === name)) ??
    schema.tables.find((t) => t.sqlName === name);
  const structRefs = (): StructRef[] => files.flatMap((file) => file.structs.map((struct) => ({ struct, file })));
  const bareTable = (name: string): string => findTable(name)?.name ?? name;

  return {
    fs,
    crateDir: crate.crateDir,
    ...(crate.cargoPath ? { cargoPath: crate.cargoPath } : {}),
    ...(crate.cargo ? { cargo: crate.cargo } : {}),
    ...(dieselTomlPath ? { dieselTomlPath } : {}),
    schemaPaths,
    schema,
    files,
    diagnostics,
    findTable,
    findStruct: (name) => structRefs().find((r) => r.struct.name === name),
    structsForTable: (table) => {
      const t = bareTable(table);
      return structRefs().filter((r) => r.struct.tableName === t);
    },
    joinableTables: (table): JoinedTable[] => {
      const t = bareTable(table);
      const out: JoinedTable[] = [];
      for (const j of schema.joinables) {
        if (j.child === t) out.push({ table: j.parent, joinable: j, role: 'parent' });
        else if (j.parent === t) out.push({ table: j.child, joinable: j, role: 'child' });
      }
      return out;
    },
  };
}
