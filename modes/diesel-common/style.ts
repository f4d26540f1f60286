import { posix } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { Backend, ProjectInfo, Table } from '../../src/rust';

/**
 * The conventions generated code must follow in one project: backend, sync or diesel-async,
 * connection type, which crates exist (serde, chrono/time), where the schema module lives.
 * Derived deterministically from Cargo.toml and the files, so prompts and examples adapt to the
 * project without keeping a bank per backend.
 */
export interface ProjectStyle {
  backend: Backend;
  /** The backend came from Cargo.toml (false: nothing said, PostgreSQL assumed). */
  backendKnown: boolean;
  async: boolean;
  /** Diesel 1.x (`&PgConnection`, `#[table_name = "x"]`, no Selectable, `load::<T>(conn)`). */
  diesel1: boolean;
  /**
   * Several backends (or none) are possible and nothing in the project decides: generated code must
   * stay backend-neutral. Holds the candidates, for the prompt.
   */
  neutralBackends?: Backend[];
  /** `PgConnection`, `AsyncPgConnection`, `SqliteConnection`, … */
  connType: string;
  /** `diesel::pg::Pg` etc., for `check_for_backend`. */
  backendPath: string;
  /**
   * With the backend undecided: the backends `check_for_backend` names (the ones Cargo.toml
   * enables; none when it enables none, as `diesel::mysql` may not exist then). Unset: `backendPath`.
   */
  checkBackends?: string[];
  backendName: string;
  dateTime: 'chrono' | 'time';
  /** Crate names the project depends on (`serde`, `chrono`, `uuid`, …). */
  deps: Set<string>;
  /** Features enabled per dependency (crate name → features). */
  depFeatures: Map<string, string[]>;
  serde: boolean;
  /** Rust path of the schema module: `crate::schema`. */
  schemaModule: string;
}

const BACKEND_PATH: Record<Backend, string> = { pg: 'diesel::pg::Pg', mysql: 'diesel::mysql::Mysql', sqlite: 'diesel::sqlite::Sqlite' };
const BACKEND_NAME: Record<Backend, string> = { pg: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite' };
const SYNC_CONN: Record<Backend, string> = { pg: 'PgConnection', mysql: 'MysqlConnection', sqlite: 'SqliteConnection' };
const ASYNC_CONN: Record<Backend, string> = { pg: 'AsyncPgConnection', mysql: 'AsyncMysqlConnection', sqlite: 'SyncConnectionWrapper<SqliteConnection>' };

export const connTypeFor = (backend: Backend, isAsync: boolean): string => (isAsync ? ASYNC_CONN : SYNC_CONN)[backend];
export const backendDisplayName = (b: Backend): string => BACKEND_NAME[b];
export const ALL_CONN_TYPES = ['PgConnection', 'MysqlConnection', 'SqliteConnection', 'AsyncPgConnection', 'AsyncMysqlConnection'];

type TomlTable = Record<string, unknown>;
const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Crate names of every dependency table (renames resolved, `-` as `_`) with their features. */
export function dependencyFeatures(cargoText: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!cargoText) return out;
  let doc: TomlTable;
  try {
    doc = parseToml(cargoText) as TomlTable;
  } catch {
    return out;
  }
  const tables: TomlTable[] = [];
  // Dev-dependencies are not available to the code a mode writes.
  if (isTable(doc.dependencies)) tables.push(doc.dependencies);
  if (isTable(doc.target)) for (const t of Object.values(doc.target)) if (isTable(t) && isTable(t.dependencies)) tables.push(t.dependencies);
  for (const deps of tables) {
    for (const [key, spec] of Object.entries(deps)) {
      const name = (isTable(spec) && typeof spec.package === 'string' ? spec.package : key).replace(/-/g, '_');
      const features = isTable(spec) && Array.isArray(spec.features) ? spec.features.filter((f): f is string => typeof f === 'string') : [];
      out.set(name, [...(out.get(name) ?? []), ...features]);
    }
  }
  return out;
}

