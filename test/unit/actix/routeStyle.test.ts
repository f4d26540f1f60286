import { describe, expect, it } from 'vitest';
import { firstAndReask, fixtureModel } from '../../helpers/fixtureModel';
import { actixHandlerMode } from '../../../modes/actix-handler';
import { actixRouterMode } from '../../../modes/actix-router';
import { buildHandlerContext } from '../../../modes/actix-handler/context';
import type { ModeInput, ModeRunOptions } from '../../../src/pipeline/mode';
import { loadActix } from '../../../src/rust';
import { MemoryFs, routeTable, withChanges } from './helpers';

/**
 * Apps that register plain functions with `.route(path, web::get().to(h))` (also
 * `web::route().method(Method::GET).guard(…)`), inside a configure function's `web::scope`: the
 * router extends that chain in the same style and never twice; actix-handler writes a plain
 * function (no route attribute) and registers it the same way.
 */

const model = fixtureModel();

const noModel = { client: new Proxy({}, { get: () => () => Promise.reject(new Error('the router must not call a model')) }) } as unknown as ModeRunOptions;
const run = (files: Record<string, string>, over: Partial<ModeInput> = {}) => actixRouterMode.run({ project: new MemoryFs(files), request: '', ...over }, noModel);

const FILES: Record<string, string> = {
  'Cargo.toml': '[package]\nname = "users"\nversion = "0.1.0"\nedition = "2021"\n[dependencies]\nactix-web = "4"\ndiesel = { version = "2", features = ["postgres", "r2d2"] }\n',
  'src/schema.rs': 'diesel::table! {\n    users (id) {\n        id -> Int4,\n        name -> Text,\n    }\n}\n',
  'src/models.rs': 'use diesel::prelude::*;\n\n#[derive(Queryable, Selectable, serde::Serialize)]\n#[diesel(table_name = crate::schema::users)]\npub struct User {\n    pub id: i32,\n    pub name: String,\n}\n',
  'src/db.rs': `use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use crate::models::User;
use crate::schema::users;

pub type DbPool = Pool<ConnectionManager<PgConnection>>;

pub fn all_users(conn: &mut PgConnection) -> QueryResult<Vec<User>> {
    users::table.select(User::as_select()).load(conn)
}

pub fn user_by_id(conn: &mut PgConnection, id: i32) -> QueryResult<Option<User>> {
    users::table.find(id).select(User::as_select()).first(conn).optional()
}

pub fn delete_user(conn: &mut PgConnection, id: i32) -> QueryResult<usize> {
    diesel::delete(users::table.find(id)).execute(conn)
}
`,
  'src/handlers/mod.rs': 'pub mod users;\n',
  'src/handlers/users.rs': `use actix_web::{web, HttpResponse};

use crate::db::{self, DbPool};

pub async fn list_users(pool: web::Data<DbPool>) -> actix_web::Result<HttpResponse> {
    let users = web::block(move || {
        let mut conn = pool.get().expect("connection");
        db::all_users(&mut conn)
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().json(users))
}

pub async fn get_user(pool: web::Data<DbPool>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let id = path.into_inner();
    let user = web::block(move || {
        let mut conn = pool.get().expect("connection");
        db::user_by_id(&mut conn, id)
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(match user {
        Some(u) => HttpResponse::Ok().json(u),
        None => HttpResponse::NotFound().finish(),
    })
}

pub async fn remove_user(pool: web::Data<DbPool>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let id = path.into_inner();
    web::block(move || {
        let mut conn = pool.get().expect("connection");
        db::delete_user(&mut conn, id)
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::NoContent().finish())
}
`,
  'src/routes.rs': `use actix_web::{guard, http::Method, web};

use crate::handlers::users;

pub fn users_config(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/users")
            .route("", web::get().to(users::list_users))
            .route("/{id}", web::route().method(Method::GET).guard(guard::Header("accept", "application/json")).to(users::get_user)),
    );
}
`,
  'src/main.rs': `mod db;
mod handlers;
mod models;
mod routes;
mod schema;

use actix_web::{web, App, HttpServer};
use diesel::r2d2::{ConnectionManager, Pool};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let manager = ConnectionManager::<diesel::PgConnection>::new("postgres://localhost/users");
    let pool: db::DbPool = Pool::builder().build(manager).expect("pool");
    HttpServer::new(move || App::new().app_data(web::Data::new(pool.clone())).configure(routes::users_config))
        .bind(("127.0.0.1", 8080))?
        .run()
        .await
}
`,
};

