import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryProjectFs, NodeProjectFs } from '../../../src/core/projectFs';
import { generateApiFiles } from '../../../src/frontend';

const BAKERY = path.resolve(__dirname, '../../fixtures/bakery');

const CARGO = `[package]\nname = "shop"\nversion = "0.1.0"\n\n[dependencies]\nactix-web = "4"\nserde = { version = "1", features = ["derive"] }\n`;

const MAIN = `use actix_web::{web, App, HttpServer};
mod api;
#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| App::new().service(web::scope("/v1").configure(api::configure))).bind(("127.0.0.1", 8080))?.run().await
}
`;

function project(api: string, extra: Record<string, string> = {}): MemoryProjectFs {
  return new MemoryProjectFs('/shop', {
    'Cargo.toml': CARGO,
    'src/main.rs': MAIN,
    'src/api.rs': api,
    'frontend/package.json': '{ "dependencies": { "solid-js": "1.9.9" } }',
    ...extra,
  });
}

/** The declaration of `name` in types.ts (up to the blank line after it). */
function decl(types: string, name: string): string {
  const start = types.search(new RegExp(`export (?:type|interface) ${name}\\b`));
  expect(start, `${name} is declared`).toBeGreaterThanOrEqual(0);
  const end = types.indexOf('\n\n', start);
  return types.slice(start, end < 0 ? undefined : end).trim();
}

const SERDE_API = `use actix_web::{get, post, put, delete, web, HttpResponse, Responder};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_items).service(get_item).service(create_item).service(update_item).service(delete_item).service(search).service(events);
}

#[derive(Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Status { Draft, InReview, Published }

/// A thing for sale.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    pub id: Uuid,
    pub item_name: String,
    #[serde(rename = "price")]
    pub price_cents: i64,
    #[serde(skip)]
    pub secret: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub attrs: HashMap<String, Option<i32>>,
    pub status: Status,
    pub created: DateTime<Utc>,
    pub day: NaiveDate,
    #[serde(flatten)]
    pub audit: Audit,
    #[serde(with = "big_string")]
    pub big: u64,
    pub weird: std::sync::mpsc::Sender<u8>,
}

#[derive(Serialize)]
pub struct Audit { pub created_by: String }

#[derive(Deserialize)]
pub struct NewItem {
    pub item_name: String,
    #[serde(default)]
    pub tags: Vec<String>,
    pub note: Option<String>,
}

#[derive(Deserialize)]
pub struct Search { pub q: String, pub page: Option<u32> }

#[derive(Serialize)]
#[serde(tag = "type")]
pub enum Event {
    Created { id: Uuid },
    Renamed { old_name: String, new_name: String },
    Cleared,
}

#[derive(Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Adjacent { Num(i32), Pair(i32, String), Nothing }

#[derive(Serialize)]
#[serde(untagged)]
pub enum Loose { Text(String), Count(u32) }

#[derive(Serialize)]
pub enum External { Plain, Wrapped(Item), Point { x: f64, y: f64 } }

#[derive(Serialize)]
pub struct Page<T> { pub items: Vec<T>, pub total: usize }

#[derive(Serialize)]
pub struct Feed { pub events: Vec<Event>, pub adjacent: Adjacent, pub loose: Loose, pub external: External }

#[derive(Serialize)]
#[serde(transparent)]
pub struct ItemId(Uuid);

#[get("/items")]
async fn list_items() -> web::Json<Page<Item>> { todo!() }

#[get("/items/{id}")]
async fn get_item(path: web::Path<Uuid>) -> actix_web::Result<web::Json<Item>> { todo!() }

#[post("/items")]
async fn create_item(body: web::Json<NewItem>) -> web::Json<ItemId> { todo!() }

#[put("/items/{id}/{rev}")]
async fn update_item(path: web::Path<(Uuid, i32)>, body: web::Json<NewItem>) -> web::Json<Item> { todo!() }

#[delete("/items/{id}")]
async fn delete_item(path: web::Path<Uuid>) -> HttpResponse { HttpResponse::NoContent().finish() }

#[get("/search")]
async fn search(query: web::Query<Search>) -> web::Json<Vec<Item>> { todo!() }

#[get("/events")]
async fn events() -> web::Json<Feed> { todo!() }
`;

