import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { ModeId, Task } from '../../../src/domain';
import { mapMode, normaliseShaping, shapePrompt, ShapingSchema } from '../../../src/agents/engineeringManager';
import { checkShaping, topologicalOrder } from '../../../src/agents/shapingChecks';
import { loadProject } from '../../../src/rust/project';
import type { ProjectInfo } from '../../../src/rust/types';
import type { Mode } from '../../../src/pipeline/mode';
import { getMode as getRegisteredMode } from '../../../modes';
import { engineeringManagerShape } from '../../../prompts/team';
import { cleanupDirs, makeShopProject } from './project';

describe('mapMode', () => {
  it('maps exact ids, other spellings, aliases and "none"', () => {
    expect(mapMode('diesel-model-fn')).toBe('diesel-model-fn');
    expect(mapMode('diesel_schema')).toBe('diesel-schema');
    expect(mapMode('Diesel Model Struct')).toBe('diesel-model-struct');
    expect(mapMode('query')).toBe('diesel-model-fn');
    expect(mapMode('endpoint')).toBe('actix-handler');
    expect(mapMode('none')).toBeNull();
    expect(mapMode('N/A')).toBeNull();
    expect(mapMode('')).toBeNull();
    expect(mapMode('solid-component')).toBeUndefined();
  });
});

