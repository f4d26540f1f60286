import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EditOp } from '../../../src/domain';
import { initRustParser, parseRustFile } from '../../../src/rust';
import { applyOps, fileChange } from '../../../src/pipeline/rust/applyOps';
import { useCoverage } from '../../../modes/diesel-common/imports';
import { BAKERY } from './helpers';

beforeAll(() => initRustParser());

const ORDER = readFileSync(path.join(BAKERY, 'src/models/order.rs'), 'utf8');
const FN = 'pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n    orders::table\n        .filter(orders::status.eq(status))\n        .count()\n        .get_result(conn)\n}';
const OPS: EditOp[] = [
  { op: 'addUses', uses: ['diesel::prelude::*', 'crate::schema::orders', 'chrono::NaiveDate'] },
  { op: 'insertInImpl', typeName: 'Order', code: FN },
];

const fnNames = (text: string) => parseRustFile(text).impls.flatMap((i) => i.functions.map((f) => `${i.typeName}::${f.name}`));

describe('applyOps', () => {
  it('inserts into the impl as its last item, indented, and adds only missing uses after the use block', () => {
    const { text, diagnostics } = applyOps(ORDER, OPS);
    expect(diagnostics).toEqual([]);
    expect(fnNames(text)).toEqual(['Order::find', 'Order::create', 'Order::count_by_status']);
    expect(text).toContain(`\n\n    pub fn count_by_status(conn: &mut PgConnection, status: &str) -> QueryResult<i64> {\n        orders::table\n`);
    expect(text.endsWith('            .get_result(conn)\n    }\n}\n')).toBe(true);
    // diesel::prelude::* and crate::schema::orders were there already; chrono::NaiveDate is new.
    expect(text.match(/use diesel::prelude::\*;/g)).toHaveLength(1);
    expect(text).toContain('use crate::schema::orders;\nuse chrono::NaiveDate;\n');
    expect(parseRustFile(text).diagnostics).toEqual([]);
  });

  it('is idempotent: applying the same ops to the result changes nothing', () => {
    const once = applyOps(ORDER, OPS).text;
    expect(applyOps(once, OPS)).toEqual({ text: once, diagnostics: [] });
  });

  it('re-applies onto a file the user edited meanwhile, keeping the edits', () => {
    const edited = ORDER.replace('pub struct Order {', '/// An order placed by a customer.\npub struct Order {')
      .replace('impl Order {', 'impl Order {\n    pub fn is_open(&self) -> bool {\n        self.status != "done"\n    }\n')
      .concat('\n// user note at the end\n');
    const { text, diagnostics } = applyOps(edited, OPS);
    expect(diagnostics).toEqual([]);
    expect(text).toContain('/// An order placed by a customer.');
    expect(text).toContain('// user note at the end');
    expect(fnNames(text)).toEqual(['Order::is_open', 'Order::find', 'Order::create', 'Order::count_by_status']);
  });

  it('a different function with the same name is a duplicate, not overwritten', () => {
    const { text, diagnostics } = applyOps(ORDER, [{ op: 'insertInImpl', typeName: 'Order', code: 'pub fn find() {}' }]);
    expect(text).toBe(ORDER);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'duplicate-fn' })]);
  });

  it('creates `impl X {}` right after the struct when there is none; appends it when the struct is elsewhere', () => {
    const src = 'use diesel::prelude::*;\n\n#[derive(Queryable)]\npub struct Item {\n    pub id: i32,\n}\n\nfn helper() {}\n';
    const { text } = applyOps(src, [{ op: 'insertInImpl', typeName: 'Item', code: 'pub fn one() -> i32 {\n    1\n}' }]);
    expect(text).toBe('use diesel::prelude::*;\n\n#[derive(Queryable)]\npub struct Item {\n    pub id: i32,\n}\n\nimpl Item {\n    pub fn one() -> i32 {\n        1\n    }\n}\n\nfn helper() {}\n');
    const other = applyOps('fn helper() {}\n', [{ op: 'insertInImpl', typeName: 'Item', code: 'pub fn one() {}' }]);
    expect(other.text).toBe('fn helper() {}\n\nimpl Item {\n    pub fn one() {}\n}\n');
    expect(other.diagnostics[0]!.code).toBe('struct-missing');
  });

  it('skips trait impls and finds the inherent impl of a generic type', () => {
    const src = "impl Display for Item {\n    fn fmt(&self) {}\n}\n\nimpl<'a> Item<'a> {\n    fn a() {}\n}\n";
    const { text } = applyOps(src, [{ op: 'insertInImpl', typeName: 'Item', code: 'fn b() {}' }]);
    expect(text).toBe("impl Display for Item {\n    fn fmt(&self) {}\n}\n\nimpl<'a> Item<'a> {\n    fn a() {}\n\n    fn b() {}\n}\n");
  });

  it('uses: grouped and glob imports count as present; a same-named import is a conflict', () => {
    const existing = ['diesel::prelude::*', 'serde::Deserialize', 'serde::Serialize', 'crate::schema::*'];
    expect(useCoverage('diesel::prelude::PgConnection', existing)).toBe('covered');
    expect(useCoverage('crate::schema::orders', existing)).toBe('covered');
    expect(useCoverage('serde::Serialize', existing)).toBe('covered');
    expect(useCoverage('other::Serialize', existing)).toBe('conflict');
    expect(useCoverage('chrono::NaiveDate', existing)).toBe('missing');
    const src = 'use serde::{Deserialize, Serialize};\nuse crate::schema::*;\n\nfn a() {}\n';
    const r = applyOps(src, [{ op: 'addUses', uses: ['serde::Serialize', 'crate::schema::orders', 'use chrono::NaiveDate;', 'my::Serialize'] }]);
    expect(r.text).toBe('use serde::{Deserialize, Serialize};\nuse crate::schema::*;\nuse chrono::NaiveDate;\n\nfn a() {}\n');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['use-conflict']);
  });

  it('uses in a file without any: after `//!` docs and `mod` lines', () => {
    expect(applyOps('//! Models.\n\nfn a() {}\n', [{ op: 'addUses', uses: ['x::Y'] }]).text).toBe('//! Models.\n\nuse x::Y;\n\nfn a() {}\n');
    expect(applyOps('mod a;\n\nfn b() {}\n', [{ op: 'addUses', uses: ['x::Y'] }]).text).toBe('mod a;\n\nuse x::Y;\n\nfn b() {}\n');
  });

  it('addMod keeps a sorted list sorted and is a no-op when present', () => {
    const mods = 'pub mod customer;\npub mod order;\npub mod product;\n';
    expect(applyOps(mods, [{ op: 'addMod', name: 'order_item', pub: true }]).text).toBe('pub mod customer;\npub mod order;\npub mod order_item;\npub mod product;\n');
    expect(applyOps(mods, [{ op: 'addMod', name: 'order', pub: true }]).text).toBe(mods);
    expect(applyOps('use x::y;\n\nfn main() {}\n', [{ op: 'addMod', name: 'models', pub: false }]).text).toBe('mod models;\n\nuse x::y;\n\nfn main() {}\n');
  });

  it('table!, joinable! and allow_tables land where print_schema puts them', () => {
    const schema = readFileSync(path.join(BAKERY, 'src/schema.rs'), 'utf8');
    const table = 'diesel::table! {\n    deliveries (id) {\n        id -> Int4,\n        order_id -> Int4,\n    }\n}';
    const { text } = applyOps(schema, [
      { op: 'appendItem', code: table },
      { op: 'appendItem', code: 'diesel::joinable!(deliveries -> orders (order_id));' },
      { op: 'allowTables', tables: ['deliveries'] },
    ]);
    const order = ['products (id)', 'deliveries (id)', 'joinable!(orders -> customers', 'joinable!(deliveries -> orders', 'allow_tables'].map((s) => text.indexOf(s));
    expect(order.every((x, i) => x > 0 && (i === 0 || x > order[i - 1]!))).toBe(true);
    expect(text).toContain('allow_tables_to_appear_in_same_query!(customers, order_items, orders, products, deliveries,);');
    expect(applyOps(text, [{ op: 'appendItem', code: table }, { op: 'allowTables', tables: ['deliveries'] }]).text).toBe(text);
  });

  it('allowTables extends a multi-line list and creates one listing every table', () => {
    const multi = 'diesel::allow_tables_to_appear_in_same_query!(\n    a,\n    b,\n);\n';
    expect(applyOps(multi, [{ op: 'allowTables', tables: ['c'] }]).text).toBe('diesel::allow_tables_to_appear_in_same_query!(\n    a,\n    b,\n    c,\n);\n');
    const two = 'diesel::table! { a (id) { id -> Int4, } }\n\ndiesel::table! { b (id) { id -> Int4, } }\n';
    expect(applyOps(two, [{ op: 'allowTables', tables: ['b'] }]).text).toBe(`${two}\ndiesel::allow_tables_to_appear_in_same_query!(a, b,);\n`);
  });

  it('keeps CRLF files CRLF, and createFile replaces the text', () => {
    const crlf = ORDER.replace(/\n/g, '\r\n');
    const out = applyOps(crlf, OPS).text;
    expect(out.includes('\r\n') && !/[^\r]\n/.test(out)).toBe(true);
    expect(applyOps('old', [{ op: 'createFile', content: 'new\n' }]).text).toBe('new\n');
  });

  it('FileChange.proposed is exactly applyOps(original, ops)', () => {
    const { change } = fileChange('src/models/order.rs', ORDER, OPS);
    expect(change.proposed).toBe(applyOps(ORDER, OPS).text);
    expect(fileChange('src/x.rs', undefined, [{ op: 'createFile', content: 'x\n' }]).change).toEqual({ path: 'src/x.rs', original: null, proposed: 'x\n', ops: [{ op: 'createFile', content: 'x\n' }] });
  });

  it('works on a file mid-edit with a syntax error elsewhere', () => {
    const broken = ORDER.replace('pub struct NewOrder {', 'pub struct NewOrder {\n    pub oops: ,');
    const { text } = applyOps(broken, [{ op: 'insertInImpl', typeName: 'Order', code: FN }]);
    expect(text).toContain('pub oops: ,');
    expect(text).toContain('    pub fn count_by_status(');
  });
});
