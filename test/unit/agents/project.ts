import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// A tiny Diesel project written fresh for each test: the shared bakery fixture evolves with the
// modes' tests, and these tests need to know exactly which tables and structs exist.
const FILES: Record<string, string> = {
  'Cargo.toml': `[package]
name = "shop"
version = "0.1.0"
edition = "2021"

[dependencies]
diesel = { version = "2.2", features = ["postgres", "chrono"] }
chrono = "0.4"
serde = { version = "1", features = ["derive"] }
`,
  'diesel.toml': `[print_schema]
file = "src/schema.rs"
`,
  'src/main.rs': `mod models;
mod schema;

fn main() {}
`,
  'src/schema.rs': `// @generated automatically by Diesel CLI.

diesel::table! {
    customers (id) {
        id -> Int4,
        name -> Varchar,
        phone -> Nullable<Varchar>,
    }
}

diesel::table! {
    orders (id) {
        id -> Int4,
        customer_id -> Int4,
        status -> Varchar,
        pickup_date -> Date,
        note -> Nullable<Text>,
    }
}

diesel::joinable!(orders -> customers (customer_id));

diesel::allow_tables_to_appear_in_same_query!(customers, orders,);
`,
  'src/models/mod.rs': `pub mod order;
`,
  'src/models/order.rs': `use chrono::NaiveDate;
use diesel::prelude::*;

use crate::schema::orders;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = orders, check_for_backend(diesel::pg::Pg))]
pub struct Order {
    pub id: i32,
    pub customer_id: i32,
    pub status: String,
    pub pickup_date: NaiveDate,
    pub note: Option<String>,
}

impl Order {
    pub fn find(conn: &mut PgConnection, order_id: i32) -> QueryResult<Order> {
        orders::table.find(order_id).select(Order::as_select()).first(conn)
    }
}
`,
};

const dirs: string[] = [];

/** Writes the project into a new temp folder and returns its path. */
export function makeShopProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nocodo-agents-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(FILES)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return root;
}

export function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'nocodo-agents-'));
  dirs.push(d);
  return d;
}

export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
