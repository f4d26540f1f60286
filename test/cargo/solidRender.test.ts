import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main';
import { createRenderStep, type EvalReport, type EvalTask, type RenderStep } from '../../src/eval';
import type { ChangeSet } from '../../src/domain';
import { RECORDED_MODEL as MODEL, recordedModelServer } from '../helpers/fixtureModel';

/**
 * `nocodo eval --tasks eval/tasks/solid --render` on the recorded answers (issue #19's scoring):
 * every answer that typechecks and passes its checks is built with the sample frontend's own
 * `vite build`, and its page, in headless Chromium, talks to the bakery backend for real (cargo
 * run, a throwaway PostgreSQL with eval/tasks/solid/_render/seed.sql). Lists, details, stores and
 * restyled components show the seeded rows; forms store a new or changed row through the API.
 * Then the render step on its own: an answer that builds but shows no rows fails, and so does
 * one Vite cannot build.
 */

const ROOT = path.resolve(__dirname, '../..');
const SET = path.join(ROOT, 'eval/tasks/solid');

/** taskId → the render outcome: answers that passed (or were fixed by the re-ask) are rendered, the others never get there. */
const RENDERED: Record<string, 'pass' | 'not-run'> = {
  'solid/customer-detail-invented-fn': 'pass',
  'solid/customer-list': 'pass',
  'solid/customer-store-missing-calls': 'pass',
  'solid/edit-customer-form-cutoff': 'pass',
  'solid/new-customer-form-react': 'pass',
  'solid/new-order-form': 'pass',
  'solid/order-detail': 'pass',
  'solid/product-list': 'pass',
  'solid/product-list-invented-fields': 'not-run',
  'solid/product-store': 'pass',
  'solid/product-table-react': 'pass',
  'solid/restyle-invented-class': 'not-run',
  'solid/restyle-order-note': 'pass',
  'solid/route-customer-list': 'pass',
};

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-solid-render-'));
const model = recordedModelServer(SET);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('nocodo eval --render on the solid set', () => {
  it('renders every passing answer against the running bakery backend: rows shown, forms store their row', async () => {
    const out = path.join(tmp, 'report.json');
    let stdout = '';
    let stderr = '';
    const code = await runCli(['eval', '--base-url', model.server().baseUrl, '--model', MODEL, '--tasks', SET, '--render', '--out', out], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: ROOT,
      env: {},
      stderrIsTTY: false,
    });
    expect(code, stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as EvalReport;
    expect(report.render).toBe('used');
    const outcomes = Object.fromEntries(report.results.map((r) => [r.taskId, r.score.render]));
    const details = Object.fromEntries(report.results.map((r) => [r.taskId, r.score.renderDetail]));
    expect(outcomes, JSON.stringify(details, null, 2)).toEqual(RENDERED);
    // Rendering takes nothing away: the same 7 first answers pass, the same 5 are fixed by the re-ask.
    const all = report.summary.find((r) => r.mode === 'all')!;
    expect(all).toMatchObject({ tasks: 14, passed: 7, fixedByReask: 5, falseRejects: 0, render: { pass: 12, fail: 0, skipped: 0 } });
    expect(stdout).toMatch(/all +pass@1 +50% \(7\/14\).*rendered 12, render failed 0, skipped 0/);
    expect(details['solid/new-customer-form-react']).toContain('the form\'s POST stored "Dora Dough"');
    expect(details['solid/edit-customer-form-cutoff']).toContain('the re-asked answer: vite build ok; opened /customers/3/edit; the form\'s PUT stored "Cy Crumb-Baker", "555-0103", "cy@example.com"');
    expect(details['solid/route-customer-list']).toContain('showed 3 expected texts on /');
  }, 1_500_000);
});

describe('the render step fails pages that do not work', () => {
  let render: RenderStep;
  const productList = (): EvalTask => model.tasks().find((t) => t.id === 'solid/product-list')!;
  const answer = (code: string): ChangeSet => ({ mode: 'solid-list', summary: 'test', files: [{ path: 'frontend/src/pages/ProductList.tsx', original: null, proposed: code, ops: [{ op: 'createFile', content: code }] }] });
  beforeAll(() => {
    render = createRenderStep();
  });
  afterAll(async () => {
    await render?.dispose();
  });

  it('a view that builds and loads but shows no rows', async () => {
    const code = [
      "import { createResource, Show } from 'solid-js';",
      "import { dataOrThrow, listProducts } from '../api/client';",
      'export default function ProductList() {',
      '  const [products] = createResource(() => dataOrThrow(listProducts()));',
      '  return <Show when={products()}>{(rows) => <p>{rows().length} products</p>}</Show>;',
      '}',
    ].join('\n');
    const r = await render.render(productList(), answer(code));
    expect(r.outcome, r.detail).toBe('fail');
    expect(r.detail).toMatch(/"Sourdough loaf" is not on the page; it shows: 2 products/);
  }, 1_200_000);

  it('a view Vite cannot build (an import the client does not export)', async () => {
    const code = ["import { fetchProducts } from '../api/client';", 'export default function ProductList() {', '  void fetchProducts;', '  return <p>none</p>;', '}'].join('\n');
    const r = await render.render(productList(), answer(code));
    expect(r).toMatchObject({ outcome: 'fail' });
    expect(r.detail).toMatch(/^vite build failed: .*fetchProducts/);
  }, 600_000);
});
