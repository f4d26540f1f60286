import { unwrapOnce } from '../../src/rust/actixData';
import { isPoolType, poolField, type DieselFn, type IndexEnv } from '../../src/rust/dieselFns';
import type { ActixInfo, ModelStruct } from '../../src/rust';

/**
 * How handlers reach the database in this app, read from what the app registers
 * (`.app_data(web::Data::new(x))`) rather than assumed: a pool (`web::Data<DbPool>`), an app
 * state holding one (`web::Data<Arc<AppState>>` → `state.pool.get()`), or a repository whose
 * methods take their own connection (`web::Data<Database>` → `db.get_user(id)`). A handler that
 * takes a `web::Data<T>` the app never registers compiles but answers 500 at run time.
 */

export interface DataAccess {
  kind: 'pool' | 'state' | 'repo';
  /** The registered type as written where it is registered: `Arc<AppState>`, `DbPool`, `Database`. */
  dataType: string;
  /** The extractor: `web::Data<Arc<AppState>>`. */
  extractor: string;
  /** The parameter name the project's handlers give it (`state`), else a default. */
  param: string;
  /** The pool as an expression of the parameter: `state.pool`, `pool` (pools and states). */
  poolExpr?: string;
  /** The struct behind it (`AppState`, `Database`). */
  struct?: string;
  /** Where it is registered; undefined when only handlers show it. */
  registeredAt?: { file: string; line: number };
}

/** Type text for comparisons: no spaces, no lower-case module paths (`std::sync::Arc<crate::AppState>` → `Arc<AppState>`). */
export const typeKey = (t: string): string => t.replace(/\s+/g, '').replace(/\b(?:[a-z_]\w*::)+/g, '').replace(/^&/, '');

/** `Arc<Arc<T>>` → `T`. */
function baseOf(t: string): string {
  let cur = typeKey(t);
  for (let i = 0; i < 4; i++) {
    const inner = unwrapOnce(cur, 'Arc') ?? unwrapOnce(cur, 'Data');
    if (!inner) break;
    cur = inner;
  }
  return cur.replace(/<[\s\S]*$/, '');
}

export interface AccessEnv extends IndexEnv {
  fns: readonly DieselFn[];
}

function classify(type: string, env: AccessEnv, handlerParams: ReadonlyMap<string, Map<string, number>>, at?: { file: string; line: number }): DataAccess | undefined {
  const base = baseOf(type);
  const key = typeKey(type);
  const seen = handlerParams.get(key);
  const used = seen ? [...seen.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] : undefined;
  const common = { dataType: type, extractor: `web::Data<${type}>`, ...(at ? { registeredAt: at } : {}) };
  if (isPoolType(base, env) || isPoolType(type, env)) {
    const param = used ?? 'pool';
    return { kind: 'pool', ...common, param, poolExpr: param };
  }
  const s: ModelStruct | undefined = env.structs.get(base);
  if (!s) return undefined;
  const hasSelfFns = env.fns.some((f) => f.owner === base && f.conn.kind === 'self');
  const field = poolField(s, env);
  const fieldVisible = field !== undefined && s.fields.find((f) => f.name === field)?.visibility !== undefined;
  if (hasSelfFns) {
    const param = used ?? (base === 'Database' || /Repo|Db|Store/.test(base) ? 'db' : snake(base));
    return { kind: 'repo', ...common, param, struct: base, ...(fieldVisible ? { poolExpr: `${param}.${field}` } : {}) };
  }
  if (fieldVisible) {
    const param = used ?? 'state';
    return { kind: 'state', ...common, param, struct: base, poolExpr: `${param}.${field}` };
  }
  return undefined;
}

const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** Every way into the database the app offers, registered ones first. */
export function dataAccesses(actix: Pick<ActixInfo, 'appData' | 'handlers'>, env: AccessEnv): DataAccess[] {
  const handlerParams = new Map<string, Map<string, number>>();
  for (const h of actix.handlers) {
    for (const e of h.extractors) {
      if (e.kind !== 'data' || !e.inner) continue;
      const k = typeKey(e.inner);
      const m = handlerParams.get(k) ?? new Map<string, number>();
      const name = e.pattern.replace(/^mut\s+/, '');
      m.set(name, (m.get(name) ?? 0) + 1);
      handlerParams.set(k, m);
    }
  }
  const out: DataAccess[] = [];
  const add = (a: DataAccess | undefined): void => {
    if (a && !out.some((o) => typeKey(o.dataType) === typeKey(a.dataType))) out.push(a);
  };
  for (const r of actix.appData) if (r.data && r.type) add(classify(r.type, env, handlerParams, { file: r.file, line: r.line }));
  // Handlers may show what registration code we could not read (a builder in another crate);
  // when every registration was read, a type only handlers take is a bug of theirs, not a way in.
  if (registrationsKnown(actix)) return out;
  const byUse = [...handlerParams.entries()].sort((a, b) => [...b[1].values()].reduce((x, y) => x + y, 0) - [...a[1].values()].reduce((x, y) => x + y, 0));
  for (const [k] of byUse) {
    const written = actix.handlers.flatMap((h) => h.extractors).find((e) => e.kind === 'data' && e.inner && typeKey(e.inner) === k)?.inner ?? k;
    add(classify(written, env, handlerParams));
  }
  return out;
}

/** Every registered `web::Data` type could be read: only then can a handler's extractor be called unregistered. */
export const registrationsKnown = (actix: Pick<ActixInfo, 'appData'>): boolean => actix.appData.length > 0 && actix.appData.every((r) => !r.data || r.type !== undefined);

/** Whether `web::Data<inner>` names a registered type (aliases and paths aside). */
export function isRegistered(inner: string, actix: Pick<ActixInfo, 'appData'>, env: IndexEnv): boolean {
  const k = typeKey(inner);
  return actix.appData.some((r) => {
    if (!r.data || !r.type) return false;
    const rk = typeKey(r.type);
    if (rk === k) return true;
    // `DbPool` registered as `Pool` (read from `Pool::builder()…build()`), or the other way round.
    const a = expandKey(k, env);
    const b = expandKey(rk, env);
    // The registration may be read without its generics (`Pool::builder()…build()` → `Pool`).
    return a === b || (!b.includes('<') && a.replace(/<[\s\S]*$/, '') === b);
  });
}

function expandKey(k: string, env: IndexEnv): string {
  let t = k;
  for (let i = 0; i < 4; i++) {
    const def = env.aliases.get(t.replace(/<[\s\S]*$/, ''));
    if (!def) break;
    t = typeKey(def);
  }
  return t;
}

/** The access a call of `fn` needs: its repository for a method, else the pool (or the state holding it). */
export function accessFor(fn: DieselFn, accesses: readonly DataAccess[]): DataAccess | undefined {
  if (fn.conn.kind === 'self') return accesses.find((a) => a.kind === 'repo' && a.struct === fn.owner);
  if (fn.conn.kind === 'own') return undefined;
  return accesses.find((a) => a.poolExpr !== undefined && a.kind !== 'repo') ?? accesses.find((a) => a.poolExpr !== undefined);
}
