import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { RunRecord } from '../../../src/domain';
import { renderEpicMarkdown, runEpicEval, stageOfRun, type EpicEvalReport } from '../../../src/eval/epic';
import { createModelClient } from '../../../src/llm/client';
import { resolveLlmConfig } from '../../../src/llm/config';
import { createNewApp } from '../../../src/scaffold';
import { openStore } from '../../../src/store';
import { EM, PLAN, PM, script, SUMMARY } from '../../fixtures/epic-app/scenario';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';

// The epic eval's bookkeeping, with two fixture servers: one plays the "real" model (answers
// chosen to pass, need the re-ask, or fail), the other is the scripted stand-in.

const SCHEMA = 'You write ONE Diesel 2 `diesel::table!` block';
const FN = 'You write ONE Rust function';
const REASK = 'Your answer cannot be used';

/** The "real" model: the table only after the re-ask, list_all never (an invented column), the rest right away. */
function realScript(): Rule[] {
  return [
    { match: { system: SCHEMA, lastUser: { regex: `^(?![\\s\\S]*${REASK})` } }, times: 1, reply: { content: 'Sure! A customers table has a name and a phone.' } },
    { match: { system: FN, anyMessage: 'Name the function list_all.' }, reply: { content: '```rust\npub fn list_all(conn: &mut SqliteConnection) -> QueryResult<Vec<Customer>> {\n    customers::table.order(customers::email.asc()).load(conn)\n}\n```' } },
    ...script(),
  ];
}

let tmp = '';
let real: ModelServer;
let standIn: ModelServer;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-epic-'));
  [real, standIn] = await Promise.all([startModelServer(), startModelServer()]);
});
afterAll(async () => {
  await Promise.all([real?.close(), standIn?.close()]);
  rmSync(tmp, { recursive: true, force: true });
});

async function flow(name: string, agents: 'fixture' | 'real', onProgress?: (r: EpicEvalReport) => void) {
  const app = path.join(tmp, name);
  await createNewApp({ dir: app, name: 'Bakery' });
  const store = await openStore({ file: ':memory:' });
  const client = (s: ModelServer) => createModelClient({ config: resolveLlmConfig({ baseUrl: s.baseUrl, maxRetries: 0 }, {}), retryDelayMs: 10 });
  try {
    return await runEpicEval({ store, project: new NodeProjectFs(app), summary: SUMMARY, real: client(real), standIn: client(standIn), agents, ...(onProgress ? { onProgress } : {}) });
  } finally {
    await store.close();
  }
}

