import { parse as parseToml } from 'smol-toml';
import type { ProjectFs } from '../../src/core/projectFs';
import type { ProjectInfo } from '../../src/rust';
import { joinPosix } from './style';

/**
 * The migrations folder, and what its SQL says about column defaults. Struct generation leaves
 * out of `New…` the columns the database fills itself (serial keys, `DEFAULT CURRENT_TIMESTAMP`),
 * which `table!` cannot tell.
 */

/** `migrations_directory.dir` from diesel.toml (relative to it), else `migrations` beside Cargo.toml. */
export async function migrationsDir(project: ProjectInfo): Promise<string> {
  if (project.dieselTomlPath) {
    const text = await project.fs.readFile(project.dieselTomlPath);
    try {
      const doc = parseToml(text ?? '') as { migrations_directory?: { dir?: unknown } };
      const dir = doc.migrations_directory?.dir;
      if (typeof dir === 'string' && dir.trim() && !dir.startsWith('/') && !dir.split('/').includes('..')) {
        const base = project.dieselTomlPath.includes('/') ? project.dieselTomlPath.slice(0, project.dieselTomlPath.lastIndexOf('/')) : '';
        return joinPosix(base, dir.replace(/^\.\//, '').replace(/\/$/, ''));
      }
    } catch {
      // a broken diesel.toml is reported by src/rust; fall back to the default folder
    }
  }
  return joinPosix(project.crateDir, 'migrations');
}

/** Splits SQL at top-level commas (parentheses nest; quotes respected). */
function splitTopLevel(sql: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const unquote = (name: string): string => name.replace(/^["`[]|["`\]]$/g, '').toLowerCase();

/** Columns the database fills by itself, per table: `{ orders: Set(['id', 'created_at', 'status']) }`. */
export function defaultsFromSql(sql: string, into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const clean = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const add = (table: string, col: string): void => {
    const t = unquote(table.split('.').pop()!);
    if (!into.has(t)) into.set(t, new Set());
    into.get(t)!.add(unquote(col));
  };
  const isDefaulted = (def: string): boolean => /\b(?:DEFAULT|SERIAL|BIGSERIAL|SMALLSERIAL|AUTOINCREMENT|AUTO_INCREMENT|GENERATED)\b/i.test(def);
  for (const m of clean.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([\w."`[\]]+)\s*\(/gi)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    while (i < clean.length && depth > 0) {
      if (clean[i] === '(') depth++;
      else if (clean[i] === ')') depth--;
      i++;
    }
    for (const part of splitTopLevel(clean.slice(start, i - 1))) {
      const def = part.trim();
      const col = /^([\w"`[\]]+)\s+/.exec(def)?.[1];
      if (!col || /^(?:PRIMARY|FOREIGN|UNIQUE|CHECK|CONSTRAINT|KEY|INDEX)$/i.test(col)) continue;
      // SQLite: an INTEGER PRIMARY KEY is the rowid, filled automatically.
      if (isDefaulted(def) || /^\S+\s+INTEGER\s+(?:NOT\s+NULL\s+)?PRIMARY\s+KEY\b/i.test(def)) add(m[1]!, col);
    }
  }
  for (const m of clean.matchAll(/ALTER\s+TABLE\s+([\w."`[\]]+)\s+ADD\s+(?:COLUMN\s+)?([\w"`[\]]+)\s+([^;]*)/gi)) {
    if (isDefaulted(m[3]!)) add(m[1]!, m[2]!);
  }
  return into;
}

/** Reads every `up.sql` under the migrations folder, in order. */
export async function columnDefaults(fs: ProjectFs, dir: string): Promise<Map<string, Set<string>>> {
  const files = (await fs.listFiles(dir, ['up.sql'])).sort();
  const out = new Map<string, Set<string>>();
  for (const f of files) defaultsFromSql((await fs.readFile(f)) ?? '', out);
  return out;
}

/** Diesel CLI's migration version: `2024-05-01-120000`. */
export function migrationTimestamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}-${p(date.getUTCMonth() + 1)}-${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}
