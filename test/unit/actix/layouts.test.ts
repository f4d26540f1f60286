import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstAndReask, fixtureModel } from '../../helpers/fixtureModel';
import { actixHandlerMode } from '../../../modes/actix-handler';
import { buildHandlerContext } from '../../../modes/actix-handler/context';
import { openActixProject } from '../../../modes/actix-common/project';
import { resolveModelFn } from '../../../modes/actix-common/modelFns';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { loadRecordedSet } from '../../../src/eval/recorded';
import { matchAnswer } from '../../../src/eval/score';
import { loadTasks } from '../../../src/eval/tasks';
import type { EvalTask } from '../../../src/eval/types';
import { loadActix } from '../../../src/rust';
import { findDieselFn, qualifiedName } from '../../../src/rust/dieselFns';
import { BAKERY, FIXTURES, MemoryFs, withChanges } from './helpers';

/**
 * The Actix layouts real apps use (test/fixtures/actix-garage, -clinic, -studio): the function
 * index, `--function` resolution, what `.app_data` registers, and for each layout task of the
 * eval its recorded correct, messy and wrong answers run through the whole mode over HTTP.
 */

const GARAGE = path.join(FIXTURES, 'actix-garage');
const CLINIC = path.join(FIXTURES, 'actix-clinic');
const STUDIO = path.join(FIXTURES, 'actix-studio');
const LAYOUT_TASKS = ['garage-free-fn', 'garage-arc-state', 'garage-result-alias', 'clinic-repository', 'clinic-configure-scope', 'studio-session-guard'];
const EVAL = path.resolve(__dirname, '../../../eval');

const model = fixtureModel();
const client = model.client;

describe('the Diesel function index', () => {
  it('finds free functions, repository methods and impl blocks away from the struct, with how each gets a connection', async () => {
    const fns = async (root: string) => (await openActixProject(new NodeProjectFs(root))).fns.map((f) => `${qualifiedName(f)} ${f.conn.kind} ${f.file}`).sort();
    expect(await fns(GARAGE)).toEqual(
      ['add_repair', 'find_vehicle', 'finish_repair', 'list_vehicles', 'open_repairs', 'repairs_for_vehicle'].map((n) => `db_actions::${n} param src/db_actions.rs`),
    );
    expect(await fns(CLINIC)).toEqual(['add_patient', 'appointments_for_patient', 'cancel_appointment', 'get_patient', 'list_patients'].map((n) => `Database::${n} self src/db.rs`));
    expect(await fns(STUDIO)).toEqual([
      'Booking::cancel param src/queries/bookings.rs',
      'Booking::create param src/queries/bookings.rs',
      'Booking::find param src/queries/bookings.rs',
      'Booking::for_room param src/queries/bookings.rs',
      'Room::all param src/queries/rooms.rs',
    ]);
  });

  it('resolves a bare name, module::fn and Type::method; an ambiguous name lists its candidates; --struct narrows it', async () => {
    const ap = await openActixProject(new NodeProjectFs(BAKERY));
    const isModel = (n: string): boolean => !!ap.p.info.findStruct(n)?.struct.tableName;
    const find = findDieselFn(ap.fns, 'find', { isModel });
    expect('candidates' in find && find.candidates.map(qualifiedName).sort()).toEqual(['Customer::find', 'Order::find']);
    expect(resolveModelFn(ap.fns, { function: 'find', request: 'x' }, isModel)).toMatchObject({ code: 'ambiguous-model-fn', message: expect.stringContaining('`Customer::find` (src/models/customer.rs)') });
    expect(resolveModelFn(ap.fns, { function: 'find', struct: 'Order', request: 'x' }, isModel)).toMatchObject({ name: 'find', owner: 'Order' });
    expect(resolveModelFn(ap.fns, { function: 'Customer::find', request: 'x' }, isModel)).toMatchObject({ name: 'find', owner: 'Customer' });
    const garage = await openActixProject(new NodeProjectFs(GARAGE));
    expect(findDieselFn(garage.fns, 'db_actions::find_vehicle')).toMatchObject({ fn: { name: 'find_vehicle', module: 'crate::db_actions' } });
    expect(findDieselFn(garage.fns, 'crate::db_actions::find_vehicle')).toMatchObject({ fn: { name: 'find_vehicle' } });
    expect(findDieselFn(garage.fns, 'other::find_vehicle')).toEqual({ none: true });
    // The report: a free function was refused as "`User::x` does not exist".
    const r = await buildHandlerContext({ project: new NodeProjectFs(GARAGE), function: 'find_vehicle', request: 'Show a vehicle.' });
    expect('diagnostics' in r && !('ctx' in r) ? r.diagnostics : []).toEqual([expect.objectContaining({ code: 'route-taken' })]);
  });
});