describe('the epic flow as a measured experiment', () => {
  it('counts first tries, re-asks and failures by check; a failed task gets the scripted stand-in and its dependents still run on the real model', async () => {
    real.setScript(realScript());
    standIn.setScript(script());
    const partials: EpicEvalReport[] = [];
    const report = await flow('fixture-agents', 'fixture', (r) => partials.push(r));

    const byTitle = Object.fromEntries(report.tasks.map((t) => [t.title, t]));
    expect(report.tasks.map((t) => [t.title, t.verdict, t.state])).toEqual([
      ['Customers table', 'after-re-ask', 'done'],
      ['Customer record', 'deterministic', 'done'],
      ['Add a customer', 'first-try', 'done'],
      ['List customers', 'failed', 'done'],
      ['Create customer endpoint', 'first-try', 'done'],
      ['Customer list endpoint', 'first-try', 'done'],
    ]);
    expect(byTitle['Customers table']).toMatchObject({ firstAnswer: 'clean', reAsk: 'passed' });
    expect(byTitle['Customers table']!.firstProblem).toMatch(/no code|prose/i);
    expect(byTitle['List customers']).toMatchObject({ firstAnswer: 'schema', reAsk: 'schema', failedAt: 'schema', standIn: 'done' });
    expect(byTitle['List customers']!.failure).toMatch(/email/);
    // The list endpoint is built on the stand-in's list_all; the create endpoint is not.
    expect(byTitle['Customer list endpoint']!.onTopOfStandIn).toEqual(['List customers']);
    expect(byTitle['Create customer endpoint']!.onTopOfStandIn).toEqual([]);
    expect(report.counts).toMatchObject({ total: 6, 'first-try': 3, 'after-re-ask': 1, failed: 1, deterministic: 1, 'not-run': 0, standIns: 1, onTopOfStandIn: 1 });
    expect(report.stoppedAt).toBeUndefined();
    // A partial report after the shaping and after each task, so a stopped run keeps its figures.
    expect(partials.map((p) => p.counts['not-run'])).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(partials[4]!.tasks[3]).toMatchObject({ title: 'List customers', verdict: 'failed', standIn: 'done' });
    expect(partials[4]!.tasks[4]).toMatchObject({ verdict: 'not-run', why: 'not reached yet' });
    expect(partials.every((p) => p.stoppedAt === 'still running (a partial report)')).toBe(true);

    // Costs count the real model's calls only: 2 + 0 + 1 + 2 + 1 + 1; the agents and the stand-in answered elsewhere.
    expect(report.tasks.map((t) => t.cost.calls)).toEqual([2, 0, 1, 2, 1, 1]);
    expect(report.realCost.calls).toBe(7);
    expect(real.chatRequests()).toHaveLength(7);
    expect(real.chatRequests().some((r) => JSON.stringify(r.body.messages).includes(PM))).toBe(false);
    expect(report.tasks[0]!.cost.promptTokens).toBeGreaterThan(0);
    expect(report.planning.ok).toBe(true);
    expect(report.shaping.every((s) => s.ok)).toBe(true);

    const md = renderEpicMarkdown(report, { model: 'm', file: 'm.gguf', quantization: 'Q4', machine: '2 cores', threads: 1, maxTokens: 192, date: '2026-12-03', load: '3–4', cargo: 'off' });
    expect(md).toContain('Passed every check on the first try: **3/5**');
    expect(md).toContain('Passed after the re-ask: **1/5**');
    expect(md).toContain('Failed: **1/5** (1 at schema)');
    expect(md).toMatch(/\| Customer list endpoint \| actix-handler \| \*\*first try\*\* \| passed \| – \| List customers \|/);
  }, 120_000);

  it('with the agents on the real model, the report says where the flow stops', async () => {
    // The "real" Project Manager writes prose, twice (the agent's own re-ask included).
    real.setScript([{ match: { system: PM }, reply: { content: 'The bakery needs customers. Let us plan it carefully.' } }]);
    standIn.setScript(script());
    const standInBefore = standIn.chatRequests().length;
    const report = await flow('real-agents', 'real');
    expect(report.planning.ok).toBe(false);
    expect(report.planning.cost.calls).toBeGreaterThan(0);
    expect(report.stoppedAt).toMatch(/^The Project Manager's plan: /);
    expect(report.tasks).toEqual([]);
    expect(standIn.chatRequests()).toHaveLength(standInBefore);
  }, 60_000);

  it('with the agents on the real model, a shaping the checks refuse stops the flow there, with the reasons', async () => {
    const wrong = JSON.stringify({ mode: 'solid-list', table: '', struct: 'Order', function: '', request: 'List the orders.', notes: '', contract: '' });
    real.setScript([
      { match: { system: PM }, reply: { content: JSON.stringify(PLAN) } },
      { match: { system: EM }, reply: { content: wrong } },
    ]);
    standIn.setScript(script());
    const report = await flow('real-shaping', 'real');
    expect(report.planning).toMatchObject({ ok: true, detail: expect.stringContaining('Customers table; Customer record') });
    expect(report.shaping).toHaveLength(6);
    expect(report.shaping[0]).toMatchObject({ ok: false, detail: 'solid-list → needs_technical_shaping' });
    expect(report.shaping[0]!.problem).toMatch(/solid-list writes SolidJS .*The struct Order is not in the project/);
    expect(report.tasks.every((t) => t.verdict === 'not-run')).toBe(true);
    expect(report.stoppedAt).toMatch(/^6 of 6 tasks not done/);
  }, 60_000);

  it('names the check an answer stopped at from its diagnostics', () => {
    const run = (over: Partial<RunRecord>): RunRecord => ({
      id: 'r',
      role: 'rustEngineer',
      baseUrl: 'http://x/v1',
      model: 'm',
      params: { temperature: 0, maxTokens: 1 },
      messages: [],
      raw: '',
      reasoning: '',
      diagnostics: [],
      timings: { startedAt: 0, totalMs: 1 },
      outcome: 'invalid',
      extracted: 'fn f() {}',
      ...over,
    });
    const err = (code: string) => [{ severity: 'error' as const, code, message: code }];
    expect(stageOfRun(run({ outcome: 'ok' }))).toBe('passed');
    expect(stageOfRun(run({ outcome: 'error', error: 'timeout' }))).toBe('model');
    expect(stageOfRun(run({ extracted: '', diagnostics: err('no-code') }))).toBe('clean');
    expect(stageOfRun(run({ diagnostics: err('truncated') }))).toBe('clean');
    expect(stageOfRun(run({ diagnostics: err('rust-syntax') }))).toBe('parse');
    expect(stageOfRun(run({ diagnostics: err('unknown-table') }))).toBe('schema');
    expect(stageOfRun(run({ diagnostics: err('rustc') }))).toBe('compile');
  });
});
