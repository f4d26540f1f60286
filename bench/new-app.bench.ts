// New App and Run App: the scaffold's cost (median of 5, files written, first commit included) and
// the time from `nocodo run` to a healthy app on a fresh scaffold (its own crate compiled, the
// dependencies already built in the shared cargo folder as after .ci/run; npm ci from npm's cache),
// then the time a stop takes. No model is involved in either.
//   npm run bench -- new-app
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchRow } from './run';

const here = path.dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult> {
  const { createNewApp } = await import('../src/scaffold');
  const { startApp } = await import('../src/runApp');
  const { findCargo } = await import('../src/compile');
  const { sharedTargetDir } = await import('../src/compile/paths');
  const template = path.join(here, '../templates/app');
  const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-bench-new-app-'));
  const rows: BenchRow[] = [];
  try {
    const times: number[] = [];
    let files = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = await createNewApp({ dir: path.join(tmp, `app-${i}`), name: `Bench ${i}`, template });
      times.push(performance.now() - t0);
      files = r.files.length;
    }
    rows.push({ measure: 'nocodo new (scaffold + API files + git commit)', ms: Math.round(median(times)), files });
    if (!findCargo()) {
      rows.push({ measure: 'nocodo run', note: 'skipped: cargo is not installed' });
      return { name: 'new app', rows };
    }
    const app = path.join(tmp, 'app-0');
    const t1 = performance.now();
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: path.join(app, 'frontend'), stdio: 'ignore' });
    rows.push({ measure: 'npm ci of the frontend (from npm cache)', ms: Math.round(performance.now() - t1) });
    const running = await startApp({ dir: app, env: { ...process.env, CARGO_TARGET_DIR: sharedTargetDir() }, timeoutMs: 30 * 60_000 });
    rows.push({ measure: 'nocodo run → /api/health answers (crate build + start, deps built)', ms: running.healthMs });
    const t2 = performance.now();
    await running.stop();
    rows.push({ measure: 'stop (both process groups gone)', ms: Math.round(performance.now() - t2) });
    return { name: 'new app', rows };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
