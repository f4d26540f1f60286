// From an approved epic to a running app, with the fixture model server (test/fixtures/epic-app:
// a bakery's customers, six tasks, messy small-model answers): the time the team takes to plan,
// shape, run and automatically accept every task on a fresh New App scaffold, then npm ci (from
// npm's cache) and `nocodo run` until /api/health answers (the crate compiled, its dependencies
// already built in the shared cargo folder). Then, per task, the model calls and prompt tokens
// (as the server counts them; the Project Manager's planning call belongs to no task).
//   npm run bench -- epic-to-app
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { registerMarkdownLoader } from './lib/markdown';
import type { BenchResult, BenchRow } from './run';

export async function run(): Promise<BenchResult> {
  registerMarkdownLoader();
  const { createNewApp } = await import('../src/scaffold');
  const { startApp } = await import('../src/runApp');
  const { findCargo } = await import('../src/compile');
  const { sharedTargetDir } = await import('../src/compile/paths');
  const { openStore } = await import('../src/store');
  const { startModelServer } = await import('../test/fixtures/model-server/server.mjs');
  const { buildEpic } = await import('../test/fixtures/epic-app/scenario');
  const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-bench-epic-'));
  const app = path.join(tmp, 'bakery');
  const server = await startModelServer();
  const store = await openStore({ file: ':memory:' });
  const rows: BenchRow[] = [];
  try {
    await createNewApp({ dir: app, name: 'Bakery' });
    const t0 = performance.now();
    const { team, errors } = await buildEpic({ store, server, app });
    const buildMs = Math.round(performance.now() - t0);
    const tasks = team.tasks();
    const done = tasks.filter((t) => t.state === 'done').length;
    if (errors.length || done !== tasks.length) throw new Error(`the epic did not build: ${done} of ${tasks.length} tasks done; ${errors.map(String).join('; ')}`);
    rows.push({ measure: `approved epic → every task done (plan, shape, ${tasks.length} runs, auto-accepted)`, ms: buildMs });

    const runs = store.runs.list({ sessionId: team.sessionId! });
    const tokens = (rs: typeof runs) => rs.reduce((n, r) => n + (r.usage?.promptTokens ?? 0), 0);
    const planning = runs.filter((r) => !r.taskId);
    rows.push({ measure: 'planning (Project Manager, no task)', calls: planning.length, promptTokens: tokens(planning) });
    for (const t of tasks) {
      const own = runs.filter((r) => r.taskId === t.id);
      rows.push({ measure: `task "${t.title}" (${t.mode ?? 'no mode'})`, calls: own.length, promptTokens: tokens(own) });
    }
    rows.push({ measure: 'all model calls', calls: runs.length, promptTokens: tokens(runs) });

    if (!findCargo()) {
      rows.push({ measure: 'running app', note: 'skipped: cargo is not installed' });
      return { name: 'epic to app', rows };
    }
    const t1 = performance.now();
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: path.join(app, 'frontend'), stdio: 'ignore' });
    const ciMs = Math.round(performance.now() - t1);
    rows.push({ measure: 'npm ci of the frontend (from npm cache)', ms: ciMs });
    const running = await startApp({ dir: app, env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir(), DATABASE_URL: path.join(tmp, 'bakery.sqlite') }, timeoutMs: 30 * 60_000 });
    rows.push({ measure: 'nocodo run → /api/health answers (crate build + start, deps built)', ms: running.healthMs });
    await running.stop();
    rows.push({ measure: 'approved epic → running app (total)', ms: buildMs + ciMs + running.healthMs });
    return { name: 'epic to app', rows };
  } finally {
    await store.close();
    await server.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
