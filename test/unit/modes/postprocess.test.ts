import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser } from '../../../src/rust';
import { extractFunction, extractTableMacro } from '../../../src/pipeline/rust/artifact';
import { processFunctionAnswer } from '../../../modes/diesel-common/fnArtifact';
import { codeOnly } from '../../../modes/diesel-common/imports';
import { findFences } from '../../../src/llm/fences';
import { splitReasoning } from '../../../src/llm/reasoning';
import { cleanAnswer, dropProse } from '../../../src/pipeline/postprocess';
import { importEnvFor, type ModeProject } from '../../../modes/diesel-common/project';
import { validateFunction } from '../../../modes/diesel-common/validate';
import { DIESEL_FN, messyRustVariants, rust, wrap } from '../../fixtures/model-server/messy.mjs';
import { openBakery, squash } from './helpers';

let bakery: ModeProject;
beforeAll(async () => {
  await initRustParser();
  bakery = await openBakery();
});

const env = () => importEnvFor(bakery, 'src/models/customer.rs', bakery.info.files.find((f) => f.file === 'src/models/customer.rs'));
const processed = (content: string, wantedName?: string) => processFunctionAnswer({ content }, { importEnv: env(), rustfmt: false, ...(wantedName ? { wantedName } : {}) });

describe('text clean-up', () => {
  it('codeOnly blanks strings and comments in one pass: `//` in a string is not a comment', () => {
    expect(codeOnly('let u = "http://x"; // see "docs"\nHttpResponse::Ok() /* a "b */ .finish()')).toBe('let u = ""; \nHttpResponse::Ok()  .finish()');
    expect(codeOnly('let s = "a \\" // b"; web::Json(s)')).toBe('let s = ""; web::Json(s)');
  });

  it('drops think blocks, stray </think> prefixes and unclosed think blocks', () => {
    expect(splitReasoning('<think>plan</think>\nfn a() {}')).toEqual({ content: 'fn a() {}', reasoning: 'plan', unclosedThink: false });
    expect(splitReasoning('reasoning here\n</think>\nfn a() {}').content).toBe('fn a() {}');
    expect(splitReasoning('<THINK>x</Think>a<think>y</think>b').content).toBe('ab');
    expect(splitReasoning('before <think> never closed fn a() {}')).toMatchObject({ content: 'before ', unclosedThink: true });
  });

  it('finds fences of any tag, and an unclosed one', () => {
    expect(findFences('x\n```rs\nfn a() {}\n```\ny\n~~~\nfn b() {}')).toEqual([
      { lang: 'rs', body: 'fn a() {}', closed: true },
      { lang: '', body: 'fn b() {}', closed: false },
    ]);
  });

  it('drops prose before and after unfenced code, keeping braces balanced', () => {
    const code = 'pub fn a() -> i32 {\n    // Done.\n    1\n}';
    expect(dropProse(`Sure! Here it is:\n\n${code}\n\nThis returns one. Hope it helps!`)).toBe(code);
  });

  it('prefers the fenced block that holds the answer over a usage example', () => {
    const text = 'Use it like this:\n```rust\nlet x = find(conn);\n```\nThe function:\n```rust\npub fn find(conn: &mut PgConnection) {}\n```';
    expect(cleanAnswer(text, { looksLikeAnswer: /\bfn\s+\w+/ }).code).toBe('pub fn find(conn: &mut PgConnection) {}');
  });

  it('explains an empty answer', () => {
    expect(cleanAnswer('   ').diagnostics.map((d) => d.code)).toEqual(['no-code']);
    expect(cleanAnswer('', { reasoning: 'thinking only' }).diagnostics[0]!.message).toMatch(/only reasoned/);
  });
});

describe('messy answers → the one function', () => {
  const expected = squash(DIESEL_FN);
  for (const v of messyRustVariants()) {
    it(v.name, async () => {
      const r = await processed(v.text);
      if (v.name === 'unclosed think') {
        // The answer sits inside a <think> that never closed: it is a draft, never used.
        expect(r.code).toBeUndefined();
        expect(r.diagnostics.map((d) => d.code)).toEqual(['unclosed-think', 'no-code']);
        return;
      }
      expect(squash(r.code ?? '')).toBe(expected);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // Imports are computed from the code, never copied: no sqlite connection, no HashMap, no models::*.
      expect(r.uses).toEqual(['diesel::prelude::*', 'crate::schema::customers']);
    });
  }

  it('names what it dropped: extra impl, fn main, wrong imports', async () => {
    expect((await processed(rust.extraImpl(DIESEL_FN))).diagnostics.map((d) => d.code)).toContain('impl-unwrapped');
    expect((await processed(rust.withMain(DIESEL_FN))).diagnostics.map((d) => d.code)).toContain('dropped-main');
    const wrong = await processed(`use diesel::pg::*;\nuse diesel::sqlite::SqliteConnection;\nuse crate::models::nowhere::Thing;\n${DIESEL_FN}`);
    const dropped = wrong.diagnostics.find((d) => d.code === 'dropped-imports')!.message;
    expect(dropped).toContain('glob import `diesel::pg::*`');
    expect(dropped).toContain('belongs to another backend');
    expect(wrong.uses).not.toContain('crate::models::nowhere::Thing');
  });

  it('two different functions: keeps the requested one (else the first) and warns', async () => {
    const two = `${DIESEL_FN}\n\npub fn count_all(conn: &mut PgConnection) -> QueryResult<i64> {\n    customers::table.count().get_result(conn)\n}`;
    const first = await processed(wrap.fence(two, 'rust'));
    expect(first.code).toMatch(/fn find_by_email/);
    expect(first.diagnostics.find((d) => d.code === 'extra-functions')?.severity).toBe('warning');
    const wanted = await processed(wrap.fence(two, 'rust'), 'count_all');
    expect(wanted.code).toMatch(/^pub fn count_all/);
  });

  it('truncated code is rejected, not repaired', async () => {
    const cut = DIESEL_FN.slice(0, DIESEL_FN.indexOf('.first'));
    const r = await processed(wrap.unclosedFence(cut, 'rust'));
    expect(r.code).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'truncated' })]);
  });

  it('only `fn main` or only prose: a specific error', async () => {
    expect((await processed('fn main() { println!("hi"); }')).diagnostics.map((d) => d.code)).toContain('no-function');
    expect((await processed('I cannot do that, sorry.')).diagnostics.map((d) => d.code)).toEqual(['no-code']);
  });

  it('keeps a `dsl::*` glob local to the function body', async () => {
    const r = await processed('use crate::schema::customers::dsl::*;\n\npub fn by_phone(conn: &mut PgConnection, p: &str) -> QueryResult<Vec<Customer>> {\n    customers.filter(phone.eq(p)).load(conn)\n}');
    expect(r.code).toContain('{\n    use crate::schema::customers::dsl::*;');
    expect(r.uses).toEqual(['diesel::prelude::*']);
  });

  it('formats with rustfmt when it is installed (and leaves the code alone otherwise)', async () => {
    const r = await processFunctionAnswer({ content: 'pub fn n(conn:&mut PgConnection)->QueryResult<i64>{customers::table.count().get_result(conn)}' }, { importEnv: env() });
    expect(squash(r.code!)).toBe(squash('pub fn n(conn: &mut PgConnection) -> QueryResult<i64> { customers::table.count().get_result(conn) }'));
  });
});

