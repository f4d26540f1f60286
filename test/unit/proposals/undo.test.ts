import { mkdtempSync, mkdirSync, readdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it, expect, beforeEach } from 'vitest';
import { describeUndo, planUndo, type ListFolder } from '../../../src/proposals/undo';
import type { Proposal } from '../../../src/domain';
import type { ReadCurrent } from '../../../src/proposals/plan';

const read: ReadCurrent = async (_rel, abs) => (existsSync(abs) ? readFileSync(abs, 'utf8') : undefined);
const list: ListFolder = async (abs) => (existsSync(abs) ? readdirSync(abs) : undefined);

describe('planUndo', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  /** A table + migration proposal as it stands right after its accept. */
  const accepted = (): Pick<Proposal, 'status' | 'root' | 'changeSet'> => ({
    status: 'accepted',
    root,
    changeSet: {
      mode: 'diesel-schema',
      summary: 'table shows',
      files: [
        { path: 'src/schema.rs', original: 'table! { a (id) { id -> Int4, } }\n', proposed: 'table! { a (id) { id -> Int4, } }\ntable! { shows (id) { id -> Int4, } }\n', ops: [] },
        { path: 'migrations/2024_shows/up.sql', original: null, proposed: 'CREATE TABLE shows (id SERIAL PRIMARY KEY);\n', ops: [] },
        { path: 'migrations/2024_shows/down.sql', original: null, proposed: 'DROP TABLE shows;\n', ops: [] },
      ],
    },
  });

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'nocodo-undo-'));
    for (const f of accepted().changeSet.files) write(f.path, f.proposed);
    write('migrations/00000_init/up.sql', 'CREATE TABLE a (id SERIAL);\n');
  });

  it('puts back every file, deletes the created ones and the folder they emptied, never the migrations folder', async () => {
    const plan = await planUndo(accepted(), read, list);
    expect(plan.kind).toBe('undo');
    if (plan.kind !== 'undo') return;
    expect(plan.files.map((f) => `${f.kind} ${f.path}`)).toEqual(['restore src/schema.rs', 'delete migrations/2024_shows/up.sql', 'delete migrations/2024_shows/down.sql']);
    expect(plan.folders).toEqual([path.join(root, 'migrations', '2024_shows')]);
    expect(describeUndo(plan, root)).toBe('put back src/schema.rs; deleted migrations/2024_shows/up.sql, migrations/2024_shows/down.sql and the folder migrations/2024_shows/');
  });

  it('refuses the whole undo when one file was edited since, and names it', async () => {
    write('migrations/2024_shows/down.sql', 'DROP TABLE shows CASCADE;\n');
    const plan = await planUndo(accepted(), read, list);
    expect(plan).toEqual({ kind: 'refused', problems: ['migrations/2024_shows/down.sql was edited after the change was accepted; undoing would lose those edits.'] });
  });

  it('keeps a folder that holds a file of the user', async () => {
    write('migrations/2024_shows/notes.txt', 'mine');
    const plan = await planUndo(accepted(), read, list);
    expect(plan.kind === 'undo' && plan.folders).toEqual([]);
  });

  it('restores only what the accept wrote, and only accepted proposals', async () => {
    const plan = await planUndo(accepted(), read, list, ['src/schema.rs']);
    expect(plan.kind === 'undo' && plan.files.map((f) => f.path)).toEqual(['src/schema.rs']);
    expect((await planUndo({ ...accepted(), status: 'rejected' }, read, list)).kind).toBe('refused');
  });
});