describe('what the app registers', () => {
  it('reads .app_data through let bindings, Arc, constructors and return types', async () => {
    const data = async (root: string) => (await loadActix(new NodeProjectFs(root))).appData.map((d) => `${d.type} ${d.file}:${d.line}`);
    expect(await data(GARAGE)).toEqual(['Arc<AppState> src/main.rs:24']);
    expect(await data(CLINIC)).toEqual(['Database src/main.rs:18']);
    expect(await data(STUDIO)).toEqual(['DbPool src/main.rs:19']);
    const files = {
      'Cargo.toml': '[package]\nname = "x"\n[dependencies]\nactix-web = "4"\ndiesel = { version = "2", features = ["postgres", "r2d2"] }\n',
      'src/schema.rs': 'diesel::table! { items (id) { id -> Int4, } }\n',
      'src/main.rs': `mod schema;
use actix_web::{web, App, HttpServer};
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;
fn make() -> Result<Pool<ConnectionManager<PgConnection>>, String> { todo!() }
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = make().expect("pool");
    let data: web::Data<Pool<ConnectionManager<PgConnection>>> = web::Data::new(pool);
    let shared = std::sync::Arc::new(String::new());
    HttpServer::new(move || App::new().app_data(data.clone()).app_data(web::Data::from(shared.clone())).app_data(web::JsonConfig::default()))
        .bind(("127.0.0.1", 8080))?
        .run()
        .await
}
`,
    };
    const info = await loadActix(new MemoryFs(files));
    expect(info.appData.map((d) => [d.type, d.data])).toEqual([
      ['Pool<ConnectionManager<PgConnection>>', true],
      ['String', true],
    ]);
  });

  it('plans the handler around the registered data: Arc<AppState>, a repository, a pool plus a session guard', async () => {
    const ctx = async (root: string, fn: string) => {
      const r = await buildHandlerContext({ project: new NodeProjectFs(root), function: fn, request: 'Do it.' });
      if (!('ctx' in r)) throw new Error(JSON.stringify(r.diagnostics));
      return r.ctx;
    };
    const g = await ctx(GARAGE, 'repairs_for_vehicle');
    expect(g.request).toContain('extractors `state: web::Data<Arc<AppState>>`, `path: web::Path<i32>`; call `db_actions::repairs_for_vehicle(&mut conn, vehicle_id)`');
    expect(g.rendered).toContain('take `state: web::Data<Arc<AppState>>` (registered in src/main.rs:24); `let mut conn = state.pool.get()?;`');
    expect(g).toMatchObject({ file: 'src/routes.rs', callUses: ['crate::db_actions'] });
    const c = await ctx(CLINIC, 'appointments_for_patient');
    // The clinic registers plain functions with `.route(…)`: the new one follows.
    expect(c.request).toContain(
      'a plain async fn without a route attribute (registered as .route("/{patient_id}/appointments", web::get().to(appointments_for_patient))), extractors `db: web::Data<Database>`, `path: web::Path<i32>`; call `db.appointments_for_patient(patient_id)`',
    );
    expect(c).toMatchObject({ file: 'src/api/patients.rs', fullPath: '/api/patients/{patient_id}/appointments', registerAs: 'route' });
    expect(g.registerAs).toBe('service');
    const s = await ctx(STUDIO, 'for_room');
    expect(s.rendered).toContain('// Other extractors the handlers here take (keep them when the handler needs the same guard)\n_staff: StaffSession');
    expect(s).toMatchObject({ name: 'list_bookings_for_room', file: 'src/handlers/bookings.rs', fullPath: '/staff/rooms/{room_id}/bookings' });
    const unregistered = await buildHandlerContext({
      project: new MemoryFs({ ...Object.fromEntries(await filesOf(CLINIC)), 'src/main.rs': (await new NodeProjectFs(CLINIC).readFile('src/main.rs'))!.replace('web::Data::new(db.clone())', 'web::Data::new(String::from("clinic"))') }),
      function: 'appointments_for_patient',
      request: 'x',
    });
    expect(unregistered).toEqual({ diagnostics: [expect.objectContaining({ code: 'unregistered-repo' })] });
  });
});

async function filesOf(root: string): Promise<Map<string, string>> {
  const fs = new NodeProjectFs(root);
  const out = new Map<string, string>();
  for (const f of [...(await fs.listFiles('', ['.rs', '.toml']))]) out.set(f, (await fs.readFile(f))!);
  return out;
}

describe('layout tasks of the actix eval set: correct, messy and wrong answers', async () => {
  const tasks = (await loadTasks(path.join(EVAL, 'tasks', 'actix'))).filter((t) => LAYOUT_TASKS.includes(t.id.split('/').pop()!));
  const recorded = await loadRecordedSet(path.join(EVAL, 'recorded', 'actix.json'));
  it('has every layout', () => expect(tasks.map((t) => t.id.split('/').pop()).sort()).toEqual([...LAYOUT_TASKS].sort()));

  const run = async (t: EvalTask, first: string, second = first) => {
    model.server().setScript(firstAndReask(first, second));
    const files = Object.fromEntries(t.files);
    const input = { project: new MemoryFs(files), request: t.request, ...(t.function ? { function: t.function } : {}), ...(t.handler ? { handler: t.handler } : {}), ...(t.route ? { route: t.route } : {}) };
    return { r: await actixHandlerMode.run(input, { client: client() }), files };
  };

  for (const id of LAYOUT_TASKS) {
    it(`${id}: the correct and the messy answer are accepted, placed and registered at the planned route; the wrong one gets only its true errors`, async () => {
      const t = tasks.find((x) => x.id.endsWith(id))!;
      const rec = recorded.answers[id]!;
      for (const answer of [`\`\`\`rust\n${t.reference!}\n\`\`\``, rec.answer]) {
        const { r, files } = await run(t, answer);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.runs.map((x) => x.outcome)).toEqual(['ok']);
        expect(matchAnswer(t, r.code!, r.changeSet).checks.filter((c) => !c.ok)).toEqual([]);
        const name = /\bfn\s+(\w+)/.exec(r.code!)![1]!;
        const after = await loadActix(new MemoryFs(withChanges(files, r.changeSet!.files)));
        const routes = after.routes.filter((x) => x.mounted && x.handler === name);
        expect(routes).toHaveLength(1);
      }
      const { r } = await run(t, rec.wrong!.answer);
      expect(r.ok).toBe(false);
      const firstErrors = [...new Set(r.runs[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
      expect(firstErrors).toEqual([...rec.wrong!.codes].sort());
    }, 60_000);
  }
});
