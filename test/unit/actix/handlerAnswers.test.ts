import { beforeAll, describe, expect, it } from 'vitest';
import { handlerCheckEnv, processHandlerAnswer } from '../../../modes/actix-handler';
import { buildHandlerContext, type HandlerContext } from '../../../modes/actix-handler/context';
import { validateHandler } from '../../../modes/actix-handler/validate';
import { hasErrors } from '../../../src/core/diagnostics';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { initRustParser } from '../../../src/rust';
import { messyRustVariants, wrap } from '../../fixtures/model-server/messy.mjs';
import { BAKERY, GET_CUSTOMER, LIBRARY } from './helpers';

beforeAll(() => initRustParser());

async function context(root: string, struct: string, fn: string, request = 'Do it.'): Promise<HandlerContext> {
  const r = await buildHandlerContext({ project: new NodeProjectFs(root), struct, function: fn, request });
  if (!('ctx' in r)) throw new Error(JSON.stringify(r.diagnostics));
  return r.ctx;
}



/** Post-processing without rustfmt (its presence must not change what the tests see), then validation. */
async function judge(ctx: HandlerContext, content: string) {
  const p = await processHandlerAnswer({ content }, ctx, { rustfmt: false });
  const checks = p.code !== undefined && !hasErrors(p.diagnostics) ? validateHandler(p.code, handlerCheckEnv(ctx)) : [];
  const all = [...p.diagnostics, ...checks];
  return { ...p, all, errors: all.filter((d) => d.severity === 'error').map((d) => d.code) };
}

