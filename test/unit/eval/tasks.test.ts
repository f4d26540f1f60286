import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFunctionText, loadTasks, maskFunction, MemoryProjectFs, runChecks, splitTasks, TaskLoadError } from '../../../src/eval';
import { initRustParser } from '../../../src/rust';

const ROOT = path.resolve(__dirname, '../../..');
const TASKS = path.join(ROOT, 'eval/tasks');
const BAKERY = path.join(ROOT, 'test/fixtures/bakery');

const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-tasks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => initRustParser());

let n = 0;
/** A set folder with one task per entry: name → task.json content (object or raw text) and extra files. */
function taskSet(tasks: Record<string, { json: unknown; files?: Record<string, string> }>): string {
  const dir = path.join(tmp, `set${++n}`);
  for (const [name, t] of Object.entries(tasks)) {
    const d = path.join(dir, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'task.json'), typeof t.json === 'string' ? t.json : JSON.stringify(t.json, null, 2));
    for (const [rel, text] of Object.entries(t.files ?? {})) {
      mkdirSync(path.dirname(path.join(d, rel)), { recursive: true });
      writeFileSync(path.join(d, rel), text);
    }
  }
  return dir;
}

const bakeryTask = (extra: Record<string, unknown> = {}) => ({
  mode: 'diesel-model-fn',
  project: { fixture: path.relative(path.join(tmp, 'setX', 'x'), BAKERY) },
  struct: 'Order',
  request: 'List the orders.',
  checks: [{ contains: 'orders::table' }],
  ...extra,
});

async function problems(dir: string): Promise<string[]> {
  try {
    await loadTasks(dir);
  } catch (err) {
    if (err instanceof TaskLoadError) return err.problems;
    throw err;
  }
  throw new Error('expected a TaskLoadError');
}

