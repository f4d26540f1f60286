import type { Database } from './sqljs';
import { queryAll } from './sqljs';
import { putText } from './texts';

/**
 * Schema history, oldest first. The database's `PRAGMA user_version` is the last version applied.
 * Never edit a released migration: add a new one. Tests keep frozen SQL of every earlier version
 * (test/unit/store/fixtures) and open them with the current code.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

const V1 = `
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  phase TEXT NOT NULL,
  rounds INTEGER NOT NULL,
  summary TEXT,
  summary_confirmed INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  author TEXT NOT NULL,
  content TEXT NOT NULL,
  questions TEXT,
  answers TEXT,
  summary TEXT,
  run_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_by_session ON messages(session_id, created_at);
CREATE TABLE epics (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX epics_by_session ON epics(session_id);
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  epic_id TEXT NOT NULL REFERENCES epics(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  acceptance_criteria TEXT NOT NULL,
  role TEXT NOT NULL,
  state TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  mode TEXT,
  target TEXT,
  request TEXT,
  technical_notes TEXT,
  data_contract TEXT,
  blocked_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_by_epic ON tasks(epic_id);
CREATE INDEX tasks_by_state ON tasks(state);
CREATE TABLE task_events (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  by_role TEXT NOT NULL,
  at INTEGER NOT NULL,
  why TEXT
);
CREATE INDEX task_events_by_task ON task_events(task_id, at);
CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks(id),
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comments_by_task ON comments(task_id, created_at);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  parent_run_id TEXT,
  role TEXT NOT NULL,
  mode TEXT,
  task_id TEXT,
  session_id TEXT,
  base_url TEXT NOT NULL,
  model TEXT NOT NULL,
  params TEXT NOT NULL,
  messages TEXT NOT NULL,
  raw TEXT NOT NULL,
  reasoning TEXT NOT NULL,
  extracted TEXT,
  diagnostics TEXT NOT NULL,
  usage TEXT,
  timings TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT
);
CREATE INDEX runs_by_task ON runs(task_id, started_at);
CREATE INDEX runs_by_session ON runs(session_id, started_at);
`;

/** v2: proposals (change sets awaiting the user's decision) and the user's rejection of a run. */
const V2 = `
CREATE TABLE proposals (
  id TEXT PRIMARY KEY,
  run_id TEXT,
  task_id TEXT,
  root TEXT NOT NULL,
  change_set TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  rejection_reason TEXT
);
CREATE INDEX proposals_by_status ON proposals(status, created_at);
CREATE INDEX proposals_by_task ON proposals(task_id);
ALTER TABLE runs ADD COLUMN rejection TEXT;
`;

/**
 * v3: large texts move to the content-addressed, gzipped `texts` table (see texts.ts for the
 * measurements). runs.messages becomes a JSON array of {role, text: key}; runs.raw/reasoning/
 * extracted and proposals.change_set hold keys.
 */
function v3(db: Database): void {
  db.exec('CREATE TABLE texts (key TEXT PRIMARY KEY, size INTEGER NOT NULL, gz BLOB NOT NULL);');
  for (const row of queryAll(db, 'SELECT id, messages, raw, reasoning, extracted FROM runs')) {
    const messages = parseJsonArray(row.messages, `run ${String(row.id)} messages`).map((m) => {
      const msg = m as { role?: unknown; content?: unknown };
      return { role: msg.role, text: putText(db, typeof msg.content === 'string' ? msg.content : '') };
    });
    db.run('UPDATE runs SET messages = ?, raw = ?, reasoning = ?, extracted = ? WHERE id = ?', [
      JSON.stringify(messages),
      putText(db, String(row.raw ?? '')),
      putText(db, String(row.reasoning ?? '')),
      typeof row.extracted === 'string' ? putText(db, row.extracted) : null,
      String(row.id),
    ]);
  }
  for (const row of queryAll(db, 'SELECT id, change_set FROM proposals')) {
    db.run('UPDATE proposals SET change_set = ? WHERE id = ?', [putText(db, String(row.change_set ?? '')), String(row.id)]);
  }
}

/**
 * v4: the epic's "accept automatically when every check passes" toggle (NULL: off), and the
 * checks' verdict kept with each proposal (JSON; NULL on proposals made before).
 */
const V4 = `
ALTER TABLE epics ADD COLUMN auto_accept INTEGER;
ALTER TABLE proposals ADD COLUMN checks TEXT;
`;

/**
 * v5: each run's `cargo check` of its proposed change (JSON in the `texts` table: the compiler's
 * output can be long; NULL on runs made before, or when no check was asked for).
 */
const V5 = `
ALTER TABLE runs ADD COLUMN compile TEXT;
`;

/**
 * v6: facts about the file itself rather than the user's data; `journal_epoch` names the journal
 * (`<db>.journal`, see journalFile.ts) that continues this file.
 */
const V6 = `
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

function parseJsonArray(v: unknown, what: string): unknown[] {
  const parsed: unknown = JSON.parse(String(v));
  if (!Array.isArray(parsed)) throw new Error(`${what} is not a JSON array`);
  return parsed;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'base schema', up: (db) => db.exec(V1) },
  { version: 2, name: 'proposals and run rejection', up: (db) => db.exec(V2) },
  { version: 3, name: 'compressed, content-addressed large texts', up: v3 },
  { version: 4, name: 'auto-accept per epic, checks per proposal', up: (db) => db.exec(V4) },
  { version: 5, name: 'compile check per run', up: (db) => db.exec(V5) },
  { version: 6, name: 'store metadata (journal epoch)', up: (db) => db.exec(V6) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function userVersion(db: Database): number {
  const v = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  return typeof v === 'number' ? v : 0;
}

/** Applies every migration newer than the database, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database): number[] {
  const applied: number[] = [];
  const from = userVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.exec('BEGIN');
    try {
      m.up(db);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw new Error(`Migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    applied.push(m.version);
  }
  return applied;
}
