import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { Table } from '../../src/rust';
import type { ProjectStyle } from './style';
import { tableModulePath } from './style';
import { boundName, expandUse } from '../../src/rust/uses';
import { EXTERNAL_TYPES } from '../../src/pipeline/rust/externalTypes';

/**
 * Imports are never taken from a model answer as written: tiny models import the wrong backend
 * (`diesel::sqlite::*` in a Postgres project), modules that do not exist, or nothing at all. The
 * imports a generated item needs are computed from what its code uses, answer imports are kept
 * only when they name something real and used, and all of it is deduplicated against the file.
 */

// The `use` path helpers are Rust-level (the edit ops use them too): src/rust/uses.ts.
export { boundName, expandUse, useCoverage, type Coverage } from '../../src/rust/uses';

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
  /**
   * Names other project files import, with the path they use (`DashResult` → `crate::error::DashResult`):
   * the project's own pool, error and result types and constants that existing functions need.
   */
  knownImports?: ReadonlyMap<string, string>;
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

/** Which Diesel trait each method comes from. */
const METHOD_TRAITS: Record<string, string[]> = {
  QueryDsl: ['filter', 'or_filter', 'select', 'order', 'order_by', 'then_order_by', 'limit', 'offset', 'inner_join', 'left_join', 'left_outer_join', 'find', 'count', 'distinct', 'group_by', 'into_boxed', 'single_value'],
  RunQueryDsl: ['load', 'get_result', 'get_results', 'first', 'execute'],
  ExpressionMethods: ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'eq_any', 'ne_all', 'is_null', 'is_not_null', 'desc', 'asc', 'between', 'not_between'],
  TextExpressionMethods: ['like', 'not_like', 'concat'],
  BoolExpressionMethods: ['and', 'or'],
  OptionalExtension: ['optional'],
  SelectableHelper: ['as_select', 'as_returning'],
  JoinOnDsl: ['on'],
  NullableExpressionMethods: ['nullable', 'assume_not_null'],
  Connection: ['transaction'],
};
/** `query_dsl::methods` traits that provide one QueryDsl method each (`FilterDsl` → `.filter`). */
const METHOD_DSL: Record<string, string> = { filter: 'FilterDsl', select: 'SelectDsl', order: 'OrderDsl', limit: 'LimitDsl', offset: 'OffsetDsl', find: 'FindDsl', distinct: 'DistinctDsl', group_by: 'GroupByDsl', into_boxed: 'BoxedDsl' };

/** A file that imports Diesel traits one by one (and not the prelude): adding the prelude there makes `.filter` ambiguous (E0034). */
function traitStyleFile(fileUses: readonly string[]): boolean {
  if (fileUses.includes('diesel::prelude::*')) return false;
  return fileUses.some((u) => u.startsWith('diesel::') && /(?:Dsl|Methods|Extension|Helper)$/.test(u.replace(/ as \w+$/, '')));
}

/** The Diesel traits `code` needs that the file does not import yet, named the way the file does (per-method `*Dsl` traits when it uses them). */
function missingTraits(code: string, env: ImportEnv): string[] {
  const fileUses = env.fileUses ?? [];
  const imported = new Set(fileUses.map((u) => boundName(u)).filter((n): n is string => !!n));
  const perMethod = fileUses.some((u) => /::query_dsl::methods::\w+Dsl$/.test(u));
  const called = new Set([...codeOnly(code).matchAll(/\.\s*([a-z_]\w*)\s*(?:::<[^>]*>)?\s*\(/g)].map((m) => m[1]!));
  const out: string[] = [];
  for (const [trait, methods] of Object.entries(METHOD_TRAITS)) {
    const used = methods.filter((m) => called.has(m));
    if (!used.length || imported.has(trait)) continue;
    if (trait === 'RunQueryDsl' && env.style.async) continue;
    if (trait === 'QueryDsl') {
      const rest = used.filter((m) => !(METHOD_DSL[m] && imported.has(METHOD_DSL[m]!)));
      if (!rest.length) continue;
      if (perMethod && rest.every((m) => METHOD_DSL[m])) {
        for (const m of rest) out.push(`diesel::query_dsl::methods::${METHOD_DSL[m]}`);
        continue;
      }
    }
    out.push(`diesel::${trait}`);
  }
  return out;
}

/**
 * Imports the generated code needs: Diesel's prelude (and diesel-async's RunQueryDsl), the schema
 * modules of the tables it names, project types from other modules, chrono/uuid types, bare
 * Diesel functions; plus the answer's own imports that are real and used.
 */
export function planImports(code: string, answerUses: readonly string[], env: ImportEnv): ImportPlan {
  const diagnostics: Diagnostic[] = [];
  const { types, tablePrefixes, bareCalls, words } = usedNames(code);
  const out: string[] = traitStyleFile(env.fileUses ?? []) ? missingTraits(code, env) : ['diesel::prelude::*'];
  if (env.style.async && !out.includes('diesel_async::RunQueryDsl')) out.push('diesel_async::RunQueryDsl');
  const bodyUses: string[] = [];

  for (const t of env.tables) if (tablePrefixes.has(t.name)) out.push(tableModulePath(env.style, t));
  for (const ty of [...types].sort()) {
    if (env.localNames.has(ty)) continue;
    const mod = env.projectTypes.get(ty);
    if (mod) out.push(`${mod}::${ty}`);
    else {
      const ext = EXTERNAL_TYPES[ty];
      const known = env.knownImports?.get(ty);
      if (ext && env.style.deps.has(ext.crate)) out.push(ext.path);
      else if (known && !(env.fileUses ?? []).some((u) => boundName(u) === ty)) out.push(known);
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
