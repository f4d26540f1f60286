import type { Node } from 'web-tree-sitter';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { parseRustFile, rustTypesCompatible, type FieldUsage, type ModelStruct, type SqlTypeDef, type Table } from '../../src/rust';
import { withRustTree } from '../../src/rust/parser';
import { forEachNode } from '../../src/rust/walk';
import { boundNames } from './dslGlobs';
import { ALL_CONN_TYPES, type ProjectStyle } from './style';

/**
 * Checks generated code against the real project: it parses, every `table::column` it names
 * exists, structs match their table column by column, the connection type and sync/async style
 * are the project's. Each problem is a diagnostic precise enough to feed back to the model.
 */

const COLUMN_METHODS = new Set([
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'like',
  'ilike',
  'not_like',
  'not_ilike',
  'eq_any',
  'ne_all',
  'is_null',
  'is_not_null',
  'between',
  'not_between',
  'desc',
  'asc',
  'concat',
  'nullable',
  'assume_not_null',
]);
/** Items every `table!` module has besides its columns. */
const TABLE_ITEMS = new Set(['table', 'all_columns', 'star', 'columns', 'dsl', 'primary_key', 'SqlType', 'BoxedQuery']);
/** First path segments that are modules or crates, never tables. */
const NOT_TABLES = new Set([
  'diesel',
  'diesel_async',
  'std',
  'core',
  'alloc',
  'chrono',
  'time',
  'serde',
  'serde_json',
  'uuid',
  'bigdecimal',
  'dsl',
  'sql_types',
  'result',
  'crate',
  'self',
  'super',
  'schema',
  'models',
  'anyhow',
  'thiserror',
  'log',
  'tracing',
  'actix_web',
  'web',
  'r2d2',
  'pg',
  'mysql',
  'sqlite',
]);

const bare = (name: string): string => name.replace(/^r#/, '');

/** Macros whose arguments are no Diesel code (format strings, assertions). */
export const STD_MACROS: ReadonlySet<string> = new Set(['println', 'print', 'eprintln', 'eprint', 'format', 'write', 'writeln', 'panic', 'assert', 'assert_eq', 'assert_ne', 'debug_assert', 'todo', 'unimplemented', 'unreachable', 'vec', 'info', 'warn', 'error', 'debug', 'trace', 'concat', 'stringify', 'env', 'include_str', 'matches', 'anyhow', 'bail', 'format_args']);

/** Diesel's query-running methods. Only a call WITH a connection argument is one: `rows.first()` on a Vec is not. */
const RUN_METHODS = new Set(['load', 'get_result', 'get_results', 'first', 'execute']);

/** The Diesel query calls of a function (method in RUN_METHODS, at least one argument), each with whether it is awaited. */
function queryCalls(root: Node): { awaited: boolean }[] {
  const out: { awaited: boolean }[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'call_expression') {
      let fn = n.childForFieldName('function');
      if (fn?.type === 'generic_function') fn = fn.childForFieldName('function');
      const method = fn?.type === 'field_expression' ? fn.childForFieldName('field')?.text : undefined;
      const args = n.childForFieldName('arguments');
      if (method && RUN_METHODS.has(method) && args && args.namedChildren.some((c) => c && c.type !== 'line_comment' && c.type !== 'block_comment')) {
        out.push({ awaited: n.parent?.type === 'await_expression' });
      }
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
  return out;
}

/** `conn: &mut PgConnection` (Diesel 2) or `conn: &PgConnection` (Diesel 1.x). */
export const connParam = (style: Pick<ProjectStyle, 'connType' | 'diesel1'>): string => `conn: ${style.diesel1 ? '&' : '&mut '}${style.connType}`;

/** Macros inside macros are re-read this deep; each level parses its text again. */
const MAX_MACRO_DEPTH = 4;

/** Closest names by edit distance, for "did you mean". */
export function closest(name: string, options: readonly string[], max = 3): string[] {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };
  return options
    .map((o) => ({ o, d: dist(name, o) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)) || x.o.includes(name) || name.includes(x.o))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.o);
}

