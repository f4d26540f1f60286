import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCargo } from '../../src/compile';
import { sharedTargetDir } from '../../src/compile/paths';
import { createNewApp } from '../../src/scaffold';

/**
 * New App's scaffold compiles and builds for real: `cargo check --locked` of backend/ (shared
 * build folder, warmed by .ci/run) and `npm ci --offline` + tsc + `vite build` of frontend/.
 * `--offline`: nothing downloads here; scripts/test-all.mjs fills npm's cache from the template's
 * lockfile before the layers run.
 */
const cargo = findCargo();
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-new-app-build-'));
const app = path.join(tmp, 'pickup-orders');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await createNewApp({ dir: app, name: 'Pickup Orders' });
}, 120_000);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** Async, so vitest's worker keeps answering its runner during a long build. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ status: null, stdout, stderr: stderr + e.message }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('New App scaffold builds', () => {
  it('backend: cargo check --locked passes with no warning', async () => {
    expect(cargo, 'cargo must be installed (.ci/run installs Rust)').toBeDefined();
    const r = await run(cargo!, ['check', '--locked', '--message-format=short'], path.join(app, 'backend'), { CARGO_TARGET_DIR: sharedTargetDir(), CARGO_TERM_COLOR: 'never' });
    expect(r.stderr).not.toMatch(/^(error|warning)/m);
    expect(r.status).toBe(0);
  });

  it('frontend: npm ci --offline, tsc and vite build pass', async () => {
    const fe = path.join(app, 'frontend');
    const ci = await run(npm, ['ci', '--offline', '--no-audit', '--no-fund'], fe);
    expect(ci.status, `npm ci --offline failed (is npm's cache warm? scripts/test-all.mjs warms it):\n${ci.stderr}`).toBe(0);
    const tsc = await run(path.join(fe, 'node_modules/.bin/tsc'), ['--noEmit', '-p', fe], fe);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const vite = await run(path.join(fe, 'node_modules/.bin/vite'), ['build'], fe);
    expect(vite.stdout).toMatch(/built in/);
    expect(existsSync(path.join(fe, 'dist/index.html'))).toBe(true);
  });
});
