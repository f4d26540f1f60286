import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { routesCollide, type HttpMethod, type RouteMethod } from '../../src/rust';
import { fileChange } from '../../src/pipeline/rust/applyOps';
import { openActixProject, type ActixProject } from '../actix-common/project';
import { chooseSite, planRegistration, type HandlerRef, type RegistrationPlan } from '../actix-common/register';
import type { ModeInput } from '../../src/pipeline/mode';

/**
 * actix-router, fully deterministic: which handlers to register (named, or every unregistered one
 * of the file), where (their siblings' scope, or the scope asked for), as what (`.service(h)` for
 * attribute-macro handlers, `.route(path, web::get().to(h))` for plain functions). Routes already
 * taken are refused; handlers already registered are skipped, so a second run changes nothing.
 */

const METHOD_WORDS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/i;

export interface RouterTarget {
  /** `/api`: register under this scope. */
  scope?: string;
  /** `GET /orders/{id}` for a plain function. */
  plainRoute?: { method: HttpMethod; path: string };
}

/** Reads `--route` / the request: `GET /x` is a route for a plain function, `/api` a scope. */
export function parseRouterTarget(route: string | undefined, request: string): RouterTarget {
  const text = route?.trim() || request;
  const m = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/[^\s,;"'`]*)/i.exec(text);
  if (m) return { plainRoute: { method: m[1]!.toUpperCase() as HttpMethod, path: m[2]! } };
  const scope = route?.trim() ? /^\/[^\s]*$/.exec(route.trim())?.[0] : /(?:^|\s)(?:under|in|at|inside|scope)\s+[`"']?(\/[\w/{}.-]*)/i.exec(request)?.[1];
  return scope ? { scope } : {};
}

interface Candidate {
  ref: HandlerRef;
}

/** Handler names the input asks for: `--function a,b`, else words of the request that name a handler. */
function requestedNames(ap: ActixProject, input: ModeInput): string[] {
  const listed = (input.function ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().replace(/^.*::/, ''))
    .filter(Boolean);
  if (listed.length) return listed;
  const known = new Set([...ap.actix.handlers.map((h) => h.name), ...ap.actix.rust.flatMap((f) => f.functions.filter((fn) => fn.isAsync).map((fn) => fn.name))]);
  const words = [...input.request.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0]).filter((w) => known.has(w) && !METHOD_WORDS.test(w));
  return [...new Set(words)];
}

function findHandler(ap: ActixProject, name: string, file: string | undefined): { ref?: HandlerRef; diagnostics: Diagnostic[] } {
  const withAttrs = ap.actix.handlers.filter((h) => h.name === name);
  const plain = ap.actix.rust.flatMap((f) =>
    f.functions.filter((fn) => fn.name === name && fn.isAsync && !withAttrs.some((h) => h.file === f.file)).map(() => ({ name, file: f.file!, routeAttrs: [] as HandlerRef['routeAttrs'] })),
  );
  const all: HandlerRef[] = [
    ...withAttrs.map((h) => ({ name: h.name, file: h.file, routeAttrs: h.routeAttrs, ...(h.module ? { module: h.module } : {}) })),
    ...plain.map((p) => {
      const module = ap.moduleOf(p.file);
      return { ...p, ...(module ? { module } : {}) };
    }),
  ];
  const pool = file && all.some((h) => h.file === file) ? all.filter((h) => h.file === file) : all;
  if (!pool.length) return { diagnostics: [diag('error', 'unknown-handler', `No handler \`${name}\` in the crate (an async fn, ideally with #[get("/path")] or similar).`)] };
  if (pool.length > 1) return { diagnostics: [diag('error', 'ambiguous-handler', `Several handlers are called \`${name}\` (${pool.map((h) => h.file).join(', ')}); name the file with --file.`)] };
  return { ref: pool[0]!, diagnostics: [] };
}

export interface RouterPlan {
  ap: ActixProject;
  plans: RegistrationPlan[];
  files: FileChange[];
  /** Handlers that were already registered. */
  skipped: string[];
  diagnostics: Diagnostic[];
}

export async function planRouter(input: ModeInput): Promise<RouterPlan | { diagnostics: Diagnostic[] }> {
  const ap = await openActixProject(input.project);
  const diagnostics: Diagnostic[] = [];
  const target = parseRouterTarget(input.route, input.request);
  // The file the command was invoked on narrows the choice only when it holds handlers.
  const file = input.file && ap.actix.handlers.some((h) => h.file === input.file) ? input.file : undefined;
  let names = requestedNames(ap, input);
  const candidates: Candidate[] = [];
  if (!names.length) {
    // Nothing named: every handler with a route attribute that nothing registers (in the file, if one was given).
    const pool = ap.actix.handlers.filter((h) => h.routeAttrs.length && h.registrations === 0 && (!file || h.file === file));
    names = pool.map((h) => h.name);
    for (const h of pool) candidates.push({ ref: { name: h.name, file: h.file, routeAttrs: h.routeAttrs, ...(h.module ? { module: h.module } : {}) } });
    if (!pool.length) {
      const where = file ? ` in ${file}` : '';
      return { diagnostics: [diag('info', 'nothing-to-register', `Every handler${where} is already registered; name one (--function name) to register a plain function.`)] };
    }
  } else {
    for (const n of names) {
      const found = findHandler(ap, n, file);
      diagnostics.push(...found.diagnostics);
      if (found.ref) candidates.push({ ref: found.ref });
    }
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  const plans: RegistrationPlan[] = [];
  const skipped: string[] = [];
  const claimed: { method: RouteMethod; path: string; by: string }[] = [];
  for (const c of candidates) {
    const chosen = chooseSite(ap, { handlerFile: c.ref.file, ...(target.scope !== undefined ? { scope: target.scope } : {}) });
    if (!('site' in chosen)) {
      diagnostics.push(...chosen.diagnostics);
      break;
    }
    const r = planRegistration(ap, c.ref, { site: chosen.site, ...(target.plainRoute ? { plainRoute: target.plainRoute } : {}) });
    diagnostics.push(...r.diagnostics);
    if (r.already) {
      skipped.push(c.ref.name);
      continue;
    }
    if (!r.plan) continue;
    for (const route of r.plan.routes) {
      const clash = claimed.find((x) => routesCollide(x, route));
      if (clash) diagnostics.push(diag('error', 'route-taken', `${route.method} ${route.path} is claimed by both \`${clash.by}\` and \`${c.ref.name}\`.`));
      claimed.push({ ...route, by: c.ref.name });
    }
    plans.push(r.plan);
  }
  if (skipped.length) diagnostics.push(diag('info', 'already-registered', `Already registered, left as is: ${skipped.map((s) => `\`${s}\``).join(', ')}.`));
  if (hasErrors(diagnostics)) return { diagnostics };

  const byFile = new Map<string, EditOp[]>();
  for (const plan of plans) {
    const ops = byFile.get(plan.file) ?? [];
    if (plan.op.method === 'route' && !ops.some((o) => o.op === 'addUses')) ops.unshift({ op: 'addUses', uses: ['actix_web::web'] });
    ops.push(plan.op);
    byFile.set(plan.file, ops);
  }
  const files: FileChange[] = [];
  for (const [file, ops] of byFile) {
    const original = await input.project.readFile(file);
    if (original === undefined) {
      diagnostics.push(diag('error', 'file-missing', `Cannot read ${file}.`, { file }));
      continue;
    }
    const fc = fileChange(file, original, ops);
    diagnostics.push(...fc.diagnostics);
    if (fc.change.proposed !== original) files.push(fc.change);
  }
  return { ap, plans, files, skipped, diagnostics };
}
