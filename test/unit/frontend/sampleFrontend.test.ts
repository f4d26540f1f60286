import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { generateApiFiles } from '../../../src/frontend';

const run = promisify(execFile);
const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');
const SAMPLE = path.join(BAKERY, 'frontend');
const bin = (name: string): string => path.join(SAMPLE, 'node_modules', '.bin', name);
const out = mkdtempSync(path.join(tmpdir(), 'nocodo-sample-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('sample frontend (test/fixtures/bakery/frontend)', () => {
  it('has its packages installed (scripts/test-all.mjs runs npm ci there)', () => {
    expect(existsSync(path.join(SAMPLE, 'node_modules', '.package-lock.json')), 'run `npm ci` in test/fixtures/bakery/frontend').toBe(true);
  });

  it('its committed API files are exactly what `nocodo types` generates from the bakery backend', async () => {
    const r = await generateApiFiles(new NodeProjectFs(BAKERY));
    expect(r.changeSet.files.map((f) => f.path)).toEqual([]);
  });

  it('typechecks with tsc and builds with vite', async () => {
    await run(bin('tsc'), ['--noEmit', '-p', SAMPLE], { cwd: SAMPLE, timeout: 240_000 });
    const { stdout } = await run(bin('vite'), ['build', '--outDir', out, '--emptyOutDir'], { cwd: SAMPLE, timeout: 240_000 });
    expect(stdout).toMatch(/built in/);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
  }, 300_000);
});