const FIND_USER = `pub async fn find_user(pool: web::Data<DbPool>, path: web::Path<i32>) -> actix_web::Result<HttpResponse> {
    let id = path.into_inner();
    let user = web::block(move || {
        let mut conn = pool.get().expect("connection");
        db::user_by_id(&mut conn, id)
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(match user {
        Some(u) => HttpResponse::Ok().json(u),
        None => HttpResponse::NotFound().finish(),
    })
}`;

describe('apps that register handlers with .route()', () => {
  it('reads .route(…) with web::get() and web::route().method(Method::GET).guard(…) inside a configure function’s scope', async () => {
    expect(routeTable(await loadActix(new MemoryFs(FILES)))).toEqual(['GET /api/users -> users::list_users [route]', 'GET /api/users/{id} -> users::get_user [route]']);
  });

  it('actix-router extends the scope’s .route chain in its style, and a second run changes nothing', async () => {
    const r = await run(FILES, { function: 'remove_user', route: 'DELETE /api/users/{id}' });
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['src/routes.rs']);
    expect(r.changeSet!.files[0]!.proposed).toContain(
      '.to(users::get_user))\n            .route("/{id}", web::delete().to(users::remove_user)),\n    );',
    );
    const after = withChanges(FILES, r.changeSet!.files);
    expect(routeTable(await loadActix(new MemoryFs(after)))).toContain('DELETE /api/users/{id} -> users::remove_user [route]');
    const again = await run(after, { function: 'remove_user', route: 'DELETE /api/users/{id}' });
    expect(again.changeSet).toBeUndefined();
    expect(again.diagnostics.map((d) => d.code)).toEqual(['already-registered']);
    // A route the guarded registration already answers is refused.
    const files = { ...FILES, 'src/handlers/users.rs': `${FILES['src/handlers/users.rs']}\npub async fn show_user() -> HttpResponse {\n    HttpResponse::Ok().finish()\n}\n` };
    const taken = await run(files, { function: 'show_user', route: 'GET /api/users/{id}' });
    expect(taken.diagnostics).toEqual([expect.objectContaining({ code: 'route-taken', message: expect.stringContaining('already taken by `get_user` (registered in src/routes.rs:9)') })]);
  });

  it('actix-handler plans a plain function registered with .route in the same scope', async () => {
    const r = await buildHandlerContext({ project: new MemoryFs(FILES), function: 'user_by_id', handler: 'find_user', route: 'GET /api/users/by-id/{id}', request: 'Show a user.' });
    if (!('ctx' in r)) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.ctx).toMatchObject({ registerAs: 'route', attrPath: '/by-id/{id}', file: 'src/handlers/users.rs', site: { fn: 'users_config', scopesInFn: ['/api/users'] } });
    expect(r.ctx.request).toContain('Handler: `find_user`, a plain async fn without a route attribute (registered as .route("/by-id/{id}", web::get().to(find_user)))');
  });

  it('actix-handler: the answer (with or without a stray route attribute) is added as a plain function and registered once with .route', async () => {
    for (const answer of [`\`\`\`rust\n${FIND_USER}\n\`\`\``, `Here it is:\n\`\`\`rust\nuse actix_web::get;\n\n#[get("/users/{id}")]\n${FIND_USER}\n\`\`\``]) {
      model.server().setScript(firstAndReask(answer));
      const r = await actixHandlerMode.run({ project: new MemoryFs(FILES), function: 'user_by_id', handler: 'find_user', route: 'GET /api/users/by-id/{id}', request: 'Show a user.' }, { client: model.client() });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.runs.map((x) => x.outcome)).toEqual(['ok']);
      expect(r.code).not.toMatch(/#\[get/);
      const routes = r.changeSet!.files.find((f) => f.path === 'src/routes.rs')!.proposed;
      expect(routes).toContain('.route("/by-id/{id}", web::get().to(users::find_user)),');
      const after = withChanges(FILES, r.changeSet!.files);
      expect(routeTable(await loadActix(new MemoryFs(after))).filter((x) => x.includes('find_user'))).toEqual(['GET /api/users/by-id/{id} -> users::find_user [route]']);
    }
  });
});
