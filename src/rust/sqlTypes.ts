import type { Backend, SqlTypeDef } from './types';

/**
 * Diesel's SQL type → Rust type mapping, per backend, as Diesel documents it (the `ToSql` /
 * `FromSql` impls listed on each type in `diesel::sql_types`). Used to write model structs and
 * to check hand-written ones.
 */

export type RustTypeMapping = { rustType: string; imports: string[] } | { unknown: true; reason: string };

export interface RustTypeOptions {
  /** Borrowed forms for Insertable/AsChangeset structs: `&'a str`, `&'a [u8]` (lifetime default `'a`). */
  borrowed?: boolean | { lifetime: string };
  /** Date/time crate the project uses; default chrono. */
  dateTime?: 'chrono' | 'time';
  /** Fully qualified names (`chrono::NaiveDateTime`) instead of short names plus imports. */
  qualified?: boolean;
  /** Custom SQL types declared by the schema (`sql_types`); named in the reason when unmapped. */
  sqlTypes?: readonly SqlTypeDef[];
  /** Rust types the caller knows for custom SQL types, by SQL type name: `{ Ltree: 'String' }`. */
  customTypes?: Readonly<Record<string, string | { rustType: string; imports?: string[] }>>;
}

interface Scalar {
  type: string;
  imports: string[];
  qualified: string;
}

const prim = (t: string): Scalar => ({ type: t, imports: [], qualified: t });
const imported = (short: string, path: string): Scalar => ({ type: short, imports: [path], qualified: path });
const VALUE: Scalar = { type: 'serde_json::Value', imports: [], qualified: 'serde_json::Value' };

const ALL: readonly Backend[] = ['pg', 'mysql', 'sqlite'];
const PG: readonly Backend[] = ['pg'];
const MYSQL: readonly Backend[] = ['mysql'];
const SQLITE: readonly Backend[] = ['sqlite'];

type Kind = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'text' | 'binary' | 'bool' | 'timestamp' | 'timestamptz' | 'date' | 'time' | 'uuid' | 'json' | 'numeric' | 'interval' | 'inet' | 'macaddr' | 'macaddr8' | 'money' | 'oid' | 'cchar';

/** SQL type names (Diesel's structs and their documented aliases) → kind and backends. */
const NAMES: Record<string, { kind: Kind; backends: readonly Backend[] }> = {};
const def = (kind: Kind, backends: readonly Backend[], ...names: string[]): void => {
  for (const n of names) NAMES[n] = { kind, backends };
};
def('i8', MYSQL, 'TinyInt', 'Tinyint');
def('i16', ALL, 'SmallInt', 'Smallint', 'Int2');
def('i16', PG, 'SmallSerial');
def('i32', ALL, 'Integer', 'Int4');
def('i32', PG, 'Serial');
def('i64', ALL, 'BigInt', 'Bigint', 'Int8');
def('i64', PG, 'BigSerial');
def('f32', ALL, 'Float', 'Float4');
def('f64', ALL, 'Double', 'Float8');
def('numeric', ALL, 'Numeric', 'Decimal');
def('text', ALL, 'Text', 'VarChar', 'Varchar', 'Char', 'Tinytext', 'Mediumtext', 'Longtext');
def('text', PG, 'Bpchar', 'Citext');
def('binary', ALL, 'Binary', 'Blob', 'Tinyblob', 'Mediumblob', 'Longblob', 'Varbinary', 'Bit');
def('binary', PG, 'Bytea');
def('bool', ALL, 'Bool');
def('date', ALL, 'Date');
def('time', ALL, 'Time');
def('timestamp', ALL, 'Timestamp');
def('timestamp', MYSQL, 'Datetime');
def('timestamptz', PG, 'Timestamptz');
def('timestamptz', SQLITE, 'TimestamptzSqlite');
def('uuid', PG, 'Uuid');
def('json', ALL, 'Json');
def('json', ['pg', 'sqlite'], 'Jsonb');
def('interval', PG, 'Interval');
def('inet', PG, 'Inet', 'Cidr');
def('macaddr', PG, 'MacAddr', 'Macaddr');
def('macaddr8', PG, 'MacAddr8', 'Macaddr8');
def('money', PG, 'Money');
def('oid', PG, 'Oid');
def('cchar', PG, 'CChar');