describe('actix-handler: messy answers (bakery, Customer::find)', () => {
  let ctx: HandlerContext;
  beforeAll(async () => {
    ctx = await context(BAKERY, 'Customer', 'find');
  });

  it('plans the handler from the model function', () => {
    expect(ctx).toMatchObject({ name: 'get_customer', method: 'GET', attrPath: '/customers/{customer_id}', fullPath: '/api/customers/{customer_id}', file: 'src/handlers/customers.rs' });
    expect(ctx.original).toBeUndefined();
    expect(ctx.site).toMatchObject({ file: 'src/handlers/mod.rs', fn: 'configure', scopesInFn: ['/api'] });
  });

  it('a clean answer passes, with imports computed from the code', async () => {
    const r = await judge(ctx, GET_CUSTOMER);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(GET_CUSTOMER);
    expect(r.uses).toEqual(['actix_web::HttpResponse', 'actix_web::get', 'actix_web::web', 'crate::db::DbPool', 'crate::errors::AppError', 'crate::models::customer::Customer']);
  });

  for (const v of messyRustVariants(GET_CUSTOMER)) {
    it(`cleans "${v.name}"`, async () => {
      const r = await judge(ctx, v.text);
      if (v.name === 'unclosed think') {
        // Code inside a <think> that never closed is a draft, not the answer.
        expect(r.errors).toEqual(['no-code']);
        return;
      }
      expect(r.errors).toEqual([]);
      expect(r.code).toBe(GET_CUSTOMER);
      expect(r.uses).not.toContain('diesel::sqlite::SqliteConnection');
    });
  }

  it('keeps the planned handler out of two', async () => {
    const other = GET_CUSTOMER.replace('get_customer', 'list_customers').replace('#[get("/customers/{customer_id}")]', '#[get("/customers")]');
    const r = await judge(ctx, wrap.fence(`${other}\n\n${GET_CUSTOMER}`, 'rust'));
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(GET_CUSTOMER);
    expect(r.all.map((d) => d.code)).toContain('extra-functions');
  });

  it('rejects a truncated answer', async () => {
    const r = await judge(ctx, wrap.unclosedFence(GET_CUSTOMER.slice(0, GET_CUSTOMER.indexOf('match customer')), 'rust'));
    expect(r.errors).toEqual(['truncated']);
  });

  it('puts the planned route and name on an answer that strayed, when its Path still fits', async () => {
    const strayed = GET_CUSTOMER.replace('#[get("/customers/{customer_id}")]', '#[get("/customer/{id}")]').replace('fn get_customer', 'fn fetch_customer');
    const r = await judge(ctx, strayed);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(GET_CUSTOMER);
    expect(r.all.map((d) => d.code)).toEqual(expect.arrayContaining(['route-adjusted', 'renamed']));
    const missing = await judge(ctx, GET_CUSTOMER.replace('#[get("/customers/{customer_id}")]\n', ''));
    expect(missing.errors).toEqual([]);
    expect(missing.code).toBe(GET_CUSTOMER);
  });

  it('comments and strings before web::block do not hide the call inside it', async () => {
    const commented = GET_CUSTOMER.replace(
      '    let customer = web::block(',
      '    // Diesel is synchronous: run the query on the blocking thread pool, never on the async worker.\n    let customer = web::block(',
    );
    const r = await judge(ctx, commented);
    expect(r.errors).toEqual([]);
  });

  const bad: [string, (c: string) => string, string[]][] = [
    ['a route whose Path no longer fits', (c) => c.replace('"/customers/{customer_id}"', '"/customers/{customer_id}/{x}"'), ['wrong-route', 'path-params']],
    ['a blocking call outside web::block', (c) => c.replace(/let customer = web::block\(move \|\| \{\n([\s\S]*?)\n {4}\}\)\n {4}\.await\?\?;/, 'let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;\n    let customer = Customer::find(&mut conn, customer_id)?;'), ['blocking-call']],
    ['an unknown error variant', (c) => c.replace('AppError::NotFound', 'AppError::Missing'), ['unknown-variant']],
    ['a pool type the app never registers', (c) => c.replace('web::Data<DbPool>', 'web::Data<Pool>'), ['unregistered-data']],
    ['a model function that does not exist', (c) => c.replace('Customer::find(', 'Customer::get('), ['model-fn-not-called', 'unknown-model-fn']],
    ['the wrong number of arguments', (c) => c.replace('Customer::find(&mut conn, customer_id)', 'Customer::find(&mut conn)'), ['wrong-arity']],
    ['no 404 for None', (c) => c.replace(/match customer \{[\s\S]*?\n {4}\}/, 'Ok(HttpResponse::Ok().json(customer))'), ['missing-404']],
    ['a made-up error type', (c) => c.replace('Result<HttpResponse, AppError>', 'Result<HttpResponse, MyError>'), ['unknown-error-type']],
    ['a Path of the wrong type', (c) => c.replace('web::Path<i32>', 'web::Path<String>'), ['path-type']],
    ['a sync fn', (c) => c.replace('pub async fn', 'pub fn'), ['not-async']],
    ['a name the file already has', (c) => c, []],
  ];
  for (const [what, edit, codes] of bad) {
    if (!codes.length) continue;
    it(`rejects ${what} with a specific diagnostic`, async () => {
      const r = await judge(ctx, edit(GET_CUSTOMER));
      expect(r.errors.sort()).toEqual([...codes].sort());
      for (const d of r.all.filter((x) => x.severity === 'error')) expect(d.message.length).toBeGreaterThan(20);
    });
  }
});

