import type { Backend, Column, Table } from '../../src/rust';
import { parseSqlType, type SqlTypeNode } from '../../src/rust';

/**
 * The migration for a new table, written from its parsed `table!` (never by the model): SQL types
 * per backend, NOT NULL unless Nullable, the primary key, foreign keys.
 */

export interface ForeignKey {
  column: string;
  table: string;
  key: string;
}

const SQL: Record<Backend, Record<string, string>> = {
  pg: {
    SmallInt: 'SMALLINT', Int2: 'SMALLINT', Smallint: 'SMALLINT', Integer: 'INTEGER', Int4: 'INTEGER', BigInt: 'BIGINT', Bigint: 'BIGINT', Int8: 'BIGINT',
    Float: 'REAL', Float4: 'REAL', Double: 'DOUBLE PRECISION', Float8: 'DOUBLE PRECISION', Numeric: 'NUMERIC', Decimal: 'NUMERIC',
    Text: 'TEXT', Varchar: 'VARCHAR', VarChar: 'VARCHAR', Char: 'CHAR', Bpchar: 'CHAR', Citext: 'CITEXT', Bool: 'BOOLEAN',
    Date: 'DATE', Time: 'TIME', Timestamp: 'TIMESTAMP', Timestamptz: 'TIMESTAMPTZ', Interval: 'INTERVAL',
    Uuid: 'UUID', Json: 'JSON', Jsonb: 'JSONB', Bytea: 'BYTEA', Binary: 'BYTEA', Inet: 'INET', Cidr: 'CIDR', Money: 'MONEY',
  },
  sqlite: {
    SmallInt: 'SMALLINT', Integer: 'INTEGER', Int4: 'INTEGER', BigInt: 'BIGINT', Int8: 'BIGINT', Float: 'FLOAT', Double: 'DOUBLE',
    Numeric: 'NUMERIC', Text: 'TEXT', Varchar: 'TEXT', VarChar: 'TEXT', Bool: 'BOOLEAN', Date: 'DATE', Time: 'TIME',
    Timestamp: 'TIMESTAMP', TimestamptzSqlite: 'TIMESTAMP', Binary: 'BLOB', Blob: 'BLOB', Json: 'TEXT', Jsonb: 'BLOB',
  },
  mysql: {
    TinyInt: 'TINYINT', Tinyint: 'TINYINT', SmallInt: 'SMALLINT', Smallint: 'SMALLINT', Integer: 'INTEGER', Int4: 'INTEGER', BigInt: 'BIGINT', Bigint: 'BIGINT',
    Float: 'FLOAT', Double: 'DOUBLE', Numeric: 'DECIMAL(12, 2)', Decimal: 'DECIMAL(12, 2)', Text: 'TEXT', Tinytext: 'TINYTEXT', Mediumtext: 'MEDIUMTEXT',
    Longtext: 'LONGTEXT', Varchar: 'VARCHAR', VarChar: 'VARCHAR', Bool: 'BOOLEAN', Date: 'DATE', Time: 'TIME', Timestamp: 'TIMESTAMP',
    Datetime: 'DATETIME', Binary: 'BLOB', Blob: 'BLOB', Varbinary: 'VARBINARY(255)', Json: 'JSON',
  },
};

const RESERVED = new Set('all and as asc check column constraint create default desc distinct end from group having in index key limit not null offset or order primary references select table to user where'.split(' '));

export function quoteIdent(name: string, backend: Backend): string {
  const n = name.replace(/^r#/, '');
  if (!RESERVED.has(n.toLowerCase()) && /^[a-z_][a-z0-9_]*$/.test(n)) return n;
  return backend === 'mysql' ? `\`${n}\`` : `"${n}"`;
}

const unwrapNullable = (n: SqlTypeNode): SqlTypeNode => (n.name === 'Nullable' && n.args[0] ? n.args[0] : n);

/** SQL type text for a Diesel SQL type, or undefined when unknown for the backend. */
export function sqlTypeText(sqlType: string, backend: Backend, maxLength?: number): string | undefined {
  const root = parseSqlType(sqlType);
  if (!root) return undefined;
  const go = (n: SqlTypeNode): string | undefined => {
    if (n.name === 'Array' && backend === 'pg' && n.args[0]) {
      const inner = go(unwrapNullable(n.args[0]));
      return inner && `${inner}[]`;
    }
    if (n.name === 'Unsigned' && backend === 'mysql' && n.args[0]) {
      const inner = go(n.args[0]);
      return inner && `${inner} UNSIGNED`;
    }
    const base = SQL[backend][n.name];
    if (!base) return undefined;
    if (base === 'VARCHAR') return `VARCHAR(${maxLength ?? (backend === 'mysql' ? 255 : '')})`.replace('()', '');
    return base;
  };
  return go(unwrapNullable(root));
}

const INTEGER = /^(?:Int4|Integer|Int8|BigInt|Bigint|Int2|SmallInt)$/;
const AUTO_TIMESTAMPS = new Set(['created_at', 'updated_at', 'inserted_at']);

function columnSql(t: Table, c: Column, backend: Backend, serialKey: boolean): string {
  const name = quoteIdent(c.sqlName ?? c.name, backend);
  const type = sqlTypeText(c.sqlType, backend, c.maxLength) ?? 'TEXT';
  if (serialKey) {
    const big = /^(?:Int8|BigInt|Bigint)$/.test(parseSqlType(c.sqlType)?.name ?? '');
    if (backend === 'pg') return `${name} ${big ? 'BIGSERIAL' : 'SERIAL'} PRIMARY KEY`;
    if (backend === 'sqlite') return `${name} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`;
    return `${name} ${big ? 'BIGINT' : 'INTEGER'} AUTO_INCREMENT PRIMARY KEY`;
  }
  let s = `${name} ${type}`;
  if (!c.nullable) s += ' NOT NULL';
  if (!c.nullable && AUTO_TIMESTAMPS.has(c.name) && /^(?:Timestamp|Timestamptz|Datetime)$/.test(parseSqlType(c.sqlType)?.name ?? '')) s += ' DEFAULT CURRENT_TIMESTAMP';
  if (t.primaryKey.length === 1 && t.primaryKey[0] === c.name) s += ' PRIMARY KEY';
  return s;
}

/** `CREATE TABLE …;` for up.sql. */
export function createTableSql(t: Table, backend: Backend, fks: readonly ForeignKey[]): string {
  const key = t.primaryKey.length === 1 ? t.columns.find((c) => c.name === t.primaryKey[0]) : undefined;
  const serial = key !== undefined && !key.nullable && INTEGER.test(parseSqlType(key.sqlType)?.name ?? '') && key.name === 'id';
  const lines = t.columns.map((c) => columnSql(t, c, backend, serial && c === key));
  if (t.primaryKey.length > 1) lines.push(`PRIMARY KEY (${t.primaryKey.map((k) => quoteIdent(k, backend)).join(', ')})`);
  for (const fk of fks) lines.push(`FOREIGN KEY (${quoteIdent(fk.column, backend)}) REFERENCES ${quoteIdent(fk.table, backend)} (${quoteIdent(fk.key, backend)})`);
  return `CREATE TABLE ${quoteIdent(t.sqlName ?? t.name, backend)} (\n${lines.map((l) => `    ${l}`).join(',\n')}\n);\n`;
}

export function dropTableSql(t: Table, backend: Backend): string {
  return `DROP TABLE ${quoteIdent(t.sqlName ?? t.name, backend)};\n`;
}
