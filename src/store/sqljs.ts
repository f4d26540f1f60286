import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlJsStatic } from 'sql.js';
import initSqlJs from 'sql.js/dist/sql-wasm.js';

export type { Database, SqlJsStatic, SqlValue } from 'sql.js';

const WASM = 'sql-wasm.wasm';
const loaded = new Map<string, Promise<SqlJsStatic>>();

/** dist/sql-wasm.wasm beside the bundle when bundled (the build copies it there), else the package's own. */
export function defaultWasmDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (existsSync(path.join(here, WASM))) return here;
  return path.dirname(createRequire(import.meta.url).resolve(`sql.js/dist/${WASM}`));
}

/** Loads sql.js once per wasm folder. */
export function loadSqlJs(wasmDir = defaultWasmDir()): Promise<SqlJsStatic> {
  let p = loaded.get(wasmDir);
  if (!p) {
    p = initSqlJs({ locateFile: (f: string) => path.join(wasmDir, f) });
    p.catch(() => loaded.delete(wasmDir));
    loaded.set(wasmDir, p);
  }
  return p;
}

/** Rows of a query as plain objects. Statements are freed at once: `Database.export()` frees them anyway. */
export function queryAll(db: Database, sql: string, params: (string | number | null)[] = []): Record<string, unknown>[] {
  const st = db.prepare(sql);
  try {
    st.bind(params);
    const out: Record<string, unknown>[] = [];
    while (st.step()) out.push(st.getAsObject());
    return out;
  } finally {
    st.free();
  }
}

export function queryOne(db: Database, sql: string, params: (string | number | null)[] = []): Record<string, unknown> | undefined {
  return queryAll(db, sql, params)[0];
}
