import { posix } from 'node:path';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { joinRoutePath, routesCollide, type ActixRoute, type ActixSite, type HttpMethod, type RouteAttr, type RouteMethod } from '../../src/rust';
import type { ActixRegisterOp } from '../../src/pipeline/rust/actixRegisterOp';
import type { ActixProject } from './project';

/**
 * Deterministic route registration: where a handler goes (the scope or configure function its
 * siblings are registered in), how that place names it (`orders::get_order`), and whether its
 * routes are free. No model is involved: this is the part of Actix work code can do exactly.
 */

export interface HandlerRef {
  name: string;
  /** Module of the handler: `crate::handlers::orders`. */
  module?: string;
  file: string;
  /** Route attributes (paths relative to the site it is registered at). */
  routeAttrs: RouteAttr[];
}

export interface RegistrationPlan {
  site: ActixSite;
  /** The handler as the site's function names it. */
  ref: string;
  /** The file the edit goes into (the site's). */
  file: string;
  op: ActixRegisterOp;
  /** Full paths the handler answers once registered. */
  routes: { method: RouteMethod; path: string }[];
}

const SITE_RANK: Record<ActixSite['kind'], number> = { scope: 0, configure: 1, app: 2 };
const sameSite = (a: { file: string; fn?: string; scopesInFn: readonly string[] }, b: { file: string; fn?: string; scopesInFn: readonly string[] }): boolean =>
  a.file === b.file && a.fn === b.fn && a.scopesInFn.length === b.scopesInFn.length && a.scopesInFn.every((s, i) => s === b.scopesInFn[i]);

/** `/api/` → `/api`; `api` → `/api`; `/` → ''. */
export function normalizeScope(scope: string): string {
  const s = `/${scope.trim().replace(/^\/+|\/+$/g, '')}`;
  return s === '/' ? '' : s;
}

/** Every place routes can be registered, one entry per (file, function, scopes) and mount. */
export function registrationSites(ap: ActixProject): ActixSite[] {
  const out: ActixSite[] = [];
  for (const s of ap.actix.sites) if (!out.some((o) => sameSite(o, s) && o.prefix === s.prefix)) out.push(s);
  return out;
}

/**
 * The site a handler in `handlerFile` should be registered at: the requested scope, else where the
 * other handlers of its file (then of its folder) are registered, else the busiest site, else a
 * mounted configure function or the App.
 */
export function chooseSite(ap: ActixProject, opts: { handlerFile: string; scope?: string }): { site: ActixSite } | { diagnostics: Diagnostic[] } {
  const sites = registrationSites(ap);
  const mountedFirst = (a: ActixSite, b: ActixSite): number => Number(b.mounted) - Number(a.mounted) || SITE_RANK[a.kind] - SITE_RANK[b.kind];
  if (opts.scope !== undefined) {
    const want = normalizeScope(opts.scope);
    // A configure function serving the prefix keeps the registration beside its module's other routes.
    const explicitRank: Record<ActixSite['kind'], number> = { configure: 0, scope: 1, app: 2 };
    const hits = sites.filter((s) => s.prefix === want).sort((a, b) => Number(b.mounted) - Number(a.mounted) || explicitRank[a.kind] - explicitRank[b.kind]);
    if (hits[0]) return { site: hits[0] };
    const known = [...new Set(sites.filter((s) => s.mounted).map((s) => s.prefix || '/'))];
    return { diagnostics: [diag('error', 'unknown-scope', `No scope or configure function serves \`${want || '/'}\`.${known.length ? ` Known prefixes: ${known.join(', ')}.` : ''}`)] };
  }
  const routesBy = (pred: (r: ActixRoute) => boolean): ActixSite | undefined => {
    const counts: { site: ActixSite; n: number }[] = [];
    for (const r of ap.actix.routes) {
      if (!r.mounted || r.via === 'default' || !pred(r)) continue;
      const site = sites.find((s) => sameSite(s, r) && s.mounted);
      if (!site) continue;
      const c = counts.find((x) => x.site === site);
      if (c) c.n++;
      else counts.push({ site, n: 1 });
    }
    return counts.sort((a, b) => b.n - a.n || mountedFirst(a.site, b.site))[0]?.site;
  };
  const dir = posix.dirname(opts.handlerFile);
  const site =
    routesBy((r) => r.handlerFile === opts.handlerFile) ??
    routesBy((r) => r.handlerFile !== undefined && posix.dirname(r.handlerFile) === dir && r.via === 'service') ??
    routesBy((r) => r.via === 'service') ??
    // Projects that register plain functions with `.route(…)` only: where the folder's handlers are.
    routesBy((r) => r.handlerFile !== undefined && posix.dirname(r.handlerFile) === dir) ??
    sites.filter((s) => s.mounted && s.kind !== 'scope').sort(mountedFirst)[0] ??
    sites.sort(mountedFirst)[0];
  if (site) return { site };
  return { diagnostics: [diag('error', 'no-registration-site', 'The project has no `App::new()` chain and no `fn …(cfg: &mut web::ServiceConfig)` to register routes in.')] };
}

export type RegisterStyle = 'service' | 'route';

/**
 * How the project registers handlers like the one planned: `route` when the routes of the
 * handler's file (else of the site) are all plain functions given to `.route(path, web::get().to(h))`
 * or `web::resource(path).route(…)`, else `service` (a route attribute and `.service(h)`).
 */
