import { posix } from 'node:path';
import type { ProjectFs } from '../../src/core/projectFs';
import { loadActix, moduleOfFile, type ActixErrorType, type ActixHandler, type ActixInfo, type ActixPool, type FnSig, type StructRef } from '../../src/rust';
import type { DieselFn, IndexEnv } from '../../src/rust/dieselFns';
import { openProject, type ModeProject } from '../diesel-common/project';
import { dataAccesses, type DataAccess } from './dataAccess';
import { indexProjectFns } from './modelFns';

/**
 * A project as the Actix modes see it: the Diesel side (schema, models, style) plus the Actix
 * side (routes, handlers, configure functions, middleware, pool, error type) read from every file.
 */
export interface ActixProject {
  p: ModeProject;
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

export async function openActixProject(fs: ProjectFs): Promise<ActixProject> {
  const p = await openProject(fs);
  const actix = await loadActix(fs, { crateDir: p.info.crateDir });
  const types: ActixProject['types'] = new Map();
  for (const f of actix.rust) {
    const module = f.file ? moduleOfFile(f.file, p.info.crateDir) : undefined;
    if (!module) continue;
    for (const s of f.structs) if (!types.has(s.name)) types.set(s.name, { module, kind: 'struct', derives: s.derives });
    for (const e of f.enums) if (!types.has(e.name)) types.set(e.name, { module, kind: 'enum', derives: e.derives });
  }
  for (const a of actix.typeAliases) if (a.module && !types.has(a.name)) types.set(a.name, { module: a.module, kind: 'alias', derives: [] });
  const error = pickErrorType(actix);
  const pool = actix.pool;
  const fns = await indexProjectFns(fs, actix, p.info.crateDir);
  const aliases = new Map<string, string>();
  for (const a of actix.typeAliases) if (!aliases.has(a.name)) aliases.set(a.name, a.type);
  const structs: IndexEnv['structs'] = new Map(actix.rust.flatMap((f) => f.structs.map((s) => [s.name, s] as const)).reverse());
  const env: IndexEnv = { aliases, structs };
  const accesses = dataAccesses(actix, { ...env, fns });
  return {
    p,
    actix,
    ...(error ? { error } : {}),
    ...(pool ? { pool } : {}),
    asyncDb: pool ? pool.async : p.style.async,
    ...(p.info.cargo?.actixVersion ? { actixVersion: p.info.cargo.actixVersion } : {}),
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

