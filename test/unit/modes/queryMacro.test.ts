import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dieselModelFnMode } from '../../../modes/diesel-model-fn';
import { queryMacroOf } from '../../../modes/diesel-model-fn/placement';
import { initRustParser } from '../../../src/rust';
import { startModelServer, type ModelServer } from '../../fixtures/model-server/server.mjs';
import { messyRight } from '../../fixtures/model-server/messy.mjs';
import { fixtureClient, MemoryFs } from './helpers';
import { firstAndReask } from '../../helpers/fixtureModel';

/**
 * Projects that run every query inside their own macro (vaultwarden's `db_run!`, one arm per
 * backend): the model is told the macro and shown one existing function written with it, and an
 * answer in that style (async, no `.await`, no diesel-async) is accepted as it is.
 */

const SCHEMA = `table! {
    users (uuid) {
        uuid -> Text,
        email -> Text,
        name -> Text,
        enabled -> Bool,
    }
}
`;
const MACRO = `// One body for every backend, run on the pooled connection.
#[macro_export]
macro_rules! db_run {
    ( $conn:ident: $body:block ) => {{
        let $conn = &mut $conn.inner;
        $body
    }};
    ( $conn:ident: $( $($db:ident),+ $body:block )+ ) => {{
        let $conn = &mut $conn.inner;
        $($body)+
    }};
}

pub struct DbConn {
    pub inner: diesel::pg::PgConnection,
}

pub mod models;
`;
const USER = `use diesel::prelude::*;

use crate::db::DbConn;
use crate::schema::users;

#[derive(Queryable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = users)]
pub struct User {
    pub uuid: String,
    pub email: String,
    pub name: String,
    pub enabled: bool,
}

impl User {
    pub async fn find_by_uuid(uuid: &str, conn: &mut DbConn) -> Option<Self> {
        db_run! { conn: {
            users::table.filter(users::uuid.eq(uuid)).first::<User>(conn).ok()
        }}
    }

    pub async fn find_by_mail(mail: &str, conn: &mut DbConn) -> Option<Self> {
        let lower_mail = mail.to_lowercase();
        db_run! { conn: {
            users::table
                .filter(users::email.eq(lower_mail))
                .first::<User>(conn)
                .ok()
        }}
    }

    pub async fn delete(self, conn: &mut DbConn) -> QueryResult<()> {
        db_run! { conn:
            sqlite, mysql {
                diesel::delete(users::table.filter(users::uuid.eq(self.uuid))).execute(conn).map(|_| ())
            }
            postgresql {
                diesel::delete(users::table.filter(users::uuid.eq(self.uuid))).execute(conn).map(|_| ())
            }
        }
    }
}
`;
// vaultwarden's way: one feature per backend, none on by default; no diesel-async.
const CARGO = `[package]
name = "vault"
version = "0.1.0"
edition = "2021"

[features]
sqlite = ["diesel/sqlite"]
mysql = ["diesel/mysql"]
postgresql = ["diesel/postgres"]

[dependencies]
diesel = { version = "2.2", features = ["chrono", "r2d2"] }
`;
const project = () =>
  new MemoryFs({ 'Cargo.toml': CARGO, 'src/schema.rs': SCHEMA, 'src/db/mod.rs': MACRO, 'src/db/models/mod.rs': 'pub mod user;\n', 'src/db/models/user.rs': USER, 'src/main.rs': '#[macro_use]\nextern crate diesel;\n\nmod db;\nmod schema;\n\nfn main() {}\n' });

const ANSWER = `pub async fn find_enabled(conn: &mut DbConn) -> Vec<Self> {
    db_run! { conn: {
        users::table
            .filter(users::enabled.eq(true))
            .order(users::email.asc())
            .load::<User>(conn)
            .unwrap_or_default()
    }}
}`;

let server: ModelServer;
beforeAll(async () => {
  await initRustParser();
  server = await startModelServer();
}, 60_000);
afterAll(() => server.close());

const client = () => fixtureClient(server.baseUrl);

describe('a project query macro (db_run!)', () => {
  it('is found in most existing query functions; the shortest one is the example; std macros are no wrapper', () => {
    const fns = [
      { body: '{ db_run! { conn: { users::table.first::<User>(conn).ok() } } }', text: 'fn a() { db_run! { conn: { users::table.first::<User>(conn).ok() } } }' },
      { body: '{ let x = 1;\n db_run! { conn: { users::table.load::<User>(conn) } } }', text: 'fn bb() { let x = 1;\n db_run! { conn: { users::table.load::<User>(conn) } } }' },
      { body: '{ users::table.load::<User>(conn) }', text: 'fn c() { users::table.load::<User>(conn) }' },
    ];
    expect(queryMacroOf(fns)).toEqual({ name: 'db_run', example: fns[0]!.text });
    expect(queryMacroOf(fns.slice(2))).toBeUndefined();
    expect(queryMacroOf([{ body: '{ println!("{:?}", users::table.load::<User>(conn)) }', text: '' }])).toBeUndefined();
  });

  it('the prompt names the macro and shows an existing function written with it', async () => {
    const prompt = await dieselModelFnMode.buildPrompt({ project: project(), struct: 'User', request: 'All enabled users, by email.' });
    const system = prompt.messages[0]!.content;
    const user = prompt.messages.at(-1)!.content;
    expect(system).toContain("The project runs every query inside its own `db_run!` macro");
    expect(system).toContain("run synchronous Diesel inside the project's `db_run!` macro");
    expect(user).toContain("// An existing function, written with the project's `db_run!` macro:\npub async fn find_by_uuid(uuid: &str, conn: &mut DbConn) -> Option<Self> {\n    db_run! { conn: {");
  });

  it('an answer in the macro style, clean or messy, is accepted; a wrong column inside the macro is not', async () => {
    for (const content of [ANSWER, messyRight(ANSWER)]) {
      server.setScript(firstAndReask(content, content));
      const r = await dieselModelFnMode.run({ project: project(), struct: 'User', request: 'All enabled users, by email.' }, { client: client() });
      expect(r.runs[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.changeSet!.files[0]!.path).toBe('src/db/models/user.rs');
      expect(r.changeSet!.files[0]!.proposed).toContain('    pub async fn find_enabled(conn: &mut DbConn) -> Vec<Self> {\n        db_run! { conn: {');
    }
    const wrong = ANSWER.replace('users::enabled', 'users::active');
    server.setScript(firstAndReask(wrong, wrong));
    const r = await dieselModelFnMode.run({ project: project(), struct: 'User', request: 'All enabled users, by email.' }, { client: client() });
    expect(r.ok).toBe(false);
    expect(r.runs[0]!.diagnostics.map((d) => d.code)).toContain('unknown-column');
  });
});
