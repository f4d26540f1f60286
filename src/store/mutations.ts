import type { Task, TaskEvent } from '../domain';
import { checkTransition, IllegalTransitionError } from '../domain';
import type { EntitySpec, EntityTable } from './codec';
import { encodeRow, specOf, SPECS, validateForWrite } from './codec';
import { StoreNotFoundError, StoreValidationError } from './errors';
import { getById, rowExists } from './queries';
import type { Database } from './sqljs';
import type { StoreTable } from './types';

/**
 * A change as kept in the journal of unsaved changes. When another window saved in between, the
 * journal is re-applied to its file, so every mutation must be safe to apply again and carry
 * enough to be re-checked: inserts are by id, patches name only the fields that changed, and a
 * transition carries its event id (applied once) and is re-checked against the task's new state.
 */
export type Mutation =
  | { op: 'insert'; table: EntityTable; row: Record<string, unknown> }
  | { op: 'patch'; table: EntityTable; id: string; patch: Record<string, unknown>; at: number }
  | { op: 'transition'; event: TaskEvent };

/** `live`: the caller's own write, errors throw. `replay`: re-applying after a reload, conflicts are reported. */
export type ApplyMode = 'live' | 'replay';

export type ApplyResult = { ok: true; value: unknown; tables: StoreTable[] } | { ok: false; table: StoreTable; id: string; conflict: string };

export function applyMutation(db: Database, m: Mutation, mode: ApplyMode): ApplyResult {
  db.exec('BEGIN');
  try {
    const r = apply(db, m, mode);
    db.exec(r.ok ? 'COMMIT' : 'ROLLBACK');
    return r;
  } catch (e) {
    db.exec('ROLLBACK');
    if (mode === 'live') throw e;
    const { table, id } = target(m);
    return { ok: false, table, id, conflict: e instanceof Error ? e.message : String(e) };
  }
}

function target(m: Mutation): { table: StoreTable; id: string } {
  if (m.op === 'transition') return { table: 'tasks', id: m.event.taskId };
  return { table: m.table, id: m.op === 'insert' ? String(m.row.id) : m.id };
}

function apply(db: Database, m: Mutation, mode: ApplyMode): ApplyResult {
  switch (m.op) {
    case 'insert':
      return insert(db, specOf(m.table), m.row, mode);
    case 'patch':
      return patch(db, specOf(m.table), m.id, m.patch, m.at);
    case 'transition':
      return transition(db, m.event, mode);
  }
}

function checkRefs(db: Database, spec: EntitySpec, obj: Record<string, unknown>): void {
  for (const ref of spec.refs ?? []) {
    const id = obj[ref.field];
    if (typeof id === 'string' && !rowExists(db, ref.table, id)) throw new StoreNotFoundError(ref.table, id);
  }
}

function writeRow(db: Database, spec: EntitySpec, obj: unknown, verb: 'INSERT' | 'INSERT OR IGNORE' | 'UPDATE'): void {
  const { cols, values } = encodeRow(db, spec, obj);
  if (verb === 'UPDATE') {
    db.run(`UPDATE ${spec.table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...values, String((obj as { id: string }).id)]);
  } else {
    db.run(`${verb} INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, values);
  }
}

function insert(db: Database, spec: EntitySpec, row: Record<string, unknown>, mode: ApplyMode): ApplyResult {
  const obj = validateForWrite(spec, row) as Record<string, unknown>;
  const id = String(obj.id);
  if (rowExists(db, spec.table, id)) {
    // Replaying our own insert: it is already there (ids are random, so it cannot be someone else's row).
    if (mode === 'replay') return { ok: true, value: obj, tables: [] };
    throw new StoreValidationError(spec.table, id, 'a row with this id already exists');
  }
  checkRefs(db, spec, obj);
  writeRow(db, spec, obj, 'INSERT');
  return { ok: true, value: obj, tables: [spec.table] };
}

/** Applies a patch: `null` clears a field, `undefined` leaves it. */
export function mergePatch<T extends object>(current: T, patch: Record<string, unknown>): T {
  const out = { ...current } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as T;
}

function patch(db: Database, spec: EntitySpec, id: string, p: Record<string, unknown>, at: number): ApplyResult {
  for (const k of ['id', 'createdAt', 'updatedAt'] as const) {
    if (k in p) throw new StoreValidationError(spec.table, id, `${k} cannot be changed`);
  }
  if (spec.table === 'tasks' && 'state' in p) throw new StoreValidationError(spec.table, id, 'state changes go through transitionTask, which records the event');
  const current = getById(db, spec, id);
  if (current === undefined) throw new StoreNotFoundError(spec.table, id);
  const merged = mergePatch(current as Record<string, unknown>, p);
  if (spec.hasUpdatedAt) merged.updatedAt = at;
  const obj = validateForWrite(spec, merged) as Record<string, unknown>;
  checkRefs(db, spec, obj);
  writeRow(db, spec, obj, 'UPDATE');
  return { ok: true, value: obj, tables: [spec.table] };
}

function transition(db: Database, event: TaskEvent, mode: ApplyMode): ApplyResult {
  if (rowExists(db, 'task_events', event.id)) {
    if (mode === 'live') throw new StoreValidationError('task_events', event.id, 'a task event with this id already exists');
    return { ok: true, value: undefined, tables: [] };
  }
  const task = getById(db, SPECS.tasks, event.taskId);
  if (!task) throw new StoreNotFoundError('tasks', event.taskId);
  // Another window may have moved the task since: re-check from its current state.
  if (mode === 'replay' && task.state !== event.from) {
    try {
      checkTransition(task, event);
    } catch (e) {
      if (!(e instanceof IllegalTransitionError)) throw e;
      return {
        ok: false,
        table: 'tasks',
        id: task.id,
        conflict: `Task "${task.title}" was changed in another window (now "${task.state}"), so its move to "${event.to}" was not applied: ${e.message}`,
      };
    }
  } else {
    checkTransition(task, event);
  }
  const ev = validateForWrite(SPECS.task_events, { ...event, from: task.state });
  const next: Task = { ...task, state: ev.to, updatedAt: ev.at };
  if (ev.to === 'blocked') next.blockedReason = ev.why;
  else if (task.state === 'blocked') delete next.blockedReason;
  writeRow(db, SPECS.tasks, validateForWrite(SPECS.tasks, next), 'UPDATE');
  writeRow(db, SPECS.task_events, ev, 'INSERT');
  return { ok: true, value: { task: next, event: ev }, tables: ['tasks', 'task_events'] };
}
