import { beforeAll, describe, expect, it } from 'vitest';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { analyzeActix, classifyExtractor, initRustParser, joinRoutePath, loadActix, readActixFile, routeParams, routesCollide, routeShape } from '../../../src/rust';
import { BAKERY, LIBRARY, MemoryFs, routeTable } from './helpers';

beforeAll(() => initRustParser());

describe('Actix reading: the sample projects', () => {
  it('bakery: configure fn mounted from main, scope /api, attribute handlers', async () => {
    const info = await loadActix(new NodeProjectFs(BAKERY));
    expect(routeTable(info)).toEqual([
      'GET /api/orders/{id} -> orders::get_order [service]',
      'GET /api/products -> products::list_products [service]',
      'POST /api/orders -> orders::create_order [service]',
    ]);
    const getOrder = info.routes.find((r) => r.handler === 'get_order')!;
    expect(getOrder).toMatchObject({ file: 'src/handlers/mod.rs', line: 9, fn: 'configure', fnModule: 'crate::handlers', scopesInFn: ['/api'], handlerFile: 'src/handlers/orders.rs' });
    expect(info.configureFns).toEqual([expect.objectContaining({ name: 'configure', module: 'crate::handlers', param: 'cfg', mountedAt: [''] })]);
    expect(info.apps).toEqual([{ file: 'src/main.rs', fn: 'main', line: 15 }]);
    expect(info.pool).toEqual({ name: 'DbPool', definition: 'Pool<ConnectionManager<PgConnection>>', file: 'src/db.rs', module: 'crate::db', kind: 'r2d2', async: false });
    expect(info.errorTypes).toEqual([
      expect.objectContaining({ name: 'AppError', kind: 'enum', variants: ['NotFound', 'Database', 'Pool'], responseError: true, from: ['diesel::result::Error', 'actix_web::error::BlockingError'] }),
    ]);
    expect(info.middleware.map((m) => [m.kind, m.target, m.prefix])).toEqual([['wrap', 'Logger', '']]);
    expect(info.diagnostics).toEqual([]);
  });

  it('bakery: handlers with their extractors and model calls', async () => {
    const info = await loadActix(new NodeProjectFs(BAKERY));
    const h = info.handlers.find((x) => x.name === 'create_order')!;
    expect(h).toMatchObject({ module: 'crate::handlers::orders', isAsync: true, registrations: 1, calls: ['Order::create'], returnType: 'Result<HttpResponse, AppError>' });
    expect(h.routeAttrs).toEqual([{ method: 'POST', path: '/orders', macro: 'post' }]);
    expect(h.extractors).toEqual([
      { pattern: 'pool', type: 'web::Data<DbPool>', kind: 'data', inner: 'DbPool' },
      { pattern: 'body', type: 'web::Json<NewOrder>', kind: 'json', inner: 'NewOrder' },
    ]);
  });

  it('library: nested scopes, configure chains, resources, plain fns via .to(), default service, tuple services', async () => {
    const info = await loadActix(new NodeProjectFs(LIBRARY));
    expect(routeTable(info)).toEqual([
      'ANY /admin/loans/overdue -> overdue_loans [resource]',
      'ANY /{tail:.*} -> api::not_found [default]',
      'DELETE /api/v1/authors/{id} -> authors::delete_author [resource]',
      'GET /admin/stats -> stats [service]',
      'GET /api/v1/authors -> authors::list_authors [service]',
      'GET /api/v1/authors/{id} -> authors::get_author [resource]',
      'GET /api/v1/books -> list_books [service]',
      'GET /api/v1/books/{id} -> get_book [service]',
      'GET /health -> health [route]',
      'POST /admin/stats/reset -> reset_stats [service]',
      'POST /api/v1/authors -> authors::create_author [service]',
      'PUT /api/v1/books/{id} -> update_book [route]',
    ]);
    expect(Object.fromEntries(info.configureFns.map((c) => [`${c.module}::${c.name}`, c.mountedAt]))).toEqual({
      'crate::api::config': [''],
      'crate::api::books::config': ['/api/v1/books'],
      'crate::api::admin::config': ['/admin'],
    });
    // The test module's own App (with a second /health) is not part of the app.
    expect(info.apps).toHaveLength(1);
    const unregistered = info.handlers.filter((h) => h.registrations === 0).map((h) => h.name);
    expect(unregistered).toEqual(['create_book', 'delete_book']);
    expect(info.pool).toMatchObject({ name: 'DbPool', kind: 'deadpool', async: true, definition: 'Pool<AsyncPgConnection>' });
    expect(info.errorTypes[0]).toMatchObject({ name: 'ApiError', from: ['diesel::result::Error', 'PoolError'] });
  });

  it('library: middleware uses and definitions', async () => {
    const info = await loadActix(new NodeProjectFs(LIBRARY));
    expect(info.middleware.map((m) => `${m.kind} ${m.target ?? '-'} @${m.prefix || '/'}`)).toEqual([
      'wrap Logger @/',
      'wrap middleware::timing::Timing @/',
      'wrap_fn - @/api/v1',
      'from_fn middleware::auth::require_admin_key @/admin',
    ]);
    expect(info.middlewareDefs.map((d) => `${d.kind} ${d.name} ${d.file}`).sort()).toEqual(['from_fn require_admin_key src/middleware/auth.rs', 'transform Timing src/middleware/timing.rs']);
  });

  it('library: registration sites carry the scope path inside their function', async () => {
    const info = await loadActix(new NodeProjectFs(LIBRARY));
    const sites = info.sites.map((s) => `${s.kind} ${s.file}#${s.fn} ${JSON.stringify(s.scopesInFn)} -> ${s.prefix || '/'}`);
    expect(sites).toContain('scope src/api/mod.rs#config ["/api/v1","/books"] -> /api/v1/books');
    expect(sites).toContain('configure src/api/books.rs#config [] -> /api/v1/books');
    expect(sites).toContain('scope src/main.rs#main ["/admin"] -> /admin');
    expect(sites).toContain('app src/main.rs#main [] -> /');
  });
});