describe('actix-handler: checks that depend on the model function', () => {
  it('create: a body that does not derive Deserialize, and a missing 201', async () => {
    const ctx = await context(BAKERY, 'Customer', 'create');
    expect(ctx.shape.extractors).toEqual([{ pattern: 'body', type: 'web::Json<NewCustomer>' }]);
    const good = `#[post("/customers")]
pub async fn create_customer(pool: web::Data<DbPool>, body: web::Json<NewCustomer>) -> Result<HttpResponse, AppError> {
    let new_customer = body.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::create(&mut conn, &new_customer).map_err(AppError::from)
    })
    .await??;
    Ok(HttpResponse::Created().json(customer))
}`;
    expect((await judge(ctx, good)).errors).toEqual([]);
    expect((await judge(ctx, good.replace('web::Json<NewCustomer>', 'web::Json<Customer>'))).errors).toEqual(['not-deserialize']);
    expect((await judge(ctx, good.replace('HttpResponse::Created()', 'HttpResponse::Ok()'))).errors).toEqual(['status-created']);
    expect((await judge(ctx, good.replace('web::Json<NewCustomer>', 'web::Json<NewClient>'))).errors).toEqual(['unknown-type']);
  });

  it('diesel-async project: awaited calls, no web::block', async () => {
    const ctx = await context(LIBRARY, 'Book', 'search_title');
    expect(ctx).toMatchObject({ name: 'search_books_title', method: 'GET', attrPath: '/search-title', fullPath: '/api/v1/books/search-title', file: 'src/api/books.rs' });
    expect(ctx.shape.query?.code).toBe('#[derive(Debug, Deserialize)]\npub struct SearchBooksTitleQuery {\n    pub pattern: String,\n    pub limit: i64,\n}');
    const good = `#[get("/search-title")]
pub async fn search_books_title(
    pool: web::Data<DbPool>,
    query: web::Query<SearchBooksTitleQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let mut conn = pool.get().await?;
    let books = Book::search_title(&mut conn, &query.pattern, query.limit).await?;
    Ok(HttpResponse::Ok().json(books))
}`;
    expect((await judge(ctx, good)).errors).toEqual([]);
    const blocking = good.replace('let mut conn = pool.get().await?;\n    let books = Book::search_title(&mut conn, &query.pattern, query.limit).await?;', 'let books = web::block(move || {\n        let mut conn = pool.get()?;\n        Book::search_title(&mut conn, &query.pattern, query.limit)\n    })\n    .await??;');
    expect([...new Set((await judge(ctx, blocking)).errors)].sort()).toEqual(['block-in-async', 'missing-await']);
  });

  it('refuses before asking the model when the route is taken or the function is unknown', async () => {
    const taken = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), struct: 'Order', function: 'find', request: 'Show an order.' });
    expect(taken).toEqual({ diagnostics: [expect.objectContaining({ code: 'route-taken', message: expect.stringContaining('`get_order`') })] });
    const unknown = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), struct: 'Order', function: 'list_for_customer', request: 'x' });
    expect(unknown).toEqual({ diagnostics: [expect.objectContaining({ code: 'unknown-model-fn', message: expect.stringContaining("Diesel functions for `Order`: `Order::find` (src/models/order.rs), `Order::create`") })] });
    const noStruct = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), struct: 'Cake', function: 'find', request: 'x' });
    expect('ctx' in noStruct).toBe(false);
    const userRoute = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), struct: 'Order', function: 'find', route: 'GET /api/orders/{order_id}/details', request: 'Order details, called order_details.' });
    expect('ctx' in userRoute && userRoute.ctx).toMatchObject({ name: 'order_details', attrPath: '/orders/{order_id}/details', fullPath: '/api/orders/{order_id}/details', userRoute: true });
  });
});

describe('actix-handler: where the handler goes', () => {
  it('uses the invoked file only when it is a handler file', async () => {
    const inMain = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), file: 'src/main.rs', struct: 'Customer', function: 'find', request: 'x' });
    expect('ctx' in inMain && inMain.ctx.file).toBe('src/handlers/customers.rs');
    const inProducts = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), file: 'src/handlers/products.rs', struct: 'Customer', function: 'find', request: 'x' });
    expect('ctx' in inProducts && inProducts.ctx.file).toBe('src/handlers/products.rs');
    const inModel = await buildHandlerContext({ project: new NodeProjectFs(BAKERY), file: 'src/models/order.rs', struct: 'Order', function: 'create', route: 'POST /api/orders/bulk', request: 'called create_bulk' });
    expect('ctx' in inModel && inModel.ctx.file).toBe('src/handlers/orders.rs');
  });
});
