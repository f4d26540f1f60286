import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actixHandlerMode } from '../../../modes/actix-handler';
import { actixMiddlewareMode } from '../../../modes/actix-middleware';
import { actixRouterMode } from '../../../modes/actix-router';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import { createModelClient, resolveLlmConfig } from '../../../src/llm';
import { initRustParser, loadActix, parseRustFile } from '../../../src/rust';
import { startModelServer, type ModelServer, type Rule } from '../../fixtures/model-server/server.mjs';
import { wrap } from '../../fixtures/model-server/messy.mjs';
import { BAKERY, fixtureFiles, GET_CUSTOMER, LIBRARY, MemoryFs, routeTable, withChanges } from './helpers';
import { firstAndReask } from '../../helpers/fixtureModel';

let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
});
afterEach(() => {
  server.setScript([]);
  server.requests.splice(0);
});
afterAll(() => server.close());

const client = () => {
  const config = resolveLlmConfig({ baseUrl: server.baseUrl, maxRetries: 0 }, {});
  config.timeouts = { connectMs: 5000, firstTokenMs: 20_000, idleMs: 20_000, totalMs: 120_000 };
  return createModelClient({ config, retryDelayMs: 1 });
};
/** First answer, then the answer to the re-ask. */
const script = (first: string, second?: string): Rule[] => firstAndReask(first, second);

/** The answer tiny models like to give: no web::block, a made-up error variant. */
const BAD_HANDLER = GET_CUSTOMER.replace(
  /let customer = web::block\(move \|\| \{\n([\s\S]*?)\n {4}\}\)\n {4}\.await\?\?;/,
  'let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;\n    let customer = Customer::find(&mut conn, customer_id)?;',
).replace('AppError::NotFound', 'AppError::Missing');