describe('Actix reading: registration forms', () => {
  const project = (main: string, extra: Record<string, string> = {}) =>
    new MemoryFs({ 'Cargo.toml': '[package]\nname = "x"\n[dependencies]\nactix-web = "4"\n', 'src/main.rs': main, ...extra });

  it('route macro with several methods, guards, web::method, closures, let-bound scopes and factories', async () => {
    const main = `
mod api;
use actix_web::{guard, http::Method, route, web, App, HttpResponse};

#[route("/multi", method = "GET", method = "HEAD")]
async fn multi() -> HttpResponse { HttpResponse::Ok().finish() }
async fn guarded() -> HttpResponse { HttpResponse::Ok().finish() }
async fn by_method() -> HttpResponse { HttpResponse::Ok().finish() }

fn main() {
    let v2 = web::scope("/v2").route("/g", web::route().guard(guard::Post()).to(guarded));
    let _app = App::new()
        .service(multi)
        .service(v2)
        .service(api::books_scope())
        .route("/m", web::method(Method::PATCH).to(by_method))
        .route("/hello", web::get().to(|| async { "hi" }))
        .configure(|cfg: &mut web::ServiceConfig| {
            cfg.service(web::resource(["/r", "/r2"]).to(guarded));
        });
}
`;
    const api = `
use actix_web::{get, web, Scope};
#[get("/{id}")]
pub async fn one_book() -> &'static str { "b" }
pub fn books_scope() -> Scope {
    web::scope("/books").service(one_book)
}
`;
    const info = await loadActix(project(main, { 'src/api.rs': api }));
    expect(routeTable(info)).toEqual([
      'ANY /r -> guarded [resource]',
      'GET /books/{id} -> one_book [service]',
      'GET /hello -> <closure> [route]',
      'GET /multi -> multi [service]',
      'HEAD /multi -> multi [service]',
      'PATCH /m -> by_method [route]',
      'POST /v2/g -> guarded [route]',
    ]);
    expect(info.handlers.find((h) => h.name === 'one_book')?.registrations).toBe(1);
  });

  it('resolves handler paths through use imports, super:: and same-name handlers in sibling modules', async () => {
    const main = `
mod orders;
mod products;
use actix_web::App;
use crate::orders::list as list_orders;
fn main() {
    App::new().service(list_orders).service(products::list).service(self::orders::show);
}
`;
    const orders = `use actix_web::get;\n#[get("/orders")]\npub async fn list() -> &'static str { "" }\n#[get("/orders/{id}")]\npub async fn show() -> &'static str { "" }\n`;
    const products = `use actix_web::get;\n#[get("/products")]\npub async fn list() -> &'static str { "" }\n`;
    const info = await loadActix(project(main, { 'src/orders.rs': orders, 'src/products.rs': products }));
    expect(info.routes.map((r) => `${r.path} ${r.handlerFile}`).sort()).toEqual(['/orders src/orders.rs', '/orders/{id} src/orders.rs', '/products src/products.rs']);
  });

  it('reports duplicate routes, services without route attributes and unknown configure functions', async () => {
    const main = `
use actix_web::{get, web, App};
#[get("/a")] async fn a1() -> &'static str { "" }
#[get("/a")] async fn a2() -> &'static str { "" }
async fn plain() -> &'static str { "" }
fn main() {
    App::new().service(a1).service(a2).service(plain).configure(missing::config);
}
`;
    const info = await loadActix(project(main));
    expect(info.diagnostics.map((d) => d.code).sort()).toEqual(['duplicate-route', 'service-without-route', 'unknown-configure']);
  });

  it('configure functions nothing mounts are read, but flagged unmounted', async () => {
    const info = await loadActix(
      project('fn main() {}\n', { 'src/routes.rs': 'use actix_web::{get, web};\n#[get("/x")] pub async fn x() -> &\'static str { "" }\npub fn config(cfg: &mut web::ServiceConfig) { cfg.service(x); }\n' }),
    );
    expect(info.routes).toEqual([expect.objectContaining({ path: '/x', mounted: false })]);
    expect(info.handlers[0]?.registrations).toBe(0);
  });

  it('never throws on broken Rust: partial results plus syntax diagnostics', async () => {
    const broken = `
use actix_web::{get, web, App};
#[get("/ok")] async fn ok() -> &'static str { "" }
fn main() {
    App::new().service(ok).service(web::scope("/s").service(
}
fn other( {
`;
    const info = await loadActix(project(broken));
    expect(info.diagnostics.some((d) => d.code === 'rust-syntax' && d.file === 'src/main.rs')).toBe(true);
    expect(info.routes.some((r) => r.path === '/ok')).toBe(true);
    for (const garbage of ['', '}}}}', 'fn', '#[get(', 'App::new().service(', '\u0000\u0001', 'impl<S, B> Transform<S, ServiceRequest> for', 'x'.repeat(5000)]) {
      expect(() => analyzeActix([readActixFile(garbage, 'src/main.rs')])).not.toThrow();
    }
  });
});

