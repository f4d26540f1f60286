import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { loadProject, locateSchema, parseSchemaFiles } from '../../../src/rust';
import { CORPUS, MemoryFs } from './helpers';

const CARGO_PG = `[package]
name = "shop"
version = "0.1.0"
edition = "2021"

[dependencies]
actix-web = "4"
diesel = { version = "2.2", features = ["postgres", "chrono"] }
`;

describe('loadProject: split schema folder (src/schema/mod.rs)', () => {
  const fs = new MemoryFs({
    'Cargo.toml': CARGO_PG,
    'src/main.rs': 'mod schema;\nmod models;\nfn main() {}\n',
    'src/schema/mod.rs': '// @generated\npub mod customers;\nmod orders;\n\ndiesel::joinable!(orders -> customers (customer_id));\ndiesel::allow_tables_to_appear_in_same_query!(customers, orders);\n',
    'src/schema/customers.rs': 'diesel::table! {\n    /// Who buys.\n    customers (id) {\n        id -> Int4,\n        name -> Varchar,\n        email -> Nullable<Text>,\n    }\n}\n',
    'src/schema/orders/mod.rs': 'diesel::table! {\n    orders (id) {\n        id -> Int4,\n        customer_id -> Int4,\n        total -> Numeric,\n    }\n}\n',
    'src/models/mod.rs': 'pub mod customer;\npub mod order;\n',
    'src/models/customer.rs': `use diesel::prelude::*;
use crate::schema::customers;

#[derive(Queryable, Selectable, Identifiable)]
#[diesel(table_name = customers)]
pub struct Customer { pub id: i32, pub name: String, pub email: Option<String> }

#[derive(Insertable)]
#[diesel(table_name = customers)]
pub struct NewCustomer<'a> { pub name: &'a str }

impl Customer {
    pub fn all(conn: &mut PgConnection) -> QueryResult<Vec<Customer>> { customers::table.load(conn) }
}
`,
    'src/models/order.rs': '#[derive(Queryable, Associations)]\n#[diesel(belongs_to(crate::models::customer::Customer))]\npub struct Order { pub id: i32, pub customer_id: i32 }\n',
    'src/util.rs': 'pub fn helper() -> i32 { 1 }\n',
  });

  it('follows mod declarations to sibling files and reads them together', async () => {
    const p = await loadProject(fs);
    expect(p.crateDir).toBe('');
    expect(p.cargoPath).toBe('Cargo.toml');
    expect(p.cargo).toMatchObject({ backend: 'pg', actix: true, dieselVersion: '2.2' });
    expect(p.schemaPaths).toEqual(['src/schema/mod.rs', 'src/schema/customers.rs', 'src/schema/orders/mod.rs']);
    expect(p.schema.tables.map((t) => `${t.file}:${t.name}`)).toEqual(['src/schema/customers.rs:customers', 'src/schema/orders/mod.rs:orders']);
    expect(p.schema.joinables).toEqual([expect.objectContaining({ child: 'orders', parent: 'customers', foreignKey: 'customer_id', file: 'src/schema/mod.rs' })]);
    expect(p.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('reads model files and answers lookups', async () => {
    const p = await loadProject(fs);
    expect(p.files.map((f) => f.file)).toEqual(['src/models/customer.rs', 'src/models/mod.rs', 'src/models/order.rs']);
    expect(p.findTable('customers')?.doc).toBe('Who buys.');
    expect(p.findTable('nope')).toBeUndefined();
    const c = p.findStruct('Customer');
    expect(c?.file.file).toBe('src/models/customer.rs');
    expect(c?.struct.fields.map((f) => f.name)).toEqual(['id', 'name', 'email']);
    expect(p.structsForTable('customers').map((r) => r.struct.name)).toEqual(['Customer', 'NewCustomer']);
    // `Order` names no table: Diesel infers `orders`.
    expect(p.structsForTable('orders').map((r) => [r.struct.name, r.struct.tableInferred])).toEqual([['Order', true]]);
    expect(p.joinableTables('customers')).toEqual([expect.objectContaining({ table: 'orders', role: 'child' })]);
    expect(p.joinableTables('orders')).toEqual([expect.objectContaining({ table: 'customers', role: 'parent' })]);
    expect(p.joinableTables('ghosts')).toEqual([]);
  });
});

describe('loadProject: diesel.toml in a workspace member', () => {
  const fs = new MemoryFs({
    'Cargo.toml': '[workspace]\nmembers = ["backend", "frontend"]\n[workspace.dependencies]\ndiesel = { version = "2.1.4", features = ["sqlite"] }\n',
    'frontend/Cargo.toml': '[package]\nname = "frontend"\n[dependencies]\nserde = "1"\n',
    'backend/Cargo.toml': '[package]\nname = "backend"\n[dependencies]\ndiesel = { workspace = true, features = ["returning_clauses_for_sqlite_3_35"] }\n',
    'backend/diesel.toml': '[print_schema]\nfile = "src/db/schema.rs"\n\n[migrations_directory]\ndir = "migrations"\n',
    'backend/src/db/schema.rs': 'diesel::table! { items (id) { id -> Integer, label -> Text, } }\nmod extra;\n',
    'backend/src/db/schema/extra.rs': 'diesel::table! { tags (item_id, tag) { item_id -> Integer, tag -> Text, } }\n',
    'backend/src/schema.rs': '// stale copy that diesel.toml does not point at\ndiesel::table! { old { id -> Integer, } }\n',
  });

  it('picks the crate that uses Diesel and the file diesel.toml names', async () => {
    const p = await loadProject(fs);
    expect(p.crateDir).toBe('backend');
    expect(p.cargoPath).toBe('backend/Cargo.toml');
    expect(p.dieselTomlPath).toBe('backend/diesel.toml');
    expect(p.cargo).toMatchObject({ dieselVersion: '2.1.4', backend: 'sqlite', packageName: 'backend' });
    expect(p.schemaPaths).toEqual(['backend/src/db/schema.rs', 'backend/src/db/schema/extra.rs']);
    expect(p.schema.tables.map((t) => `${t.name}(${t.primaryKey.join(',')})`)).toEqual(['items(id)', 'tags(item_id,tag)']);
  });

  it('locateSchema gives the same answer without reading models', async () => {
    const l = await locateSchema(fs);
    expect(l.crateDir).toBe('backend');
    expect(l.paths).toEqual(['backend/src/db/schema.rs', 'backend/src/db/schema/extra.rs']);
  });
});

describe('loadProject: Diesel 1.x project without diesel.toml', () => {
  it('reads src/schema.rs and #[table_name] models', async () => {
    const fs = new MemoryFs({
      'Cargo.toml': '[package]\nname = "old"\n[dependencies]\ndiesel = { version = "1.4.8", features = ["postgres"] }\n',
      'src/schema.rs': 'table! {\n    posts {\n        id -> Integer,\n        title -> VarChar,\n        body -> Text,\n    }\n}\n',
      'src/models.rs': '#[derive(Queryable)]\npub struct Post { pub id: i32, pub title: String, pub body: String }\n\n#[derive(Insertable)]\n#[table_name = "posts"]\npub struct NewPost<\'a> { pub title: &\'a str, pub body: &\'a str }\n',
      'src/lib.rs': '#[macro_use] extern crate diesel;\npub mod schema;\npub mod models;\n',
    });
    const p = await loadProject(fs);
    expect(p.schemaPaths).toEqual(['src/schema.rs']);
    expect(p.schema.tables[0]).toMatchObject({ name: 'posts', primaryKey: ['id'] });
    expect(p.cargo?.dieselVersion).toBe('1.4.8');
    expect(p.files.map((f) => f.file)).toEqual(['src/models.rs']);
    expect(p.structsForTable('posts').map((r) => r.struct.name)).toEqual(['Post', 'NewPost']);
  });
});

describe('loadProject: fallbacks and broken setups', () => {
  it('warns about a diesel.toml path that does not exist and falls back to src/schema.rs', async () => {
    const fs = new MemoryFs({
      'Cargo.toml': CARGO_PG,
      'diesel.toml': '[print_schema]\nfile = "src/gone.rs"\n',
      'src/schema.rs': 'diesel::table! { a (id) { id -> Int4, } }\n',
    });
    const p = await loadProject(fs);
    expect(p.schemaPaths).toEqual(['src/schema.rs']);
    expect(p.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema-missing', severity: 'warning', file: 'diesel.toml' }));
  });

  it('finds table! in any file when there is no schema.rs, and reports broken TOML', async () => {
    const fs = new MemoryFs({
      'Cargo.toml': '[package\nname = ',
      'diesel.toml': 'print_schema = [',
      'src/db/tables.rs': 'table! { a { id -> Int4, } }\n',
      'src/main.rs': 'fn main() {}\n',
    });
    const p = await loadProject(fs);
    expect(p.schemaPaths).toEqual(['src/db/tables.rs']);
    expect(p.schema.tables.map((t) => t.name)).toEqual(['a']);
    expect(p.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['diesel-toml', 'cargo-toml']));
  });

  it('an empty folder gives an empty project with a warning', async () => {
    const p = await loadProject(new MemoryFs({}));
    expect(p.schema.tables).toEqual([]);
    expect(p.files).toEqual([]);
    expect(p.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['no-cargo', 'no-schema']));
  });

  it('parseSchemaFiles reports unreadable files', async () => {
    const s = await parseSchemaFiles(new MemoryFs({ 'a.rs': 'table! { a { id -> Int4, } }' }), ['a.rs', 'missing.rs']);
    expect(s.tables).toHaveLength(1);
    expect(s.diagnostics).toEqual([expect.objectContaining({ code: 'file-missing', file: 'missing.rs' })]);
  });
});

describe('loadProject on corpus folders (real files on disk)', () => {
  it('crates-io: diesel.toml names a workspace path not copied here; the table! scan finds schema.rs', async () => {
    const p = await loadProject(new NodeProjectFs(path.join(CORPUS, 'crates-io')));
    expect(p.dieselTomlPath).toBe('diesel.toml');
    expect(p.diagnostics).toContainEqual(expect.objectContaining({ code: 'schema-missing' }));
    expect(p.schemaPaths).toEqual(['schema.rs']);
    expect(p.schema.tables).toHaveLength(36);
    expect(p.files.map((f) => f.file)).toEqual(['keyword.rs', 'krate.rs', 'user.rs']);
    expect(p.findStruct('OauthGithub')?.file.file).toBe('user.rs');
    expect(p.structsForTable('users').map((r) => r.struct.name)).toEqual(['PublicUser', 'User', 'NewUser']);
    expect(p.joinableTables('users').map((j) => j.table).sort()).toEqual(
      ['api_tokens', 'deleted_crates', 'emails', 'follows', 'oauth_github', 'publish_limit_buckets', 'publish_rate_overrides', 'version_owner_actions', 'versions', 'crate_owners'].sort(),
    );
  });

  it('realworld-actix-diesel: diesel.toml points at src/schema.rs, which is not there either', async () => {
    const p = await loadProject(new NodeProjectFs(path.join(CORPUS, 'realworld-actix-diesel')));
    expect(p.schemaPaths).toEqual(['schema.rs']);
    expect(p.files.map((f) => f.file)).toEqual(['article__entities.rs', 'favorite__entities.rs', 'user__entities.rs']);
    expect(p.structsForTable('articles').map((r) => r.struct.name)).toEqual(['Article', 'CreateArticle', 'UpdateArticle']);
  });
});
