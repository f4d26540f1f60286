import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyOps } from '../../../src/pipeline/rust/applyOps';
import type { EditOp } from '../../../src/domain';
import { EditOp as EditOpSchema } from '../../../src/domain';
import { initRustParser } from '../../../src/rust';
import { BAKERY, LIBRARY } from './helpers';

beforeAll(() => initRustParser());

const reg = (fn: string, scopes: string[], method: 'service' | 'route' | 'configure' | 'wrap', args: string): EditOp => ({ op: 'actixRegister', fn, scopes, method, args });
const read = (root: string, rel: string): string => readFileSync(path.join(root, rel), 'utf8');

/** Applies, then checks that applying again to the result changes nothing. */
function applyTwice(text: string, ops: EditOp[]) {
  const once = applyOps(text, ops);
  const twice = applyOps(once.text, ops);
  expect(twice.text).toBe(once.text);
  return once;
}

describe('actixRegister edit', () => {
  it('is a valid EditOp', () => {
    expect(EditOpSchema.safeParse(reg('configure', ['/api'], 'service', 'orders::x')).success).toBe(true);
    expect(EditOpSchema.safeParse({ op: 'actixRegister', fn: 'x', scopes: [], method: 'data', args: 'y' }).success).toBe(false);
  });

  it('adds a service to a multi-line scope chain, one call per line, idempotently', () => {
    const r = applyTwice(read(BAKERY, 'src/handlers/mod.rs'), [reg('configure', ['/api'], 'service', 'customers::get_customer')]);
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toContain('            .service(products::list_products)\n            .service(customers::get_customer),\n    );');
  });

  it('adds a `cfg.service(x);` statement to a configure function root', () => {
    const r = applyTwice(read(LIBRARY, 'src/api/books.rs'), [reg('config', [], 'service', 'create_book')]);
    expect(r.text).toContain('    cfg.route("/{id}", web::put().to(update_book));\n    cfg.service(create_book);\n}');
  });

  it('finds nested scopes by their literal paths and keeps a one-line chain on one line', () => {
    const r = applyTwice(read(LIBRARY, 'src/api/mod.rs'), [reg('config', ['/api/v1', '/books'], 'service', 'books::create_book')]);
    expect(r.text).toContain('.service(web::scope("/books").configure(books::config).service(books::create_book))');
  });

  it('puts a wrap after the last wrap of the App chain', () => {
    const r = applyTwice(read(LIBRARY, 'src/main.rs'), [reg('main', [], 'wrap', 'from_fn(middleware::log::log_requests)')]);
    expect(r.text).toContain('.wrap(middleware::timing::Timing)\n            .wrap(from_fn(middleware::log::log_requests))\n            .route("/health"');
  });

  it('registers in an empty configure function', () => {
    const r = applyTwice('pub fn config(cfg: &mut web::ServiceConfig) {\n}\n', [reg('config', [], 'service', 'a::b')]);
    expect(r.text).toBe('pub fn config(cfg: &mut web::ServiceConfig) {\n    cfg.service(a::b);\n}\n');
  });

  it('treats a handler listed in a tuple service as registered', () => {
    const text = 'pub fn config(cfg: &mut web::ServiceConfig) {\n    cfg.service((stats, reset_stats));\n}\n';
    expect(applyOps(text, [reg('config', [], 'service', 'reset_stats')]).text).toBe(text);
  });

  it('re-anchors after the user edited the file: the registration still lands in its scope', () => {
    const original = read(BAKERY, 'src/handlers/mod.rs');
    const edited = original.replace('pub fn configure', '// routes of the bakery\n\npub fn helper() {}\n\npub fn configure').replace('.service(orders::create_order)', '.service(orders::create_order)\n            .service(orders::cancel_order)');
    const r = applyOps(edited, [reg('configure', ['/api'], 'service', 'customers::get_customer')]);
    expect(r.diagnostics).toEqual([]);
    expect(r.text).toContain('.service(orders::cancel_order)');
    expect(r.text).toContain('.service(products::list_products)\n            .service(customers::get_customer),');
  });

  it('refuses with a diagnostic when the function or the scope is gone', () => {
    const text = read(BAKERY, 'src/handlers/mod.rs');
    const noFn = applyOps(text, [reg('routes', ['/api'], 'service', 'x')]);
    expect(noFn.text).toBe(text);
    expect(noFn.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'register-anchor-missing' })]);
    const noScope = applyOps(text, [reg('configure', ['/v2'], 'service', 'x')]);
    expect(noScope.diagnostics[0]?.message).toContain('web::scope("/v2")');
  });
});
