import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTasks, renderMarkdown, summarize, TaskLoadError, type EvalReport, type TaskResult } from '../../../src/eval';
import { backendCrate, listenOnPortFromEnv } from '../../../src/eval/render/backend';
import { initRustParser } from '../../../src/rust';

/** The pure parts of `nocodo eval --render` (the browser and the backend run in test/cargo/solidRender.test.ts). */

const ROOT = path.resolve(__dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-render-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => initRustParser());

describe('the render spec in task.json', () => {
  it('the solid set: every task has one, with its seed and consumer views read', async () => {
    const tasks = await loadTasks(path.join(ROOT, 'eval/tasks/solid'));
    expect(tasks).toHaveLength(14);
    for (const t of tasks) expect(t.render?.seed.sql, t.id).toContain('INSERT INTO customers');
    expect(tasks.find((t) => t.id === 'solid/product-store')!.render!.view!.text).toContain('useProducts()');
    expect(tasks.find((t) => t.id === 'solid/route-customer-list')!.render).toMatchObject({ app: true, click: 'Customers' });
  });

  it('a missing seed, a missing view, a Rust mode and a spec that asserts nothing are clear errors', async () => {
    const dir = path.join(tmp, 'set');
    const task = (name: string, render: unknown, mode = 'solid-list') => {
      mkdirSync(path.join(dir, name), { recursive: true });
      writeFileSync(path.join(dir, name, 'task.json'), JSON.stringify({ mode, project: { fixture: path.relative(path.join(dir, name), path.join(ROOT, 'test/fixtures/bakery')) }, struct: 'Product', request: 'products', checks: [{ contains: 'x' }], render }));
    };
    writeFileSync(path.join(tmp, 'seed.sql'), 'SELECT 1;');
    task('no-seed', { seed: 'nope.sql', path: '/p', expect: ['a'] });
    task('no-view', { seed: '../../seed.sql', path: '/p', view: 'v.tsx', expect: ['a'] });
    task('rust', { seed: '../../seed.sql', path: '/p', expect: ['a'] }, 'diesel-model-fn');
    task('nothing', { seed: '../../seed.sql', path: '/p' });
    const problems = await loadTasks(dir).then(
      () => [],
      (e: unknown) => (e instanceof TaskLoadError ? e.problems : [String(e)]),
    );
    expect(problems.join('\n')).toMatch(/no-seed.*render\.seed nope\.sql does not exist/);
    expect(problems.join('\n')).toMatch(/no-view.*render\.view v\.tsx does not exist/);
    expect(problems.join('\n')).toMatch(/rust.*only the Solid modes' answers can be rendered, not diesel-model-fn/);
    expect(problems.join('\n')).toMatch(/nothing.*a render needs texts to expect or a form to submit/);
  });
});

describe('the backend crate', () => {
  it('main.rs reads PORT instead of its one literal port', () => {
    const main = 'HttpServer::new(f)\n    .bind(("127.0.0.1", 8088))?\n    .run()';
    expect(listenOnPortFromEnv(main)).toContain('.bind(("127.0.0.1", std::env::var("PORT").ok().and_then(|p| p.parse::<u16>().ok()).unwrap_or(8088)))?');
    expect(listenOnPortFromEnv('.bind(addr)?')).toBeUndefined();
    expect(listenOnPortFromEnv('.bind(("0.0.0.0", 80))?.bind(("::", 80))?')).toBeUndefined();
  });

  it('only the crate (no frontend), and a project that cannot run says why', () => {
    const files = new Map([
      ['Cargo.toml', '[package]'],
      ['Cargo.lock', ''],
      ['src/main.rs', 'x.bind(("127.0.0.1", 8088))?'],
      ['migrations/1/up.sql', 'CREATE TABLE t ();'],
      ['frontend/src/App.tsx', 'x'],
    ]);
    const crate = backendCrate(files);
    expect('files' in crate && [...crate.files.keys()]).toEqual(['Cargo.toml', 'Cargo.lock', 'src/main.rs', 'migrations/1/up.sql']);
    expect(backendCrate(new Map([['src/main.rs', '']]))).toEqual({ problem: expect.stringContaining('no Cargo.toml') });
    expect(backendCrate(new Map([...files, ['src/main.rs', 'fn main() {}']]))).toEqual({ problem: expect.stringContaining('does not bind one literal port') });
  });
});

describe('the report', () => {
  it('counts rendered pages per mode and shows the column only when --render ran', () => {
    const r = (id: string, render: TaskResult['score']['render'], pass = true): TaskResult => ({
      taskId: id,
      set: 'solid',
      mode: 'solid-list',
      model: 'm',
      request: 'r',
      deterministic: false,
      score: { cleaned: true, parses: true, consistent: true, matches: true, checks: [], cargo: 'not-run', pass, fixedByReask: false, falseReject: false, acceptedNotCompiling: false, render, ...(pass ? { renderDetail: 'vite build ok; showed 2 expected texts on /products' } : { failure: 'render failed: x' }) },
      calls: 1,
      latencyMs: 1,
      overheadMs: 1,
      errors: [],
    });
    const results = [r('solid/a', 'pass'), r('solid/b', 'fail', false), r('solid/c', 'skipped')];
    const summary = summarize(results);
    expect(summary.find((s) => s.mode === 'all')!.render).toEqual({ pass: 1, fail: 1, skipped: 1 });
    const base: EvalReport = { version: 1, startedAt: '', finishedAt: '', baseUrl: 'u', models: ['m'], tasksDir: 'eval/tasks/solid', sets: ['solid'], tokenCount: 'estimate (chars/4)', cargo: 'not requested (--cargo)', skipped: [], summary, results };
    const md = renderMarkdown({ ...base, render: 'used' });
    expect(md).toContain('| vite build + render |');
    expect(md).toContain('1 ok, 1 failed, 1 skipped');
    expect(md).toContain('❌ vite build / render | render failed: x');
    expect(md).toContain('rendered: vite build ok; showed 2 expected texts on /products');
    expect(renderMarkdown(base)).not.toContain('vite build + render');
  });
});
