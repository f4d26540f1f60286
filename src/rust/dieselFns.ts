import type { FnParam, FnSig, ModelStruct, RustFileInfo } from './types';

/**
 * An index of every function of a crate that talks to the database through Diesel, wherever it
 * lives: free functions in a query module (`db_actions::find_user(conn, id)`), associated
 * functions and methods of any type in any file (`impl User` away from the struct, a repository
 * `impl Database { fn get_user(&self, …) }` holding the pool), and trait impls. For each it says
 * how the function gets a connection, which decides how a handler calls it.
 */

/** How a Diesel function reaches the database. */
export type ConnAccess =
  /** Takes a connection: `conn: &mut PgConnection` (the caller passes `&mut conn`). */
  | { kind: 'param'; index: number; pattern: string; type: string }
  /** Takes the pool: `pool: &DbPool` (the caller passes its pool). */
  | { kind: 'pool-param'; index: number; pattern: string; type: string }
  /** A method of a value that holds the pool (`&self` → `self.pool.get()`); the caller needs that value. */
  | { kind: 'self' }
  /** Gets a connection by itself (`establish_connection()`); the caller passes none. */
  | { kind: 'own' };

export interface DieselFn {
  name: string;
  /** The type of the `impl` block, undefined for a free function. */
  owner?: string;
  /** The trait of a trait impl. */
  trait?: string;
  /** Module path: `crate::db_actions`, `app::domains::users` in another workspace crate. */
  module?: string;
  file: string;
  /** 1-based line of the function. */
  line: number;
  signature: string;
  /** `&self`, `&mut self`, `self` for methods. */
  receiver?: string;
  /** Parameters after the receiver. */
  params: FnParam[];
  returnType?: string;
  isAsync: boolean;
  conn: ConnAccess;
  sig: FnSig;
}

export interface IndexSource {
  info: RustFileInfo;
  text: string;
  module?: string;
}

export interface IndexEnv {
  /** Type aliases of the crate by name → definition (`DbPool` → `Pool<ConnectionManager<PgConnection>>`). */
  aliases: ReadonlyMap<string, string>;
  /** Structs of the crate by name (to see which hold a pool). */
  structs: ReadonlyMap<string, ModelStruct>;
}

