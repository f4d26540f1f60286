import { beforeAll, describe, expect, it } from 'vitest';
import { handlerShape, relativeRoute, responseRule, returnKind } from '../../../modes/actix-handler/shape';
import { initRustParser, parseRustFile, type Table } from '../../../src/rust';

beforeAll(() => initRustParser());

const TABLES: Table[] = ['orders', 'customers', 'products', 'loans', 'books', 'categories'].map((name) => ({ name, primaryKey: ['id'], columns: [], uses: [] }));
const STRUCTS = new Set(['Order', 'NewOrder', 'OrderChanges', 'StatusChange']);

/** Shape of `impl Order { <sig>; }` for table `orders`. */
function shape(sig: string, table = 'orders', struct = 'Order') {
  const fn = parseRustFile(`impl ${struct} {\n    ${sig};\n}`).impls[0]!.functions[0]!;
  const s = handlerShape({ fn, struct, table: TABLES.find((t) => t.name === table)!, tables: TABLES, isProjectStruct: (n) => STRUCTS.has(n) });
  return { name: s.name, route: `${s.method} ${s.fullPath}`, extractors: s.extractors.map((e) => `${e.pattern}: ${e.type}`), call: s.call, status: s.status, notFound: s.notFound, query: s.query?.name };
}

describe('handler shape from a model function', () => {
  it.each([
    ['pub fn find(conn: &mut PgConnection, order_id: i32) -> QueryResult<Option<Order>>', { name: 'get_order', route: 'GET /orders/{order_id}', status: 200, notFound: true }],
    ['pub fn list(conn: &mut PgConnection) -> QueryResult<Vec<Order>>', { name: 'list_orders', route: 'GET /orders', status: 200, notFound: false }],
    ['pub fn list_all(conn: &mut PgConnection) -> QueryResult<Vec<Order>>', { name: 'list_orders', route: 'GET /orders' }],
    ['pub fn get_all(conn: &mut PgConnection) -> QueryResult<Vec<Order>>', { name: 'get_orders', route: 'GET /orders' }],
    ['pub fn list_all_open(conn: &mut PgConnection) -> QueryResult<Vec<Order>>', { name: 'list_orders_open', route: 'GET /orders/open' }],
    ['pub fn list_for_customer(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Vec<Order>>', { name: 'list_orders_for_customer', route: 'GET /customers/{customer_id}/orders' }],
    ['pub fn create(conn: &mut PgConnection, new_order: &NewOrder) -> QueryResult<Order>', { name: 'create_order', route: 'POST /orders', status: 201, call: 'Order::create(&mut conn, &new_order)' }],
    ['pub fn update(conn: &mut PgConnection, id: i32, changes: &OrderChanges) -> QueryResult<Order>', { name: 'update_order', route: 'PUT /orders/{id}', extractors: ['path: web::Path<i32>', 'body: web::Json<OrderChanges>'] }],
    ['pub fn delete(conn: &mut PgConnection, order_id: i32) -> QueryResult<usize>', { name: 'delete_order', route: 'DELETE /orders/{order_id}', status: 204, notFound: true }],
    ['pub fn mark_ready(conn: &mut PgConnection, order_id: i32) -> QueryResult<usize>', { name: 'mark_order_ready', route: 'POST /orders/{order_id}/mark-ready', status: 204 }],
    ['pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64>', { name: 'count_orders_by_status', route: 'GET /orders/by-status', query: 'CountOrdersByStatusQuery', call: 'Order::count_by_status(&mut conn, &query.status)' }],
    ['pub fn recent(conn: &mut PgConnection, limit: i64) -> QueryResult<Vec<Order>>', { name: 'recent_orders', route: 'GET /orders/recent', call: 'Order::recent(&mut conn, query.limit)' }],
    ['pub fn find_line(conn: &mut PgConnection, product_id: i32, order_id: i32) -> QueryResult<Option<Order>>', { route: 'GET /products/{product_id}/orders/{order_id}/line', extractors: ['path: web::Path<(i32, i32)>'] }],
    ['pub fn find_by_ref(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Order>>', { route: 'GET /orders/{id}/by-ref', extractors: ['path: web::Path<Uuid>'] }],
  ])('%s', (sig, want) => {
    expect(shape(sig)).toMatchObject(want);
  });

  it('keeps a function name that already names the table', () => {
    expect(shape('pub fn overdue_loans(conn: &mut PgConnection) -> QueryResult<Vec<Loan>>', 'loans', 'Loan').name).toBe('overdue_loans');
  });

  it('reads return types', () => {
    expect(returnKind('QueryResult<Option<Order>>')).toEqual({ kind: 'option', type: 'Order' });
    expect(returnKind('Result<Vec<(Order, Customer)>, diesel::result::Error>')).toEqual({ kind: 'vec', type: '(Order, Customer)' });
    expect(returnKind('QueryResult<usize>').kind).toBe('rows');
    expect(returnKind('QueryResult<()>').kind).toBe('unit');
    expect(returnKind(undefined).kind).toBe('unit');
  });

  it('writes routes relative to a scope named after the table', () => {
    expect(relativeRoute('/books/{id}', '/api/v1/books', 'books')).toBe('/{id}');
    expect(relativeRoute('/books', '/api/v1/books', 'books')).toBe('');
    expect(relativeRoute('/books/{id}', '/api', 'books')).toBe('/books/{id}');
    expect(relativeRoute('/bookshelves', '/api/books', 'books')).toBe('/bookshelves');
  });

  it('says what to answer', () => {
    const s = (sig: string) => {
      const fn = parseRustFile(`impl Order {\n    ${sig};\n}`).impls[0]!.functions[0]!;
      return responseRule(handlerShape({ fn, struct: 'Order', table: TABLES[0]!, tables: TABLES, isProjectStruct: (n) => STRUCTS.has(n) }));
    };
    expect(s('pub fn delete(conn: &mut PgConnection, id: i32) -> QueryResult<usize>')).toBe('Answer 204 No Content; 404 when 0 rows were deleted.');
    expect(s('pub fn create(conn: &mut PgConnection, o: &NewOrder) -> QueryResult<Order>')).toBe('Answer 201 Created with the JSON.');
  });
});
