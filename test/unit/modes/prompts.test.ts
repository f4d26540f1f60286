import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser, parseRustFile, parseSchema, type Backend } from '../../../src/rust';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { fnExamples } from '../../../modes/diesel-model-fn/bank';
import { wantedFunctionName } from '../../../src/pipeline/rust/artifact';
import { dieselSchemaMode } from '../../../modes/diesel-schema';
import { schemaExamples } from '../../../modes/diesel-schema/bank';
import { answerFor, parseExamples } from '../../../src/pipeline/promptBank';
import { adaptCode } from '../../../modes/diesel-common/examples';
import { connTypeFor, type ProjectStyle } from '../../../modes/diesel-common/style';
import { validateFunction } from '../../../modes/diesel-common/validate';
import { bakeryFs, corpus, memoryProject } from './helpers';

beforeAll(() => initRustParser());

/** The corpus file with the task's reference function cut out (README: "remove or mask the reference function"). */
function masked(rel: string, fn: string): string {
  const text = corpus(rel);
  const span = parseRustFile(text).impls.flatMap((i) => i.functions).find((f) => f.name === fn)!.span;
  return text.slice(0, span.startIndex) + text.slice(span.endIndex);
}

type Prompt = { messages: { role: string; content: string }[]; stablePrefixChars: number };
/** The real request: the last user turn. */
const user = (p: Prompt) => p.messages.at(-1)!.content;
/** Instructions and example turns: the text every request of the mode shares. */
const stable = (p: Prompt) => p.messages.map((m) => m.content).join('').slice(0, p.stablePrefixChars);
const tableBlocks = (text: string) => [...text.matchAll(/^ {4}(\w+) \(/gm)].map((m) => m[1]);

function style(backend: Backend, isAsync = false): ProjectStyle {
  return {
    backend,
    backendKnown: true,
    diesel1: false,
    async: isAsync,
    connType: connTypeFor(backend, isAsync),
    backendPath: { pg: 'diesel::pg::Pg', mysql: 'diesel::mysql::Mysql', sqlite: 'diesel::sqlite::Sqlite' }[backend],
    backendName: backend,
    dateTime: 'chrono',
    deps: new Set(['diesel_async']),
    depFeatures: new Map(),
    serde: false,
    schemaModule: 'crate::schema',
  };
}

describe('example banks', () => {
  it('have 10–15 examples each, with request, context and answer', () => {
    expect(fnExamples().length).toBeGreaterThanOrEqual(10);
    expect(fnExamples().length).toBeLessThanOrEqual(15);
    expect(schemaExamples().length).toBeGreaterThanOrEqual(10);
    expect(schemaExamples().length).toBeLessThanOrEqual(15);
  });

  it('a malformed bank fails loudly with its line', () => {
    expect(() => parseExamples('## broken\nRequest: x\n', 'bank.md')).toThrow(/bank\.md:1: example "broken" needs Context:/);
    expect(() => parseExamples('## t\nContext:\n```rust\nx\n', 'bank.md')).toThrow(/unclosed/);
  });

  // Every answer, adapted to every backend and to diesel-async, passes the same checks a model answer must.
  for (const [backend, isAsync, diesel1] of [['pg', false], ['sqlite', false], ['mysql', false], ['pg', true], ['pg', false, true], ['mysql', false, true]] as [Backend, boolean, boolean?][]) {
    it(`diesel-model-fn answers validate against their own context (${backend}${isAsync ? ', async' : ''}${diesel1 ? ', Diesel 1.x' : ''})`, () => {
      const st = { ...style(backend, isAsync), diesel1: diesel1 === true };
      for (const ex of fnExamples()) {
        const context = adaptCode(ex.context, st);
        const tables = parseSchema([{ file: 'ctx.rs', text: context }]).tables;
        const answer = adaptCode(answerFor(ex, backend), st);
        expect(validateFunction(answer, { tables, style: st }), `${ex.title}\n${answer}`).toEqual([]);
        if (backend !== 'pg') expect(answer, ex.title).not.toMatch(/ilike|returning/);
        if (isAsync) expect(answer).toMatch(/pub async fn[\s\S]*\.await/);
        if (diesel1) expect(`${context}\n${answer}`, ex.title).not.toMatch(/as_select|as_returning|Selectable|&mut \w*Connection|#\[diesel\(table_name/);
      }
    });
  }

  it('diesel-schema answers parse, and their *_id columns name a table of their context', () => {
    for (const ex of schemaExamples()) {
      const schema = parseSchema([{ file: 'a.rs', text: answerFor(ex, 'pg') }]);
      expect(schema.diagnostics, ex.title).toEqual([]);
      const known = parseSchema([{ file: 'c.rs', text: ex.context }]).tables.map((t) => t.name);
      for (const c of schema.tables[0]!.columns.filter((x) => x.name.endsWith('_id'))) {
        expect(known.some((k) => k.startsWith(c.name.slice(0, -3))), `${ex.title}: ${c.name}`).toBe(true);
      }
    }
  });

  it('adaptCode: connection, backend path, SQL type names and .await are rewritten deterministically', () => {
    const code = 'pub fn f(conn: &mut PgConnection) -> QueryResult<Vec<X>> {\n    x::table.load(conn)\n}';
    expect(adaptCode(code, style('pg', true))).toBe('pub async fn f(conn: &mut AsyncPgConnection) -> QueryResult<Vec<X>> {\n    x::table.load(conn).await\n}');
    expect(adaptCode('id -> Int4, name -> Varchar, at -> Nullable<Int8>', style('sqlite'))).toBe('id -> Integer, name -> Text, at -> Nullable<BigInt>');
    expect(adaptCode(adaptCode(code, style('pg', true)), style('pg', true))).toBe(adaptCode(code, style('pg', true)));
  });

  it('finds a function name the request asks for', () => {
    expect(wantedFunctionName('write fn find_by_login that …')).toBe('find_by_login');
    expect(wantedFunctionName('a `count_open` function')).toBe('count_open');
    expect(wantedFunctionName('List orders by status')).toBeUndefined();
  });
});

describe('diesel-model-fn prompts for the corpus tasks', () => {
  it('task 1 (crates-io User::find_by_login): users table and User, async style, nothing unrelated', async () => {
    const fs = memoryProject('pgAsync', corpus('crates-io/schema.rs'), { 'user.rs': masked('crates-io/user.rs', 'find_by_login') });
    const p = await dieselModelFnMode.buildPrompt({ project: fs, struct: 'User', request: 'Write async fn find_by_login(conn, login) that matches the login case-insensitively, skips rows with gh_id == -1 and prefers the highest gh_id.' });
    const ctx = user(p);
    expect(tableBlocks(ctx)[0]).toBe('users');
    expect(ctx).toContain('pub struct User {');
    expect(ctx).toContain('pub async fn find(mut conn: &AsyncPgConnection, id: i32) -> QueryResult<User>;');
    expect(ctx.slice(0, ctx.indexOf('\nRequest:'))).not.toContain('find_by_login');
    expect(ctx).not.toContain('version_downloads (');
    expect(ctx).not.toContain('crates_keywords (');
    expect(stable(p)).toContain('AsyncPgConnection');
    expect(stable(p)).toMatch(/\.load\(conn\)\.await/);
    expect(tableBlocks(ctx).length).toBeLessThanOrEqual(7);
  });

  it('task 2 (crates-io Keyword::find_or_create_all): keywords with its join table', async () => {
    const fs = memoryProject('pgAsync', corpus('crates-io/schema.rs'), { 'keyword.rs': masked('crates-io/keyword.rs', 'find_or_create_all') });
    const ctx = user(await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Keyword', request: 'Insert the lowercased names, ignore duplicates, return all matching keywords.' }));
    expect(tableBlocks(ctx)).toEqual(['keywords', 'crates_keywords']);
    expect(ctx).toContain('diesel::joinable!(crates_keywords -> keywords (keyword_id));');
  });

  it('task 8 (alexandrie authors of a crate): authors, the crate_authors bridge and crates, not keywords', async () => {
    const fs = memoryProject('mysql', corpus('alexandrie/schema.rs'), { 'models.rs': corpus('alexandrie/models.rs') });
    const ctx = user(await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Author', request: 'Load all authors owning the crate whose canon_name is name.' }));
    const tables = tableBlocks(ctx);
    expect(tables[0]).toBe('authors');
    expect(tables).toContain('crate_authors');
    expect(tables).toContain('crates');
    expect(tables).not.toContain('keywords');
    expect(ctx).toContain('pub struct Author {');
  });

  it('task 9 (rfcbot existing_proposal): fcp_proposal and the issue table it joins', async () => {
    const fs = memoryProject('pg', corpus('rfcbot-rs/schema.rs'), { 'rfcbot.rs': corpus('rfcbot-rs/rfcbot.rs') });
    const ctx = user(await dieselModelFnMode.buildPrompt({ project: fs, struct: 'FcpProposal', request: 'Return the FCP proposal for the issue, if there is one.' }));
    expect(tableBlocks(ctx)[0]).toBe('fcp_proposal');
    expect(tableBlocks(ctx)).toContain('issue');
    expect(tableBlocks(ctx)).not.toContain('release');
  });

  it('task 12 (realworld-actix Article::fetch_by_slug_with_author): articles + users, the helper signatures', async () => {
    const fs = memoryProject('pg', corpus('realworld-actix-diesel/schema.rs'), { 'article.rs': masked('realworld-actix-diesel/article__entities.rs', 'fetch_by_slug_with_author'), 'user.rs': corpus('realworld-actix-diesel/user__entities.rs') });
    const ctx = user(await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Article', request: 'Fetch the article with this slug together with its author user.' }));
    expect(tableBlocks(ctx).slice(0, 2)).toEqual(['articles', 'users']);
    expect(ctx).toContain('diesel::joinable!(articles -> users (author_id));');
    expect(ctx).toContain('// Rows of users load as User');
    expect(ctx).toMatch(/impl Article \{\n {4}fn with_author_id\(author_id: &Uuid\) -> WithAuthorId<&Uuid>;\n {4}fn with_slug/);
    expect(ctx).not.toContain('fetch_by_slug_with_author');
  });

  it('task 13 (realworld-rocket feed): articles, favorites, follows via users', async () => {
    const fs = memoryProject('pg', corpus('realworld-rust-rocket/schema.rs'), { 'article.rs': corpus('realworld-rust-rocket/article.rs'), 'user.rs': corpus('realworld-rust-rocket/user.rs') });
    const ctx = user(await dieselModelFnMode.buildPrompt({ project: fs, struct: 'Article', request: 'Articles by authors the user follows, with a favorited flag, limit/offset.' }));
    expect(tableBlocks(ctx)[0]).toBe('articles');
    expect(tableBlocks(ctx)).toEqual(expect.arrayContaining(['users', 'favorites']));
  });

  it('bakery: the stable prefix is identical across requests; the request is last', async () => {
    const a = await dieselModelFnMode.buildPrompt({ project: bakeryFs(), struct: 'Order', request: 'Count the orders with a status.' });
    const b = await dieselModelFnMode.buildPrompt({ project: bakeryFs(), struct: 'Customer', request: 'Find customers by phone.', notes: ['Return at most 10.'] });
    // Instructions, then each example as a user turn (rendered like the request) and an assistant
    // turn holding only the fenced answer, then the request.
    const examples = fnExamples().length;
    expect(a.messages.map((m) => m.role)).toEqual(['system', ...Array.from({ length: examples }, () => ['user', 'assistant']).flat(), 'user']);
    expect(a.messages[0]!.content).toMatch(/^You write ONE Rust function/);
    expect(a.messages[0]!.content).not.toMatch(/# Examples|^Request:/m);
    expect(a.messages[1]!.content).toMatch(/^Context:\n```rust\n[\s\S]*\nRequest: .+\nAnswer:$/);
    expect(a.messages[2]!.content).toMatch(/^```rust\n(?:#\[|\/\/\/|pub )[\s\S]*\n```$/);
    expect(a.messages.slice(0, -1)).toEqual(b.messages.slice(0, -1));
    expect(a.stablePrefixChars).toBe(a.messages.slice(0, -1).reduce((n, m) => n + m.content.length, 0));
    expect(b.stablePrefixChars).toBe(a.stablePrefixChars);
    expect(user(a).endsWith('Request: Count the orders with a status.\nAnswer:')).toBe(true);
    expect(user(b)).toContain('Notes:\n- Return at most 10.\nAnswer:');
    // Order joins customers and order_items; products is joinable only to order_items.
    expect(tableBlocks(user(a))).toEqual(['orders', 'order_items', 'customers']);
    expect(tableBlocks(user(b))).not.toContain('products');
  });

  it('input errors are specific', async () => {
    await expect(dieselModelFnMode.buildPrompt({ project: bakeryFs(), struct: 'Nope', request: 'x' })).rejects.toThrow(/No struct `Nope`.*Known: Customer/);
    await expect(dieselModelFnMode.buildPrompt({ project: bakeryFs(), request: 'x' })).rejects.toThrow(/--struct/);
  });
});

describe('diesel-schema prompts', () => {
  it('shows every existing table in one line each, backend types in the rules, stable prefix', async () => {
    const a = await dieselSchemaMode.buildPrompt({ project: bakeryFs(), request: 'Deliveries for orders.' });
    const b = await dieselSchemaMode.buildPrompt({ project: bakeryFs(), request: 'Suppliers of products.', table: 'suppliers' });
    expect(stable(a)).toBe(stable(b));
    expect(a.messages[0]!.content).toContain('`Int4`, `Int8`, `Varchar`');
    expect(user(a)).toContain('diesel::table! { orders (id) { id -> Int4, customer_id -> Int4,');
    expect(user(b)).toContain('must be named `suppliers`');
    await expect(dieselSchemaMode.buildPrompt({ project: bakeryFs(), request: 'x', table: 'orders' })).rejects.toThrow(/already exists/);
  });

  it('sqlite projects see sqlite type names in the examples', async () => {
    const fs = memoryProject('sqlite', 'diesel::table! { shops (id) { id -> Integer, name -> Text, } }');
    const p = await dieselSchemaMode.buildPrompt({ project: fs, request: 'Employees of shops.' });
    expect(stable(p)).not.toMatch(/-> (?:Int4|Varchar)\b/);
    expect(stable(p)).toContain('id -> Integer,');
  });
});
