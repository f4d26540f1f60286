import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { qualifiedName, type DieselFn } from '../../src/rust/dieselFns';
import type { ActixProject } from './project';
import { accessFor, type DataAccess } from './dataAccess';

/**
 * How a handler calls one indexed Diesel function: the name it writes (`db_actions::find_vehicle`,
 * `Customer::find`, `db.get_patient`), what it passes for the connection or pool, the import the
 * call needs, and which registered data gives it the database.
 */

export interface HandlerCall {
  /** What the handler writes before the arguments. */
  callee: string;
  /** Arguments for the connection/pool parameter, by position. */
  connArgs: Map<number, string>;
  /** `db_actions::find_vehicle`, for messages. */
  label: string;
  /** `use` paths the handler file needs for the call. */
  uses: string[];
}

export function handlerCall(f: DieselFn, access: DataAccess | undefined, handlerModule: string | undefined): HandlerCall {
  const connArgs = new Map<number, string>();
  const poolExpr = access?.poolExpr ?? 'pool';
  if (f.conn.kind === 'param') connArgs.set(f.conn.index, f.conn.type.startsWith('&mut') ? '&mut conn' : f.conn.type.startsWith('&') ? '&conn' : 'conn');
  if (f.conn.kind === 'pool-param') connArgs.set(f.conn.index, f.conn.type.startsWith('&') ? `&${poolExpr}` : `${poolExpr}.clone()`);
  const label = qualifiedName(f);
  if (f.conn.kind === 'self') return { callee: `${access?.param ?? 'db'}.${f.name}`, connArgs, label, uses: [] };
  if (f.owner) return { callee: `${f.owner}::${f.name}`, connArgs, label, uses: [] };
  if (!f.module || f.module === handlerModule) return { callee: f.name, connArgs, label, uses: [] };
  if (f.module === 'crate') return { callee: `crate::${f.name}`, connArgs, label, uses: [] };
  const last = f.module.split('::').pop()!;
  return { callee: `${last}::${f.name}`, connArgs, label, uses: [f.module] };
}

/** The registered data a handler for `f` takes, or why there is none it could use. */
export function handlerWays(ap: ActixProject, f: DieselFn): { access?: DataAccess } | Diagnostic {
  const access = accessFor(f, ap.accesses);
  if (f.conn.kind === 'self') {
    if (access) return { access };
    const known = ap.accesses.map((a) => `\`web::Data<${a.dataType}>\``).join(', ');
    return diag(
      'error',
      'unregistered-repo',
      `\`${qualifiedName(f)}\` is a method of \`${f.owner}\`, but the app registers no \`web::Data<${f.owner}>\`${known ? ` (it registers ${known})` : ''}: register one with \`.app_data(web::Data::new(…))\` first.`,
    );
  }
  if (f.receiver) return diag('error', 'method-not-supported', `\`${qualifiedName(f)}\` takes \`${f.receiver}\` and a connection; a handler can only call functions that take the connection, or methods of registered data.`);
  if (access || f.conn.kind === 'own') return access ? { access } : {};
  // Nothing registered that we could read: the pool alias, as handlers usually name it.
  const name = ap.pool?.name ?? 'DbPool';
  return { access: { kind: 'pool', dataType: name, extractor: `web::Data<${name}>`, param: 'pool', poolExpr: 'pool' } };
}

export interface ExtraExtractor {
  pattern: string;
  type: string;
  /** How many handlers of the file (or the project) take it. */
  uses: number;
}

const STANDARD = new Set(['path', 'json', 'query', 'form', 'data', 'payload', 'bytes', 'string']);

/** Extractors beyond path/json/query/data that the handlers next to the new one take: session guards, auth users, `HttpRequest`. */
export function neighbourExtractors(ap: ActixProject, file: string): ExtraExtractor[] {
  const local = ap.actix.handlers.filter((h) => h.file === file);
  const pool = local.length ? local : ap.actix.handlers;
  const out = new Map<string, ExtraExtractor>();
  for (const h of pool) {
    for (const e of h.extractors) {
      if (STANDARD.has(e.kind)) continue;
      const key = e.type.replace(/\s+/g, '');
      const cur = out.get(key);
      if (cur) cur.uses++;
      else out.set(key, { pattern: e.pattern, type: e.type, uses: 1 });
    }
  }
  return [...out.values()].sort((a, b) => b.uses - a.uses);
}

/** Type names any handler of the project takes as an extractor: a new handler may take them too. */
export function extractorTypeNames(ap: ActixProject): Set<string> {
  const out = new Set<string>();
  for (const h of ap.actix.handlers) for (const e of h.extractors) for (const m of e.type.matchAll(/[A-Z]\w*/g)) out.add(m[0]);
  return out;
}
