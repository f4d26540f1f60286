import { beforeAll, describe, expect, it } from 'vitest';
import { checkLabel, runChecks, TaskCheck } from '../../../src/eval';
import type { ChangeSet } from '../../../src/domain';
import { initRustParser } from '../../../src/rust';

beforeAll(() => initRustParser());

const CODE = `pub fn with_customer(conn: &mut PgConnection, since: NaiveDateTime) -> QueryResult<Vec<(Order, Customer)>> {
    orders::table
        .inner_join(customers::table)
        .filter(orders::created_at.ge(since))
        .select((Order::as_select(), Customer::as_select()))
        .load(conn)
}`;

const check = (c: unknown): TaskCheck => TaskCheck.parse(c);

describe('listed checks', () => {
  it('contains / absent / returns / async, with alternatives', () => {
    const out = runChecks(
      [
        check({ contains: 'inner_join(customers::table)' }),
        check({ contains: ['orders::created_at.gt(...)', 'orders::created_at.ge(...)'] }),
        check({ contains: '.filter(orders::customer_id.eq(...))', why: 'by customer' }),
        check({ absent: '.returning(...)' }),
        check({ absent: ['.load(...)', '.execute(...)'] }),
        check({ returns: 'QueryResult< Vec<(Order,Customer)> >' }),
        check({ returns: 'QueryResult<Vec<Order>>' }),
        check({ async: false }),
        check({ async: true }),
      ],
      CODE,
    );
    expect(out.map((o) => o.ok)).toEqual([true, true, false, true, false, true, false, true, false]);
    expect(out[2]!.label).toBe('contains `.filter(orders::customer_id.eq(...))` (by customer)');
    expect(out[4]!.detail).toBe('found `.load(...)`');
    expect(out[6]!.detail).toBe('returns `QueryResult<Vec<(Order, Customer)>>`');
  });

  it('fileIncludes looks into the change set by path suffix', () => {
    const cs: ChangeSet = {
      mode: 'diesel-schema',
      summary: '',
      files: [{ path: 'migrations/2026-01-01-000000_create_gift_cards/up.sql', original: null, proposed: 'CREATE TABLE gift_cards (customer_id INTEGER NOT NULL REFERENCES customers (id));', ops: [] }],
    };
    const [a, b, c] = runChecks(
      [check({ fileIncludes: { path: 'up.sql', text: 'REFERENCES customers' } }), check({ fileIncludes: { path: 'down.sql', text: 'DROP' } }), check({ fileIncludes: { path: 'up.sql', text: 'REFERENCES orders' } })],
      'diesel::table! { gift_cards (id) { id -> Int4, } }',
      cs,
    );
    expect(a!.ok).toBe(true);
    expect(b).toMatchObject({ ok: false, detail: 'no changed file ends with down.sql' });
    expect(c!.ok).toBe(false);
    expect(runChecks([check({ fileIncludes: { path: 'up.sql', text: 'x' } })], 'fn f() {}')[0]).toMatchObject({ ok: false, detail: 'no change set' });
  });

  it('returns and async checks fail clearly when there is no function', () => {
    const [r, a] = runChecks([check({ returns: 'QueryResult<i64>' }), check({ async: true })], 'diesel::table! { t (id) { id -> Int4, } }');
    expect(r).toMatchObject({ ok: false, detail: 'no function in the answer' });
    expect(a).toMatchObject({ ok: false, detail: 'no function in the answer' });
  });

  it('a check must name exactly one kind', () => {
    expect(TaskCheck.safeParse({ contains: 'a', absent: 'b' }).success).toBe(false);
    expect(TaskCheck.safeParse({ why: 'nothing' }).success).toBe(false);
    expect(TaskCheck.safeParse({ contians: 'typo' }).success).toBe(false);
    expect(checkLabel(check({ async: true }))).toBe('is async');
  });
});
