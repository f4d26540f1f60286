import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/types';
import { withoutBuildDirs } from '../actix/helpers';

const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-types-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd, env: {}, out: () => out, err: () => err };
}

describe('nocodo types', () => {
  it('--write writes types.ts and client.ts, then finds nothing to write; --json has the same texts', async () => {
    const project = path.join(tmp, 'bakery');
    cpSync(BAKERY, project, { recursive: true, filter: withoutBuildDirs });
    rmSync(path.join(project, 'frontend/src/api'), { recursive: true, force: true });
    const first = io(tmp);
    expect(await runCli(['types', '--project', 'bakery', '--write'], first)).toBe(0);
    expect(first.err()).toContain('wrote frontend/src/api/types.ts, frontend/src/api/client.ts.');
    const types = readFileSync(path.join(project, 'frontend/src/api/types.ts'), 'utf8');
    expect(types).toContain('export interface Order {');
    expect(readFileSync(path.join(project, 'frontend/src/api/client.ts'), 'utf8')).toContain('export function listProducts(): Promise<ApiResult<Product[]>>');
    const again = io(tmp);
    expect(await runCli(['types', '--project', 'bakery', '--write'], again)).toBe(0);
    expect(again.err()).toContain('nothing to write. API types and client are up to date.');
    const json = io(project);
    expect(await runCli(['types', '--json'], json)).toBe(0);
    const parsed = JSON.parse(json.out()) as { ok: boolean; types: string; edits: unknown[]; endpoints: { fnName: string }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.types).toBe(types);
    expect(parsed.edits).toEqual([]);
    expect(parsed.endpoints.map((e) => e.fnName)).toEqual(['createOrder', 'getOrder', 'listProducts']);
  });

  it('a missing project folder is a clear error', async () => {
    const r = io(tmp);
    expect(await runCli(['types', '--project', 'nope'], r)).toBe(1);
    expect(r.err()).toContain('does not exist');
  });
});
