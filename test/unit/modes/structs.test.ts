import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initRustParser, parseRustFile, parseSchema, type Backend } from '../../../src/rust';
import { dieselModelStructMode } from '../../../modes/diesel-model-struct';
import { generateStructs, renderUseBlock } from '../../../modes/diesel-model-struct/generate';
import { defaultsFromSql } from '../../../modes/diesel-common/migrations';
import { structNameForTable } from '../../../modes/diesel-common/naming';
import { connTypeFor, type ProjectStyle } from '../../../modes/diesel-common/style';
import { validateStruct } from '../../../modes/diesel-common/validate';
import type { ModelClient } from '../../../src/llm/types';
import { bakeryFs, corpus, memoryProject } from './helpers';

beforeAll(() => initRustParser());

function styleFor(backend: Backend): ProjectStyle {
  const depFeatures = new Map([['serde', ['derive']], ['chrono', ['serde']], ['uuid', ['serde']], ['serde_json', []]]);
  return {
    backend,
    backendKnown: true,
    diesel1: false,
    async: false,
    connType: connTypeFor(backend, false),
    backendPath: { pg: 'diesel::pg::Pg', mysql: 'diesel::mysql::Mysql', sqlite: 'diesel::sqlite::Sqlite' }[backend],
    backendName: backend,
    dateTime: 'chrono',
    deps: new Set(depFeatures.keys()),
    depFeatures,
    serde: true,
    schemaModule: 'crate::schema',
  };
}

const SCHEMAS: [string, Backend][] = [
  ['crates-io/schema.rs', 'pg'],
  ['alexandrie/schema.rs', 'mysql'],
  ['rfcbot-rs/schema.rs', 'pg'],
  ['realworld-actix-diesel/schema.rs', 'pg'],
  ['realworld-rust-rocket/schema.rs', 'pg'],
  ['casbin-diesel-adapter/schema.rs', 'pg'],
  ['diesel-examples/postgres-advanced-blog-cli/schema.rs', 'pg'],
  ['diesel-examples/postgres-custom_arrays/schema.rs', 'pg'],
  ['diesel-examples/mysql-getting_started_step_3/schema.rs', 'mysql'],
  ['diesel-examples/sqlite-relations/schema.rs', 'sqlite'],
];

describe('deterministic structs for every corpus table', () => {
  for (const [file, backend] of SCHEMAS) {
    it(`${file} (${backend})`, () => {
      const schema = parseSchema([{ file, text: corpus(file) }]);
      expect(schema.tables.length).toBeGreaterThan(0);
      for (const table of schema.tables) {
        const style = styleFor(backend);
        const gen = generateStructs(table, { style, sqlTypes: schema.sqlTypes });
        expect(gen.diagnostics.filter((d) => d.severity === 'error'), table.name).toEqual([]);
        const info = parseRustFile(gen.structs.map((s) => s.code).join('\n\n'));
        expect(info.diagnostics, table.name).toEqual([]);
        expect(info.structs.map((s) => s.name)[0]).toBe(structNameForTable(table.name));
        for (const s of info.structs) {
          expect(s.tableName).toBe(table.name);
          expect(validateStruct(s, { tables: schema.tables, style, sqlTypes: schema.sqlTypes }), `${table.name}/${s.name}`).toEqual([]);
        }
        // The row struct has every column Diesel can map, in table order.
        const row = info.structs[0]!;
        const mapped = table.columns.filter((c) => !gen.diagnostics.some((d) => d.code === 'skipped-columns' && d.message.includes(`\`${c.name}\` (`)));
        expect(row.fields.map((f) => f.name)).toEqual(mapped.map((c) => c.name));
        expect(row.derives).toContain('Selectable');
      }
    });
  }

  it('Nullable becomes Option, the key and creation timestamps are left to the database in New…', () => {
    const schema = parseSchema([{ file: 's.rs', text: 'diesel::table! { bookings (id) { id -> Int4, room -> Varchar, note -> Nullable<Text>, status -> Varchar, created_at -> Timestamp, } }' }]);
    const table = schema.tables[0]!;
    const gen = generateStructs(table, { style: styleFor('pg'), defaults: defaultsFromSql("CREATE TABLE bookings (id SERIAL PRIMARY KEY, room VARCHAR NOT NULL, note TEXT, status VARCHAR NOT NULL DEFAULT 'new', created_at TIMESTAMP NOT NULL DEFAULT now());").get('bookings')! });
    const [row, neu, changes] = gen.structs.map((s) => s.code);
    expect(row).toContain('pub note: Option<String>,');
    expect(row).toContain('#[derive(Queryable, Selectable, Identifiable, Debug, Clone, Serialize)]\n#[diesel(table_name = bookings, check_for_backend(diesel::pg::Pg))]\npub struct Booking {');
    expect(neu).toBe('#[derive(Insertable, Debug, Clone, Deserialize)]\n#[diesel(table_name = bookings)]\npub struct NewBooking {\n    pub room: String,\n    pub note: Option<String>,\n    pub status: Option<String>,\n}');
    expect(changes).toContain('pub struct BookingChanges {\n    pub room: Option<String>,\n    pub note: Option<Option<String>>,\n    pub status: Option<String>,\n}');
    expect(gen.uses).toEqual(['diesel::prelude::*', 'crate::schema::bookings', 'chrono::NaiveDateTime', 'serde::Deserialize', 'serde::Serialize']);
    expect(renderUseBlock(gen.uses)).toBe('use chrono::NaiveDateTime;\nuse diesel::prelude::*;\nuse serde::{Deserialize, Serialize};\n\nuse crate::schema::bookings;');
  });

  it('no serde derives without serde, or when a field type lacks its serde feature', () => {
    const table = parseSchema([{ file: 's.rs', text: 'diesel::table! { notes (id) { id -> Int4, at -> Timestamp, } }' }]).tables[0]!;
    const noSerde = { ...styleFor('pg'), serde: false };
    expect(generateStructs(table, { style: noSerde }).structs[0]!.code).not.toContain('Serialize');
    const chronoPlain = { ...styleFor('pg'), depFeatures: new Map([['serde', []], ['chrono', []]]) };
    expect(generateStructs(table, { style: chronoPlain }).structs[0]!.code).not.toContain('Serialize');
  });

  it('composite keys get primary_key(...), custom SQL types are skipped with a warning', () => {
    const s = parseSchema([{ file: 'corpus', text: corpus('crates-io/schema.rs') }]);
    const follows = generateStructs(s.tables.find((t) => t.name === 'follows')!, { style: styleFor('pg') });
    expect(follows.structs[0]!.code).toContain('#[diesel(table_name = follows, primary_key(user_id, crate_id), check_for_backend(diesel::pg::Pg))]');
    const crates = generateStructs(s.tables.find((t) => t.name === 'crates')!, { style: styleFor('pg'), sqlTypes: s.sqlTypes });
    expect(crates.diagnostics.find((d) => d.code === 'skipped-columns')!.message).toContain('`textsearchable_index_col`');
  });
});