describe('the shipped task sets', () => {
  it('load: 13 bakery and 11 corpus tasks, masks applied, references read', async () => {
    const tasks = await loadTasks(TASKS);
    expect(tasks.filter((t) => t.set === 'bakery')).toHaveLength(13);
    expect(tasks.filter((t) => t.set === 'corpus')).toHaveLength(11);
    const login = tasks.find((t) => t.id === 'corpus/find-user-by-login')!;
    expect(login.files.get('src/models/user.rs')).toContain('pub async fn find(');
    expect(login.files.get('src/models/user.rs')).not.toContain('find_by_login');
    expect(login.reference).toMatch(/^pub async fn find_by_login\(/);
    expect(login.files.get('Cargo.toml')).toContain('diesel-async');
    const pickup = tasks.find((t) => t.id === 'bakery/ready-for-pickup')!;
    expect(pickup.files.get('src/schema.rs')).toContain('orders (id)');
    expect(pickup.reference).toContain('orders::pickup_at.lt(before)');
    for (const t of tasks) expect(t.request.length, t.id).toBeGreaterThan(10);
  });

  it("the bakery references pass their own task's checks (the task data is consistent)", async () => {
    const tasks = (await loadTasks(path.join(TASKS, 'bakery'))).filter((t) => t.reference);
    expect(tasks.length).toBe(13);
    for (const t of tasks) {
      const checks = t.checks.filter((c) => !c.fileIncludes);
      const failed = runChecks(checks, t.reference!).filter((c) => !c.ok);
      expect(failed.map((c) => c.label), t.id).toEqual([]);
    }
  });

  it('one set or one task folder can be loaded alone', async () => {
    expect((await loadTasks(path.join(TASKS, 'bakery'))).map((t) => t.set)).toEqual(Array(13).fill('bakery'));
    const one = await loadTasks(path.join(TASKS, 'corpus', 'feed'));
    expect(one.map((t) => t.id)).toEqual(['corpus/feed']);
  });

  it("every set's held-out half is data (heldout.json): the halves it pinned, also for a task loaded alone", async () => {
    const all = await loadTasks(TASKS);
    expect(all.every((t) => typeof t.heldOut === 'boolean')).toBe(true);
    // Written from the positional rule: the odd positions of each set by id.
    for (const set of new Set(all.map((t) => t.set))) {
      const ids = all.filter((t) => t.set === set).map((t) => t.id).sort((a, b) => a.localeCompare(b));
      expect(ids.filter((id) => all.find((t) => t.id === id)!.heldOut)).toEqual(ids.filter((_, i) => i % 2 === 1));
    }
    expect(splitTasks(all, 'holdout').every((t) => t.heldOut)).toBe(true);
    expect((await loadTasks(path.join(TASKS, 'actix', 'create-customer')))[0]!.heldOut).toBe(true);
    expect((await loadTasks(path.join(TASKS, 'actix', 'clinic-repository')))[0]!.heldOut).toBe(false);
  });
});

describe('bad task files give clear errors', () => {
  it('invalid JSON, unknown mode, unknown field, bad check: every problem is listed with its file', async () => {
    const dir = taskSet({
      broken: { json: '{ "mode": "diesel-model-fn", ' },
      mode: { json: bakeryTask({ mode: 'diesel-magic' }) },
      field: { json: bakeryTask({ requets: 'typo' }) },
      check: { json: bakeryTask({ checks: [{ contains: 'a', returns: 'b' }] }) },
    });
    const ps = await problems(dir);
    expect(ps).toHaveLength(4);
    expect(ps.find((p) => p.includes(`broken${path.sep}task.json`))).toMatch(/not valid JSON/);
    expect(ps.find((p) => p.includes(`mode${path.sep}task.json`))).toMatch(/mode: /);
    expect(ps.find((p) => p.includes(`field${path.sep}task.json`))).toMatch(/requets/);
    expect(ps.find((p) => p.includes(`check${path.sep}task.json`))).toMatch(/exactly one of contains, absent, returns, async, fileIncludes/);
  });

  it('the actix set: function and route reach the task, references pass their checks, the router needs no request', async () => {
    const tasks = await loadTasks(path.join(TASKS, 'actix'));
    expect(tasks.map((t) => t.mode).sort()).toEqual([...Array(2).fill('actix-middleware'), ...Array(11).fill('actix-handler'), ...Array(2).fill('actix-router')].sort());
    expect(tasks.find((t) => t.id === 'actix/loan-returned')).toMatchObject({ struct: 'Loan', function: 'mark_returned', route: 'PUT /admin/loans/{loan_id}/returned' });
    expect(tasks.find((t) => t.id === 'actix/admin-request-id')).toMatchObject({ route: '/admin' });
    expect(tasks.find((t) => t.id === 'actix/product-count-route')!.files.get('src/handlers/products.rs')).toContain('pub async fn product_count(');
    for (const t of tasks.filter((x) => x.reference)) {
      const failed = runChecks(t.checks.filter((c) => !c.fileIncludes), t.reference!).filter((c) => !c.ok);
      expect(failed.map((c) => c.label), t.id).toEqual([]);
    }
    const dir = taskSet({
      nofn: { json: bakeryTask({ mode: 'actix-handler', struct: 'Customer' }) },
      router: { json: bakeryTask({ mode: 'actix-router', struct: undefined, request: '', function: 'list_products' }) },
    });
    const ps = await problems(dir);
    expect(ps).toEqual([expect.stringMatching(/nofn[/\\]task\.json: actix-handler needs function/)]);
  });

  it('missing fixture, missing reference, mask that matches nothing, nothing to score against', async () => {
    const dir = taskSet({
      fixture: { json: bakeryTask({ project: { fixture: '../nowhere' } }) },
      reference: { json: bakeryTask({ reference: 'reference.rs' }) },
      mask: { json: bakeryTask({ project: { fixture: path.relative(path.join(tmp, 'setX', 'x'), BAKERY), mask: [{ file: 'src/models/order.rs', fn: 'no_such_fn' }] } }) },
      unscored: { json: bakeryTask({ checks: [] }) },
      nostruct: { json: bakeryTask({ struct: undefined }) },
    });
    const ps = await problems(dir);
    expect(ps.some((p) => /project\.fixture \.\.\/nowhere is not a folder/.test(p))).toBe(true);
    expect(ps.some((p) => /reference file reference\.rs does not exist/.test(p))).toBe(true);
    expect(ps.some((p) => /src\/models\/order\.rs has no function `no_such_fn` to mask/.test(p))).toBe(true);
    expect(ps.some((p) => /give a reference answer or at least one check/.test(p))).toBe(true);
    expect(ps.some((p) => /diesel-model-fn needs struct, table or file/.test(p))).toBe(true);
  });

  it('a heldout.json naming no task of the set, or not a list', async () => {
    const dir = taskSet({ a: { json: bakeryTask() }, b: { json: bakeryTask() } });
    writeFileSync(path.join(dir, 'heldout.json'), JSON.stringify({ heldout: ['b', 'gone'] }));
    expect(await problems(dir)).toEqual([`${path.join(dir, 'heldout.json')}: no task folder gone in the set.`]);
    writeFileSync(path.join(dir, 'heldout.json'), JSON.stringify({ heldout: 'b' }));
    expect((await problems(dir))[0]).toMatch(/"heldout" must be a list of task folder names/);
    writeFileSync(path.join(dir, 'heldout.json'), JSON.stringify({ heldout: ['a'] }));
    expect((await loadTasks(dir)).map((t) => [t.id.split('/')[1], t.heldOut])).toEqual([['a', true], ['b', false]]);
  });

  it('duplicate ids and an empty folder', async () => {
    const dir = taskSet({ a: { json: bakeryTask({ id: 'same' }) }, b: { json: bakeryTask({ id: 'same' }) } });
    expect((await problems(dir)).join('\n')).toMatch(/id setX?\d*\/same is also used by/);
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    expect((await problems(empty))[0]).toMatch(/no task\.json found/);
    expect((await problems(path.join(tmp, 'missing')))[0]).toMatch(/no such folder/);
  });

  it('a task folder with its own project files needs no fixture', async () => {
    const dir = taskSet({
      own: {
        json: { mode: 'diesel-schema', request: 'A table of suppliers.', checks: [{ contains: 'suppliers' }] },
        files: { 'project/Cargo.toml': '[package]\nname = "x"\n', 'project/src/schema.rs': '' },
      },
    });
    const [t] = await loadTasks(dir);
    expect([...t!.files.keys()].sort()).toEqual(['Cargo.toml', 'src/schema.rs']);
  });
});

describe('project helpers', () => {
  const SRC = `impl Order {
    pub fn find(conn: &mut PgConnection, id: i32) -> QueryResult<Order> {
        orders::table.find(id).first(conn)
    }

    /// Deletes it.
    #[allow(dead_code)]
    pub fn delete(conn: &mut PgConnection, id: i32) -> QueryResult<usize> {
        diesel::delete(orders::table.find(id)).execute(conn)
    }
}
`;

  it('masks a function with its docs and attributes, and extracts it', () => {
    expect(maskFunction(SRC, 'delete')).toBe(`impl Order {
    pub fn find(conn: &mut PgConnection, id: i32) -> QueryResult<Order> {
        orders::table.find(id).first(conn)
    }
}
`);
    expect(extractFunctionText(SRC, 'delete')).toMatch(/^\/\/\/ Deletes it\.\n {4}#\[allow\(dead_code\)\]\n {4}pub fn delete/);
    expect(maskFunction(SRC, 'nope')).toBeUndefined();
  });

  it('MemoryProjectFs lists files by folder and extension', async () => {
    const fs = new MemoryProjectFs('mem', new Map([['Cargo.toml', ''], ['src/lib.rs', ''], ['src/models/a.rs', ''], ['srcx/b.rs', '']]));
    expect(await fs.listFiles('src', ['.rs'])).toEqual(['src/lib.rs', 'src/models/a.rs']);
    expect(await fs.listFiles('', ['Cargo.toml'])).toEqual(['Cargo.toml']);
    expect(await fs.readFile('./src/lib.rs')).toBe('');
    expect(await fs.readFile('nope.rs')).toBeUndefined();
  });
});
