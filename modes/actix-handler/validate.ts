import { diag, type Diagnostic } from '../../src/core/diagnostics';
import { readActixFile, routeParams, routeShape, type FnSig, type HttpMethod, type RouteMethod } from '../../src/rust';
import { withRustTree } from '../../src/rust/parser';
import { forEachNode } from '../../src/rust/walk';
import { typeKey } from '../actix-common/dataAccess';
import { codeOnly } from '../diesel-common/imports';
import type { HandlerShape } from './shape';

/**
 * Checks one generated handler against what was planned and what the project has: route,
 * extractors (their types exist, the body derives Deserialize, the pool is the project's), the
 * model call (exists, right arity, blocking vs awaited), status codes, the error type. Every
 * message says what to write instead, so it can go back to the model as is.
 */

export interface HandlerCheckEnv {
  method: HttpMethod;
  /** Route attribute path as planned (relative to the site). */
  attrPath: string;
  /** The user fixed the route: a different one is an error even with the same shape. */
  userRoute: boolean;
  /** `route`: the project registers plain functions with `.route(…)`, so the handler has no route attribute. */
  registerAs?: 'service' | 'route';
  struct: string;
  modelFn: FnSig;
  /** How messages name the function: `db_actions::find_vehicle`, `Customer::find`. */
  fnLabel: string;
  /** What the handler writes to call it: `db_actions::find_vehicle`, `db.get_patient`. */
  callee: string;
  shape: HandlerShape;
  asyncDb: boolean;
  poolName: string;
  /** The planned way into the database: `state: web::Data<Arc<AppState>>` (undefined: the function needs none). */
  access?: { param: string; extractor: string; dataType: string; kind: string; poolExpr?: string; where?: string };
  /** Whether `web::Data<inner>` is registered by the app; undefined when the registrations could not all be read. */
  isRegistered?: (inner: string) => boolean;
  /** Data types the project's handlers already take (accepted even when the registration could not be read). */
  handlerDataTypes: ReadonlySet<string>;
  /** Type names the project's handlers take as extractors (session guards, auth users): accepted. */
  extractorTypes: ReadonlySet<string>;
  /** Functions of a project module by its last segment (`db_actions`), for `module::fn` calls. */
  moduleFns: (module: string) => string[] | undefined;
  /** `Result` in the handler file is `actix_web::Result` (a `use` of the file or the answer). */
  resultIsActix: boolean;
  /** Project aliases: `ApiResult` → `{ generics: ['T'], type: 'Result<T, ApiError>' }`. */
  aliases: ReadonlyMap<string, { generics: string[]; type: string }>;
  /** Every `ResponseError` type of the project. */
  errorTypes: readonly string[];
  /** The project's handlers run Diesel inside `web::block`: a blocking call outside it is an error, else a warning. */
  blockingIsError: boolean;
  error?: { name: string; variants: string[] };
  /** Project types by name: kind and derives. */
  types: ReadonlyMap<string, { kind: string; derives: string[] }>;
  /** Names the target file already has. */
  existingNames: readonly string[];
  /** Functions of a model struct's impl blocks; undefined when `name` is not a model struct. */
  structFns: (name: string) => string[] | undefined;
  /** A message when the route is taken by another handler. */
  routeTaken: (method: RouteMethod, attrPath: string) => string | undefined;
}

const PRIMITIVE = /^(?:i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize|f32|f64|bool|char|String|str)$/;
const KNOWN_GENERIC = new Set(['Option', 'Vec', 'HashMap', 'BTreeMap', 'Box', 'Uuid', 'NaiveDate', 'NaiveDateTime', 'DateTime', 'Utc', 'Value']);
/** Functions Diesel derives or traits give a model struct (not in its impl blocks). */
const DERIVED_FNS = new Set(['as_select', 'as_returning', 'belonging_to', 'table', 'query', 'all_columns', 'construct_selection', 'id', 'default', 'clone', 'from', 'into', 'new']);

/** Top-level comma count + 1 of the text inside balanced parentheses starting at `open`. */
function argsAt(code: string, open: number): { count: number; end: number } {
  let depth = 0;
  let count = 1;
  let empty = true;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return { count: empty ? 0 : count, end: i + 1 };
    } else if (c === ',' && depth === 1) count++;
    else if (depth >= 1 && !/\s/.test(c)) empty = false;
  }
  return { count: empty ? 0 : count, end: code.length };
}

/** Arity of a tuple type `(i32, String)` → 2; anything else → 1. */
function tupleArity(type: string): number {
  const t = type.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) return 1;
  return argsAt(t, 0).count;
}

