import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { rustTypeForSql, type Column, type SqlTypeDef, type Table } from '../../src/rust';
import { structNameForTable } from '../diesel-common/naming';
import type { ProjectStyle } from '../diesel-common/style';
import { tableModulePath } from '../diesel-common/style';

/**
 * Model structs for an existing table, written without a model: the table says everything.
 * Row struct (Queryable + Selectable + Identifiable), `New…` (Insertable, without what the
 * database fills itself) and `…Changes` (AsChangeset, every field optional). In a Diesel 1.x
 * project the same structs in its dialect: `#[table_name = "x"]`, `#[primary_key(a, b)]`, no
 * Selectable (so the row struct loads by position and must hold every column, in order) and no
 * `check_for_backend`.
 */

export type StructKind = 'row' | 'new' | 'changes';
export const STRUCT_KINDS: readonly StructKind[] = ['row', 'new', 'changes'];

export interface GeneratedStruct {
  kind: StructKind;
  name: string;
  code: string;
}

export interface GeneratedStructs {
  structs: GeneratedStruct[];
  /** Imports the structs need (`diesel::prelude::*`, `crate::schema::orders`, `chrono::NaiveDateTime`…). */
  uses: string[];
  diagnostics: Diagnostic[];
}

export interface StructGenOptions {
  style: ProjectStyle;
  sqlTypes?: readonly SqlTypeDef[];
  /** Columns the database fills itself (from the migrations); see ../diesel-common/migrations. */
  defaults?: ReadonlySet<string>;
  kinds?: readonly StructKind[];
  /** Name of the row struct (default: singular PascalCase of the table). */
  rowName?: string;
  /**
   * Diesel 1.x only: the crate root has `#[macro_use] extern crate diesel`, which brings the
   * derives. Without it they are imported by name (`diesel::prelude::*` has only the traits there).
   */
  macroUseDiesel?: boolean;
}

/** The struct attributes naming the table (and the key, and for a row struct the backend). */
function tableAttrs(style: ProjectStyle, table: string, key: readonly string[] | undefined, backend: boolean): string[] {
  if (style.diesel1) return [`#[table_name = "${table}"]`, ...(key ? [`#[primary_key(${key.join(', ')})]`] : [])];
  const backends = style.checkBackends ?? [style.backendPath];
  const parts = [`table_name = ${table}`, ...(key ? [`primary_key(${key.join(', ')})`] : []), ...(backend && backends.length ? [`check_for_backend(${backends.join(', ')})`] : [])];
  return [`#[diesel(${parts.join(', ')})]`];
}

const INTEGER_TYPES = /^(?:Int2|Int4|Int8|SmallInt|Smallint|Integer|BigInt|Bigint|Serial|BigSerial|SmallSerial)$/;
const TIMESTAMP_TYPES = /^(?:Timestamp|Timestamptz|Datetime|TimestamptzSqlite)$/;
const AUTO_TIMESTAMPS = new Set(['created_at', 'inserted_at', 'created_on']);

const baseSqlType = (c: Column): string => c.sqlType.replace(/^(?:\w+::)*Nullable<(.*)>$/, '$1').replace(/^(?:\w+::)*/, '');

