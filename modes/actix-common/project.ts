import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { ProjectFs } from '../../src/core/projectFs';
import { loadActix, moduleOfFile, readCargo, type ActixErrorType, type ActixHandler, type ActixInfo, type ActixPool, type CargoInfo, type FnSig, type StructRef } from '../../src/rust';
import type { DependencyCrate } from '../../src/rust/actix';
import type { DieselFn, IndexEnv } from '../../src/rust/dieselFns';
import { openProject, type ModeProject } from '../diesel-common/project';
import { dataAccesses, type DataAccess } from './dataAccess';
import { indexProjectFns } from './modelFns';

/**
 * A project as the Actix modes see it: the Diesel side (schema, models, style) plus the Actix
 * side (routes, handlers, configure functions, middleware, pool, error type) read from every file.
 */
export interface ActixProject {
  /** The Diesel side: the crate with the schema and models (in a workspace, maybe not the Actix one). */
  p: ModeProject;
  /** Folder of the crate with the App and the handlers (`api` in a workspace; else the Diesel crate's). */
  crateDir: string;
  /** Workspace crates the Actix crate uses, read too (their items are `app::…` from it). */
  deps: DependencyCrate[];
  /** Module path of a file as the Actix crate names it: `crate::handlers::users`, `app::domains::users`. */
  moduleOf: (file: string) => string | undefined;
  actix: ActixInfo;
  /** The error type handlers return (`AppError`), when the project has one implementing `ResponseError`. */
  error?: ActixErrorType;
  pool?: ActixPool;
  /** Database calls are awaited (diesel-async) instead of running inside `web::block`. */
  asyncDb: boolean;
  /** `actix-web` version requirement from Cargo.toml (`4`, `4.9`), if any. */
  actixVersion?: string;
  /** Every struct/enum/alias of the crate: name → module path (for imports and type checks). */
  types: Map<string, { module: string; kind: 'struct' | 'enum' | 'alias'; derives: string[] }>;
  /** Every Diesel-using function of the crate (free functions, methods, trait impls), wherever it lives. */
  fns: DieselFn[];
  /** How handlers reach the database, read from what the app registers; registered ones first. */
  accesses: DataAccess[];
  /** Aliases and structs of the crate, for type questions. */
  env: IndexEnv;
}

/**
 * The crate that serves HTTP: the Diesel crate itself when it depends on actix-web, else the
 * workspace member that depends on both actix-web and the Diesel crate (by `path`), which then
 * names the Diesel crate by its dependency key (`app = { path = "../app" }` → `app::…`).
 */
async function actixCrateOf(fs: ProjectFs, p: ModeProject): Promise<{ crateDir: string; deps: DependencyCrate[]; cargo?: CargoInfo }> {
  const dieselDir = p.info.crateDir;
  const own = { crateDir: dieselDir, deps: [], ...(p.info.cargo ? { cargo: p.info.cargo } : {}) };
  if (!p.info.cargo || p.info.cargo.actix) return own;
  const libName = async (): Promise<string | undefined> => {
    const text = p.info.cargoPath ? await fs.readFile(p.info.cargoPath) : undefined;
    const lib = text ? (parseToml(text) as { lib?: { name?: unknown } }).lib : undefined;
    return typeof lib?.name === 'string' ? lib.name : undefined;
  };
  for (const toml of await fs.listFiles('', ['Cargo.toml'])) {
    const dir = posix.dirname(toml) === '.' ? '' : posix.dirname(toml);
    if (posix.basename(toml) !== 'Cargo.toml' || dir === dieselDir || toml.split('/').length > 3) continue;
    const text = await fs.readFile(toml);
    if (text === undefined) continue;
    let doc: { dependencies?: Record<string, unknown> };
    try {
      doc = parseToml(text) as typeof doc;
    } catch {
      continue;
    }
    const deps = doc.dependencies ?? {};
    if (!('actix-web' in deps)) continue;
    for (const [key, spec] of Object.entries(deps)) {
      const path = spec && typeof spec === 'object' ? (spec as { path?: unknown; package?: unknown }) : undefined;
      if (typeof path?.path !== 'string' || posix.normalize(posix.join(dir, path.path)) !== (dieselDir || '.')) continue;
      const name = (path.package === undefined ? await libName() : undefined) ?? key;
      return { crateDir: dir, deps: [{ dir: dieselDir, name: name.replace(/-/g, '_') }], cargo: readCargo(text, { file: toml }) };
    }
  }
  return own;
}