/** Rust module path of a project file: `src/models/orders.rs` → `crate::models::orders`. */
export function modulePathOf(file: string, crateDir: string): string | undefined {
  const src = crateDir ? `${crateDir}/src/` : 'src/';
  if (!file.startsWith(src) || !file.endsWith('.rs')) return undefined;
  const rel = file.slice(src.length, -3);
  const parts = rel.split('/');
  const last = parts[parts.length - 1];
  if (last === 'mod') parts.pop();
  if (parts.length === 1 && (parts[0] === 'lib' || parts[0] === 'main')) return 'crate';
  if (parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
  return ['crate', ...parts].join('::');
}

/** Rust path of a table's module: `crate::schema::orders`, `crate::schema::smdb::service`. */
export function tableModulePath(style: ProjectStyle, table: Table): string {
  return [style.schemaModule, ...(table.module ? [table.module] : []), table.name].join('::');
}

/** SQL types only one backend has (schema evidence for the backend). */
const BACKEND_SQL_TYPES: [RegExp, Backend][] = [
  [/\b(?:Timestamptz|Jsonb|Uuid|Array<|Inet|Cidr|Money|Citext|Int4range|Tsvector|Interval)\b/, 'pg'],
  [/\b(?:Unsigned<|Datetime|Tinyint|TinyInt|Mediumint)\b/, 'mysql'],
];
const CONN_BACKEND: [RegExp, Backend][] = [
  [/\b(?:Async)?PgConnection\b/, 'pg'],
  [/\b(?:Async)?MysqlConnection\b/, 'mysql'],
  [/\bSqliteConnection\b/, 'sqlite'],
];

const BACKEND_WORDS: [RegExp, Backend][] = [
  [/\b(?:pg|postgres(?:ql)?)\b/i, 'pg'],
  [/\b(?:mysql|mariadb)\b/i, 'mysql'],
  [/\bsqlite3?\b/i, 'sqlite'],
];
const BACKEND_PATHS: [RegExp, Backend][] = [
  [/\bdiesel::pg::/, 'pg'],
  [/\bdiesel::mysql::/, 'mysql'],
  [/\bdiesel::sqlite::/, 'sqlite'],
];

/**
 * What diesel.toml says about the database `diesel print-schema` ran against: backend SQL types
 * in `import_types` (`diesel::pg::sql_types::*`), a Postgres `schema = "…"` namespace, SQLite's
 * `sqlite_integer_primary_key_is_bigint`, a migrations folder per backend (`migrations/postgres`).
 */
export function dieselTomlBackends(text: string | undefined): Backend[] {
  if (!text) return [];
  let doc: TomlTable;
  try {
    doc = parseToml(text) as TomlTable;
  } catch {
    return [];
  }
  const out = new Set<Backend>();
  const sections = [doc.print_schema, ...(isTable(doc.print_schema) ? Object.values(doc.print_schema).filter(isTable) : [])].filter(isTable);
  for (const ps of sections) {
    const imports = Array.isArray(ps.import_types) ? ps.import_types.filter((x): x is string => typeof x === 'string').join(' ') : '';
    for (const [re, b] of BACKEND_PATHS) if (re.test(imports)) out.add(b);
    if (typeof ps.schema === 'string' || Array.isArray(ps.schemas)) out.add('pg');
    if ('sqlite_integer_primary_key_is_bigint' in ps) out.add('sqlite');
  }
  const dir = isTable(doc.migrations_directory) && typeof doc.migrations_directory.dir === 'string' ? doc.migrations_directory.dir : '';
  for (const [re, b] of BACKEND_WORDS) if (re.test(dir.replace(/[/_.-]+/g, ' '))) out.add(b);
  return [...out];
}

/**
 * The backend: the one diesel's features enable; with several (or none), the one diesel.toml, the
 * structs' `check_for_backend`, the schema's SQL types and the existing functions' connection
 * types point to; else PostgreSQL with `neutral` set.
 */
async function inferBackend(project: ProjectInfo): Promise<{ backend: Backend; known: boolean; neutral?: Backend[]; enabled: Backend[] }> {
  const enabled = project.cargo?.backends ?? [];
  if (enabled.length === 1) return { backend: enabled[0]!, known: true, enabled };
  const votes = new Map<Backend, number>();
  const vote = (b: Backend, n = 1): void => {
    if (!enabled.length || enabled.includes(b)) votes.set(b, (votes.get(b) ?? 0) + n);
  };
  // diesel.toml is written for the database the developer prints the schema from: the strongest hint.
  const toml = project.dieselTomlPath ? await project.fs.readFile(project.dieselTomlPath) : undefined;
  for (const b of dieselTomlBackends(toml)) vote(b, 3);
  for (const s of project.files.flatMap((f) => f.structs)) for (const [re, b] of BACKEND_PATHS) if (s.checkForBackend.some((x) => re.test(`${x}::`))) vote(b, 2);
  const types = project.schema.tables.flatMap((t) => t.columns.map((c) => c.sqlType)).join(' ');
  for (const [re, b] of BACKEND_SQL_TYPES) if (re.test(types)) vote(b, 2);
  for (const f of project.files) {
    const sigs = [...f.functions, ...f.impls.flatMap((i) => i.functions)].map((x) => x.signature).join('\n');
    for (const [re, b] of CONN_BACKEND) if (re.test(sigs)) vote(b);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length && (ranked.length === 1 || ranked[0]![1] > ranked[1]![1])) return { backend: ranked[0]![0], known: true, enabled };
  const neutral: Backend[] = enabled.length ? enabled : ['pg', 'mysql', 'sqlite'];
  return { backend: enabled[0] ?? 'pg', known: false, neutral, enabled };
}

export async function projectStyle(project: ProjectInfo): Promise<ProjectStyle> {
  const cargo = project.cargo;
  const inferred = await inferBackend(project);
  const backend: Backend = inferred.backend;
  const isAsync = cargo?.async ?? false;
  const cargoText = project.cargoPath ? await project.fs.readFile(project.cargoPath) : undefined;
  const depFeatures = dependencyFeatures(cargoText);
  const deps = new Set(depFeatures.keys());
  const features = cargo?.dieselFeatures ?? [];
  const dateTime = features.includes('time') && !features.includes('chrono') ? 'time' : 'chrono';
  const schemaFile = project.schemaPaths[0];
  const schemaModule = (schemaFile && modulePathOf(schemaFile, project.crateDir)) || 'crate::schema';
  return {
    backend,
    backendKnown: inferred.known,
    async: isAsync,
    diesel1: /^\D*1(?:\.|$)/.test(cargo?.dieselVersion ?? ''),
    ...(inferred.neutral ? { neutralBackends: inferred.neutral, checkBackends: inferred.enabled.map((b) => BACKEND_PATH[b]) } : {}),
    connType: connTypeFor(backend, isAsync),
    backendPath: BACKEND_PATH[backend],
    backendName: BACKEND_NAME[backend],
    dateTime,
    deps,
    depFeatures,
    serde: deps.has('serde'),
    schemaModule: schemaModule === 'crate' ? 'crate' : schemaModule,
  };
}

/** A short description of the conventions, for prompts: `PostgreSQL, Diesel 2, sync: conn: &mut PgConnection`. */
export function describeStyle(style: ProjectStyle): string {
  const mode = style.async ? 'diesel-async (every query is awaited with `.await`)' : 'synchronous';
  return `${style.backendName}, Diesel ${style.diesel1 ? '1.x' : '2'}, ${mode}; functions take \`conn: ${style.diesel1 ? '&' : '&mut '}${style.connType}\``;
}

export const joinPosix = (...parts: string[]): string => posix.join(...parts.filter((p) => p !== ''));
