import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { parseRustFile } from '../../src/rust';
import type { Table } from '../../src/rust';
import type { ProjectStyle } from './style';
import { tableModulePath } from './style';

/**
 * Imports are never taken from a model answer as written: tiny models import the wrong backend
 * (`diesel::sqlite::*` in a Postgres project), modules that do not exist, or nothing at all. The
 * imports a generated item needs are computed from what its code uses, answer imports are kept
 * only when they name something real and used, and all of it is deduplicated against the file.
 */

/** Every path a `use` argument imports: `a::{b, c as d}` → `a::b`, `a::c as d`. */
export function expandUse(arg: string): string[] {
  const text = arg.trim().replace(/^pub(?:\([^)]*\))?\s+/, '').replace(/^use\s+/, '').replace(/;\s*$/, '');
  const info = parseRustFile(`use ${text};`);
  const items = info.uses[0]?.items;
  return items && items.length && !info.diagnostics.length ? items : [text.replace(/\s+/g, '')];
}

/** The name a use path binds: `a::B` → `B`, `a::b as c` → `c`; undefined for globs. */
export function boundName(path: string): string | undefined {
  const alias = / as (\w+)$/.exec(path);
  if (alias) return alias[1];
  if (path.endsWith('*')) return undefined;
  const parts = path.split('::');
  const last = parts[parts.length - 1]!;
  return last === 'self' ? parts[parts.length - 2] : last;
}

export type Coverage = 'covered' | 'conflict' | 'missing';

/**
 * Whether `path` is already imported by a file whose `use` items are `existing` (expanded):
 * the same path, a glob of its parent (`diesel::prelude::*`), or — a conflict — another import
 * that binds the same name.
 */
export function useCoverage(path: string, existing: readonly string[]): Coverage {
  const clean = (p: string): string => p.replace(/\s+as\s+/, ' as ').replace(/::self$/, '');
  const target = clean(path.trim());
  if (existing.some((e) => clean(e) === target)) return 'covered';
  if (!target.endsWith('*')) {
    const parent = target.replace(/ as \w+$/, '').split('::').slice(0, -1).join('::');
    if (parent && existing.some((e) => e === `${parent}::*`)) return 'covered';
    const name = boundName(target);
    if (name && existing.some((e) => boundName(clean(e)) === name)) return 'conflict';
  }
  return 'missing';
}

/** Names every Diesel 2 prelude brings in that answers commonly import one by one. */
const PRELUDE_NAMES = new Set([
  'QueryDsl',
  'RunQueryDsl',
  'ExpressionMethods',
  'TextExpressionMethods',
  'BoolExpressionMethods',
  'NullableExpressionMethods',
  'PgTextExpressionMethods',
  'OptionalExtension',
  'QueryResult',
  'Connection',
  'Queryable',
  'Selectable',
  'SelectableHelper',
  'Insertable',
  'AsChangeset',
  'Identifiable',
  'Associations',
  'BelongingToDsl',
  'GroupedBy',
  'JoinOnDsl',
  'Table',
  'PgConnection',
  'SqliteConnection',
  'MysqlConnection',
  'AsExpression',
  'Expression',
]);

const BACKEND_MODULE: Record<string, string> = { pg: 'pg', mysql: 'mysql', sqlite: 'sqlite' };
const DSL_FUNCTIONS = ['count_star', 'count', 'exists', 'now', 'sum', 'max', 'min', 'avg', 'not', 'sql', 'count_distinct', 'today'];
const ROOT_FUNCTIONS = ['insert_into', 'update', 'delete', 'select', 'replace_into', 'insert_or_ignore_into'];
const EXTERNAL_TYPES: Record<string, { crate: string; path: string }> = {
  NaiveDateTime: { crate: 'chrono', path: 'chrono::NaiveDateTime' },
  NaiveDate: { crate: 'chrono', path: 'chrono::NaiveDate' },
  NaiveTime: { crate: 'chrono', path: 'chrono::NaiveTime' },
  DateTime: { crate: 'chrono', path: 'chrono::DateTime' },
  Utc: { crate: 'chrono', path: 'chrono::Utc' },
  PrimitiveDateTime: { crate: 'time', path: 'time::PrimitiveDateTime' },
  OffsetDateTime: { crate: 'time', path: 'time::OffsetDateTime' },
  Uuid: { crate: 'uuid', path: 'uuid::Uuid' },
  BigDecimal: { crate: 'bigdecimal', path: 'bigdecimal::BigDecimal' },
  Serialize: { crate: 'serde', path: 'serde::Serialize' },
  Deserialize: { crate: 'serde', path: 'serde::Deserialize' },
};
const STD_ROOTS = new Set(['std', 'core', 'alloc']);