const RANGES: Record<string, string> = {
  Int4range: 'Int4',
  Int8range: 'Int8',
  Daterange: 'Date',
  Numrange: 'Numeric',
  Tsrange: 'Timestamp',
  Tstzrange: 'Timestamptz',
};

const EXTENSION_TYPES: Record<string, string> = {
  Tsvector: 'comes from diesel_full_text_search and has no plain Rust value type',
  TsVector: 'comes from diesel_full_text_search and has no plain Rust value type',
  Tsquery: 'comes from diesel_full_text_search and has no plain Rust value type',
  TsQuery: 'comes from diesel_full_text_search and has no plain Rust value type',
  Regconfig: 'comes from diesel_full_text_search and has no plain Rust value type',
  Record: 'is an anonymous record; map it to a tuple by hand',
};

const BACKEND_NAME: Record<Backend, string> = { pg: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite' };

function scalarFor(kind: Kind, dateTime: 'chrono' | 'time'): Scalar {
  const chrono = dateTime === 'chrono';
  switch (kind) {
    case 'i8':
    case 'i16':
    case 'i32':
    case 'i64':
    case 'f32':
    case 'f64':
    case 'bool':
      return prim(kind);
    case 'text':
      return prim('String');
    case 'binary':
      return prim('Vec<u8>');
    case 'timestamp':
      return chrono ? imported('NaiveDateTime', 'chrono::NaiveDateTime') : imported('PrimitiveDateTime', 'time::PrimitiveDateTime');
    case 'timestamptz':
      return chrono
        ? { type: 'DateTime<Utc>', imports: ['chrono::DateTime', 'chrono::Utc'], qualified: 'chrono::DateTime<chrono::Utc>' }
        : imported('OffsetDateTime', 'time::OffsetDateTime');
    case 'date':
      return chrono ? imported('NaiveDate', 'chrono::NaiveDate') : imported('Date', 'time::Date');
    case 'time':
      return chrono ? imported('NaiveTime', 'chrono::NaiveTime') : imported('Time', 'time::Time');
    case 'uuid':
      return imported('Uuid', 'uuid::Uuid');
    case 'json':
      return VALUE;
    case 'numeric':
      return imported('BigDecimal', 'bigdecimal::BigDecimal');
    case 'interval':
      return imported('PgInterval', 'diesel::pg::data_types::PgInterval');
    case 'inet':
      return imported('IpNetwork', 'ipnetwork::IpNetwork');
    case 'macaddr':
      return prim('[u8; 6]');
    case 'macaddr8':
      return prim('[u8; 8]');
    case 'money':
      return imported('PgMoney', 'diesel::pg::data_types::PgMoney');
    case 'oid':
      return prim('u32');
    case 'cchar':
      return prim('u8');
  }
}

/** A parsed SQL type: `Nullable<Array<Text>>` → Nullable(Array(Text)). */
export interface SqlTypeNode {
  /** Last path segment: `Text` for `diesel::sql_types::Text`. */
  name: string;
  path: string;
  args: SqlTypeNode[];
}

/** Parses a SQL type as written in `table!` (whitespace ignored); undefined when malformed. */
export function parseSqlType(text: string): SqlTypeNode | undefined {
  const src = text.replace(/\s+/g, '');
  let i = 0;
  const node = (): SqlTypeNode | undefined => {
    const m = /^(?:::)?(?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    const path = m[0];
    const parts = path.split('::');
    const n: SqlTypeNode = { name: parts[parts.length - 1]!, path, args: [] };
    if (src[i] === '<') {
      i++;
      for (;;) {
        const a = node();
        if (!a) return undefined;
        n.args.push(a);
        if (src[i] === ',') {
          i++;
          if (src[i] === '>') break;
          continue;
        }
        break;
      }
      if (src[i] !== '>') return undefined;
      i++;
    }
    return n;
  };
  const root = node();
  return root && i === src.length ? root : undefined;
}

/** A path that can only mean one of Diesel's own types (not a project's `sql_types::X`). */
function isDieselPath(n: SqlTypeNode): boolean {
  return n.path === n.name || /^(?:::)?diesel::/.test(n.path);
}

function customDef(n: SqlTypeNode, opts: RustTypeOptions): SqlTypeDef | undefined {
  return opts.sqlTypes?.find((d) => d.name === n.name);
}

interface Mapped {
  type: string;
  qualified: string;
  imports: string[];
}

function fail(reason: string): { unknown: true; reason: string } {
  return { unknown: true, reason };
}

/** `borrowable`: borrowing applies to the value itself, also inside `Nullable` (`Option<&'a str>`), not to array elements. */
function mapNode(n: SqlTypeNode, backend: Backend, opts: RustTypeOptions, borrowable: boolean): Mapped | { unknown: true; reason: string } {
  const custom = opts.customTypes?.[n.name] ?? opts.customTypes?.[n.path];
  if (custom !== undefined) {
    const c = typeof custom === 'string' ? { rustType: custom, imports: [] } : { rustType: custom.rustType, imports: custom.imports ?? [] };
    return { type: c.rustType, qualified: c.rustType, imports: c.imports };
  }
  const declared = customDef(n, opts);
  if (declared && !(isDieselPath(n) && n.path !== n.name)) {
    const db = declared.dbName ? ` (database type \`${declared.dbName}\`)` : '';
    return fail(`\`${n.path}\` is a custom SQL type${db}: give its Rust type (a type with FromSql/ToSql for it) by hand.`);
  }
  const wrap = (inner: SqlTypeNode | undefined, f: (m: Mapped) => Mapped, keepBorrow = false): Mapped | { unknown: true; reason: string } => {
    if (!inner || n.args.length !== 1) return fail(`\`${n.name}\` takes exactly one type argument.`);
    const m = mapNode(inner, backend, opts, keepBorrow && borrowable);
    return 'unknown' in m ? m : f(m);
  };
  switch (n.name) {
    case 'Nullable':
      return wrap(n.args[0], (m) => ({ type: `Option<${m.type}>`, qualified: `Option<${m.qualified}>`, imports: m.imports }), true);
    case 'Array':
      if (backend !== 'pg') return fail(`\`Array\` is a PostgreSQL type; this project's backend is ${BACKEND_NAME[backend]}.`);
      return wrap(n.args[0], (m) => ({ type: `Vec<${m.type}>`, qualified: `Vec<${m.qualified}>`, imports: m.imports }));
    case 'Range':
    case 'Multirange': {
      if (backend !== 'pg') return fail(`\`${n.name}\` is a PostgreSQL type; this project's backend is ${BACKEND_NAME[backend]}.`);
      const vec = n.name === 'Multirange';
      return wrap(n.args[0], (m) => ({
        type: `${vec ? 'Vec<' : ''}(Bound<${m.type}>, Bound<${m.type}>)${vec ? '>' : ''}`,
        qualified: `${vec ? 'Vec<' : ''}(std::ops::Bound<${m.qualified}>, std::ops::Bound<${m.qualified}>)${vec ? '>' : ''}`,
        imports: ['std::ops::Bound', ...m.imports],
      }));
    }
    case 'Unsigned': {
      if (backend !== 'mysql') return fail(`\`Unsigned\` is a MySQL type; this project's backend is ${BACKEND_NAME[backend]}.`);
      const inner = n.args[0];
      const kind = inner && n.args.length === 1 && !inner.args.length ? NAMES[inner.name]?.kind : undefined;
      const u = kind === 'i8' ? 'u8' : kind === 'i16' ? 'u16' : kind === 'i32' ? 'u32' : kind === 'i64' ? 'u64' : undefined;
      if (!u) return fail('`Unsigned` wraps an integer type: `Unsigned<Integer>`.');
      return { type: u, qualified: u, imports: [] };
    }
    default:
      break;
  }
  if (n.args.length) return fail(`\`${n.path}\` is not a generic Diesel SQL type.`);
  const range = RANGES[n.name];
  if (range) return mapNode({ name: 'Range', path: 'Range', args: [{ name: range, path: range, args: [] }] }, backend, opts, borrowable);
  const entry = isDieselPath(n) || /(?:^|::)sql_types::/.test(n.path) ? NAMES[n.name] : undefined;
  if (!entry) {
    const ext = EXTENSION_TYPES[n.name];
    if (ext) return fail(`\`${n.name}\` ${ext}.`);
    return fail(`\`${n.path}\` is not one of Diesel's SQL types (a custom type needs its Rust type given by hand).`);
  }
  if (!entry.backends.includes(backend)) {
    const where = entry.backends.map((b) => BACKEND_NAME[b]).join('/');
    return fail(`\`${n.name}\` is a ${where} type; this project's backend is ${BACKEND_NAME[backend]}.`);
  }
  const s = scalarFor(entry.kind, opts.dateTime ?? 'chrono');
  if (opts.borrowed && borrowable && (entry.kind === 'text' || entry.kind === 'binary')) {
    const lt = typeof opts.borrowed === 'object' ? opts.borrowed.lifetime : "'a";
    const t = entry.kind === 'text' ? `&${lt} str` : `&${lt} [u8]`;
    return { type: t, qualified: t, imports: [] };
  }
  return { type: s.type, qualified: s.qualified, imports: s.imports };
}

/**
 * The Rust type for a SQL type on a backend: `Nullable<Timestamptz>` on pg →
 * `{ rustType: 'Option<DateTime<Utc>>', imports: ['chrono::DateTime', 'chrono::Utc'] }`.
 * Custom and backend-foreign types come back as `{ unknown: true, reason }`.
 */
export function rustTypeForSql(sqlType: string, backend: Backend, opts: RustTypeOptions = {}): RustTypeMapping {
  const node = parseSqlType(sqlType);
  if (!node) return fail(`\`${sqlType}\` is not a well-formed SQL type.`);
  const m = mapNode(node, backend, opts, true);
  if ('unknown' in m) return m;
  return opts.qualified ? { rustType: m.qualified, imports: [] } : { rustType: m.type, imports: [...new Set(m.imports)] };
}

/** How a struct uses its fields: read from the database, written to it, or either. */
export type FieldUsage = 'query' | 'insert' | 'any';

function canonical(rustType: string): string {
  return rustType
    .replace(/'[A-Za-z_]\w*\s*,\s*/g, '')
    .replace(/'[A-Za-z_]\w*\s*/g, '')
    .replace(/\b(?:[A-Za-z_]\w*::)+/g, '')
    .replace(/\bmut\s+/g, 'mut ')
    .replace(/\s+/g, '')
    .replace(/&mut/g, '&mut ');
}

const TEXT_BORROWED = ['&str', 'Cow<str>', 'Box<str>'];
const BIN_BORROWED = ['&[u8]', 'Cow<[u8]>'];

function acceptedFor(kind: Kind, usage: FieldUsage): string[] {
  const write = usage !== 'query';
  switch (kind) {
    case 'text':
      return write ? ['String', ...TEXT_BORROWED] : ['String'];
    case 'binary':
      return write ? ['Vec<u8>', ...BIN_BORROWED] : ['Vec<u8>'];
    case 'timestamp':
      return ['NaiveDateTime', 'PrimitiveDateTime', 'SystemTime', 'PgTimestamp', 'MysqlTime'];
    case 'timestamptz':
      return ['DateTime<Utc>', 'DateTime<Local>', 'NaiveDateTime', 'OffsetDateTime', 'PrimitiveDateTime', 'PgTimestamp', ...(write ? ['DateTime<FixedOffset>'] : [])];
    case 'date':
      return ['NaiveDate', 'Date', 'PgDate', 'MysqlTime'];
    case 'time':
      return ['NaiveTime', 'Time', 'PgTime', 'MysqlTime'];
    case 'json':
      return ['Value', 'JsonValue'];
    case 'numeric':
      return ['BigDecimal', 'PgNumeric'];
    case 'interval':
      return ['PgInterval', 'Duration', 'TimeDelta'];
    case 'inet':
      return ['IpNetwork', 'IpNet'];
    case 'macaddr':
      return ['[u8;6]'];
    case 'macaddr8':
      return ['[u8;8]'];
    case 'money':
      return ['PgMoney', 'Cents'];
    case 'uuid':
      return ['Uuid'];
    default:
      return [canonical(scalarFor(kind, 'chrono').type)];
  }
}

/**
 * Every Rust spelling (canonical form: no paths, lifetimes or spaces) Diesel accepts for a SQL
 * type, or undefined when the SQL type is custom or unknown.
 */
export function acceptedRustTypes(sqlType: string, backend: Backend, usage: FieldUsage = 'any', sqlTypes?: readonly SqlTypeDef[]): string[] | undefined {
  const node = parseSqlType(sqlType);
  if (!node) return undefined;
  const go = (n: SqlTypeNode): string[] | undefined => {
    if (sqlTypes?.some((d) => d.name === n.name) && !(/^(?:::)?diesel::/.test(n.path))) return undefined;
    const inner = n.args[0];
    switch (n.name) {
      case 'Nullable': {
        const xs = inner ? go(inner) : undefined;
        if (!xs) return undefined;
        const opt = xs.map((x) => `Option<${x}>`);
        // Writing may leave a nullable column as a plain value, or `Option<Option<_>>` in a changeset.
        return usage === 'query' ? opt : [...opt, ...xs, ...opt.map((x) => `Option<${x}>`)];
      }
      case 'Array': {
        const xs = inner ? go(inner) : undefined;
        if (!xs || backend !== 'pg') return undefined;
        return [...xs.map((x) => `Vec<${x}>`), ...(usage === 'query' ? [] : xs.map((x) => `&[${x}]`))];
      }
      default: {
        const r = rustTypeForSql(n.path + (n.args.length ? `<${n.args.map((a) => a.path).join(',')}>` : ''), backend, sqlTypes ? { sqlTypes } : {});
        if ('unknown' in r) return undefined;
        const entry = NAMES[n.name];
        return entry ? acceptedFor(entry.kind, usage) : [canonical(r.rustType)];
      }
    }
  };
  const xs = go(node);
  // Insertable treats `None` as DEFAULT, so a write may wrap any column in `Option`.
  if (xs && usage !== 'query' && node.name !== 'Nullable') return [...xs, ...xs.map((x) => `Option<${x}>`)];
  return xs;
}

/**
 * Whether a struct field's Rust type fits a column's SQL type, accepting equivalent spellings
 * (`std::string::String`, `chrono::NaiveDateTime` or the imported name, `&'a str` and `Cow`
 * for writes). True when the SQL type is custom or unknown: nothing to check it against.
 */
export function rustTypesCompatible(fieldType: string, sqlType: string, backend: Backend, opts: { usage?: FieldUsage; sqlTypes?: readonly SqlTypeDef[] } = {}): boolean {
  const accepted = acceptedRustTypes(sqlType, backend, opts.usage ?? 'any', opts.sqlTypes);
  if (!accepted) return true;
  return accepted.includes(canonical(fieldType));
}