const noModel = {} as ModelClient;

describe('diesel-model-struct mode', () => {
  it('bakery order_items: a new file named like the project’s model files, plus its mod line; no model call', async () => {
    const r = await dieselModelStructMode.run({ project: bakeryFs(), table: 'order_items', request: '' }, { client: noModel });
    expect(r.ok).toBe(true);
    expect(r.deterministic).toBe(true);
    expect(r.runs).toEqual([]);
    expect(r.changeSet!.files.map((f) => [f.path, f.original === null])).toEqual([
      ['src/models/order_item.rs', true],
      ['src/models/mod.rs', false],
    ]);
    const file = r.changeSet!.files[0]!.proposed;
    expect(file.startsWith('use diesel::prelude::*;\nuse serde::{Deserialize, Serialize};\n\nuse crate::schema::order_items;\n\n#[derive(Queryable, Selectable, Identifiable')).toBe(true);
    expect(file).toContain('pub struct NewOrderItem {\n    pub order_id: i32,');
    expect(r.changeSet!.files[1]!.proposed).toBe('pub mod customer;\npub mod order;\npub mod order_item;\npub mod product;\n');
  });

  it('bakery orders: only the missing changeset struct, appended to order.rs, leaving created_at alone', async () => {
    const r = await dieselModelStructMode.run({ project: bakeryFs(), table: 'orders', request: '' }, { client: noModel });
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['src/models/order.rs']);
    expect(r.code).toMatch(/^#\[derive\(AsChangeset, Debug, Clone, Default, Deserialize\)\]\n#\[diesel\(table_name = orders\)\]\npub struct OrderChanges \{/);
    expect(r.code).not.toContain('created_at');
    const proposed = r.changeSet!.files[0]!.proposed;
    expect(parseRustFile(proposed).structs.map((s) => s.name)).toEqual(['Order', 'NewOrder', 'OrderChanges']);
  });

  it('a project without models: creates src/models/<table>.rs, models/mod.rs and `mod models;` in main.rs', async () => {
    const fs = memoryProject('sqlite', 'diesel::table! { invoices (id) { id -> Integer, total_cents -> BigInt, paid -> Bool, } }', {}, { 'src/main.rs': 'mod schema;\n\nfn main() {}\n' });
    const r = await dieselModelStructMode.run({ project: fs, table: 'invoices', request: '' }, { client: noModel });
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['src/models/invoices.rs', 'src/models/mod.rs', 'src/main.rs']);
    expect(r.changeSet!.files[2]!.proposed).toBe('mod models;\nmod schema;\n\nfn main() {}\n');
    expect(r.code).toContain('check_for_backend(diesel::sqlite::Sqlite)');
  });

  it('clear errors: unknown table, everything already there', async () => {
    const a = await dieselModelStructMode.run({ project: bakeryFs(), table: 'nope', request: '' }, { client: noModel });
    expect(a.ok).toBe(false);
    expect(a.diagnostics[0]).toMatchObject({ code: 'unknown-table' });
    const fs = memoryProject('pg', 'diesel::table! { tags (id) { id -> Int4, name -> Text, } }', {
      'tags.rs': '#[derive(Queryable, Selectable)]\n#[diesel(table_name = tags)]\npub struct Tag { pub id: i32, pub name: String }\n#[derive(Insertable, AsChangeset)]\n#[diesel(table_name = tags)]\npub struct NewTag { pub name: String }\n',
    });
    const b = await dieselModelStructMode.run({ project: fs, table: 'tags', request: '' }, { client: noModel });
    expect(b.diagnostics[0]).toMatchObject({ code: 'structs-exist' });
  });
});

