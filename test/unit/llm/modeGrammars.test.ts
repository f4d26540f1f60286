import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExamples } from '../../../src/pipeline/promptBank';
import { ONE_FN_GRAMMAR, oneFnGrammar } from '../../../src/pipeline/rust/fnGrammar';
import { oneTableGrammar } from '../../../src/pipeline/rust/tableGrammar';
import { SQL_TYPES_FOR } from '../../../modes/diesel-schema/bank';
import { gbnf } from '../../helpers/gbnf';

// The modes' constrained-decoding grammars against their own prompt banks: every example answer
// (what the prompt teaches) must be admitted, and the shapes a small model falls into instead
// (prose, a second example, SQL, a renamed item) must not be.

const root = path.resolve(__dirname, '../../..');
const answers = (bank: string): string[] =>
  parseExamples(readFileSync(path.join(root, bank), 'utf8'), bank).flatMap((ex) => ex.answers.map((a) => a.code.trim()));
const rust = (code: string): string => `\`\`\`rust\n${code}\n\`\`\``;
const fnName = (code: string): string => /\bfn\s+(\w+)/.exec(code)![1]!;

describe('the GBNF matcher used below', () => {
  it('tells admitted text from the rest, with recursion and classes', () => {
    const g = gbnf('root ::= "a" body "z"\nbody ::= ([^{}] | "{" body "}")*\n');
    expect(g.matches('a{x{y}}z')).toBe(true);
    expect(g.matches('a{x{y}z')).toBe(false);
    expect(g.matches('az ')).toBe(false);
    expect(() => gbnf('root ::= missing\n')).toThrow(/missing/);
  });
});

describe('one fn item (diesel-model-fn, actix-handler, actix-middleware)', () => {
  const banks = ['prompts/diesel/diesel-model-fn/examples.md', 'prompts/actix/actix-handler/examples.md', 'prompts/actix/actix-handler/examples.async.md', 'prompts/actix/actix-handler/examples.plain.md', 'prompts/actix/actix-middleware/examples.md'];

  it.each(banks)('admits every example answer of %s, with its own name fixed and with any name', (bank) => {
    const any = gbnf(ONE_FN_GRAMMAR);
    const list = answers(bank);
    expect(list.length).toBeGreaterThan(2);
    for (const code of list) {
      expect(any.matches(rust(code)), code).toBe(true);
      expect(gbnf(oneFnGrammar(fnName(code))).matches(rust(code)), code).toBe(true);
    }
  });

  it.each(banks.filter((b) => b.includes('actix-handler')))('with its route attribute as the lead (actix-handler), admits every example answer of %s', (bank) => {
    for (const code of answers(bank)) {
      const attr = /^#\[[^\n]*\]\n/.exec(code)?.[0] ?? '';
      expect(gbnf(oneFnGrammar(fnName(code), attr)).matches(rust(code)), code).toBe(true);
    }
  });

  it('a fixed lead refuses doc-comment loops, another route and a missing attribute', () => {
    const one = '#[get("/loans/{id}")]\npub async fn get_loan(path: web::Path<i32>) -> HttpResponse {\n    HttpResponse::Ok().finish()\n}';
    const g = gbnf(oneFnGrammar('get_loan', '#[get("/loans/{id}")]\n'));
    expect(g.matches(rust(one))).toBe(true);
    expect(g.matches(rust(`///*\n///*\n${one}`))).toBe(false);
    expect(gbnf(ONE_FN_GRAMMAR).matches(rust(`///*\n///*\n${one}`))).toBe(true);
    expect(g.matches(rust(one.replace('/loans/{id}', '/loans')))).toBe(false);
    expect(g.matches(rust(one.replace('#[get("/loans/{id}")]\n', '')))).toBe(false);
    const plain = gbnf(oneFnGrammar('get_loan', ''));
    expect(plain.matches(rust(one.replace('#[get("/loans/{id}")]\n', '')))).toBe(true);
    expect(plain.matches(rust(one))).toBe(false);
    expect(() => oneFnGrammar('get_loan', '/// doc\n')).toThrow(/attribute lines/);
  });

  it('refuses prose, a second item, another name and text after the fence', () => {
    const one = 'pub fn find(conn: &mut PgConnection) -> QueryResult<Order> {\n    orders::table.first(conn)\n}';
    const named = gbnf(oneFnGrammar('find'));
    expect(named.matches(rust(one))).toBe(true);
    expect(named.matches(rust(one.replace('fn find', 'fn find_one')))).toBe(false);
    expect(named.matches(`Here is the function:\n${rust(one)}`)).toBe(false);
    expect(named.matches(rust(`${one}\n\npub fn other() {}`))).toBe(false);
    expect(named.matches(`${rust(one)}\n\n## Example 12`)).toBe(false);
    expect(() => oneFnGrammar('no spaces')).toThrow(/identifier/);
  });
});

describe('one diesel::table! (diesel-schema)', () => {
  it('admits every example answer with the backend types, the table name fixed or free', () => {
    const list = answers('prompts/diesel/diesel-schema/examples.md');
    expect(list.length).toBeGreaterThan(5);
    const free = gbnf(oneTableGrammar(SQL_TYPES_FOR.pg));
    for (const code of list) {
      expect(free.matches(rust(code)), code).toBe(true);
      const name = /diesel::table! \{\n\s+(\w+)/.exec(code)![1]!;
      expect(gbnf(oneTableGrammar(SQL_TYPES_FOR.pg, name)).matches(rust(code)), code).toBe(true);
    }
  });

  it('refuses SQL, types outside the backend list, another name and a second block', () => {
    const table = 'diesel::table! {\n    cakes (id) {\n        id -> Int4,\n        price_cents -> Int8,\n        note -> Nullable<Text>,\n    }\n}';
    const pg = gbnf(oneTableGrammar(SQL_TYPES_FOR.pg));
    expect(pg.matches(rust(table))).toBe(true);
    expect(gbnf(oneTableGrammar(SQL_TYPES_FOR.sqlite)).matches(rust(table))).toBe(false);
    expect(gbnf(oneTableGrammar(SQL_TYPES_FOR.sqlite)).matches(rust(table.replace('Int4', 'Integer').replace('Int8', 'BigInt')))).toBe(true);
    expect(gbnf(oneTableGrammar(SQL_TYPES_FOR.pg, 'cake_orders')).matches(rust(table))).toBe(false);
    expect(pg.matches(rust('CREATE TABLE cakes (id SERIAL PRIMARY KEY);'))).toBe(false);
    expect(pg.matches(`${rust(table)}\n\n## Example 12: orders`)).toBe(false);
    expect(pg.matches(rust(table.replace('Int8', 'Money')))).toBe(false);
    expect(() => oneTableGrammar(SQL_TYPES_FOR.pg, 'Cakes')).toThrow(/snake_case/);
  });
});