export function registrationStyle(ap: ActixProject, site: ActixSite, handlerFile: string): RegisterStyle {
  const mounted = ap.actix.routes.filter((r) => r.mounted && r.via !== 'default' && r.handler !== '<closure>');
  const ofFile = mounted.filter((r) => r.handlerFile === handlerFile);
  const routes = ofFile.length ? ofFile : mounted.filter((r) => sameSite(r, site));
  return routes.length && routes.every((r) => r.via === 'route' || r.via === 'resource') ? 'route' : 'service';
}

/** `super::x` / `self::x` paths made absolute, seen from `module`. */
function absolute(path: string, module: string): string {
  const segs = path.split('::');
  if (segs[0] !== 'self' && segs[0] !== 'super') return path;
  let base = module.split('::');
  let i = 0;
  if (segs[0] === 'self') i = 1;
  while (segs[i] === 'super') {
    base = base.slice(0, -1);
    i++;
  }
  return [...base, ...segs.slice(i)].join('::');
}

/** How code in `site` names the handler: bare when imported or local, `orders::x` for a child module, else `crate::…::x`. */
export function refFromSite(ap: ActixProject, site: ActixSite, h: { name: string; module?: string }): string {
  const from = site.fnModule;
  if (!h.module || !from || from === h.module) return h.name;
  const full = `${h.module}::${h.name}`;
  const uses = ap.actix.rust.find((f) => f.file === site.file)?.uses.flatMap((u) => u.items ?? [u.path]) ?? [];
  let viaUse: string | undefined;
  for (const u of uses) {
    const alias = / as (\w+)$/.exec(u)?.[1];
    const path = absolute(u.replace(/ as \w+$/, ''), from);
    const bound = alias ?? path.split('::').pop()!;
    if (path === full) return bound;
    if (path.endsWith('::*') && path.slice(0, -3) === h.module) return h.name;
    if (full.startsWith(`${path}::`) && !viaUse) viaUse = `${bound}::${full.slice(path.length + 2)}`;
  }
  if (viaUse) return viaUse;
  if (h.module.startsWith(`${from}::`)) return `${h.module.slice(from.length + 2)}::${h.name}`;
  return full;
}

/** A mounted route (other than the handler itself) that answers the same requests. */
export function routeTakenBy(ap: ActixProject, route: { method: RouteMethod; path: string }, self?: { name: string; file: string }): ActixRoute | undefined {
  return ap.actix.routes.find((r) => r.mounted && r.via !== 'default' && routesCollide(r, route) && !(self && r.handler === self.name && r.handlerFile === self.file));
}

export function takenMessage(route: { method: RouteMethod; path: string }, by: ActixRoute): string {
  return `${route.method} ${route.path} is already taken by \`${by.handler}\` (registered in ${by.file}:${by.line}); choose another path or method.`;
}

/** Mounted registrations of the handler (a handler is found by its name and file). */
export const registrationsOf = (ap: ActixProject, h: { name: string; file: string }): ActixRoute[] =>
  ap.actix.routes.filter((r) => r.mounted && r.handler === h.name && r.handlerFile === h.file);

/**
 * Plans `.service(handler)` at the chosen site, or `.route(path, web::<method>().to(handler))`
 * for a plain function with `plainRoute` (a full path). Refuses taken routes; a handler that is
 * already registered gives `already: true` and no plan.
 */
export function planRegistration(
  ap: ActixProject,
  h: HandlerRef,
  opts: { site: ActixSite; plainRoute?: { method: HttpMethod; path: string } },
): { plan?: RegistrationPlan; already?: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const existing = registrationsOf(ap, h);
  if (existing.length) {
    if (new Set(existing.map((r) => `${r.file}:${r.line}`)).size > 1) {
      diagnostics.push(diag('warning', 'registered-twice', `\`${h.name}\` is registered more than once (${existing.map((r) => `${r.file}:${r.line}`).join(', ')}); Actix answers with the first.`));
    }
    return { already: true, diagnostics };
  }
  const { site } = opts;
  const ref = refFromSite(ap, site, h);
  let op: ActixRegisterOp;
  let routes: { method: RouteMethod; path: string }[];
  if (h.routeAttrs.length) {
    routes = h.routeAttrs.map((a) => ({ method: a.method, path: joinRoutePath(site.prefix, a.path) }));
    op = { op: 'actixRegister', fn: site.fn, scopes: site.scopesInFn, method: 'service', args: ref };
  } else if (opts.plainRoute) {
    const full = joinRoutePath('', opts.plainRoute.path);
    if (site.prefix && !full.startsWith(site.prefix)) {
      diagnostics.push(diag('error', 'route-outside-scope', `${full} is not under ${site.prefix}, where \`${h.name}\` would be registered.`));
      return { diagnostics };
    }
    const rel = full.slice(site.prefix.length);
    routes = [{ method: opts.plainRoute.method, path: full }];
    op = { op: 'actixRegister', fn: site.fn, scopes: site.scopesInFn, method: 'route', args: `${JSON.stringify(rel)}, web::${opts.plainRoute.method.toLowerCase()}().to(${ref})` };
  } else {
    diagnostics.push(diag('error', 'no-route', `\`${h.name}\` has no route attribute (#[get("/path")]); say which route it answers, e.g. --route "GET /orders/{id}".`));
    return { diagnostics };
  }
  for (const r of routes) {
    const by = routeTakenBy(ap, r, h);
    if (by) diagnostics.push(diag('error', 'route-taken', takenMessage(r, by)));
  }
  if (!site.mounted) diagnostics.push(diag('warning', 'site-not-mounted', `\`${site.fn}\` (${site.file}) is not mounted by any \`.configure(…)\`, so routes registered there are not served yet.`));
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { plan: { site, ref, file: site.file, op, routes }, diagnostics };
}
