import type { Diagnostic } from '../core/diagnostics';
import type { RustFileInfo, Span } from './types';

/** HTTP methods an Actix route can be limited to. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'TRACE' | 'CONNECT';
/** `ANY`: the route answers every method (`web::resource(p).to(h)`, `web::to(h)`, `default_service`). */
export type RouteMethod = HttpMethod | 'ANY';

export type ExtractorKind = 'path' | 'json' | 'query' | 'form' | 'data' | 'reqData' | 'request' | 'payload' | 'bytes' | 'string' | 'other';

/** One handler parameter. */
export interface ActixExtractor {
  /** Pattern as written: `path`, `mut body`, `web::Path((a, b))`. */
  pattern: string;
  /** Type as written, whitespace normalised: `web::Path<(i32, String)>`. */
  type: string;
  kind: ExtractorKind;
  /** The type argument: `(i32, String)`, `NewOrder`, `DbPool`. */
  inner?: string;
}

/** `#[get("/orders/{id}")]`, `#[route("/x", method = "GET", method = "HEAD")]`. */
export interface RouteAttr {
  method: RouteMethod;
  path: string;
  /** The macro as written: `get`, `actix_web::post`, `route`. */
  macro: string;
}

export interface ActixHandler {
  name: string;
  file: string;
  /** Rust module path of the file (or inline module): `crate::handlers::orders`. */
  module?: string;
  isAsync: boolean;
  visibility?: string;
  /** Route attribute macros; empty for plain functions registered with `.to(handler)`. */
  routeAttrs: RouteAttr[];
  extractors: ActixExtractor[];
  returnType?: string;
  /** `Type::function` calls in the body, as written (`Order::find`): the model functions it uses. */
  calls: string[];
  /** How many registrations in mounted code name this handler. */
  registrations: number;
  span: Span;
}

export type RouteVia = 'service' | 'route' | 'resource' | 'default';

export interface ActixRoute {
  method: RouteMethod;
  /** Full path with every enclosing scope prefix: `/api/orders/{id}`. */
  path: string;
  /** The handler as the registration names it: `orders::get_order`. */
  handlerRef: string;
  /** The handler's own name (last path segment). */
  handler: string;
  /** Where the handler is defined, when it was found. */
  handlerFile?: string;
  /**
   * `service`: an attribute-macro handler passed to `.service(h)`; `route`: `.route(path,
   * web::get().to(h))`; `resource`: `web::resource(path).route(…)`/`.to(h)`; `default`: `default_service`.
   */
  via: RouteVia;
  /** File and 1-based line of the registration. */
  file: string;
  line: number;
  /** Function the registration is written in (`configure`, `main`). */
  fn?: string;
  /** Module of that function: `crate::handlers`. */
  fnModule?: string;
  /** Literal paths of the `web::scope`s enclosing it inside that function, outermost first. */
  scopesInFn: string[];
  /** False when nothing mounts the code it sits in (a configure function never passed to `.configure`). */
  mounted: boolean;
}

/** A function `fn x(cfg: &mut web::ServiceConfig)`. */
export interface ActixConfigureFn {
  name: string;
  file: string;
  module?: string;
  /** Name of the `ServiceConfig` parameter (`cfg`). */
  param: string;
  /** Full path prefixes it is mounted at (one per `.configure(x)`; empty when never mounted). */
  mountedAt: string[];
  span: Span;
}

/** A place routes can be registered: the App chain, a configure function's root, or a scope. */
export interface ActixSite {
  kind: 'app' | 'configure' | 'scope';
  file: string;
  /** Function it is written in. */
  fn: string;
  fnModule?: string;
  /** Literal scope paths inside `fn` leading to this site (empty for the App / configure root). */
  scopesInFn: string[];
  /** Full path prefix of routes registered here (`/api/v1/books`). */
  prefix: string;
  mounted: boolean;
  line: number;
}

export type MiddlewareKind = 'wrap' | 'wrap_fn' | 'from_fn';

/** A `.wrap(…)` / `.wrap_fn(…)` call. */
export interface ActixMiddlewareUse {
  kind: MiddlewareKind;
  /** The argument as written: `Logger::default()`, `from_fn(auth::check)`, a closure. */
  expr: string;
  /** `from_fn`'s function or the wrapped type's path (`auth::check`, `Logger`). */
  target?: string;
  /** Full path prefix it applies to ('' = the whole app). */
  prefix: string;
  file: string;
  line: number;
  fn?: string;
  mounted: boolean;
}

/** A middleware the project defines. */
export interface ActixMiddlewareDef {
  name: string;
  /** `from_fn`: `async fn (req: ServiceRequest, next: Next<…>)`; `transform`: `impl Transform<S, ServiceRequest> for X`. */
  kind: 'from_fn' | 'transform';
  file: string;
  module?: string;
  span: Span;
}

export interface ActixErrorType {
  name: string;
  kind: 'enum' | 'struct';
  file: string;
  module?: string;
  variants: string[];
  /** The type implements `ResponseError`. */
  responseError: boolean;
  /** Types it converts from (`impl From<T>` and thiserror `#[from]`). */
  from: string[];
}

export type PoolKind = 'r2d2' | 'deadpool' | 'bb8' | 'mobc' | 'unknown';

export interface ActixPool {
  /** The name handlers take in `web::Data<…>`: `DbPool`. */
  name: string;
  /** The alias's target when it is one: `Pool<ConnectionManager<PgConnection>>`. */
  definition?: string;
  file?: string;
  module?: string;
  kind: PoolKind;
  /** `pool.get().await` (deadpool, bb8, mobc) rather than a blocking `pool.get()` inside `web::block`. */
  async: boolean;
}

export interface TypeAlias {
  name: string;
  type: string;
  /** Generic parameters: `type ApiResult<T> = …` → `['T']`. */
  generics?: string[];
  file: string;
  module?: string;
}

/** Shared data the app registers (`.app_data(web::Data::new(x))`, `.data(x)`). */
export interface ActixDataReg {
  /** The registered type when it could be read: `Arc<AppState>`, `DbPool`, `Database`. */
  type?: string;
  expr: string;
  /** Wrapped in `web::Data`, so a `web::Data<type>` extractor finds it. */
  data: boolean;
  file: string;
  line: number;
  /** Scope prefix it is registered on ('' = the whole app). */
  prefix: string;
  mounted: boolean;
}

/** Where an `App::new()` chain is. */
export interface ActixAppSite {
  file: string;
  fn?: string;
  line: number;
}

export interface ActixInfo {
  /** `.rs` files read (project-relative). */
  files: string[];
  apps: ActixAppSite[];
  routes: ActixRoute[];
  handlers: ActixHandler[];
  configureFns: ActixConfigureFn[];
  sites: ActixSite[];
  middleware: ActixMiddlewareUse[];
  middlewareDefs: ActixMiddlewareDef[];
  errorTypes: ActixErrorType[];
  pool?: ActixPool;
  /** Every `.app_data` / `.data` registration. */
  appData: ActixDataReg[];
  typeAliases: TypeAlias[];
  /** What src/rust read of each file (structs, enums, impls, uses). */
  rust: RustFileInfo[];
  diagnostics: Diagnostic[];
}