describe('route helpers', () => {
  it('joins scope prefixes the way Actix does', () => {
    expect(joinRoutePath('/api', '/orders')).toBe('/api/orders');
    expect(joinRoutePath('/api/v1/books', '')).toBe('/api/v1/books');
    expect(joinRoutePath('', '')).toBe('/');
    expect(joinRoutePath('/api/', '/x')).toBe('/api/x');
    expect(joinRoutePath('/api', 'x')).toBe('/api/x');
  });
  it('compares routes by shape and method', () => {
    expect(routeShape('/orders/{order_id}/')).toBe('/orders/{}');
    expect(routesCollide({ method: 'GET', path: '/a/{id}' }, { method: 'GET', path: '/a/{x:\\d+}' })).toBe(true);
    expect(routesCollide({ method: 'GET', path: '/a/{id}' }, { method: 'POST', path: '/a/{id}' })).toBe(false);
    expect(routesCollide({ method: 'ANY', path: '/a' }, { method: 'DELETE', path: '/a' })).toBe(true);
    expect(routeParams('/c/{id}/o/{order_id:\\d+}')).toEqual(['id', 'order_id']);
  });
  it('classifies extractors', () => {
    expect(classifyExtractor('path', 'web::Path<(i32, String)>')).toEqual({ pattern: 'path', type: 'web::Path<(i32, String)>', kind: 'path', inner: '(i32, String)' });
    expect(classifyExtractor('q', 'actix_web::web::Query<Filter>').kind).toBe('query');
    expect(classifyExtractor('req', 'HttpRequest')).toEqual({ pattern: 'req', type: 'HttpRequest', kind: 'request' });
    expect(classifyExtractor('x', 'Identity').kind).toBe('other');
  });
});
