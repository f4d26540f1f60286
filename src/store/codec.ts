import type { z } from 'zod';
import { Comment, Epic, Message, Proposal, RunRecord, Session, Task, TaskEvent } from '../domain';
import { describeIssues, StoreDataError, StoreValidationError } from './errors';
import type { Database, SqlValue } from './sqljs';
import { getText, putText } from './texts';
import type { StoreTable } from './types';

/**
 * How a domain field is stored. `json` columns hold JSON text; `textRef`/`jsonRef` hold a key into
 * the compressed `texts` table; `messageRefs` is a run's messages with each content in `texts`
 * (system prompts repeat across runs, so they are stored once).
 */
type Kind = 'text' | 'num' | 'bool' | 'json' | 'textRef' | 'jsonRef' | 'messageRefs';

interface Col {
  field: string;
  col: string;
  kind: Kind;
}

export interface EntitySpec<T = unknown> {
  table: StoreTable;
  schema: z.ZodType<T>;
  cols: readonly Col[];
  /** Columns computed from the object for indexing/sorting; not read back. */
  derived?: readonly { col: string; get(o: T): SqlValue }[];
  /** Rows other rows must exist for (checked on write, so errors name the missing row). */
  refs?: readonly { field: string; table: StoreTable }[];
  hasUpdatedAt: boolean;
}

const c = (field: string, kind: Kind = 'text', col = field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)): Col => ({ field, col, kind });

export const SPECS = {
  sessions: {
    table: 'sessions',
    schema: Session,
    cols: [c('id'), c('title'), c('phase'), c('rounds', 'num'), c('summary', 'json'), c('summaryConfirmed', 'bool'), c('createdAt', 'num'), c('updatedAt', 'num')],
    hasUpdatedAt: true,
  } satisfies EntitySpec<Session>,
  messages: {
    table: 'messages',
    schema: Message,
    cols: [c('id'), c('sessionId'), c('author'), c('content'), c('questions', 'json'), c('answers', 'json'), c('summary', 'json'), c('runId'), c('createdAt', 'num')],
    refs: [{ field: 'sessionId', table: 'sessions' }],
    hasUpdatedAt: false,
  } satisfies EntitySpec<Message>,
  epics: {
    table: 'epics',
    schema: Epic,
    cols: [c('id'), c('sessionId'), c('title'), c('description'), c('autoAccept', 'bool'), c('createdAt', 'num')],
    refs: [{ field: 'sessionId', table: 'sessions' }],
    hasUpdatedAt: false,
  } satisfies EntitySpec<Epic>,
  tasks: {
    table: 'tasks',
    schema: Task,
    cols: [
      c('id'),
      c('epicId'),
      c('title'),
      c('description'),
      c('acceptanceCriteria', 'json'),
      c('role'),
      c('state'),
      c('dependsOn', 'json'),
      c('mode'),
      c('target', 'json'),
      c('request'),
      c('technicalNotes'),
      c('dataContract'),
      c('blockedReason'),
      c('createdAt', 'num'),
      c('updatedAt', 'num'),
    ],
    refs: [{ field: 'epicId', table: 'epics' }],
    hasUpdatedAt: true,
  } satisfies EntitySpec<Task>,
  task_events: {
    table: 'task_events',
    schema: TaskEvent,
    cols: [c('id'), c('taskId'), c('from', 'text', 'from_state'), c('to', 'text', 'to_state'), c('by', 'text', 'by_role'), c('at', 'num'), c('why')],
    refs: [{ field: 'taskId', table: 'tasks' }],
    hasUpdatedAt: false,
  } satisfies EntitySpec<TaskEvent>,
  comments: {
    table: 'comments',
    schema: Comment,
    cols: [c('id'), c('taskId'), c('author'), c('body'), c('createdAt', 'num')],
    refs: [{ field: 'taskId', table: 'tasks' }],
    hasUpdatedAt: false,
  } satisfies EntitySpec<Comment>,
  runs: {
    table: 'runs',
    schema: RunRecord,
    cols: [
      c('id'),
      c('parentRunId'),
      c('role'),
      c('mode'),
      c('taskId'),
      c('sessionId'),
      c('baseUrl'),
      c('model'),
      c('params', 'json'),
      c('messages', 'messageRefs'),
      c('raw', 'textRef'),
      c('reasoning', 'textRef'),
      c('extracted', 'textRef'),
      c('diagnostics', 'json'),
      c('usage', 'json'),
      c('timings', 'json'),
      c('outcome'),
      c('error'),
      c('rejection', 'json'),
      c('compile', 'jsonRef'),
    ],
    derived: [{ col: 'started_at', get: (r: RunRecord) => r.timings.startedAt }],
    hasUpdatedAt: false,
  } satisfies EntitySpec<RunRecord>,
  proposals: {
    table: 'proposals',
    schema: Proposal,
    cols: [c('id'), c('runId'), c('taskId'), c('root'), c('changeSet', 'jsonRef'), c('status'), c('createdAt', 'num'), c('decidedAt', 'num'), c('rejectionReason'), c('checks', 'json')],
    hasUpdatedAt: false,
  } satisfies EntitySpec<Proposal>,
} as const;