describe('Rust → TypeScript API types', () => {
  it('maps Option, Vec, HashMap, chrono, Uuid and 64-bit integers, honouring rename_all, rename, skip, flatten and with', async () => {
    const r = await generateApiFiles(project(SERDE_API));
    const item = decl(r.types, 'Item');
    expect(item).toMatch(/^\/\*\* A thing for sale\. \*\/|^export type Item = \{/);
    expect(r.types).toContain('/** A thing for sale. */\nexport type Item = {');
    expect(item).toContain('  id: string;');
    expect(item).toContain('  itemName: string;');
    expect(item).toContain('  price: number;');
    expect(item).not.toContain('secret');
    expect(item).toContain('  note?: string | null;');
    expect(item).toContain('  tags: string[];');
    expect(item).toContain('  attrs: Record<string, number | null>;');
    expect(item).toContain('  status: Status;');
    expect(item).toContain('  created: string;');
    expect(item).toContain('  day: string;');
    expect(item).toContain('  big: string;');
    expect(item).toContain('} & Audit;');
    expect(item).toMatch(/ {2}weird: unknown \/\* std::sync::mpsc::Sender<u8>: no TypeScript mapping for this Rust type \*\/;/);
    expect(decl(r.types, 'Audit')).toBe('export interface Audit {\n  created_by: string;\n}');
    expect(decl(r.types, 'Status')).toBe(`export type Status =\n  | "draft"\n  | "in_review"\n  | "published";`);
    expect(r.unmapped).toEqual([{ rust: 'std::sync::mpsc::Sender<u8>', where: 'Item.weird', reason: 'no TypeScript mapping for this Rust type' }]);
    expect(r.changeSet.summary).toContain('Unmapped Rust types (now `unknown`): std::sync::mpsc::Sender<u8> in Item.weird');
  });

  it('request types: Option and #[serde(default)] fields may be left out', async () => {
    const r = await generateApiFiles(project(SERDE_API));
    expect(decl(r.types, 'NewItem')).toBe('export interface NewItem {\n  item_name: string;\n  tags?: string[];\n  note?: string | null;\n}');
  });

  it('enums: internally, adjacently, externally tagged and untagged; generics; transparent newtypes', async () => {
    const r = await generateApiFiles(project(SERDE_API));
    expect(decl(r.types, 'Event')).toBe(
      ['export type Event =', '  | {', '    type: "Created";', '    id: string;', '  }', '  | {', '    type: "Renamed";', '    old_name: string;', '    new_name: string;', '  }', '  | { type: "Cleared" };'].join('\n'),
    );
    expect(decl(r.types, 'Adjacent')).toBe('export type Adjacent =\n  | { t: "Num"; c: number }\n  | { t: "Pair"; c: [number, string] }\n  | { t: "Nothing" };');
    expect(decl(r.types, 'Loose')).toBe('export type Loose =\n  | string\n  | number;');
    expect(decl(r.types, 'External')).toBe(['export type External =', '  | "Plain"', '  | { Wrapped: Item }', '  | { Point: {', '    x: number;', '    y: number;', '  } };'].join('\n'));
    expect(decl(r.types, 'Page')).toBe('export interface Page<T> {\n  items: T[];\n  total: number;\n}');
    expect(decl(r.types, 'ItemId')).toBe('export type ItemId = string;');
  });

  it('writes one typed client function per route, with path, body and query parameters', async () => {
    const r = await generateApiFiles(project(SERDE_API));
    const fns = [...r.client.matchAll(/export function (\w+)\(([^)]*)\): Promise<ApiResult<(.*)>> \{/g)].map((m) => `${m[1]}(${m[2]}) => ${m[3]}`);
    expect(fns).toEqual([
      'events() => Feed',
      'listItems() => Page<Item>',
      'createItem(body: NewItem) => ItemId',
      'deleteItem(id: string) => null',
      'getItem(id: string) => Item',
      'updateItem(id: string, rev: number, body: NewItem) => Item',
      'search(query: Search) => Item[]',
    ]);
    expect(r.client).toContain("return request<Item>('PUT', `/v1/items/${encodeURIComponent(String(id))}/${encodeURIComponent(String(rev))}`, { json: body });");
    expect(r.client).toContain("return request<Item[]>('GET', '/v1/search', { query });");
    expect(r.client).toContain("import type { Feed, Item, ItemId, NewItem, Page, Search } from './types';");
    expect(r.typesPath).toBe('frontend/src/api/types.ts');
    expect(r.clientPath).toBe('frontend/src/api/client.ts');
  });

  it('is idempotent: the written files give an empty proposal on the next run', async () => {
    const first = await generateApiFiles(project(SERDE_API));
    expect(first.changeSet.files.map((f) => f.path)).toEqual(['frontend/src/api/types.ts', 'frontend/src/api/client.ts']);
    const second = await generateApiFiles(project(SERDE_API, { [first.typesPath]: first.types, [first.clientPath]: first.client }));
    expect(second.types).toBe(first.types);
    expect(second.client).toBe(first.client);
    expect(second.changeSet.files).toEqual([]);
    expect(second.changeSet.summary.startsWith('API types and client are up to date.')).toBe(true);
  });

  it('a struct without serde derives is explained, not turned into silent any', async () => {
    const api = `use actix_web::{get, web};\npub fn configure(cfg: &mut web::ServiceConfig) { cfg.service(plain); }\npub struct Plain { pub id: i32 }\n#[get("/plain")]\nasync fn plain() -> web::Json<Plain> { todo!() }\n`;
    const r = await generateApiFiles(project(api));
    expect(r.types).not.toMatch(/\bany\b/);
    expect(r.client).toContain('Promise<ApiResult<unknown /* Plain: `Plain` derives neither Serialize nor Deserialize */>>');
    const d = r.diagnostics.find((x) => x.code === 'no-serde-derive');
    expect(d?.message).toContain('`Plain` is used by the API but derives neither Serialize nor Deserialize');
    expect(d?.file).toBe('src/api.rs');
    expect(r.unmapped.map((u) => u.rust)).toEqual(['Plain']);
  });

  it('HttpResponse handlers calling a free function of a crate module: its return type is the answer', async () => {
    const api = `use actix_web::{get, post, web, HttpResponse};
use crate::actions;
pub fn configure(cfg: &mut web::ServiceConfig) { cfg.service(add_user).service(recent); }
#[post("/users")]
async fn add_user(form: web::Json<actions::NewUser>) -> HttpResponse {
    let user = web::block(move || actions::insert_new_user(&form.name)).await.unwrap();
    HttpResponse::Created().json(user)
}
#[get("/users/recent")]
async fn recent() -> HttpResponse {
    let n = web::block(move || actions::touch_all()).await.unwrap();
    HttpResponse::Ok().json(n)
}
`;
    const actions = `use serde::{Deserialize, Serialize};
#[derive(Serialize)]
pub struct User { pub id: String, pub name: String }
#[derive(Deserialize)]
pub struct NewUser { pub name: String }
pub fn insert_new_user(name: &str) -> Result<User, String> { todo!() }
pub fn touch_all() -> Result<usize, String> { todo!() }
`;
    const r = await generateApiFiles(project(api, { 'src/main.rs': MAIN.replace('mod api;', 'mod api;\nmod actions;'), 'src/actions/mod.rs': actions }));
    expect(r.endpoints.map((e) => `${e.method} ${e.path} -> ${e.response}`)).toEqual(['POST /v1/users -> User', 'GET /v1/users/recent -> unknown /* the answer of recent could not be read from its code */']);
    expect(decl(r.types, 'User')).toContain('  name: string;');
  });

  it('bakery: the response type of HttpResponse handlers comes from the model function they call', async () => {
    const r = await generateApiFiles(new NodeProjectFs(BAKERY));
    expect(r.frontendDir).toBe('frontend');
    expect(r.endpoints.map((e) => `${e.method} ${e.path} ${e.fnName} -> ${e.response}`)).toEqual([
      'POST /api/orders createOrder -> Order',
      'GET /api/orders/{id} getOrder -> Order',
      'GET /api/products listProducts -> Product[]',
    ]);
    expect(decl(r.types, 'Order')).toContain('  pickup_at: string | null;');
    expect(decl(r.types, 'NewOrder')).toContain('  total_cents: number;');
    expect(r.unmapped).toEqual([]);
  });
});