describe('actix-handler run() over HTTP', () => {
  it('re-asks once with precise diagnostics, then proposes the handler, its file, its mod line and its registration', async () => {
    server.setScript(script(wrap.think(wrap.fence(BAD_HANDLER, 'rust')), wrap.proseAndFence(GET_CUSTOMER, 'rust')));
    const files = fixtureFiles(BAKERY);
    const input = { project: new MemoryFs(files), struct: 'Customer', function: 'find', request: 'Show one customer by id.', taskId: 'task_7' };
    const r = await actixHandlerMode.run(input, { client: client() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.ok).toBe(true);

    const [req1, req2] = server.chatRequests();
    expect(req1!.body.messages[0].content).toMatch(/^You write ONE Actix Web 4 handler/);
    expect(req1!.body.messages.at(-1).content).toContain('Handler: `get_customer`, route #[get("/customers/{customer_id}")]');
    expect(req2!.body.messages).toHaveLength(req1!.body.messages.length + 2);
    expect(req2!.body.messages.at(-2).content).toContain('AppError::Missing');
    expect(req2!.body.messages.at(-1).content).toContain('`AppError::Missing` does not exist; the variants are `NotFound`, `Database`, `Pool`');
    expect(req2!.body.messages.at(-1).content).toContain('inside `web::block(move || {');
    expect(r.runs.map((x) => x.outcome)).toEqual(['invalid', 'ok']);
    expect(r.runs[1]).toMatchObject({ parentRunId: r.runs[0]!.id, mode: 'actix-handler', taskId: 'task_7' });
    expect(r.diagnostics.map((d) => d.code)).toContain('fixed-after-reask');

    const cs = r.changeSet!;
    expect(cs.mode).toBe('actix-handler');
    expect(cs.summary).toBe('Add handler `get_customer` (GET /api/customers/{customer_id} → `Customer::find`) to src/handlers/customers.rs');
    expect(cs.files.map((f) => f.path).sort()).toEqual(['src/handlers/customers.rs', 'src/handlers/mod.rs']);
    const handlerFile = cs.files.find((f) => f.path === 'src/handlers/customers.rs')!;
    expect(handlerFile.original).toBeNull();
    expect(handlerFile.ops).toEqual([{ op: 'createFile', content: handlerFile.proposed }]);
    expect(handlerFile.proposed).toBe(
      `use actix_web::HttpResponse;\nuse actix_web::get;\nuse actix_web::web;\nuse crate::db::DbPool;\nuse crate::errors::AppError;\nuse crate::models::customer::Customer;\n\n${GET_CUSTOMER}\n`,
    );
    expect(parseRustFile(handlerFile.proposed).diagnostics).toEqual([]);
    const mod = cs.files.find((f) => f.path === 'src/handlers/mod.rs')!;
    expect(mod.proposed).toBe(applyOps(mod.original!, mod.ops).text);
    expect(mod.proposed).toContain('pub mod customers;\npub mod orders;');
    expect(mod.proposed).toContain('.service(products::list_products)\n            .service(customers::get_customer),');

    // The project after the change: the route is served once, and the router has nothing left to do.
    const after = withChanges(files, cs.files);
    const info = await loadActix(new MemoryFs(after));
    expect(routeTable(info)).toContain('GET /api/customers/{customer_id} -> customers::get_customer [service]');
    const router = await actixRouterMode.run({ project: new MemoryFs(after), request: '' }, { client: client() });
    expect(router.changeSet).toBeUndefined();
  });

  it('two bad answers: a clear error and no change set', async () => {
    server.setScript(script(BAD_HANDLER, wrap.unclosedFence(GET_CUSTOMER.slice(0, 200), 'rust')));
    const r = await actixHandlerMode.run({ project: new MemoryFs(fixtureFiles(BAKERY)), struct: 'Customer', function: 'find', request: 'Show one customer.' }, { client: client() });
    expect(r.ok).toBe(false);
    expect(r.changeSet).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'invalid-answer' });
    expect(r.diagnostics.map((d) => d.code)).toContain('truncated');
  });

  it('diesel-async project: the handler goes into the file that already serves the struct and is registered in its configure fn', async () => {
    const answer = `#[get("/search-title")]
pub async fn search_books_title(
    pool: web::Data<DbPool>,
    query: web::Query<SearchBooksTitleQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut conn = pool.get().await?;
    let books = Book::search_title(&mut conn, &query.pattern, query.limit).await?;
    Ok(HttpResponse::Ok().json(books))
}`;
    server.setScript(script(wrap.fence(`use actix_web::*;\nuse crate::models::book::Book;\n\n${answer}`, 'rust')));
    const files = fixtureFiles(LIBRARY);
    const r = await actixHandlerMode.run({ project: new MemoryFs(files), struct: 'Book', function: 'search_title', request: 'Search books by title.' }, { client: client() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['src/api/books.rs']);
    const f = r.changeSet!.files[0]!;
    expect(f.ops.map((o) => o.op)).toEqual(['addUses', 'appendItem', 'appendItem', 'actixRegister']);
    expect(f.proposed).toContain('use serde::Deserialize;');
    expect(f.proposed).toContain('#[derive(Debug, Deserialize)]\npub struct SearchBooksTitleQuery {\n    pub pattern: String,\n    pub limit: i64,\n}\n\n#[get("/search-title")]');
    expect(f.proposed).toContain('    cfg.service(search_books_title);\n}');
    expect(r.diagnostics.map((d) => d.code)).toContain('dropped-imports');
    const info = await loadActix(new MemoryFs(withChanges(files, r.changeSet!.files)));
    expect(routeTable(info)).toContain('GET /api/v1/books/search-title -> search_books_title [service]');
    // Re-applying the proposal to the proposed text changes nothing.
    expect(applyOps(f.proposed, f.ops.filter((o) => o.op !== 'appendItem')).text).toBe(f.proposed);
  });

  it('refuses before any model call when the route is taken', async () => {
    const r = await actixHandlerMode.run({ project: new MemoryFs(fixtureFiles(BAKERY)), struct: 'Order', function: 'find', request: 'Show an order.' }, { client: client() });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('route-taken');
    expect(server.requests).toHaveLength(0);
  });
});