function unknownColumn(table: Table, col: string, at: Partial<Diagnostic>): Diagnostic {
  const names = table.columns.map((c) => c.name);
  const near = closest(bare(col), names.map(bare));
  const hint = near.length ? ` Did you mean ${near.map((n) => `\`${table.name}::${n}\``).join(' or ')}?` : '';
  return diag('error', 'unknown-column', `\`${table.name}::${col}\` does not exist: table \`${table.name}\` has the columns ${names.join(', ')}.${hint}`, at);
}

export interface FnCheckEnv {
  tables: readonly Table[];
  style: ProjectStyle;
  /** Names of the functions already in the impl the function goes into. */
  existingFns?: readonly string[];
  typeName?: string;
  /**
   * How the project's existing functions run sync Diesel from `async fn` (`conn.run(move |c| …).await`,
   * `web::block`, actix-diesel's `…_async`): then async code is the project's style, not a mistake.
   */
  asyncWrapper?: string;
}

/** Splits a path at `::`, dropping the schema-module prefix (`crate::schema::`, `schema::`, a `pub mod` of the schema). */
function tablePath(text: string, style: ProjectStyle, tables: readonly Table[]): string[] {
  let segs = text.replace(/\s+/g, '').split('::');
  const schema = style.schemaModule.split('::');
  if (segs[0] === 'crate' && schema[0] === 'crate') {
    const rest = schema.slice(1);
    if (rest.every((s, i) => segs[i + 1] === s)) segs = segs.slice(rest.length + 1);
  }
  while (segs[0] === 'crate' || segs[0] === 'super' || segs[0] === 'self' || segs[0] === 'schema') segs = segs.slice(1);
  const head = segs[0];
  const mod = head ? tables.find((t) => t.module && t.module.split('::')[0] === head) : undefined;
  if (mod?.module && segs.length > 2) segs = segs.slice(mod.module.split('::').length);
  return segs;
}