/** Type names a type mentions: `Vec<Option<Order>>` → Vec, Option, Order. */
const typeNames = (type: string): string[] => [...type.matchAll(/(?:[A-Za-z_]\w*::)*([A-Za-z_]\w*)/g)].map((m) => m[1]!).filter((n) => n !== 'mut' && n !== 'dyn' && n !== 'impl');

/** Byte ranges of `web::block(...)` arguments, where a blocking call is fine. */
function blockRanges(code: string): [number, number][] {
  return withRustTree(code, (tree) => {
    const out: [number, number][] = [];
    forEachNode(tree.rootNode, (n) => {
      if (n.type === 'call_expression' && /^(?:actix_web::)?web::block$/.test(n.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '')) {
        const args = n.childForFieldName('arguments');
        if (args) out.push([args.startIndex, args.endIndex]);
      }
    });
    return out;
  });
}

/** A call of `callee` in code: `db_actions::find_vehicle(` (with or without a path), `db.get_patient(`, `Customer::find(`; never its own `fn` line. */
function callPattern(callee: string): RegExp {
  const esc = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dot = callee.indexOf('.');
  if (dot > 0) return new RegExp(`\\b${esc(callee.slice(0, dot))}\\s*\\.\\s*${esc(callee.slice(dot + 1))}\\s*\\(`, 'g');
  const segs = callee.replace(/^crate::/, '').split('::');
  const name = segs.pop()!;
  const owner = segs.length && /^[A-Z]/.test(segs[segs.length - 1]!) ? segs[segs.length - 1] : undefined;
  if (owner) return new RegExp(`(?:\\b[\\w:]*::)?\\b${esc(owner)}::${esc(name)}\\s*\\(`, 'g');
  return new RegExp(`(?<![\\w.]|fn\\s{1,4})(?:[a-z_]\\w*::)*${esc(name)}\\s*\\(`, 'g');
}

/** Type arguments at depth 0: `A, B<C, D>` → `A`, `B<C, D>`. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** `ApiResult<HttpResponse>` → `Result<HttpResponse, ApiError>`; `Result<HttpResponse>` with `use actix_web::Result` → `Result<HttpResponse, actix_web::Error>`. */
export function resolveReturnType(type: string, env: Pick<HandlerCheckEnv, 'aliases' | 'resultIsActix'>): string {
  let t = type.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 4; i++) {
    const m = /^(?:crate::)?(?:[\w]+::)*(\w+)(?:<([\s\S]*)>)?$/.exec(t);
    const alias = m ? env.aliases.get(m[1]!) : undefined;
    if (!m || !alias) break;
    const args = m[2] ? splitTop(m[2]) : [];
    t = alias.type;
    alias.generics.forEach((g, k) => {
      if (args[k] !== undefined) t = t.replace(new RegExp(`\\b${g}\\b`, 'g'), args[k]!);
    });
  }
  const actixResult = /^(?:actix_web::)Result<([\s\S]+)>$/.exec(t) ?? (env.resultIsActix ? /^Result<([\s\S]+)>$/.exec(t) : null);
  if (actixResult) {
    const args = splitTop(actixResult[1]!);
    if (args.length === 1) return `Result<${args[0]}, actix_web::Error>`;
    return `Result<${args.join(', ')}>`;
  }
  return t;
}

