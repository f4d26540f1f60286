import { beforeAll, describe, expect, it } from 'vitest';
import { actixRouterMode } from '../../../modes/actix-router';
import { parseRouterTarget } from '../../../modes/actix-router/plan';
import type { ModeInput, ModeRunOptions } from '../../../src/pipeline/mode';
import { initRustParser, loadActix } from '../../../src/rust';
import { fixtureFiles, LIBRARY, BAKERY, MemoryFs, routeTable, withChanges } from './helpers';

beforeAll(() => initRustParser());

// The router never calls a model: a client that fails loudly proves it.
const noModel = { client: new Proxy({}, { get: () => () => Promise.reject(new Error('the router must not call a model')) }) } as unknown as ModeRunOptions;
const run = (files: Record<string, string>, over: Partial<ModeInput> = {}) => actixRouterMode.run({ project: new MemoryFs(files), request: '', ...over }, noModel);

describe('actix-router (deterministic)', () => {
  it('registers every unregistered handler next to its siblings, and a second run changes nothing', async () => {
    const files = fixtureFiles(LIBRARY);
    const r = await run(files);
    expect(r.ok).toBe(true);
    expect(r.deterministic).toBe(true);
    expect(r.runs).toEqual([]);
    expect(r.changeSet?.files.map((f) => f.path)).toEqual(['src/api/books.rs']);
    expect(r.changeSet?.summary).toBe('Register `create_book`, `delete_book` (POST /api/v1/books, DELETE /api/v1/books/{id})');
    expect(r.changeSet!.files[0]!.proposed).toContain('    cfg.route("/{id}", web::put().to(update_book));\n    cfg.service(create_book);\n    cfg.service(delete_book);\n}');

    const after = withChanges(files, r.changeSet!.files);
    const info = await loadActix(new MemoryFs(after));
    expect(routeTable(info)).toEqual(expect.arrayContaining(['POST /api/v1/books -> create_book [service]', 'DELETE /api/v1/books/{id} -> delete_book [service]']));
    expect(info.handlers.filter((h) => h.registrations !== 1)).toEqual([]);

    const again = await run(after);
    expect(again.ok).toBe(true);
    expect(again.changeSet).toBeUndefined();
    expect(again.diagnostics.map((d) => d.code)).toEqual(['nothing-to-register']);
    const named = await run(after, { function: 'create_book' });
    expect(named.changeSet).toBeUndefined();
    expect(named.diagnostics.map((d) => d.code)).toEqual(['already-registered']);
  });

  it('refuses a handler whose route is already taken', async () => {
    const files = fixtureFiles(BAKERY);
    files['src/handlers/orders.rs'] += '\n#[get("/orders/{order_id}")]\npub async fn show_order() -> HttpResponse {\n    HttpResponse::Ok().finish()\n}\n';
    const r = await run(files, { function: 'show_order' });
    expect(r.ok).toBe(false);
    expect(r.changeSet).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'route-taken', message: expect.stringContaining('GET /api/orders/{order_id} is already taken by `get_order`') })]);
  });

  it('refuses two new handlers that claim the same route', async () => {
    const files = fixtureFiles(BAKERY);
    files['src/handlers/products.rs'] += '\n#[get("/specials")]\npub async fn specials_a() -> HttpResponse {\n    HttpResponse::Ok().finish()\n}\n\n#[get("/specials")]\npub async fn specials_b() -> HttpResponse {\n    HttpResponse::Ok().finish()\n}\n';
    const r = await run(files);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain('route-taken');
  });

  it('registers a plain function with `.route(path, web::<method>().to(h))` from --route', async () => {
    const files = fixtureFiles(BAKERY);
    files['src/handlers/products.rs'] += '\npub async fn product_count(pool: web::Data<DbPool>) -> HttpResponse {\n    let _ = pool;\n    HttpResponse::Ok().finish()\n}\n';
    const r = await run(files, { function: 'product_count', route: 'GET /api/products/count' });
    expect(r.ok).toBe(true);
    const mod = r.changeSet!.files.find((f) => f.path === 'src/handlers/mod.rs')!;
    expect(mod.proposed).toContain('.service(products::list_products)\n            .route("/products/count", web::get().to(products::product_count)),');
    const info = await loadActix(new MemoryFs(withChanges(files, r.changeSet!.files)));
    expect(routeTable(info)).toContain('GET /api/products/count -> products::product_count [route]');
  });

  it('registers under a scope the request names, with a path from that scope\'s file', async () => {
    const files = fixtureFiles(LIBRARY);
    const r = await run(files, { request: 'register create_book under /admin' });
    expect(r.ok).toBe(true);
    const file = r.changeSet!.files[0]!;
    expect(file.path).toBe('src/api/admin.rs');
    expect(file.proposed).toContain('cfg.service(crate::api::books::create_book);');
    const info = await loadActix(new MemoryFs(withChanges(files, r.changeSet!.files)));
    expect(routeTable(info)).toContain('POST /admin -> crate::api::books::create_book [service]');
  });

  it('explains unknown handlers, unknown scopes and missing routes', async () => {
    const files = fixtureFiles(LIBRARY);
    expect((await run(files, { function: 'nope' })).diagnostics[0]?.code).toBe('unknown-handler');
    expect((await run(files, { function: 'create_book', route: '/v9' })).diagnostics[0]).toMatchObject({ code: 'unknown-scope', message: expect.stringContaining('/api/v1/books') });
    const plain = { ...files, 'src/api/admin.rs': `${files['src/api/admin.rs']}\npub async fn ping() -> HttpResponse {\n    HttpResponse::Ok().finish()\n}\n` };
    expect((await run(plain, { function: 'ping' })).diagnostics[0]?.code).toBe('no-route');
  });

  it('reads targets from --route and from the request', () => {
    expect(parseRouterTarget('GET /a/{id}', '')).toEqual({ plainRoute: { method: 'GET', path: '/a/{id}' } });
    expect(parseRouterTarget('/api', '')).toEqual({ scope: '/api' });
    expect(parseRouterTarget(undefined, 'put these in /api/v2 please')).toEqual({ scope: '/api/v2' });
    expect(parseRouterTarget(undefined, 'register ping as post /ping')).toEqual({ plainRoute: { method: 'POST', path: '/ping' } });
    expect(parseRouterTarget(undefined, 'register them')).toEqual({});
  });

  it('builds no prompt (deterministic) and refuses bad input at prompt time', async () => {
    const files = fixtureFiles(LIBRARY);
    expect(await actixRouterMode.buildPrompt({ project: new MemoryFs(files), request: '' })).toEqual({ messages: [], stablePrefixChars: 0 });
    await expect(actixRouterMode.buildPrompt({ project: new MemoryFs(files), request: '', function: 'nope' })).rejects.toThrow(/No handler `nope`/);
  });
});

describe('actix-router: the file the command was invoked on', () => {
  it('narrows to the handlers of that file, and is ignored when it holds none', async () => {
    const files = fixtureFiles(LIBRARY);
    const books = await run(files, { file: 'src/api/books.rs' });
    expect(books.changeSet?.summary).toContain('`create_book`, `delete_book`');
    const authors = await run(files, { file: 'src/api/authors.rs' });
    expect(authors.changeSet).toBeUndefined();
    expect(authors.diagnostics[0]).toMatchObject({ code: 'nothing-to-register', message: expect.stringContaining('in src/api/authors.rs') });
    const model = await run(files, { file: 'src/models/book.rs' });
    expect(model.changeSet?.summary).toContain('`create_book`, `delete_book`');
  });
});