/** Checks a generated function (standalone text) against the schema and the project's style. */
export function validateFunction(code: string, env: FnCheckEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  const info = parseRustFile(code);
  for (const d of info.diagnostics) if (d.severity === 'error') out.push({ ...d, code: 'parse-error' });
  const byName = new Map(env.tables.map((t) => [t.name, t]));
  const seen = new Set<string>();
  const push = (d: Diagnostic): void => {
    const key = `${d.code}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  };

  withRustTree(code, (tree) => {
    const root = tree.rootNode;
    const fnNode = root.namedChildren.find((n) => n?.type === 'function_item') ?? null;
    const bound = boundNames(root);
    const dslTables: Table[] = [];
    const walk = (root: Node, lineOffset = 0, macroDepth = 0): void =>
      forEachNode(root, (n) => {
        if (n.type === 'use_declaration') {
          const m = /(?:^|::)((?:r#)?\w+)::dsl::/.exec(n.text.replace(/\s+/g, ''));
          const t = m ? byName.get(m[1]!) : undefined;
          if (t) dslTables.push(t);
          return false;
        }
        if (n.type === 'scoped_identifier' && n.parent?.type !== 'scoped_identifier') {
          checkPath(n, lineOffset);
          return false;
        }
        if (n.type === 'macro_invocation') {
          if (macroDepth < MAX_MACRO_DEPTH) checkMacro(n, lineOffset, macroDepth + 1);
          return false;
        }
      });
    // A macro's arguments are a flat token tree (`db_run! { conn: { users::table… } }`): read them
    // again as code so the table and column paths in them are checked too.
    const checkMacro = (n: Node, lineOffset: number, macroDepth: number): void => {
      const name = n.childForFieldName('macro')?.text.replace(/\s+/g, '') ?? '';
      const tt = n.namedChildren.find((c) => c?.type === 'token_tree');
      if (!tt || STD_MACROS.has(name.replace(/^(?:std|core|alloc)::/, ''))) return;
      const inner = tt.text.slice(1, -1);
      withRustTree(`fn __macro_args() {\n${inner}\n}`, (t) => walk(t.rootNode, lineOffset + tt.startPosition.row - 1, macroDepth));
    };
    const checkPath = (n: Node, lineOffset = 0): void => {
      const at = { line: n.startPosition.row + 1 + lineOffset, column: n.startPosition.column + 1 };
      const segs = tablePath(n.text, env.style, env.tables);
      if (segs.length < 2) return;
      const [a, b, c] = segs as [string, string, string | undefined];
      const table = byName.get(a);
      if (table) {
        const col = b === 'dsl' ? c : b;
        if (!col || TABLE_ITEMS.has(col)) return;
        if (!table.columns.some((x) => bare(x.name) === bare(col))) push(unknownColumn(table, col, at));
        return;
      }
      if (NOT_TABLES.has(a) || env.style.deps.has(a) || !/^[a-z_][a-z0-9_]*$/.test(a) || !/^(?:r#)?[a-z_][a-z0-9_]*$/.test(b)) return;
      const parent = n.parent;
      // `utils::name(x)` calls a function of a module; it is no table.
      if (parent?.type === 'call_expression' && parent.childForFieldName('function')?.id === n.id) return;
      const methodOnIt = parent?.type === 'field_expression' && COLUMN_METHODS.has(parent.childForFieldName('field')?.text ?? '');
      const isColumnSomewhere = env.tables.some((t) => t.columns.some((x) => bare(x.name) === bare(b)));
      if (b === 'table' || methodOnIt || isColumnSomewhere) {
        if (seen.has(`unknown-table:${a}`)) return;
        seen.add(`unknown-table:${a}`);
        const near = closest(a, [...byName.keys()]);
        push(
          diag('error', 'unknown-table', `\`${a}\` is not a table in the schema (\`${a}::${b}\`).${near.length ? ` Did you mean ${near.map((x) => `\`${x}\``).join(' or ')}?` : ''}`, at),
        );
      }
    };
    walk(root);

    // With `use …::dsl::*`, columns appear bare: `email.eq(x)`.
    if (dslTables.length) {
      const visit = (n: Node): void => {
        if (n.type === 'field_expression') {
          const value = n.childForFieldName('value');
          const field = n.childForFieldName('field')?.text ?? '';
          if (value?.type === 'identifier' && COLUMN_METHODS.has(field) && !bound.has(value.text)) {
            const name = value.text;
            if (!dslTables.some((t) => t.name === name || t.columns.some((c) => bare(c.name) === name))) {
              push(unknownColumn(dslTables[0]!, name, { line: value.startPosition.row + 1, column: value.startPosition.column + 1 }));
            }
          }
        }
        for (const c of n.namedChildren) if (c) visit(c);
      };
      visit(root);
    }

    if (fnNode) {
      const name = fnNode.childForFieldName('name')?.text;
      if (name && env.existingFns?.includes(name)) {
        const where = env.typeName ? `\`impl ${env.typeName}\`` : 'The impl';
        push(diag('error', 'duplicate-fn', `${where} already has a function \`${name}\`: choose another name.`));
      }
      const params = fnNode.childForFieldName('parameters')?.text ?? '';
      for (const conn of ALL_CONN_TYPES) {
        if (new RegExp(`(?<![A-Za-z])${conn}\\b`).test(params) && !new RegExp(`(?<![A-Za-z])${conn}\\b`).test(env.style.connType)) {
          push(diag('error', 'wrong-connection', `The function takes a \`${conn}\`, but this project uses ${env.style.backendName}: write \`${connParam(env.style)}\`.`));
        }
      }
      const isAsync = fnNode.children.some((c) => c?.type === 'function_modifiers' && /\basync\b/.test(c.text));
      const bodyNode = fnNode.childForFieldName('body');
      const body = bodyNode?.text ?? '';
      const calls = bodyNode ? queryCalls(bodyNode) : [];
      if (env.style.async) {
        if (!isAsync && calls.length) push(diag('error', 'not-async', 'The project uses diesel-async: write `pub async fn` and add `.await` after each query call.'));
        else if (calls.some((c) => !c.awaited)) {
          push(diag('error', 'missing-await', 'With diesel-async every query call needs `.await` (e.g. `.load(conn).await`).'));
        }
      } else if ((isAsync || /\.await\b/.test(body)) && !env.asyncWrapper) {
        push(diag('error', 'async-in-sync', `This project uses synchronous Diesel: write a plain \`fn\` without \`.await\` (${connParam(env.style)}).`));
      }
      if (env.style.diesel1 && /\b(?:as_select|as_returning)\s*\(/.test(body)) {
        push(diag('error', 'diesel1-selectable', 'This project uses Diesel 1.x, which has no `Selectable`: drop `.select(X::as_select())` and load with `.load::<X>(conn)`.'));
      }
    }
  });
  return out;
}