export interface ImportEnv {
  style: ProjectStyle;
  tables: readonly Table[];
  /** Structs and enums of the project outside the target module: name → module path. */
  projectTypes: ReadonlyMap<string, string>;
  /** Modules that exist in the crate (`crate::models::orders`, …). */
  modules: ReadonlySet<string>;
  /** Names the target file itself defines (its structs, enums, type aliases, fns). */
  localNames: ReadonlySet<string>;
  /** The target file's own file-level `use` paths, expanded (`crate::schema`, `diesel::QueryDsl`). */
  fileUses?: readonly string[];
}

export interface ImportPlan {
  /** Paths to import at file level, in a stable order. */
  uses: string[];
  /** `use` declarations to put inside the function body (`…::dsl::*` globs). */
  bodyUses: string[];
  diagnostics: Diagnostic[];
}

/** Code with comments and string literals blanked, so name scans do not see text. */
export function codeOnly(code: string): string {
  // One left-to-right pass: `//` inside a string ("http://…") is not a comment, `"` inside a comment not a string.
  return code.replace(/"(?:\\.|[^"\\])*"|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith('"') ? '""' : ''));
}

/** Identifiers used in code, by kind. */
function usedNames(code: string): { types: Set<string>; tablePrefixes: Set<string>; bareCalls: Set<string>; words: Set<string> } {
  const c = codeOnly(code);
  const types = new Set<string>();
  for (const m of c.matchAll(/(?<![:\w])([A-Z][A-Za-z0-9_]*)\b/g)) types.add(m[1]!);
  const tablePrefixes = new Set<string>();
  for (const m of c.matchAll(/(?<![:\w])((?:r#)?[a-z_][a-z0-9_]*)::(?:r#)?[A-Za-z_]\w*/g)) tablePrefixes.add(m[1]!);
  const bareCalls = new Set<string>();
  for (const m of c.matchAll(/(?<![.:\w])([a-z_]\w*)\s*(?:::<[^>]*>)?\s*\(/g)) bareCalls.add(m[1]!);
  const words = new Set<string>();
  for (const m of c.matchAll(/\b[A-Za-z_]\w*\b/g)) words.add(m[0]);
  return { types, tablePrefixes, bareCalls, words };
}

const isDslGlob = (path: string, tables: readonly Table[]): string | undefined => {
  const m = /(?:^|::)((?:r#)?\w+)::dsl::(?:\*|\{.*\}|\w+)$/.exec(path);
  return m && tables.some((t) => t.name === m[1]) ? m[1] : undefined;
};

/** Whether a use path from an answer names something that exists and is allowed in this project. */
function judgeAnswerUse(path: string, env: ImportEnv, used: Set<string>): { keep: boolean; why?: string } {
  const root = path.split('::')[0]!;
  const name = boundName(path);
  if (path.endsWith('*')) {
    if (path === 'diesel::prelude::*') return { keep: false };
    return { keep: false, why: `glob import \`${path}\`` };
  }
  const seg = path.split('::');
  if (root === 'diesel' && seg[1] && ['pg', 'mysql', 'sqlite'].includes(seg[1]) && seg[1] !== BACKEND_MODULE[env.style.backend]) {
    return { keep: false, why: `\`${path}\` belongs to another backend (this project uses ${env.style.backendName})` };
  }
  if (name && !used.has(name)) return { keep: false };
  if (root === 'diesel') {
    if (name && PRELUDE_NAMES.has(name)) return { keep: false };
    const ok = ['dsl', 'result', 'sql_types', 'pg', 'mysql', 'sqlite', 'expression', 'query_builder', 'upsert', 'associations', 'sql_query', 'deserialize', 'serialize'];
    if (seg.length === 2 && ROOT_FUNCTIONS.includes(seg[1]!.replace(/ as \w+$/, ''))) return { keep: true };
    if (seg[1] && ok.includes(seg[1])) return { keep: true };
    return { keep: false, why: `\`${path}\` is not a Diesel module nocodo knows` };
  }
  if (root === 'diesel_async') return { keep: env.style.async && env.style.deps.has('diesel_async'), ...(env.style.async ? {} : { why: `\`${path}\`: the project does not use diesel-async` }) };
  if (STD_ROOTS.has(root)) return { keep: true };
  if (root === 'crate') {
    const parent = path.replace(/ as \w+$/, '').split('::').slice(0, -1).join('::');
    if (env.modules.has(parent) || env.modules.has(path)) return { keep: true };
    return { keep: false, why: `\`${path}\`: no such module in this crate` };
  }
  if (root === 'self' || root === 'super') return { keep: false, why: `relative import \`${path}\`` };
  if (env.style.deps.has(root)) return { keep: true };
  return { keep: false, why: `\`${path}\`: crate \`${root}\` is not a dependency in Cargo.toml` };
}

/**
 * Imports the generated code needs: Diesel's prelude (and diesel-async's RunQueryDsl), the schema
 * modules of the tables it names, project types from other modules, chrono/uuid types, bare
 * Diesel functions; plus the answer's own imports that are real and used.
 */
export function planImports(code: string, answerUses: readonly string[], env: ImportEnv): ImportPlan {
  const diagnostics: Diagnostic[] = [];
  const { types, tablePrefixes, bareCalls, words } = usedNames(code);
  const out: string[] = ['diesel::prelude::*'];
  if (env.style.async) out.push('diesel_async::RunQueryDsl');
  const bodyUses: string[] = [];

  for (const t of env.tables) if (tablePrefixes.has(t.name)) out.push(tableModulePath(env.style, t));
  for (const ty of [...types].sort()) {
    if (env.localNames.has(ty)) continue;
    const mod = env.projectTypes.get(ty);
    if (mod) out.push(`${mod}::${ty}`);
    else {
      const ext = EXTERNAL_TYPES[ty];
      if (ext && env.style.deps.has(ext.crate)) out.push(ext.path);
    }
  }
  for (const f of DSL_FUNCTIONS) if (bareCalls.has(f) && !env.localNames.has(f)) out.push(`diesel::dsl::${f}`);
  for (const f of ROOT_FUNCTIONS) if (bareCalls.has(f) && !env.localNames.has(f)) out.push(`diesel::${f}`);

  const dropped: string[] = [];
  for (const raw of answerUses) {
    for (const path of expandUse(raw)) {
      if (isDslGlob(path, env.tables)) {
        const decl = `use ${path.startsWith('crate::') ? path : `${env.style.schemaModule}::${path.replace(/^(?:crate::)?schema::/, '')}`};`;
        if (!bodyUses.includes(decl)) bodyUses.push(decl);
        continue;
      }
      const name = boundName(path);
      if (name && out.some((o) => boundName(o) === name)) continue;
      const verdict = judgeAnswerUse(path, env, words);
      if (verdict.keep) out.push(path);
      else if (verdict.why) dropped.push(verdict.why);
    }
  }
  if (dropped.length) diagnostics.push(diag('info', 'dropped-imports', `Dropped imports from the answer: ${dropped.join('; ')}.`));
  return { uses: [...new Set(out)], bodyUses, diagnostics };
}

/** Puts `use` declarations at the top of a function's body (for `dsl::*` globs, kept local on purpose). */
export function addBodyUses(fnCode: string, bodyUses: readonly string[]): string {
  if (!bodyUses.length) return fnCode;
  const missing = bodyUses.filter((u) => !fnCode.includes(u));
  if (!missing.length) return fnCode;
  // The body's `{` is the first one after the parameter list closes.
  let depth = 0;
  let seenParams = false;
  for (let i = 0; i < fnCode.length; i++) {
    const c = fnCode[i];
    if (c === '(') {
      depth++;
      seenParams = true;
    } else if (c === ')') depth--;
    else if (c === '{' && depth === 0 && seenParams) {
      return `${fnCode.slice(0, i + 1)}\n    ${missing.join('\n    ')}${fnCode.slice(i + 1)}`;
    }
  }
  return fnCode;
}