export type EntityTable = keyof typeof SPECS;
export type EntityOf<K extends EntityTable> = z.infer<(typeof SPECS)[K]['schema']>;

export function specOf(table: EntityTable): EntitySpec {
  return SPECS[table] as unknown as EntitySpec;
}

/** Validates an object about to be written; throws StoreValidationError naming the fields. */
export function validateForWrite<T>(spec: EntitySpec<T>, value: unknown): T {
  const r = spec.schema.safeParse(value);
  if (!r.success) {
    const id = typeof (value as { id?: unknown })?.id === 'string' ? (value as { id: string }).id : undefined;
    throw new StoreValidationError(spec.table, id, describeIssues(r.error.issues));
  }
  return r.data;
}

/** Column names and values for an already validated object. Writes large texts into `texts`. */
export function encodeRow(db: Database, spec: EntitySpec, obj: unknown): { cols: string[]; values: SqlValue[] } {
  const o = obj as Record<string, unknown>;
  const cols: string[] = [];
  const values: SqlValue[] = [];
  for (const col of spec.cols) {
    cols.push(col.col);
    values.push(encodeValue(db, col, o[col.field]));
  }
  for (const d of spec.derived ?? []) {
    cols.push(d.col);
    values.push(d.get(obj));
  }
  return { cols, values };
}

function encodeValue(db: Database, col: Col, v: unknown): SqlValue {
  if (v === undefined || v === null) return null;
  switch (col.kind) {
    case 'text':
    case 'num':
      return v as string | number;
    case 'bool':
      return v ? 1 : 0;
    case 'json':
      return JSON.stringify(v);
    case 'textRef':
      return putText(db, v as string);
    case 'jsonRef':
      return putText(db, JSON.stringify(v));
    case 'messageRefs':
      return JSON.stringify((v as { role: string; content: string }[]).map((m) => ({ role: m.role, text: putText(db, m.content) })));
  }
}

/** A stored row back to a domain object; throws StoreDataError saying which column or field is wrong. */
export function decodeRow<T>(db: Database, spec: EntitySpec<T>, row: Record<string, unknown>): T {
  const id = String(row.id);
  const obj: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const col of spec.cols) {
    const raw = row[col.col];
    if (raw === null || raw === undefined) continue;
    try {
      obj[col.field] = decodeValue(db, col, raw);
    } catch (e) {
      problems.push(`column ${col.col}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (problems.length) throw new StoreDataError(spec.table, id, problems.join('; '));
  const r = spec.schema.safeParse(obj);
  if (!r.success) {
    const details = r.error.issues
      .map((i) => {
        const field = String(i.path[0] ?? '');
        const col = spec.cols.find((x) => x.field === field)?.col;
        return `${i.path.map(String).join('.') || '(row)'}${col && col !== field ? ` (column ${col})` : ''}: ${i.message}`;
      })
      .join('; ');
    throw new StoreDataError(spec.table, id, details);
  }
  return r.data;
}

function decodeValue(db: Database, col: Col, raw: unknown): unknown {
  switch (col.kind) {
    case 'text':
    case 'num':
      return raw;
    case 'bool':
      return raw === 1 ? true : raw === 0 ? false : raw;
    case 'json':
      return parseJson(raw);
    case 'textRef':
      return loadText(db, raw);
    case 'jsonRef':
      return parseJson(loadText(db, raw));
    case 'messageRefs': {
      const refs = parseJson(raw);
      if (!Array.isArray(refs)) throw new Error('expected a JSON array of message references');
      return refs.map((m: { role?: unknown; text?: unknown }) => ({ role: m?.role, content: loadText(db, m?.text) }));
    }
  }
}

function parseJson(raw: unknown): unknown {
  if (typeof raw !== 'string') throw new Error(`expected JSON text, found ${raw instanceof Uint8Array ? 'binary data' : typeof raw}`);
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new Error(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

function loadText(db: Database, key: unknown): string {
  if (typeof key !== 'string') throw new Error('expected a text key');
  const text = getText(db, key);
  if (text === undefined) throw new Error(`stored text ${key.slice(0, 12)}… is missing or damaged`);
  return text;
}
