import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { rustTypeForSql, type Table } from '../../src/rust';
import { tableCandidates } from '../diesel-common/naming';
import type { ModeProject } from '../diesel-common/project';
import { closest } from '../diesel-common/validate';
import { SQL_TYPES_FOR } from './bank';
import { sqlTypeText, type ForeignKey } from './sql';

/** Foreign keys from `<x>_id` columns naming an existing table whose key has the same type. */
export function foreignKeys(table: Table, project: ModeProject, diagnostics: Diagnostic[]): ForeignKey[] {
  const fks: ForeignKey[] = [];
  for (const c of table.columns) {
    const m = /^(\w+)_id$/.exec(c.name);
    if (!m || table.primaryKey.includes(c.name)) continue;
    const parts = m[1]!.split('_');
    const last = parts.pop()!;
    const names = tableCandidates(last).map((w) => [...parts, w].join('_'));
    const parent = names.map((n) => project.info.findTable(n)).find((t): t is Table => t !== undefined && t.name !== table.name);
    if (!parent) continue;
    if (parent.primaryKey.length !== 1) continue;
    const key = parent.columns.find((x) => x.name === parent.primaryKey[0]);
    const base = (s: string): string => s.replace(/^Nullable<(.*)>$/, '$1');
    if (!key || base(key.sqlType) !== base(c.sqlType)) {
      diagnostics.push(diag('warning', 'fk-type', `\`${table.name}.${c.name}\` looks like a reference to \`${parent.name}\`, but its type ${c.sqlType} differs from \`${parent.name}.${key?.name ?? '?'}\` (${key?.sqlType ?? '?'}); no foreign key or joinable! was added.`));
      continue;
    }
    fks.push({ column: c.name, table: parent.name, key: key.name });
  }
  return fks;
}

/** The new table against the project: parses, new name, primary key, known SQL types for the backend. */
export function validateNewTable(table: Table, project: ModeProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { style } = project;
  if (project.info.findTable(table.name)) out.push(diag('error', 'table-exists', `Table \`${table.name}\` already exists: choose a new name.`));
  if (!/^[a-z][a-z0-9_]*$/.test(table.name)) out.push(diag('error', 'table-name', `Table name \`${table.name}\` must be lowercase snake_case.`));
  if (!table.columns.length) out.push(diag('error', 'no-columns', `Table \`${table.name}\` has no columns.`));
  for (const k of table.primaryKey) {
    if (!table.columns.some((c) => c.name === k)) out.push(diag('error', 'primary-key', `Primary key \`${k}\` is not a column of \`${table.name}\`: add \`${k} -> ${style.backend === 'pg' ? 'Int4' : 'Integer'},\` or fix the key.`));
  }
  for (const c of table.columns) {
    const m = rustTypeForSql(c.sqlType, style.backend);
    if ('unknown' in m) {
      const near = closest(c.sqlType.replace(/^Nullable<(.*)>$/, '$1'), SQL_TYPES_FOR[style.backend]);
      out.push(diag('error', 'unknown-sql-type', `Column \`${c.name} -> ${c.sqlType}\`: ${m.reason}${near.length ? ` Use ${near.map((n) => `\`${n}\``).join(' or ')}.` : ` Use one of ${SQL_TYPES_FOR[style.backend].join(', ')}.`}`));
    }
    else if (sqlTypeText(c.sqlType, style.backend, c.maxLength) === undefined) {
      out.push(diag('error', 'unknown-sql-type', `Column \`${c.name} -> ${c.sqlType}\`: nocodo cannot write the migration for this type; use one of ${SQL_TYPES_FOR[style.backend].join(', ')}.`));
    }
    if (!/^(?:r#)?[a-z_][a-z0-9_]*$/.test(c.name)) out.push(diag('error', 'column-name', `Column \`${c.name}\` must be lowercase snake_case.`));
    if (table.primaryKey.includes(c.name) && c.nullable) out.push(diag('error', 'primary-key', `Primary key column \`${c.name}\` cannot be Nullable.`));
  }
  return out;
}