/** Whether the database fills the column on insert: a single integer key, or a creation timestamp. */
function filledByDatabase(t: Table, c: Column, defaults: ReadonlySet<string> | undefined): boolean {
  const single = t.primaryKey.length === 1 && t.primaryKey[0] === c.name;
  if (single && INTEGER_TYPES.test(baseSqlType(c))) return true;
  if (TIMESTAMP_TYPES.test(baseSqlType(c)) && !c.nullable) {
    // Without migrations to read, creation timestamps are assumed to default to now().
    if (defaults ? defaults.has(c.name.replace(/^r#/, '')) : AUTO_TIMESTAMPS.has(c.name)) return true;
  }
  return false;
}

const serdeFor = (style: ProjectStyle, imports: readonly string[]): boolean => {
  if (!style.serde) return false;
  // chrono/uuid/bigdecimal types implement Serialize only with their `serde` feature.
  for (const path of imports) {
    const crate = path.split('::')[0]!;
    if (crate === 'diesel' || crate === 'std') continue;
    if (!(style.depFeatures.get(crate) ?? []).includes('serde')) return false;
  }
  return true;
};

/** The structs for `table`, deterministic in content and order. */
export function generateStructs(table: Table, opts: StructGenOptions): GeneratedStructs {
  const { style } = opts;
  const kinds = opts.kinds ?? STRUCT_KINDS;
  const diagnostics: Diagnostic[] = [];
  const row = opts.rowName ?? structNameForTable(table.name);
  const typeOpts = { dateTime: style.dateTime, ...(opts.sqlTypes ? { sqlTypes: opts.sqlTypes } : {}) };

  const fields: { col: Column; type: string }[] = [];
  const imports = new Set<string>();
  const skipped: string[] = [];
  for (const col of table.columns) {
    const m = rustTypeForSql(col.sqlType, style.backend, typeOpts);
    if ('unknown' in m) {
      skipped.push(`\`${col.name}\` (${m.reason})`);
      continue;
    }
    fields.push({ col, type: m.rustType });
    for (const i of m.imports) imports.add(i);
  }
  if (skipped.length && style.diesel1 && kinds.includes('row')) {
    // Without Selectable a Queryable struct loads every column by position: none may be left out.
    diagnostics.push(diag('error', 'skipped-columns', `No Rust type known for ${skipped.join('; ')}; Diesel 1.x loads a Queryable struct by position, so \`${row}\` needs every column: write it by hand.`));
  } else if (skipped.length) {
    diagnostics.push(diag('warning', 'skipped-columns', `Left out of the structs, no Rust type known: ${skipped.join('; ')}. Load rows with \`.select(${row}::as_select())\`.`));
  }
  if (!fields.length) {
    diagnostics.push(diag('error', 'no-columns', `No column of \`${table.name}\` has a known Rust type; write its structs by hand.`));
    return { structs: [], uses: [], diagnostics };
  }
  const serde = serdeFor(style, [...imports]);
  const tablePath = table.name;
  const keyFields = table.primaryKey.filter((k) => fields.some((f) => f.col.name === k));
  const customKey = table.primaryKey.length === 1 && table.primaryKey[0] === 'id' ? undefined : table.primaryKey;
  const structs: GeneratedStruct[] = [];
  const line = (f: { col: Column }, type: string): string => `    pub ${f.col.name}: ${type},`;

  if (kinds.includes('row')) {
    const identifiable = keyFields.length === table.primaryKey.length;
    const derives = style.diesel1 ? ['Queryable'] : ['Queryable', 'Selectable'];
    if (identifiable) derives.push('Identifiable');
    derives.push('Debug', 'Clone');
    if (serde) derives.push('Serialize');
    const attrs = tableAttrs(style, tablePath, identifiable ? customKey : undefined, true);
    structs.push({ kind: 'row', name: row, code: [`#[derive(${derives.join(', ')})]`, ...attrs, `pub struct ${row} {`, ...fields.map((f) => line(f, f.type)), '}'].join('\n') });
  }

  if (kinds.includes('new')) {
    const insertable = fields.filter((f) => !filledByDatabase(table, f.col, opts.defaults));
    const left = fields.filter((f) => !insertable.includes(f)).map((f) => f.col.name);
    if (insertable.length) {
      const derives = ['Insertable', 'Debug', 'Clone', ...(serde ? ['Deserialize'] : [])];
      // A NOT NULL column with a database default may be left out: `None` inserts DEFAULT.
      const typed = insertable.map((f) => {
        const hasDefault = opts.defaults?.has(f.col.name.replace(/^r#/, '')) && !f.col.nullable;
        return line(f, hasDefault ? `Option<${f.type}>` : f.type);
      });
      const name = `New${row}`;
      structs.push({ kind: 'new', name, code: [`#[derive(${derives.join(', ')})]`, ...tableAttrs(style, tablePath, undefined, false), `pub struct ${name} {`, ...typed, '}'].join('\n') });
      if (left.length) diagnostics.push(diag('info', 'left-to-database', `\`${name}\` leaves ${left.map((c) => `\`${c}\``).join(', ')} to the database.`));
    }
  }

  if (kinds.includes('changes')) {
    const changeable = fields.filter((f) => !table.primaryKey.includes(f.col.name) && !(filledByDatabase(table, f.col, opts.defaults) && AUTO_TIMESTAMPS.has(f.col.name)));
    if (changeable.length) {
      const derives = ['AsChangeset', 'Debug', 'Clone', 'Default', ...(serde ? ['Deserialize'] : [])];
      const name = `${row}Changes`;
      structs.push({
        kind: 'changes',
        name,
        code: [`#[derive(${derives.join(', ')})]`, ...tableAttrs(style, tablePath, undefined, false), `pub struct ${name} {`, ...changeable.map((f) => line(f, `Option<${f.type}>`)), '}'].join('\n'),
      });
    }
  }

  const uses = ['diesel::prelude::*', ...diesel1DeriveUses(structs, style, opts.macroUseDiesel), tableModulePath(style, table), ...[...imports].sort()];
  const serdeUses = [structs.some((s) => s.code.includes('Serialize')) ? 'serde::Serialize' : '', structs.some((s) => s.code.includes('Deserialize')) ? 'serde::Deserialize' : ''].filter(Boolean);
  uses.push(...serdeUses.sort());
  return { structs, uses, diagnostics };
}

const DIESEL_DERIVES = ['AsChangeset', 'Identifiable', 'Insertable', 'Queryable'];

/** Diesel 1.x without `#[macro_use] extern crate diesel`: the derive macros by name (`diesel::Queryable`). */
function diesel1DeriveUses(structs: readonly GeneratedStruct[], style: ProjectStyle, macroUse: boolean | undefined): string[] {
  if (!style.diesel1 || macroUse) return [];
  return DIESEL_DERIVES.filter((d) => structs.some((s) => new RegExp(`#\\[derive\\([^)]*\\b${d}\\b`).test(s.code))).map((d) => `diesel::${d}`);
}

/** `use` lines for a new file, grouped per crate root like rustfmt's usual style: std/external, then crate. */
export function renderUseBlock(paths: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const p of paths) {
    const i = p.lastIndexOf('::');
    const parent = i < 0 ? '' : p.slice(0, i);
    const leaf = i < 0 ? p : p.slice(i + 2);
    if (!groups.has(parent)) groups.set(parent, []);
    groups.get(parent)!.push(leaf);
  }
  const lines = [...groups.entries()].map(([parent, leaves]) => {
    const sorted = [...new Set(leaves)].sort();
    const body = sorted.length === 1 || sorted.includes('*') ? sorted.map((l) => `use ${parent ? `${parent}::` : ''}${l};`) : [`use ${parent}::{${sorted.join(', ')}};`];
    return { crate: parent.startsWith('crate') ? 1 : 0, key: parent, body };
  });
  const external = lines.filter((l) => !l.crate).sort((a, b) => a.key.localeCompare(b.key));
  const internal = lines.filter((l) => l.crate).sort((a, b) => a.key.localeCompare(b.key));
  return [external.flatMap((l) => l.body).join('\n'), internal.flatMap((l) => l.body).join('\n')].filter(Boolean).join('\n\n');
}
