import { parse as parseToml, TomlError } from 'smol-toml';
import { diag, type Diagnostic } from '../core/diagnostics';
import type { Backend, CargoInfo } from './types';

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Diesel and diesel-async features that select a backend (`*_backend` ones build without the C client). */
const BACKEND_FEATURES: Record<string, Backend> = {
  postgres: 'pg',
  postgres_backend: 'pg',
  mysql: 'mysql',
  mysql_backend: 'mysql',
  sqlite: 'sqlite',
  // diesel-async reaches SQLite through its sync wrapper.
  'sync-connection-wrapper': 'sqlite',
};

interface Dep {
  version?: string;
  features: string[];
  workspace: boolean;
}

/** Every dependency table: `[dependencies]`, and the per-target ones (`[target.'cfg(..)'.dependencies]`). */
function dependencyTables(doc: Table): Table[] {
  const out: Table[] = [];
  if (isTable(doc.dependencies)) out.push(doc.dependencies);
  if (isTable(doc.target)) for (const t of Object.values(doc.target)) if (isTable(t) && isTable(t.dependencies)) out.push(t.dependencies);
  return out;
}

/** A dependency by crate name, also when renamed (`pg = { package = "diesel" }`). */
function findDep(tables: Table[], crate: string, workspaceDeps: Table | undefined): Dep | undefined {
  for (const deps of tables) {
    for (const [key, spec] of Object.entries(deps)) {
      const pkg = isTable(spec) && typeof spec.package === 'string' ? spec.package : key;
      if (pkg !== crate) continue;
      const dep: Dep = { features: [], workspace: false };
      if (typeof spec === 'string') dep.version = spec;
      else if (isTable(spec)) {
        if (typeof spec.version === 'string') dep.version = spec.version;
        if (Array.isArray(spec.features)) dep.features = spec.features.filter((f): f is string => typeof f === 'string');
        if (spec.workspace === true) {
          dep.workspace = true;
          const inherited = workspaceDeps ? findDep([workspaceDeps], crate, undefined) : undefined;
          if (inherited) {
            dep.version ??= inherited.version;
            dep.features = [...new Set([...inherited.features, ...dep.features])];
          }
        }
      }
      return dep;
    }
  }
  return undefined;
}

/** Features of `crate` turned on through this package's default features (`default = ["postgres"]`, `postgres = ["diesel/postgres"]`). */
function featuresViaDefaults(doc: Table, depKeys: Set<string>): string[] {
  const features = isTable(doc.features) ? doc.features : undefined;
  if (!features) return [];
  const out = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const list = features[name];
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const m = /^([\w-]+)\??\/([\w-]+)$/.exec(item);
      if (m) {
        if (depKeys.has(m[1]!)) out.add(m[2]!);
      } else if (!item.startsWith('dep:')) visit(item);
    }
  };
  visit('default');
  return [...out];
}

function depKeysFor(tables: Table[], crate: string): Set<string> {
  const keys = new Set<string>();
  for (const deps of tables)
    for (const [key, spec] of Object.entries(deps)) if ((isTable(spec) && typeof spec.package === 'string' ? spec.package : key) === crate) keys.add(key);
  return keys;
}

function backendsOf(features: readonly string[]): Backend[] {
  const out: Backend[] = [];
  for (const f of features) {
    const b = BACKEND_FEATURES[f];
    if (b && !out.includes(b)) out.push(b);
  }
  return out;
}

/**
 * Reads what code generation needs from a Cargo.toml: diesel's version and backends,
 * diesel-async, actix-web. `workspaceText` is the workspace root's Cargo.toml, for
 * `diesel = { workspace = true }`. Malformed TOML gives diagnostics, never an exception.
 */
export function readCargo(text: string, opts: { file?: string; workspaceText?: string } = {}): CargoInfo {
  const diagnostics: Diagnostic[] = [];
  const info: CargoInfo = { backends: [], async: false, actix: false, diagnostics };
  const at = opts.file ? { file: opts.file } : {};
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (err) {
    const line = err instanceof TomlError ? err.line : undefined;
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    diagnostics.push(diag('error', 'cargo-toml', `Cargo.toml is not valid TOML: ${message}`, { ...at, ...(line ? { line } : {}) }));
    return info;
  }
  let workspaceDeps: Table | undefined;
  if (isTable(doc.workspace)) {
    info.workspace = true;
    if (isTable(doc.workspace.dependencies)) workspaceDeps = doc.workspace.dependencies;
  }
  if (!workspaceDeps && opts.workspaceText) {
    try {
      const ws = parseToml(opts.workspaceText) as Table;
      if (isTable(ws.workspace) && isTable(ws.workspace.dependencies)) workspaceDeps = ws.workspace.dependencies;
    } catch {
      diagnostics.push(diag('warning', 'cargo-toml', 'The workspace Cargo.toml is not valid TOML; inherited dependencies are unknown.', at));
    }
  }
  if (isTable(doc.package) && typeof doc.package.name === 'string') info.packageName = doc.package.name;

  const tables = dependencyTables(doc);
  const diesel = findDep(tables, 'diesel', workspaceDeps);
  if (diesel) {
    if (diesel.version) info.dieselVersion = diesel.version;
    const features = [...new Set([...diesel.features, ...featuresViaDefaults(doc, depKeysFor(tables, 'diesel'))])];
    info.dieselFeatures = features;
    info.backends = backendsOf(features);
  }
  const dieselAsync = findDep(tables, 'diesel-async', workspaceDeps);
  if (dieselAsync) {
    info.async = true;
    if (dieselAsync.version) info.dieselAsyncVersion = dieselAsync.version;
    const features = [...dieselAsync.features, ...featuresViaDefaults(doc, depKeysFor(tables, 'diesel-async'))];
    for (const b of backendsOf(features)) if (!info.backends.includes(b)) info.backends.push(b);
  }
  const actix = findDep(tables, 'actix-web', workspaceDeps);
  if (actix) {
    info.actix = true;
    if (actix.version) info.actixVersion = actix.version;
  }
  if (info.backends[0]) info.backend = info.backends[0];
  if (!diesel && !dieselAsync && !info.workspace) diagnostics.push(diag('info', 'no-diesel', 'Cargo.toml has no diesel dependency.', at));
  else if (diesel && info.backends.length === 0)
    diagnostics.push(diag('warning', 'no-backend', 'diesel has no backend feature (postgres, mysql or sqlite) enabled in Cargo.toml.', at));
  return info;
}