export interface StructCheckEnv {
  tables: readonly Table[];
  style: ProjectStyle;
  sqlTypes?: readonly SqlTypeDef[];
}

const READ_DERIVES = ['Queryable', 'Selectable', 'HasQuery'];
const WRITE_DERIVES = ['Insertable', 'AsChangeset'];

/**
 * A Diesel struct against its table: the table exists, every field is a column with a Rust type
 * Diesel maps from/to its SQL type (Nullable → Option), and a `Queryable` without `Selectable`
 * lists all columns in the table's order (it loads by position).
 */
export function validateStruct(s: ModelStruct, env: StructCheckEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tableName = s.tableName;
  if (!tableName) return out;
  const table = env.tables.find((t) => t.name === tableName);
  if (!table) {
    out.push(diag('error', 'unknown-table', `\`${s.name}\` names table \`${tableName}\`, which is not in the schema.`));
    return out;
  }
  const reads = s.derives.some((d) => READ_DERIVES.includes(d));
  const writes = s.derives.some((d) => WRITE_DERIVES.includes(d));
  const usage: FieldUsage = reads && !writes ? 'query' : writes && !reads ? 'insert' : 'any';
  const changeset = s.derives.includes('AsChangeset') && !reads;
  const mapped: string[] = [];
  for (const f of s.fields) {
    if (f.attributes.some((a) => /\b(?:embed|select_expression|skip_insertion|skip_update|deserialize_as|serialize_as)\b/.test(a))) continue;
    const colName = f.columnName ?? f.name;
    const col = table.columns.find((c) => bare(c.name) === bare(colName));
    if (!col) {
      out.push(unknownColumn(table, colName, {}));
      continue;
    }
    mapped.push(col.name);
    let type = f.type;
    // A changeset wraps every field in Option (None = leave unchanged).
    if (changeset) type = type.replace(/^Option<(.*)>$/, '$1');
    if (f.sqlType) continue;
    if (!rustTypesCompatible(type, col.sqlType, env.style.backend, { usage, ...(env.sqlTypes ? { sqlTypes: env.sqlTypes } : {}) })) {
      const expect = col.nullable ? 'an Option<…> of the matching type' : 'the matching Rust type';
      out.push(diag('error', 'field-type', `\`${s.name}.${f.name}: ${f.type}\` does not fit column \`${table.name}.${col.name} -> ${col.sqlType}\` (${env.style.backendName}); use ${expect}.`));
    }
  }
  if (s.derives.includes('Queryable') && !s.derives.includes('Selectable') && !s.tuple) {
    const cols = table.columns.map((c) => c.name);
    if (mapped.length !== cols.length || mapped.some((m, i) => m !== cols[i])) {
      out.push(
        diag('error', 'field-order', `\`${s.name}\` derives Queryable without Selectable, so its fields must be every column of \`${table.name}\` in order: ${cols.join(', ')}.`),
      );
    }
  }
  return out;
}