export function validateHandler(code: string, env: HandlerCheckEnv): Diagnostic[] {
  const out: Diagnostic[] = [];
  const read = readActixFile(code, 'src/handler.rs');
  for (const d of read.diagnostics) if (d.severity === 'error') out.push(diag('error', 'parse-error', d.message, { ...(d.line ? { line: d.line } : {}), ...(d.column ? { column: d.column } : {}) }));
  const fn = read.fns[0];
  if (!fn) return [...out, diag('error', 'no-function', 'The answer holds no handler function.')];
  const plannedAttr = `#[${env.method.toLowerCase()}(${JSON.stringify(env.attrPath)})]`;

  if (!fn.isAsync) out.push(diag('error', 'not-async', `Actix handlers are async: write \`pub async fn ${fn.name}(…)\`.`));
  if (env.existingNames.includes(fn.name)) out.push(diag('error', 'duplicate-fn', `The file already has \`${fn.name}\`: name the handler differently.`));

  // Route.
  if (env.registerAs === 'route') {
    if (fn.routeAttrs.length) out.push(diag('error', 'route-attribute', `Remove the route attribute: the handler is registered with .route(${JSON.stringify(env.attrPath)}, web::${env.method.toLowerCase()}().to(${fn.name})) like the others here.`));
  } else if (!fn.routeAttrs.length) out.push(diag('error', 'no-route-attribute', `Put ${plannedAttr} on the line above \`pub async fn ${fn.name}\`.`));
  else if (fn.routeAttrs.length > 1) out.push(diag('error', 'several-routes', `Give the handler exactly one route attribute: ${plannedAttr}.`));
  const attr = env.registerAs === 'route' ? undefined : fn.routeAttrs[0];
  if (attr) {
    if (attr.method !== env.method) out.push(diag('error', 'wrong-method', `The route must be ${plannedAttr}, not #[${attr.macro}(…)].`));
    const sameShape = routeShape(attr.path || '/') === routeShape(env.attrPath || '/');
    if (!sameShape || (env.userRoute && attr.path !== env.attrPath)) out.push(diag('error', 'wrong-route', `The route must be ${plannedAttr} (it was "${attr.path}").`));
    const taken = env.routeTaken(attr.method, attr.path);
    if (taken) out.push(diag('error', 'route-taken', taken));
  }

  // Extractors.
  const routeParamCount = routeParams(attr?.path ?? env.attrPath).length;
  const pathEx = fn.extractors.filter((e) => e.kind === 'path');
  const plannedPath = env.shape.extractors.find((e) => e.pattern === 'path')?.type;
  if (routeParamCount && !pathEx.length) out.push(diag('error', 'path-params', `The route has ${routeParamCount} {…} segment(s): take them with \`path: ${plannedPath ?? 'web::Path<i32>'}\`.`));
  for (const e of pathEx) {
    const arity = tupleArity(e.inner ?? '');
    if (arity !== routeParamCount) out.push(diag('error', 'path-params', `\`${e.type}\` has ${arity} value(s) but the route has ${routeParamCount} {…} segment(s); use \`${plannedPath ?? 'web::Path<…>'}\`.`));
    else if (plannedPath && e.type.replace(/^(?:actix_web::)?web::/, '').replace(/\s+/g, '') !== plannedPath.replace(/^web::/, '').replace(/\s+/g, '')) {
      out.push(diag('error', 'path-type', `\`${e.type}\` does not match what \`${env.fnLabel}\` takes: use \`${plannedPath}\`.`));
    }
  }
  const planned = (p: string): string | undefined => env.shape.extractors.find((e) => e.pattern === p)?.type;
  for (const e of fn.extractors) {
    if ((e.kind === 'json' || e.kind === 'query' || e.kind === 'form') && e.inner) {
      const inner = e.inner.replace(/\s+/g, '');
      const t = env.types.get(inner);
      const isPlannedQuery = env.shape.query?.name === inner;
      if (!t && !isPlannedQuery && !PRIMITIVE.test(inner) && !/^(?:HashMap|serde_json::Value|Value)\b/.test(inner)) {
        out.push(diag('error', 'unknown-type', `\`${e.type}\`: the project has no type \`${inner}\`.${planned(e.kind === 'json' ? 'body' : 'query') ? ` Use \`${planned(e.kind === 'json' ? 'body' : 'query')}\`.` : ''}`));
      } else if (t && !t.derives.includes('Deserialize') && t.kind !== 'alias') {
        out.push(diag('error', 'not-deserialize', `\`${inner}\` does not derive Deserialize, so \`${e.type}\` cannot read it.${planned('body') ? ` Use \`${planned('body')}\`.` : ''}`));
      }
    }
    if (e.kind === 'data' && e.inner) {
      const want = env.access ? ` Take \`${env.access.param}: ${env.access.extractor}\`${env.access.where ? ` (registered in ${env.access.where})` : ''}.` : '';
      if (env.isRegistered) {
        if (!env.isRegistered(e.inner)) out.push(diag('error', 'unregistered-data', `The app never registers \`web::Data<${e.inner}>\`, so every request to this handler would fail with 500.${want}`));
      } else if (env.access && typeKey(e.inner) !== typeKey(env.access.dataType) && !env.handlerDataTypes.has(typeKey(e.inner))) {
        out.push(diag('error', 'wrong-pool-type', `No handler of this project takes \`${e.type}\`.${want}`));
      }
    }
    if (e.kind === 'other' || e.kind === 'reqData') {
      const unknown = typeNames(e.type).filter((n) => /^[A-Z]/.test(n) && !env.types.has(n) && !env.extractorTypes.has(n) && !KNOWN_GENERIC.has(n) && !/^(?:HttpRequest|Payload|Bytes|Json|Path|Query|Form|Data|ReqData|Identity|Session)$/.test(n));
      if (unknown.length) out.push(diag('error', 'unknown-type', `Parameter \`${e.pattern}: ${e.type}\`: the project has no type ${unknown.map((u) => `\`${u}\``).join(', ')}.`));
    }
  }
  if (env.access && !fn.extractors.some((e) => e.kind === 'data')) out.push(diag('error', 'no-pool', `Take \`${env.access.param}: ${env.access.extractor}\`: it is how handlers here reach the database.`));
  for (const p of ['body', 'query'] as const) {
    const want = planned(p);
    const kind = p === 'body' ? 'json' : 'query';
    if (want && !fn.extractors.some((e) => e.kind === kind)) out.push(diag('error', 'missing-extractor', `Take \`${p}: ${want}\`: \`${env.fnLabel}\` needs it.`));
  }

  // The model call.
  const src = codeOnly(code);
  const calls = [...src.matchAll(callPattern(env.callee))];
  const wantArgs = env.modelFn.params.length;
  if (!calls.length) out.push(diag('error', 'model-fn-not-called', `The handler must call \`${env.shape.call}\`.`));
  // Ranges in `src` coordinates: the call matches are offsets into `src`, which is shorter than `code`.
  const blocks = env.asyncDb ? [] : blockRanges(src);
  for (const m of calls) {
    const open = m.index + m[0].length - 1;
    const args = argsAt(src, open);
    if (args.count !== wantArgs) out.push(diag('error', 'wrong-arity', `\`${env.fnLabel}\` takes ${wantArgs} argument(s) (\`${env.modelFn.signature.replace(/^.*?fn\s+/, 'fn ')}\`); call it as \`${env.shape.call}\`.`));
    const awaited = /^\s*\.await\b/.test(src.slice(args.end));
    if (env.asyncDb && env.modelFn.isAsync && !awaited) out.push(diag('error', 'missing-await', `The project uses diesel-async: write \`${env.shape.call}.await\`.`));
    if (!env.modelFn.isAsync) {
      if (awaited) out.push(diag('error', 'await-on-sync', `\`${env.fnLabel}\` is synchronous: do not \`.await\` it; run it inside \`web::block(move || { … })\`.`));
      if (!env.asyncDb && !blocks.some(([a, b]) => m.index >= a && m.index < b)) {
        out.push(diag(env.blockingIsError ? 'error' : 'warning', 'blocking-call', `Synchronous Diesel blocks the server: call \`${env.shape.call}\` inside \`web::block(move || { … })\` and \`.await\` the block.`));
      }
    }
  }
  // Methods of the registered repository that do not exist.
  if (env.access?.kind === 'repo') {
    const fns = env.structFns(env.access.dataType.replace(/^.*::|<.*$/g, '')) ?? [];
    for (const m of src.matchAll(new RegExp(`\\b${env.access.param}\\s*\\.\\s*([a-z_]\\w*)\\s*\\(`, 'g'))) {
      if (fns.length && !fns.includes(m[1]!) && !DERIVED_FNS.has(m[1]!) && !/^(?:get_ref|into_inner|as_ref)$/.test(m[1]!)) {
        out.push(diag('error', 'unknown-model-fn', `\`${env.access.param}.${m[1]}\` does not exist; \`${env.access.dataType}\` has ${fns.map((f) => `\`${f}\``).join(', ')}. Call \`${env.shape.call}\`.`));
      }
    }
  }
  // `module::function(` calls into a project module that has no such function.
  for (const m of src.matchAll(/(?<![\w:])([a-z_]\w*)::([a-z_]\w*)\s*(?:::<[^>]*>)?\s*\(/g)) {
    const fns = env.moduleFns(m[1]!);
    if (fns && !fns.includes(m[2]!)) out.push(diag('error', 'unknown-model-fn', `\`${m[1]}::${m[2]}\` does not exist; \`${m[1]}\` has ${fns.slice(0, 12).map((f) => `\`${f}\``).join(', ')}. Call \`${env.shape.call}\`.`));
  }
  for (const m of src.matchAll(/\b([A-Z]\w*)::([a-z_]\w*)\s*(?:::<[^>]*>)?\s*\(/g)) {
    const fns = env.structFns(m[1]!);
    if (fns && !fns.includes(m[2]!) && !DERIVED_FNS.has(m[2]!)) {
      out.push(diag('error', 'unknown-model-fn', `\`${m[1]}::${m[2]}\` does not exist; \`${m[1]}\` has ${fns.length ? fns.map((f) => `\`${f}\``).join(', ') : 'no functions'}. Call \`${env.shape.call}\`.`));
    }
  }
  if (env.asyncDb) {
    if (/\bweb::block\s*\(/.test(src)) out.push(diag('error', 'block-in-async', 'With diesel-async do not use `web::block`: `let mut conn = pool.get().await…?;` then await the query.'));
    const poolExpr = env.access?.kind === 'repo' ? undefined : (env.access?.poolExpr ?? 'pool');
    if (poolExpr && new RegExp(`\\b${poolExpr.replace(/\./g, '\\s*\\.\\s*')}\\s*\\.\\s*get\\s*\\(\\s*\\)(?!\\s*\\.await)`).test(src)) out.push(diag('error', 'missing-await', `The pool is async: write \`${poolExpr}.get().await\`.`));
  }

  // Responses.
  if (env.shape.status === 201 && !/HttpResponse::Created\s*\(\)/.test(src)) out.push(diag('error', 'status-created', 'A create answers `HttpResponse::Created().json(…)` (201).'));
  if (env.shape.status === 204 && !/HttpResponse::NoContent\s*\(\)/.test(src)) out.push(diag('error', 'status-no-content', 'Answer `HttpResponse::NoContent().finish()` (204).'));
  if (env.shape.status === 200 && !/HttpResponse::Ok\s*\(\)\s*\.json\s*\(|web::Json\s*\(/.test(src)) out.push(diag('error', 'no-json-response', 'Answer the value as JSON: `Ok(HttpResponse::Ok().json(value))`.'));
  if (env.shape.notFound) {
    const handles = env.shape.returns.kind === 'option' ? /\bNone\b|\.ok_or(?:_else)?\s*\(|NotFound/.test(src) : /==\s*0\b|\b0\s*=>|NotFound/.test(src);
    if (!handles) {
      const what = env.shape.returns.kind === 'option' ? 'the result is None' : 'no row was changed (0)';
      const how = env.error ? `\`Err(${env.error.name}::NotFound)\`` : '`Err(actix_web::error::ErrorNotFound("…"))`';
      out.push(diag('error', 'missing-404', `Answer 404 when ${what}: return ${how}.`));
    }
  }

  // Return type, with `use actix_web::Result` and project aliases (`ApiResult<T>`) resolved first.
  if (fn.returnType) {
    const ret = resolveReturnType(fn.returnType, env);
    const okType = /^(?:(?:actix_web::)?HttpResponse|impl\s*Responder|(?:actix_web::)?(?:web::)?Json<[\s\S]+>)$/;
    const m = /^(?:std::result::)?Result<([\s\S]+)>$/.exec(ret);
    const args = m ? splitTop(m[1]!) : undefined;
    const want = `Return \`Result<HttpResponse, ${env.error?.name ?? 'actix_web::Error'}>\`${env.resultIsActix ? ' (or `Result<HttpResponse>`)' : ''}.`;
    if (!m && !okType.test(ret)) out.push(diag('error', 'return-type', `\`${fn.returnType}\` is not a response type. ${want}`));
    else if (args && args.length !== 2) out.push(diag('error', 'return-type', `\`${fn.returnType}\` needs an error type here (\`Result\` is the standard one in this file). ${want}`));
    else if (args) {
      if (!okType.test(args[0]!)) out.push(diag('error', 'return-type', `\`${fn.returnType}\` does not answer with a response. ${want}`));
      const errType = args[1]!;
      const last = errType.split('::').pop()!;
      const ok = env.errorTypes.includes(last) || /^(?:actix_web::)?(?:error::)?Error$/.test(errType);
      if (!ok) out.push(diag('error', 'unknown-error-type', `\`${errType}\` is not an error type Actix can answer with here: return \`Result<HttpResponse, ${env.error?.name ?? 'actix_web::Error'}>\`.`));
    }
  }
  if (env.error) {
    for (const m of src.matchAll(new RegExp(`\\b${env.error.name}::([A-Z]\\w*)`, 'g'))) {
      if (env.error.variants.length && !env.error.variants.includes(m[1]!)) {
        out.push(diag('error', 'unknown-variant', `\`${env.error.name}::${m[1]}\` does not exist; the variants are ${env.error.variants.map((v) => `\`${v}\``).join(', ')}.`));
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.code}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