describe('validation of the cleaned function against the bakery', () => {
  const check = (code: string, existingFns: string[] = []) =>
    validateFunction(code, { tables: bakery.info.schema.tables, style: bakery.style, existingFns, typeName: 'Customer' }).map((d) => `${d.code}: ${d.message}`);

  it('accepts the clean function', () => {
    expect(check(DIESEL_FN)).toEqual([]);
  });

  it('wrong column names: unknown-column with the real columns and a suggestion', () => {
    const [msg] = check(DIESEL_FN.replace('customers::email', 'customers::email_address'));
    expect(msg).toMatch(/^unknown-column: `customers::email_address` does not exist/);
    expect(msg).toContain('Did you mean `customers::email`?');
  });

  it('non-existent tables: unknown-table', () => {
    expect(check(DIESEL_FN.replace(/customers::/g, 'clients::'))).toEqual([expect.stringMatching(/^unknown-table: `clients` is not a table/)]);
  });

  it('bare columns under a dsl glob are checked too', () => {
    const code = 'pub fn f(conn: &mut PgConnection, x: &str) -> QueryResult<Vec<Customer>> {\n    use crate::schema::customers::dsl::*;\n    customers.filter(mail.eq(x)).load(conn)\n}';
    expect(check(code)).toEqual([expect.stringMatching(/^unknown-column: `customers::mail`/)]);
  });

  it('syntax errors, duplicate names, the wrong connection and async in a sync project', () => {
    expect(check('pub fn f(conn: &mut PgConnection) -> QueryResult<i64> { customers::table.count(.get_result(conn) }')[0]).toMatch(/^parse-error/);
    expect(check(DIESEL_FN, ['find_by_email'])).toEqual([expect.stringMatching(/^duplicate-fn: `impl Customer` already has a function `find_by_email`/)]);
    expect(check(DIESEL_FN.replace('PgConnection', 'SqliteConnection'))).toEqual([expect.stringMatching(/^wrong-connection/)]);
    expect(check(DIESEL_FN.replace('pub fn', 'pub async fn').replace('(conn)', '(conn).await'))).toEqual([expect.stringMatching(/^async-in-sync/)]);
  });
});

describe('table! answers', () => {
  const table = 'diesel::table! {\n    deliveries (id) {\n        id -> Int4,\n        order_id -> Int4,\n    }\n}';
  it('keeps the one table!, named or first, and rejects SQL or a cut block', () => {
    const two = `${table}\n\ndiesel::table! { notes (id) { id -> Int4, } }\ndiesel::joinable!(deliveries -> orders (order_id));`;
    const first = extractTableMacro(wrap.proseAndFence(two, 'rust'));
    expect(first).toMatchObject({ name: 'deliveries' });
    expect('diagnostics' in first && first.diagnostics.map((d) => d.code)).toEqual(['extra-tables']);
    expect(extractTableMacro(two, { wantedName: 'notes' })).toMatchObject({ name: 'notes' });
    expect(extractTableMacro('CREATE TABLE x (id INT);').diagnostics[0]!.message).toMatch(/wrote SQL/);
    expect(extractTableMacro(table.slice(0, -3)).diagnostics[0]!.code).toBe('truncated');
  });
  it('extractFunction reports a table! answer as no function', () => {
    expect(extractFunction(table).diagnostics[0]!.code).toBe('no-function');
  });
});



describe('validation does not mistake module paths for tables', () => {
  it('module functions and crate paths pass', async () => {
    await initRustParser();
    const p = await openBakery();
    const code = 'pub fn f(conn: &mut PgConnection) -> QueryResult<Vec<String>> {\n    let n = utils::name(3);\n    let _ = std::mem::take(&mut vec![n]);\n    crate::schema::customers::table.select(crate::schema::customers::name).load(conn)\n}';
    expect(validateFunction(code, { tables: p.info.schema.tables, style: p.style })).toEqual([]);
    const bad = code.replace('crate::schema::customers::name', 'crate::schema::customers::nom');
    expect(validateFunction(bad, { tables: p.info.schema.tables, style: p.style }).map((d) => d.code)).toEqual(['unknown-column']);
  });
});