export async function openActixProject(fs: ProjectFs): Promise<ActixProject> {
  const p = await openProject(fs);
  const { crateDir, deps, cargo } = await actixCrateOf(fs, p);
  const moduleOf = (file: string): string | undefined => {
    const dep = deps.find((d) => file.startsWith(d.dir ? `${d.dir}/` : ''));
    return dep && !(crateDir === '' || file.startsWith(`${crateDir}/`)) ? moduleOfFile(file, dep.dir, dep.name) : moduleOfFile(file, crateDir);
  };
  const actix = await loadActix(fs, { crateDir, deps });
  const types: ActixProject['types'] = new Map();
  for (const f of actix.rust) {
    const module = f.file ? moduleOf(f.file) : undefined;
    if (!module) continue;
    for (const s of f.structs) if (!types.has(s.name)) types.set(s.name, { module, kind: 'struct', derives: s.derives });
    for (const e of f.enums) if (!types.has(e.name)) types.set(e.name, { module, kind: 'enum', derives: e.derives });
  }
  for (const a of actix.typeAliases) if (a.module && !types.has(a.name)) types.set(a.name, { module: a.module, kind: 'alias', derives: [] });
  const error = pickErrorType(actix);
  const pool = actix.pool;
  const fns = await indexProjectFns(fs, actix, moduleOf);
  const aliases = new Map<string, string>();
  for (const a of actix.typeAliases) if (!aliases.has(a.name)) aliases.set(a.name, a.type);
  const structs: IndexEnv['structs'] = new Map(actix.rust.flatMap((f) => f.structs.map((s) => [s.name, s] as const)).reverse());
  const env: IndexEnv = { aliases, structs };
  const accesses = dataAccesses(actix, { ...env, fns });
  return {
    p,
    crateDir,
    deps,
    moduleOf,
    actix,
    ...(error ? { error } : {}),
    ...(pool ? { pool } : {}),
    asyncDb: pool ? pool.async : p.style.async,
    ...(cargo?.actixVersion ? { actixVersion: cargo.actixVersion } : {}),
    types,
    fns,
    accesses,
    env,
  };
}

/** The error type most handlers return, else the first `ResponseError` type. */
function pickErrorType(actix: ActixInfo): ActixErrorType | undefined {
  const counts = new Map<string, number>();
  for (const h of actix.handlers) {
    const e = /Result<[^,]+,\s*([\w:]+)>$/.exec(h.returnType ?? '')?.[1]?.split('::').pop();
    if (e) counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  const ranked = [...actix.errorTypes].sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0));
  return ranked[0];
}

/** Functions of `impl Struct` blocks anywhere in the crate (the model file or any other). */
export function structFunctions(ap: ActixProject, struct: string): FnSig[] {
  return ap.actix.rust.flatMap((f) => f.impls.filter((i) => i.typeName.replace(/<[\s\S]*$/, '') === struct).flatMap((i) => i.functions));
}

/** The model struct named `name`, if the project has one. */
export function findModelStruct(ap: ActixProject, name: string): StructRef | undefined {
  return ap.p.info.findStruct(name);
}

/** Handlers defined in `file`. */
export const handlersIn = (ap: ActixProject, file: string): ActixHandler[] => ap.actix.handlers.filter((h) => h.file === file);

/** Folder that holds handler modules (`src/handlers`), judged from where handlers live. */
export function handlerDirs(ap: ActixProject): string[] {
  const counts = new Map<string, number>();
  for (const h of ap.actix.handlers) {
    const base = posix.basename(h.file);
    if (base === 'main.rs' || base === 'lib.rs') continue;
    const dir = base === 'mod.rs' ? posix.dirname(posix.dirname(h.file)) : posix.dirname(h.file);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
}

/** Parses `actix-web = "4.9.1"`-style requirements: [major, minor], undefined when unreadable. */
export function versionOf(req: string | undefined): [number, number] | undefined {
  const m = /(\d+)(?:\.(\d+))?/.exec(req ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

