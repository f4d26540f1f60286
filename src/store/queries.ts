import type { EntitySpec } from './codec';
import { decodeRow } from './codec';
import { StoreDataError } from './errors';
import type { Database } from './sqljs';
import { queryAll, queryOne } from './sqljs';

export type Param = string | number | null;

export function rowExists(db: Database, table: string, id: string): boolean {
  return queryOne(db, `SELECT 1 AS x FROM ${table} WHERE id = ?`, [id]) !== undefined;
}

/** One row by id; throws StoreDataError when it exists but is not valid. */
export function getById<T>(db: Database, spec: EntitySpec<T>, id: string): T | undefined {
  const row = queryOne(db, `SELECT * FROM ${spec.table} WHERE id = ?`, [id]);
  return row ? decodeRow(db, spec, row) : undefined;
}

/**
 * Valid rows matching `where`. Invalid rows are skipped and handed to `onInvalid`, so one damaged
 * row does not hide a whole board. `where`/`order` are fixed SQL from this module's callers.
 */
export function listWhere<T>(db: Database, spec: EntitySpec<T>, where: string, params: Param[], order: string, onInvalid: (e: StoreDataError) => void): T[] {
  const out: T[] = [];
  for (const row of queryAll(db, `SELECT * FROM ${spec.table}${where ? ` WHERE ${where}` : ''} ORDER BY ${order}`, params)) {
    try {
      out.push(decodeRow(db, spec, row));
    } catch (e) {
      if (e instanceof StoreDataError) onInvalid(e);
      else throw e;
    }
  }
  return out;
}
