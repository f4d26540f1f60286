import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser, parseRustFile, parseSchema } from '../../../src/rust';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { isQueryFunction, promptUses, renderPromptTable } from '../../../modes/diesel-common/promptText';
import { corpus, memoryProject } from './helpers';

beforeAll(() => initRustParser());

const SCHEMA = `diesel::table! {
    use diesel::sql_types::*;
    use super::sql_types::Ltree;

    #[sql_name = "crate_owner"]
    owners (id) {
        id -> Int4,
        #[max_length = 64]
        #[sql_name = "type"]
        kind -> Varchar,
        path -> Ltree,
    }
}`;

describe('prompt text of the Diesel modes', () => {
  it('table!: no diesel::sql_types glob, no max_length, sql_name as a note, custom type imports kept', () => {
    const t = parseSchema([{ file: 'schema.rs', text: SCHEMA }]).tables[0]!;
    const text = renderPromptTable(t);
    expect(text).not.toContain('diesel::sql_types');
    expect(text).not.toContain('max_length');
    expect(text).toContain('use super::sql_types::Ltree;');
    expect(text).toContain('owners (id) { // SQL name "crate_owner"');
    expect(text).toContain('kind -> Varchar, // SQL name "type"');
    expect(renderPromptTable(t, { columns: new Set(['id']) })).toContain('// … 2 more columns');
  });

  it('uses: Diesel, schema and names the context uses stay; other crates go', () => {
    const file = parseRustFile('use actix_web::web;\nuse serde::Serialize;\nuse chrono::NaiveDateTime;\nuse crate::schema::users;\nuse diesel::prelude::*;\n');
    expect(promptUses(file.uses, 'pub created_at: NaiveDateTime,')).toEqual(['use chrono::NaiveDateTime;', 'use crate::schema::users;', 'use diesel::prelude::*;']);
  });

  it('query functions are told apart from plain helpers', () => {
    const fns = parseRustFile(`impl User {
      pub fn full_name(&self) -> String { todo!() }
      pub fn new(name: &str) -> Self { todo!() }
      pub fn is_admin(&self) -> bool { todo!() }
      pub fn find(conn: &mut PgConnection, id: i32) -> QueryResult<User> { todo!() }
      pub async fn all(pool: &DbPool) -> Vec<User> { todo!() }
      fn with_slug(slug: &str) -> WithSlug<'_> { todo!() }
    }`).impls[0]!.functions;
    expect(fns.filter(isQueryFunction).map((f) => f.name)).toEqual(['find', 'all', 'with_slug']);
  });

  it('a word of the request names no table the target cannot join (crates-io User: "versions", "keywords")', async () => {
    const fs = memoryProject('pgAsync', corpus('crates-io/schema.rs'), { 'user.rs': corpus('crates-io/user.rs') });
    const user = async (request: string) => (await dieselModelFnMode.buildPrompt({ project: fs, struct: 'User', request })).messages.at(-1)!.content;
    const blocks = (text: string) => [...text.matchAll(/^ {4}(\w+) \(/gm)].map((m) => m[1]);
    expect(blocks(await user('Count the users who published keywords.'))).not.toContain('keywords');
    expect(blocks(await user('Users, joined by hand with the `keywords` table.'))).toContain('keywords');
  });

  it('a `use` line of the file that names a table is no reason to show it', async () => {
    const file = `use crate::schema::{keywords, versions};\n${corpus('crates-io/user.rs')}`;
    const fs = memoryProject('pgAsync', corpus('crates-io/schema.rs'), { 'user.rs': file });
    const text = (await dieselModelFnMode.buildPrompt({ project: fs, struct: 'User', request: 'Find a user by login.' })).messages.at(-1)!.content;
    const blocks = [...text.matchAll(/^ {4}(\w+) \(/gm)].map((m) => m[1]);
    expect(blocks).toContain('users');
    expect(blocks).not.toContain('keywords');
    expect(blocks).not.toContain('versions');
  });
});

describe('diesel-model-fn context budget', () => {
  it('a 70-table hub schema: the context fits the budget, named tables stay, the run says what was left out', async () => {
    const { wideSchema } = await import('../../fixtures/wide/wideSchema');
    const { MemoryFs } = await import('./helpers');
    const { buildFnContext } = await import('../../../modes/diesel-model-fn/context');
    const { estimatePromptTokens } = await import('../../../src/llm/tokenEstimate');
    const { FN_CONTEXT_BUDGET_TOKENS } = await import('../../../modes/diesel-model-fn/budget');
    const w = wideSchema(70);
    const request = 'List the accounts with open invoice_0_records and shipment_0_records, by owner_email, newest first.';
    const r = await buildFnContext({ project: new MemoryFs(w.files), struct: w.struct, request });
    if (!('ctx' in r)) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
    const tables = r.ctx.related.map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['invoice_0_records', 'shipment_0_records']));
    expect(estimatePromptTokens(`${r.ctx.rendered}\nRequest: ${request}`)).toBeLessThanOrEqual(FN_CONTEXT_BUDGET_TOKENS);
    expect(r.ctx.rendered).not.toContain('display_name');
    expect(r.ctx.rendered).not.toContain('use actix_web');
    const note = r.diagnostics.find((d) => d.code === 'context-trimmed');
    expect(note?.message).toMatch(/left out: .*columns of /);
  });
});
