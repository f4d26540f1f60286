import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/store';
import { MIGRATIONS } from '../../../src/store/migrations';
import { loadSqlJs } from '../../../src/store/sqljs';
import { cleanupTempDirs, open, tempDir, writeDbFromSql } from './helpers';

afterEach(cleanupTempDirs);

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
const earlier = MIGRATIONS.map((m) => m.version).filter((v) => v < SCHEMA_VERSION);

async function fileVersionAndTexts(file: string): Promise<{ version: number; texts: number }> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  const version = Number(db.exec('PRAGMA user_version')[0]!.values[0]![0]);
  const texts = Number(db.exec('SELECT count(*) FROM texts')[0]!.values[0]![0]);
  db.close();
  return { version, texts };
}

/** A run's cargo check as the compile step records it (src/pipeline/compileStep.ts). */
const COMPILED = {
  ran: true,
  ok: false,
  ms: 2140,
  errors: [{ message: 'mismatched types', line: 3, column: 20, file: 'src/models/order.rs', fileLine: 41, code: 'E0308' }],
  preExisting: 0,
  staticOk: true,
  output: 'error[E0308]: mismatched types\n  --> src/models/order.rs:41:20',
};

describe('migrations', () => {
  it('has an ordered, gapless version list and a frozen fixture for every earlier version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(earlier.length).toBeGreaterThanOrEqual(2);
    for (const v of earlier) expect(existsSync(path.join(FIXTURES, `v${v}.sql`)), `fixture v${v}.sql`).toBe(true);
  });

  for (const v of earlier) {
    it(`opens a version ${v} database with every row intact and upgrades the file`, async () => {
      const file = path.join(tempDir(), 'db.sqlite');
      await writeDbFromSql(file, readFileSync(path.join(FIXTURES, `v${v}.sql`), 'utf8'));
      const { store, notices } = await open(file);
      expect(notices).toEqual([]);

      const s = store.sessions.get('ses_1')!;
      expect(s).toMatchObject({ title: 'Bakery', phase: 'planning', rounds: 2, summaryConfirmed: true });
      expect(s.summary?.entities[0]?.fields[0]).toEqual({ name: 'customer', type: 'text', required: true });
      const msgs = store.messages.list('ses_1');
      expect(msgs.map((m) => m.id)).toEqual(['msg_1', 'msg_2', 'msg_3']);
      expect(msgs[1]!.questions?.[0]?.options[1]).toEqual({ id: 'b', label: 'My staff', recommended: true });
      expect(msgs[1]!.runId).toBe('run_po');
      expect(msgs[2]!.answers).toEqual([{ questionId: 'q1', selected: ['b'], other: 'and my sister' }]);
      expect(store.tasks.list({ sessionId: 'ses_1' }).map((t) => `${t.id}:${t.state}`)).toEqual(['task_1:ready', 'task_2:blocked']);
      expect(store.tasks.get('task_1')).toMatchObject({ acceptanceCriteria: ['has id', 'has customer'], mode: 'diesel-schema', target: { table: 'orders', file: 'src/schema.rs' }, technicalNotes: 'use Text' });
      expect(store.tasks.get('task_2')).toMatchObject({ dependsOn: ['task_1'], blockedReason: 'waiting for the table' });
      expect(store.events.list('task_1').map((e) => e.why ?? '-')).toEqual(['-', 'mode chosen']);
      expect(store.comments.list('task_1')[0]!.body).toBe('Customer names can be long.');

      const runs = store.runs.list({ taskId: 'task_2' });
      expect(runs.map((r) => r.id)).toEqual(['run_1', 'run_2']);
      expect(runs[0]!.messages[0]!.content).toMatch(/^You write one Diesel function\. Examples follow\.\nfn find/);
      expect(runs[0]!.messages[0]!.content).toBe(runs[1]!.messages[0]!.content);
      expect(runs[0]).toMatchObject({ raw: 'pub fn list() {}', reasoning: 'thinking...', extracted: 'pub fn list() {}', outcome: 'invalid', usage: { promptTokens: 900, completionTokens: 40 } });
      expect(runs[0]!.diagnostics).toEqual([{ severity: 'error', message: 'unknown column', code: 'unknown-column', line: 3 }]);
      expect(runs[1]).toMatchObject({ parentRunId: 'run_1', reasoning: '', timings: { startedAt: 1700000008000, totalMs: 1900 } });

      if (v >= 2) {
        expect(runs[1]!.rejection).toEqual({ at: 1700000009000, reason: 'wrong table' });
        expect(store.proposals.get('prop_1')).toMatchObject({ status: 'rejected', rejectionReason: 'wrong table', runId: 'run_2', decidedAt: 1700000009000 });
        expect(store.proposals.get('prop_1')!.changeSet.files[0]!.ops).toEqual([{ op: 'insertInImpl', typeName: 'Order', code: 'pub fn list() {}' }]);
        expect(store.proposals.pending().map((p) => p.id)).toEqual(['prop_2']);
      } else {
        expect(runs[1]!.rejection).toBeUndefined();
        expect(store.proposals.list()).toEqual([]);
      }

      // Epics stored before the auto-accept toggle existed have it off.
      expect(store.epics.get('epic_1')!.autoAccept).toBeUndefined();
      if (v >= 4) expect(store.proposals.get('prop_2')!.checks).toEqual({ passed: true, ran: ['validation'], notRun: ['cargo check'], problems: [] });
      // Runs stored before the compile check was kept have none.
      expect(runs.map((r) => r.compile)).toEqual([undefined, undefined]);

      // The new schema works for writes, too.
      store.transitionTask('task_2', { to: 'ready', by: 'user' });
      store.epics.update('epic_1', { autoAccept: true });
      store.runs.update('run_2', { compile: COMPILED });
      await store.close();
      const after = await fileVersionAndTexts(file);
      expect(after.version).toBe(SCHEMA_VERSION);
      // Shared system prompt stored once: 2 runs × (system, user, raw, reasoning, extracted) with duplicates merged.
      expect(after.texts).toBeLessThan(10);
      const { store: again } = await open(file);
      expect(again.tasks.get('task_2')!.state).toBe('ready');
      expect(again.epics.get('epic_1')!.autoAccept).toBe(true);
      expect(again.runs.get('run_2')!.compile).toEqual(COMPILED);
      await again.close();
    });
  }
});