describe('normaliseShaping', () => {
  const raw = { request: 'Do it', notes: ' n ', contract: '' };
  it('splits Struct::fn, snake-cases names and fills the half Diesel conventions imply', () => {
    expect(normaliseShaping({ ...raw, mode: 'diesel-model-fn', function: 'Order::listForCustomer()' }).shaping).toEqual({
      mode: 'diesel-model-fn',
      target: { struct: 'Order', function: 'list_for_customer' },
      request: 'Do it',
      technicalNotes: 'n',
      notes: [],
    });
    const s = normaliseShaping({ ...raw, mode: 'diesel_model_struct', table: 'order_items' }).shaping;
    expect(s.target).toEqual({ table: 'order_items', struct: 'OrderItem' });
    expect(s.notes).toEqual(['The struct was taken to be OrderItem, the usual name for table order_items.']);
    expect(normaliseShaping({ ...raw, mode: 'diesel-schema', struct: 'Category' }).shaping.target).toEqual({ struct: 'Category', table: 'categories' });
    expect(normaliseShaping({ ...raw, mode: 'none', contract: 'GET /x' }).shaping).toMatchObject({ target: {}, dataContract: 'GET /x' });
    expect(normaliseShaping({ ...raw, mode: 'none' }).shaping.mode).toBeUndefined();
  });

  it('an unknown mode is a problem for the re-ask', () => {
    const r = ShapingSchema.safeParse({ mode: 'react-page', request: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/"react-page" is not a coding mode/);
  });

  it('prompt examples are valid shapings', () => {
    for (const ex of engineeringManagerShape.examples) expect(ShapingSchema.safeParse(ex.output).success).toBe(true);
  });
});

// The checks only ask a mode whether it exists and which inputs it needs.
const needsOf: Partial<Record<ModeId, Mode['needs']>> = {
  'diesel-schema': { table: true, request: true },
  'diesel-model-struct': { table: true, request: false },
  'diesel-model-fn': { struct: true, request: true },
};
const getMode = (id: ModeId) => (needsOf[id] ? ({ id, needs: needsOf[id] } as Mode) : undefined);
/** The registry itself, for the modes whose inputs the test takes as they are. */
const realMode = (id: ModeId) => getRegisteredMode(id);

let seq = 0;
function task(over: Partial<Task>): Task {
  seq++;
  return { id: `t${seq}`, epicId: 'e', title: `Task ${seq}`, description: 'd', acceptanceCriteria: [], role: 'backend', state: 'needs_technical_shaping', dependsOn: [], createdAt: seq, updatedAt: seq, technicalNotes: 'n', request: 'r', ...over };
}

describe('checkShaping against a Diesel project', () => {
  let project: ProjectInfo;
  beforeAll(async () => {
    project = await loadProject(new NodeProjectFs(makeShopProject()));
  });
  afterAll(cleanupDirs);

  it('a function on an existing struct is ready', () => {
    const t = task({ mode: 'diesel-model-fn', target: { struct: 'Order', table: 'orders', function: 'list_open' } });
    expect(checkShaping(t, { project, tasks: [t], getMode })).toEqual({ ready: true, manual: false, problems: [], addDependsOn: [], notes: [] });
  });

  it('a struct that only a sibling task creates becomes a dependency', () => {
    const creator = task({ title: 'Customer record', mode: 'diesel-model-struct', target: { table: 'customers', struct: 'Customer' } });
    const user = task({ mode: 'diesel-model-fn', target: { struct: 'Customer', function: 'by_name' } });
    const r = checkShaping(user, { project, tasks: [creator, user], getMode });
    expect(r.ready).toBe(true);
    expect(r.addDependsOn).toEqual([creator.id]);
    expect(r.notes).toEqual(['Now waits for "Customer record", which creates the struct Customer.']);
    // Already a dependency: nothing to add.
    const dependent = { ...user, dependsOn: [creator.id] };
    expect(checkShaping(dependent, { project, tasks: [creator, dependent], getMode }).addDependsOn).toEqual([]);
  });

  it('a creator that depends on the task itself is not added (no cycle); the task is not ready', () => {
    const user = task({ mode: 'diesel-model-fn', target: { struct: 'Invoice' } });
    const creator = task({ mode: 'diesel-model-struct', target: { table: 'orders', struct: 'Invoice' }, dependsOn: [user.id] });
    const r = checkShaping(user, { project, tasks: [user, creator], getMode });
    expect(r.ready).toBe(false);
    expect(r.problems).toEqual(['The struct Invoice is not in the project and no task creates it. Add a task that creates it, or create it yourself, then shape this task again.']);
  });

  it('unknown tables, missing inputs, unavailable modes, wrong roles and no mode are refused', () => {
    const noTable = task({ mode: 'diesel-model-struct', target: { table: 'invoices', struct: 'Invoice' } });
    expect(checkShaping(noTable, { project, tasks: [noTable], getMode }).problems).toEqual([expect.stringMatching(/^The table invoices is not in the project/)]);
    const noStruct = task({ mode: 'diesel-model-fn', target: {} });
    expect(checkShaping(noStruct, { project, tasks: [noStruct], getMode }).problems).toEqual(['diesel-model-fn needs a target struct.']);
    const unavailable = task({ mode: 'actix-middleware' });
    expect(checkShaping(unavailable, { project, tasks: [unavailable], getMode }).problems[0]).toMatch(/actix-middleware is not available/);
    const frontend = task({ role: 'frontend', mode: 'diesel-schema', target: { table: 'x' } });
    expect(checkShaping(frontend, { project, tasks: [frontend], getMode }).problems).toEqual([expect.stringMatching(/writes Rust, but the task is for the Frontend Engineer/)]);
    const manual = task({ role: 'frontend' });
    expect(checkShaping(manual, { project, tasks: [manual], getMode })).toMatchObject({ ready: false, manual: true });
  });

  it('frontend and UI designer tasks run the Solid modes; a Rust engineer does not get them (the descriptors\' role)', () => {
    const list = task({ role: 'frontend', mode: 'solid-list', target: { struct: 'Order' }, request: 'every order, newest first' });
    expect(checkShaping(list, { project, tasks: [list], getMode: realMode })).toEqual({ ready: true, manual: false, problems: [], addDependsOn: [], notes: [] });
    const restyle = task({ role: 'ui_designer', mode: 'daisyui-style', request: 'zebra rows' });
    expect(checkShaping(restyle, { project, tasks: [restyle], getMode: realMode }).ready).toBe(true);
    // The struct a view shows must exist, or be made by a task it then waits for.
    const creator = task({ title: 'Customer record', mode: 'diesel-model-struct', target: { table: 'customers', struct: 'Customer' } });
    const form = task({ role: 'frontend', mode: 'solid-form', target: { struct: 'Customer' } });
    expect(checkShaping(form, { project, tasks: [creator, form], getMode: realMode })).toMatchObject({ ready: true, addDependsOn: [creator.id] });
    const backend = task({ role: 'backend', mode: 'solid-list', target: { struct: 'Order' } });
    expect(checkShaping(backend, { project, tasks: [backend], getMode: realMode }).problems).toEqual([
      'solid-list writes SolidJS (TSX), but the task is for the Backend Engineer. Give the task to the frontend engineer or ui designer, or choose no mode.',
    ]);
    const designerOnRust = task({ role: 'ui_designer', mode: 'actix-router' });
    expect(checkShaping(designerOnRust, { project, tasks: [designerOnRust], getMode: realMode }).problems).toEqual([
      'actix-router writes Rust, but the task is for the UI Designer. Give the task to the backend engineer or database engineer, or choose no mode.',
    ]);
  });

  it('without a project, only tables created by other tasks count', () => {
    const creator = task({ mode: 'diesel-schema', target: { table: 'invoices' } });
    const user = task({ mode: 'diesel-model-struct', target: { table: 'invoices', struct: 'Invoice' }, dependsOn: [creator.id] });
    expect(checkShaping(user, { tasks: [creator, user], getMode }).ready).toBe(true);
    const orphan = task({ mode: 'diesel-model-struct', target: { table: 'orders', struct: 'Order' } });
    expect(checkShaping(orphan, { tasks: [orphan], getMode }).problems[0]).toMatch(/\(no Rust project is open\)/);
  });

  it('the prompt lists the project tables, what tasks will create, and the runnable modes', () => {
    const creator = task({ title: 'Invoices table', mode: 'diesel-schema', target: { table: 'invoices' } });
    const t = task({ title: 'Invoice record', role: 'db', dependsOn: [creator.id] });
    const p = shapePrompt({ task: t, tasks: [creator, t], project, modes: [{ id: 'diesel-schema', description: 'One table! block.' } as Mode] });
    const input = p.messages[p.messages.length - 1]!.content;
    expect(input).toContain('Task: Invoice record (db)');
    expect(input).toContain('Needs first: Invoices table [diesel-schema invoices]');
    expect(input).toContain('Known tables: customers(id, name, phone); orders(id, customer_id, status, pickup_date, note); invoices (created by task "Invoices table")');
    expect(input).toContain('Known structs: Order (orders)');
    expect(p.messages[0]!.content).toContain('- diesel-schema: One table! block.\n- none:');
  });
});

describe('topologicalOrder', () => {
  it('puts dependencies first and keeps the given order otherwise', () => {
    const a = task({ title: 'a' });
    const b = task({ title: 'b', dependsOn: [] });
    const c = task({ title: 'c' });
    const first = { ...a, dependsOn: [c.id] };
    expect(topologicalOrder([first, b, c]).map((t) => t.title)).toEqual(['c', 'a', 'b']);
  });
});