const CONN_TYPE = /\b(?:\w*Connection|PooledConnection|DbConn|Conn)\b/;
const POOL_TYPE = /\bPool\b|\bPool\s*</;
/** Body text that only Diesel code has. */
const DIESEL_BODY =
  /\.(?:load|get_result|get_results|first|execute|optional|get_result_async)\s*(?:::<[^>]*>)?\s*\(|\bdiesel::|\b\w+::table\b|\binsert_into\s*\(|\bsql_query\s*\(|\.filter\s*\(|\.transaction\s*(?:::<[^>]*>)?\s*\(/;
const OWN_CONN = /\bestablish_connection\s*\(|\.get\s*\(\s*\)|\bPgConnection::establish|\bConnection::establish/;

const lastName = (t: string): string => t.replace(/<[\s\S]*$/, '').replace(/^&\s*(?:'\w+\s+)?(?:mut\s+)?/, '').split('::').pop() ?? t;

/** A type, through the crate's aliases (one level at a time, bounded). */
function expand(type: string, env: IndexEnv): string {
  let t = type;
  for (let i = 0; i < 4; i++) {
    const def = env.aliases.get(lastName(t));
    if (!def) break;
    t = def;
  }
  return t;
}

export const isConnType = (type: string, env: IndexEnv): boolean => CONN_TYPE.test(type) || CONN_TYPE.test(expand(type, env));
export const isPoolType = (type: string, env: IndexEnv): boolean => !isConnType(type, env) && (POOL_TYPE.test(type) || POOL_TYPE.test(expand(type, env)));

/** A struct field holding a pool (`pool: DbPool`), when the struct has one. */
export function poolField(s: ModelStruct | undefined, env: IndexEnv): string | undefined {
  return s?.fields.find((f) => isPoolType(f.type, env) || isConnType(f.type, env))?.name;
}

function connAccess(fn: FnSig, owner: string | undefined, body: string, env: IndexEnv): ConnAccess | undefined {
  for (const [index, p] of fn.params.entries()) {
    // A handler's `web::Data<DbPool>` is an extractor, not a query function's connection.
    if (/\bweb::|\bData</.test(p.type)) return undefined;
    if (isConnType(p.type, env) || (/^(?:mut\s+)?conn(?:ection)?$/.test(p.pattern) && p.type.startsWith('&'))) return { kind: 'param', index, pattern: p.pattern.replace(/^mut\s+/, ''), type: p.type };
    if (isPoolType(p.type, env)) return { kind: 'pool-param', index, pattern: p.pattern.replace(/^mut\s+/, ''), type: p.type };
  }
  if (!DIESEL_BODY.test(body)) return undefined;
  if (fn.selfParam && owner && (poolField(env.structs.get(owner), env) || /\bself\.\w+\.get\s*\(/.test(body))) return { kind: 'self' };
  if (OWN_CONN.test(body)) return { kind: 'own' };
  return undefined;
}

/** Every Diesel-using function of the given files. */
export function indexDieselFns(sources: readonly IndexSource[], env: IndexEnv): DieselFn[] {
  const out: DieselFn[] = [];
  const add = (src: IndexSource, fn: FnSig, owner?: string, trait?: string): void => {
    if (!fn.hasBody || !fn.name) return;
    // Route handlers and test functions are not query functions.
    if (fn.attributes?.some((a) => /^(?:(?:actix_web::)?(?:get|post|put|patch|delete|head|route)\s*\(|test\b|tokio::test|actix_web::test|actix_rt::test)/.test(a))) return;
    const body = src.text.slice(fn.span.startIndex ?? fn.span.startByte, fn.span.endIndex ?? fn.span.endByte);
    const conn = connAccess(fn, owner, body, env);
    if (!conn) return;
    out.push({
      name: fn.name,
      ...(owner ? { owner } : {}),
      ...(trait ? { trait } : {}),
      ...(src.module ? { module: src.module } : {}),
      file: src.info.file ?? '',
      line: fn.span.startLine,
      signature: fn.signature,
      ...(fn.selfParam ? { receiver: fn.selfParam } : {}),
      params: fn.params,
      ...(fn.returnType ? { returnType: fn.returnType } : {}),
      isAsync: fn.isAsync,
      conn,
      sig: fn,
    });
  };
  for (const src of sources) {
    for (const fn of src.info.functions) add(src, fn);
    for (const impl of src.info.impls) for (const fn of impl.functions) add(src, fn, lastName(impl.typeName), impl.trait);
  }
  return out;
}

/** How the function is named in messages and pickers: `Database::get_user`, `db_actions::find_user`. */
export function qualifiedName(f: Pick<DieselFn, 'name' | 'owner' | 'module'>): string {
  if (f.owner) return `${f.owner}::${f.name}`;
  const mod = f.module?.split('::').pop();
  return mod && mod !== 'crate' ? `${mod}::${f.name}` : f.name;
}

/** Model struct a function serves: its owner when that is a model, else the struct its return type names. */
export function servedStruct(f: DieselFn, isModel: (name: string) => boolean): string | undefined {
  if (f.owner && isModel(f.owner)) return f.owner;
  const names = [...(f.returnType ?? '').matchAll(/[A-Z]\w*/g)].map((m) => m[0]).filter((n) => !/^(?:Result|QueryResult|Option|Vec|Box|DbError|Error|Self)$/.test(n));
  const hit = names.find(isModel);
  if (hit) return hit;
  // `-> Result<usize, …>`: a parameter of a model type (`&NewOrder`) or nothing.
  for (const p of f.params) {
    const n = lastName(p.type);
    if (isModel(n)) return n;
  }
  return undefined;
}

export type FnLookup = { fn: DieselFn } | { candidates: DieselFn[] } | { none: true };

/**
 * The function `--function` names: a bare name, `module::fn` (any tail of the module path) or
 * `Type::method`. Several candidates are narrowed by `struct` (owner, then the struct served).
 */
export function findDieselFn(index: readonly DieselFn[], wanted: string, opts: { struct?: string; isModel?: (n: string) => boolean } = {}): FnLookup {
  const segs = wanted.trim().replace(/\(.*$/s, '').replace(/^(?:crate|self)::/, '').split('::').filter(Boolean);
  const name = segs.pop();
  if (!name) return { none: true };
  const qual = segs.join('::');
  let cands = index.filter((f) => f.name === name);
  if (qual) {
    cands = cands.filter((f) => f.owner === segs[segs.length - 1] || (f.module !== undefined && (f.module === qual || f.module.endsWith(`::${qual}`))));
  }
  if (cands.length > 1 && opts.struct) {
    const owned = cands.filter((f) => f.owner === opts.struct);
    const served = opts.isModel ? cands.filter((f) => servedStruct(f, opts.isModel!) === opts.struct) : [];
    if (owned.length === 1) cands = owned;
    else if (served.length === 1) cands = served;
  }
  if (cands.length === 1) return { fn: cands[0]! };
  if (cands.length > 1) return { candidates: cands };
  return { none: true };
}
