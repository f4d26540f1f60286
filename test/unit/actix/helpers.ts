import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { MemoryProjectFs } from '../../../src/core/projectFs';
import type { ActixInfo, ActixRoute } from '../../../src/rust';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');
export const BAKERY = path.join(FIXTURES, 'bakery');
export const LIBRARY = path.join(FIXTURES, 'actix-library');

/** Installed packages and build output of the sample frontend are not part of the project's text. */
const SKIP = new Set(['node_modules', 'dist', 'target']);

/** Every text file of a fixture project, by project-relative path (for in-memory variants). */
export function fixtureFiles(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const abs = path.join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[path.relative(root, abs).split(path.sep).join('/')] = readFileSync(abs, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** cpSync filter: a fixture copy without installed packages or build output. */
export const withoutBuildDirs = (src: string): boolean => !SKIP.has(path.basename(src));

/** A ProjectFs over an in-memory map of project-relative paths. */
export class MemoryFs extends MemoryProjectFs {
  constructor(files: Record<string, string>) {
    super('/memory', files);
  }
}

/** `GET /api/orders/{id} -> orders::get_order` lines of the mounted routes, sorted, for exact comparisons. */
export function routeTable(info: ActixInfo, all = false): string[] {
  return info.routes
    .filter((r: ActixRoute) => all || r.mounted)
    .map((r) => `${r.method} ${r.path} -> ${r.handlerRef} [${r.via}]`)
    .sort();
}

/** Applies a change set's proposed texts on top of a project's files. */
export function withChanges(files: Record<string, string>, changes: readonly { path: string; proposed: string }[]): Record<string, string> {
  const out = { ...files };
  for (const c of changes) out[c.path] = c.proposed;
  return out;
}

/** A clean handler for `Customer::find` in the bakery, exactly as the mode plans it. */
export const GET_CUSTOMER = `#[get("/customers/{customer_id}")]
pub async fn get_customer(
    pool: web::Data<DbPool>,
    path: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let customer_id = path.into_inner();
    let customer = web::block(move || {
        let mut conn = pool.get().map_err(|e| AppError::Pool(e.to_string()))?;
        Customer::find(&mut conn, customer_id).map_err(AppError::from)
    })
    .await??;
    match customer {
        Some(customer) => Ok(HttpResponse::Ok().json(customer)),
        None => Err(AppError::NotFound),
    }
}`;

/** The expected handler for `app::domains::users::get_profile` in test/fixtures/actix-workspace (its api crate's style). */
export const GET_PROFILE = `#[get("/users/{user_id}")]
pub async fn get_profile(pool: web::Data<DbPool>, path: web::Path<i32>) -> Result<HttpResponse> {
    let user_id = path.into_inner();
    let user = web::block(move || {
        let mut conn = pool.get().expect("a database connection");
        users::get_profile(&mut conn, user_id)
    })
    .await?
    .map_err(error::ErrorInternalServerError)?;
    match user {
        Some(u) => Ok(HttpResponse::Ok().json(u)),
        None => Err(error::ErrorNotFound("no such user")),
    }
}`;