describe('diesel-model-struct places new structs where the project keeps its models (corpus projects)', async () => {
  const { loadTasks } = await import('../../../src/eval/tasks');
  const { MemoryProjectFs } = await import('../../../src/eval/project');
  const tasks = await loadTasks(path.join(__dirname, '../../../eval/tasks/corpus-real'));
  /** A task's project, with some files changed or removed (undefined). */
  const projectOf = (id: string, edits: Record<string, string | undefined> = {}) => {
    const files = new Map(tasks.find((t) => t.id === `corpus-real/${id}`)!.files);
    for (const [p, text] of Object.entries(edits)) {
      if (text === undefined) files.delete(p);
      else files.set(p, text);
    }
    return new MemoryProjectFs(id, files);
  };
  const place = async (project: InstanceType<typeof MemoryProjectFs>, table: string) => {
    const r = await dieselModelStructMode.run({ project, table, request: '' }, { client: noModel });
    expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    return { paths: r.changeSet!.files.map((f) => `${f.path}${f.original === null ? ' (new)' : ''}`), files: r.changeSet!.files };
  };

  it('rfcbot keeps its model structs in src/domain/*.rs (files by topic): a new file there, its mod line in domain/mod.rs', async () => {
    const r = await place(projectOf('teams-structs'), 'teams');
    expect(r.paths).toEqual(['src/domain/teams.rs (new)', 'src/domain/mod.rs']);
    expect(r.files[1]!.proposed).toContain('pub mod teams;');
  });

  it('one file per model in src/models/ (Rocket realworld, crates.io): a new file named after the struct', async () => {
    expect((await place(projectOf('favorites-structs'), 'favorites')).paths).toEqual(['src/models/favorite.rs (new)', 'src/models/mod.rs']);
    expect((await place(projectOf('find-by-login'), 'teams')).paths).toEqual(['src/models/team.rs (new)', 'src/models/mod.rs']);
  });

  it('a folder per model (realworld actix features/<model>/entities.rs, custom_arrays model/<model>/mod.rs): a new folder of that shape', async () => {
    const actix = await place(projectOf('article-with-author'), 'comments');
    expect(actix.paths).toEqual(['src/app/features/comment/entities.rs (new)', 'src/app/features/comment/mod.rs (new)', 'src/app/features/mod.rs']);
    expect(actix.files[1]!.proposed).toBe('pub mod entities;\n');
    expect(actix.files[2]!.proposed).toContain('pub mod comment;');
    const schema = corpus('diesel-examples/postgres-custom_arrays/schema.rs');
    const arrays = await place(projectOf('service-update', { 'src/schema.rs': `${schema}\ndiesel::table! {\n    smdb.regions (region_id) {\n        region_id -> Int4,\n        name -> Text,\n    }\n}\n` }), 'regions');
    expect(arrays.paths).toEqual(['src/model/region/mod.rs (new)', 'src/model/mod.rs']);
  });

  it('a single file of models (casbin’s models.rs, the getting-started models.rs): appended to it', async () => {
    const schema = corpus('casbin-diesel-adapter/schema.rs');
    const casbin = await place(projectOf('remove-policy', { 'src/schema.rs': `${schema}\ntable! {\n    audit_log (id) {\n        id -> Integer,\n        note -> Text,\n    }\n}\n` }), 'audit_log');
    expect(casbin.paths).toEqual(['src/models.rs']);
  });
});