describe('actix-middleware run() over HTTP', () => {
  const LOG = `pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let method = req.method().clone();
    let path = req.path().to_owned();
    let res = next.call(req).await?;
    log::info!("{method} {path} -> {}", res.status());
    Ok(res)
}`;

  it('bakery: creates src/middleware.rs, declares it and wraps the app (after a re-ask)', async () => {
    const noNext = LOG.replace('let res = next.call(req).await?;', 'let res = jsonwebtoken::check(&req);');
    server.setScript(script(wrap.fence(noNext, 'rust'), wrap.think(wrap.fence(LOG, 'rust'))));
    const files = fixtureFiles(BAKERY);
    const r = await actixMiddlewareMode.run({ project: new MemoryFs(files), request: 'Log every request with its status.' }, { client: client() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [, req2] = server.chatRequests();
    expect(req2!.body.messages.at(-1).content).toContain('Pass the request on with `next.call(req).await`');
    expect(req2!.body.messages.at(-1).content).toContain('crate `jsonwebtoken` is not a dependency');
    const cs = r.changeSet!;
    expect(cs.files.map((f) => f.path).sort()).toEqual(['src/main.rs', 'src/middleware.rs']);
    const mw = cs.files.find((f) => f.path === 'src/middleware.rs')!;
    expect(mw.proposed).toBe(
      `use actix_web::Error;\nuse actix_web::body::MessageBody;\nuse actix_web::dev::ServiceRequest;\nuse actix_web::dev::ServiceResponse;\nuse actix_web::middleware::Next;\n\n${LOG}\n`,
    );
    const main = cs.files.find((f) => f.path === 'src/main.rs')!;
    expect(main.proposed).toContain('mod handlers;\nmod middleware;\nmod models;');
    expect(main.proposed).toContain('use actix_web::middleware::from_fn;');
    expect(main.proposed).toContain('.wrap(Logger::default())\n            .wrap(from_fn(middleware::log_requests))\n');
    expect(parseRustFile(main.proposed).diagnostics).toEqual([]);
    const info = await loadActix(new MemoryFs(withChanges(files, cs.files)));
    expect(info.middleware.map((m) => `${m.kind} ${m.target}`)).toEqual(['wrap Logger', 'from_fn middleware::log_requests']);
  });

  it('library: a new file in the middleware folder, wrapping the scope the user names', async () => {
    server.setScript(script(LOG));
    const files = fixtureFiles(LIBRARY);
    const r = await actixMiddlewareMode.run({ project: new MemoryFs(files), request: 'Log the admin requests.', route: '/admin' }, { client: client() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.changeSet!.files.map((f) => f.path).sort()).toEqual(['src/main.rs', 'src/middleware/log_requests.rs', 'src/middleware/mod.rs']);
    const main = r.changeSet!.files.find((f) => f.path === 'src/main.rs')!;
    // `from_fn` is already imported there; the wrap goes after the scope's existing one.
    expect(main.proposed.match(/use actix_web::middleware::\{from_fn, Logger\};/g)).toHaveLength(1);
    expect(main.proposed).toContain('.wrap(from_fn(middleware::auth::require_admin_key))\n                    .wrap(from_fn(middleware::log_requests::log_requests))');
    expect(r.changeSet!.files.find((f) => f.path === 'src/middleware/mod.rs')!.proposed).toBe('pub mod auth;\npub mod log_requests;\npub mod timing;\n');
  });

  it('refuses when actix-web is older than 4.9', async () => {
    const files = fixtureFiles(BAKERY);
    files['Cargo.toml'] = files['Cargo.toml']!.replace('actix-web = "4"', 'actix-web = "4.4"');
    const r = await actixMiddlewareMode.run({ project: new MemoryFs(files), request: 'Log requests.' }, { client: client() });
    expect(r.diagnostics[0]).toMatchObject({ code: 'actix-too-old' });
    expect(server.requests).toHaveLength(0);
  });
});
