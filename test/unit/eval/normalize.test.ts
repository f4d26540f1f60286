import { beforeAll, describe, expect, it } from 'vitest';
import { codeTokens, containsPattern, normalizeRust, parsesCleanly, sameSyntaxTree } from '../../../src/eval';
import { initRustParser } from '../../../src/rust';

beforeAll(() => initRustParser());

const REFERENCE = `pub fn for_customer(conn: &mut PgConnection, customer_id: i32) -> QueryResult<Vec<Order>> {
    orders::table
        .filter(orders::customer_id.eq(customer_id))
        .order(orders::created_at.desc())
        .select(Order::as_select())
        .load(conn)
}`;

describe('normalised syntax tree', () => {
  it('is equal for the same code reformatted, with comments, trailing commas and use lines', () => {
    const reformatted = `/// Orders of one customer.
pub fn for_customer(
    conn: &mut PgConnection,
    customer_id: i32, // the customer
) -> QueryResult<Vec<Order>> {
    use crate::schema::orders;
    orders::table.filter(orders::customer_id.eq(customer_id)).order(orders::created_at.desc())
        /* newest first */ .select(Order::as_select()).load(conn)
}`;
    expect(sameSyntaxTree(REFERENCE, reformatted)).toBe(true);
    expect(normalizeRust(REFERENCE)).toBe(normalizeRust(reformatted));
  });

  it('sees a `dsl::*` glob inside the body (it changes what `orders::…` means and breaks the build)', () => {
    const withGlob = REFERENCE.replace(/\{\n/, '{\n    use crate::schema::orders::dsl::*;\n');
    expect(withGlob).not.toBe(REFERENCE);
    expect(sameSyntaxTree(REFERENCE, withGlob)).toBe(false);
    expect(sameSyntaxTree(`use crate::schema::orders::dsl::*;\n${REFERENCE}`, REFERENCE)).toBe(true);
  });

  it('is unequal when a column, a method or an operator changes', () => {
    expect(sameSyntaxTree(REFERENCE, REFERENCE.replace('orders::created_at.desc()', 'orders::pickup_at.desc()'))).toBe(false);
    expect(sameSyntaxTree(REFERENCE, REFERENCE.replace('.desc()', '.asc()'))).toBe(false);
    expect(sameSyntaxTree(REFERENCE, REFERENCE.replace('.eq(customer_id)', '.ne(customer_id)'))).toBe(false);
    expect(sameSyntaxTree('fn f() -> i32 { 1 + 2 }', 'fn f() -> i32 { 1 - 2 }')).toBe(false);
    // A statement is not the tail expression that returns the value.
    expect(sameSyntaxTree('fn f() -> i32 { g() }', 'fn f() -> i32 { g(); }')).toBe(false);
  });

  it('compares a run of .filter() calls as a set, but not other reorderings', () => {
    const a = 'fn f() { t::table.filter(t::a.eq(1)).filter(t::b.eq(2)).order(t::c).load(conn) }';
    const b = 'fn f() { t::table.filter(t::b.eq(2)).filter(t::a.eq(1)).order(t::c).load(conn) }';
    const c = 'fn f() { t::table.filter(t::a.eq(1)).order(t::c).filter(t::b.eq(2)).load(conn) }';
    expect(sameSyntaxTree(a, b)).toBe(true);
    expect(sameSyntaxTree(a, c)).toBe(false);
  });

  it('treats Self as the struct name when told which struct the method belongs to', () => {
    const self = REFERENCE.replace('Order::as_select()', 'Self::as_select()').replace('Vec<Order>', 'Vec<Self>');
    expect(sameSyntaxTree(REFERENCE, self)).toBe(false);
    expect(sameSyntaxTree(REFERENCE, self, { selfType: 'Order' })).toBe(true);
  });

  it('compares the tokens inside table! macros', () => {
    const t = 'diesel::table! { gift_cards (id) { id -> Int4, code -> Varchar, } }';
    expect(sameSyntaxTree(t, 'diesel::table! {\n    gift_cards (id) {\n        id -> Int4,\n        code -> Varchar\n    }\n}')).toBe(true);
    expect(sameSyntaxTree(t, t.replace('Varchar', 'Text'))).toBe(false);
  });

  it('parsesCleanly rejects syntax errors and empty code', () => {
    expect(parsesCleanly(REFERENCE)).toBe(true);
    expect(parsesCleanly('pub fn f( {')).toBe(false);
    expect(parsesCleanly('   ')).toBe(false);
  });
});

describe('token patterns', () => {
  let tokens: string[] = [];
  beforeAll(() => {
    tokens = codeTokens(REFERENCE);
  });

  it('match contiguous tokens regardless of spacing; ... matches any balanced run', () => {
    expect(containsPattern(tokens, '.filter(orders::customer_id.eq(...))')).toBe(true);
    expect(containsPattern(tokens, '.filter( orders :: customer_id . eq ( customer_id ) )')).toBe(true);
    expect(containsPattern(tokens, '.order(orders::created_at ...)')).toBe(true);
    expect(containsPattern(tokens, '.filter(orders::status.eq(...))')).toBe(false);
    // `...` never swallows an unbalanced bracket: it cannot run past the end of .eq( … ).
    expect(containsPattern(tokens, 'eq(...).order')).toBe(false);
    expect(containsPattern(tokens, 'eq(...)).order')).toBe(true);
  });

  it('ignore comments but keep string contents whole', () => {
    const t = codeTokens('fn f() { // orders::secret.eq(1)\n g("a // b", x) }');
    expect(containsPattern(t, 'orders::secret')).toBe(false);
    expect(containsPattern(t, 'g("a // b", x)')).toBe(true);
    expect(containsPattern(t, 'g("a", x)')).toBe(false);
  });

  it('drop commas, so trailing commas do not matter', () => {
    expect(containsPattern(codeTokens('f(a, b,)'), 'f(a, b)')).toBe(true);
  });
});
