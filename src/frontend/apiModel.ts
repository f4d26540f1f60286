import { diag, type Diagnostic } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';
import { readOrSkipDeep } from '../rust/parser';
import { classifyExtractor, loadActix, loadProject, routeParams, type ActixExtractor, type ActixInfo, type ActixRoute, type FnSig } from '../rust';
import { baseName, parseRustType, rustTypeText, type RustTypeExpr } from './rustTypeExpr';
import { readSerdeItems, type SerdeItem } from './serdeItems';
import { TsTypeGen } from './tsTypes';

/** One client function: a mounted route with its parameters and types in TypeScript. */
export interface ApiEndpoint {
  /** Client function name: the handler's name in camelCase (`get_order` → `getOrder`). */
  fnName: string;
  method: string;
  /** Full path with scope prefixes: `/api/orders/{id}`. */
  path: string;
  pathParams: { name: string; ts: string }[];
  body?: { ts: string; encoding: 'json' | 'form' };
  query?: string;
  /** TypeScript type of the JSON the route answers with (`null` when it sends no body). */
  response: string;
  /** The Rust type that answer comes from, when it was found. */
  rustResponse?: string;
  handler: string;
  handlerFile?: string;
}

export interface ApiModel {
  endpoints: ApiEndpoint[];
  gen: TsTypeGen;
  actix: ActixInfo;
  serdeItems: SerdeItem[];
  crateDir: string;
  diagnostics: Diagnostic[];
}

const camel = (snake: string): string => snake.replace(/^r#/, '').replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

/** Reads the crate: serde items of every `.rs` file and the Actix routes, then types each route. */
export async function readApiModel(fs: ProjectFs): Promise<ApiModel> {
  const project = await loadProject(fs);
  const crateDir = project.crateDir;
  const actix = await loadActix(fs, { crateDir });
  const texts = new Map<string, string>();
  const serdeItems: SerdeItem[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of actix.files) {
    const text = await fs.readFile(file);
    if (text === undefined) continue;
    texts.set(file, text);
    readOrSkipDeep(file, () => serdeItems.push(...readSerdeItems(text, file)), (d) => diagnostics.push(d));
  }
  const gen = new TsTypeGen(serdeItems);
  const endpoints: ApiEndpoint[] = [];
  const routes = [...actix.routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method) || a.handler.localeCompare(b.handler));
  for (const r of routes) {
    if (!r.mounted) continue;
    if (r.method === 'ANY') {
      diagnostics.push(diag('info', 'route-any-method', `${r.path} (${r.handlerRef}) answers every method; the client has no function for it.`, { file: r.file, line: r.line }));
      continue;
    }
    endpoints.push(typeRoute(r, actix, texts, gen, diagnostics));
  }
  nameUniquely(endpoints);
  if (!actix.routes.length) diagnostics.push(diag('warning', 'no-routes', 'No Actix routes found: the client has no functions.'));
  return { endpoints, gen, actix, serdeItems, crateDir, diagnostics: [...diagnostics, ...gen.diagnostics] };
}

/** The handler's signature: from the Actix reader, else the plain function in the handler's file. */
function handlerSig(r: ActixRoute, actix: ActixInfo): { extractors: ActixExtractor[]; returnType?: string; calls: string[]; span?: FnSig['span']; file?: string } | undefined {
  const h = actix.handlers.find((x) => x.name === r.handler && (!r.handlerFile || x.file === r.handlerFile));
  if (h) return { extractors: h.extractors, ...(h.returnType ? { returnType: h.returnType } : {}), calls: h.calls, span: h.span, file: h.file };
  const file = actix.rust.find((f) => f.file === r.handlerFile);
  const fn = file?.functions.find((f) => f.name === r.handler);
  if (!fn) return undefined;
  return { extractors: fn.params.map((p) => classifyExtractor(p.pattern, p.type)), ...(fn.returnType ? { returnType: fn.returnType } : {}), calls: [], span: fn.span, ...(file?.file ? { file: file.file } : {}) };
}

function typeRoute(r: ActixRoute, actix: ActixInfo, texts: Map<string, string>, gen: TsTypeGen, diagnostics: Diagnostic[]): ApiEndpoint {
  const where = `${r.method} ${r.path}`;
  const names = routeParams(r.path);
  const sig = handlerSig(r, actix);
  const ep: ApiEndpoint = { fnName: camel(r.handler), method: r.method, path: r.path, pathParams: names.map((name) => ({ name, ts: 'string' })), response: 'unknown', handler: r.handlerRef, ...(r.handlerFile ? { handlerFile: r.handlerFile } : {}) };
  if (!sig) {
    diagnostics.push(diag('warning', 'handler-not-found', `${where}: handler \`${r.handlerRef}\` not found; its parameters are strings and its answer \`unknown\`.`, { file: r.file, line: r.line }));
    ep.response = `unknown /* handler ${r.handlerRef} not found */`;
    return ep;
  }
  for (const x of sig.extractors) {
    const inner = x.inner;
    if (!inner) continue;
    if (x.kind === 'path') ep.pathParams = pathParamTypes(names, inner, gen, where);
    else if (x.kind === 'json') ep.body = { ts: gen.tsOfText(inner, `${where} body`), encoding: 'json' };
    else if (x.kind === 'form') ep.body = { ts: gen.tsOfText(inner, `${where} form`), encoding: 'form' };
    else if (x.kind === 'query') ep.query = gen.tsOfText(inner, `${where} query`);
  }
  const body = sig.span && sig.file ? (texts.get(sig.file) ?? '').slice(sig.span.startIndex ?? sig.span.startByte, sig.span.endIndex ?? sig.span.endByte) : '';
  const rust = responseRustType(sig.returnType, sig.calls, body, actix);
  if (rust === null) ep.response = 'null';
  else if (rust === undefined) {
    ep.response = `unknown /* the answer of ${r.handlerRef} could not be read from its code */`;
    diagnostics.push(diag('warning', 'response-type-unknown', `${where}: cannot tell what \`${r.handlerRef}\` answers with (no \`Json<T>\` return type and no model call found); the client returns \`unknown\`.`, { file: r.file, line: r.line }));
  } else {
    ep.rustResponse = rust;
    ep.response = gen.tsOfText(rust, `${where} response`);
  }
  return ep;
}

/** `Path<i32>`, `Path<(i32, String)>` or `Path<Params>` matched to the route's `{names}` in order. */
function pathParamTypes(names: string[], inner: string, gen: TsTypeGen, where: string): ApiEndpoint['pathParams'] {
  const t = parseRustType(inner);
  if (t.kind === 'tuple') return names.map((name, i) => ({ name, ts: t.items[i] ? gen.tsOf(t.items[i], { generics: [], where }) : 'string' }));
  const ts = gen.tsOf(t, { generics: [], where });
  if (names.length === 1 && !/^[A-Z]/.test(ts)) return [{ name: names[0]!, ts }];
  // A struct of path fields: each `{name}` typed by the field of that name.
  return names.map((name) => ({ name, ts: `${ts}[${JSON.stringify(name)}]` }));
}

const RESULT_WRAPPERS = new Set(['Result', 'QueryResult', 'ApiResult', 'AppResult', 'Option', 'Json']);

/** Peels `Result<…>`, `QueryResult<…>`, `Option<…>` and `Json<…>` off a type: what reaches the JSON. */
function unwrapAnswer(t: RustTypeExpr): RustTypeExpr {
  let cur = t;
  while (cur.kind === 'path' && RESULT_WRAPPERS.has(baseName(cur)!) && cur.args[0]) cur = cur.args[0];
  return cur;
}

function findJson(t: RustTypeExpr): RustTypeExpr | undefined {
  if (t.kind !== 'path') return undefined;
  if (baseName(t) === 'Json' && t.args[0]) return t.args[0];
  for (const a of t.args) {
    const f = findJson(a);
    if (f) return f;
  }
  return undefined;
}

/**
 * What the handler sends as JSON, as Rust type text: `Json<T>` in its return type; else, when its
 * body calls `.json(…)`, the value of the model function it calls (`Order::find` → `Order`) or a
 * struct literal passed to `.json(T { … })`. `null`: it sends no JSON body; undefined: unknown.
 */
function responseRustType(returnType: string | undefined, calls: readonly string[], body: string, actix: ActixInfo): string | null | undefined {
  const fromReturn = returnType ? findJson(parseRustType(returnType)) : undefined;
  if (fromReturn) return rustTypeText(unwrapAnswer(fromReturn));
  if (!/\.json\s*\(|Json\s*\(/.test(body)) return null;
  const literal = /\.json\s*\(\s*(?:&\s*)?([A-Z]\w*)\s*\{/.exec(body)?.[1];
  if (literal) return literal;
  for (const call of calls) {
    const [type, fn] = call.split('::').slice(-2);
    const sig = actix.rust.flatMap((f) => f.impls.filter((i) => i.typeName === type && !i.trait).flatMap((i) => i.functions)).find((f) => f.name === fn);
    const answer = answerOf(sig?.returnType);
    if (answer) return answer;
  }
  // Free functions of a module of the crate (`actions::insert_new_user(…)`, `db::orders_of(…)`).
  for (const m of body.matchAll(/\b([a-z_][a-z0-9_]*)::([a-z_][a-z0-9_]*)\s*\(/g)) {
    const [, module, fn] = m;
    const file = actix.rust.find((f) => f.file && moduleNameOf(f.file) === module && f.functions.some((x) => x.name === fn));
    const answer = answerOf(file?.functions.find((x) => x.name === fn)?.returnType);
    if (answer) return answer;
  }
  return undefined;
}

/** The JSON-bound part of a model function's return type; undefined for none or a row count. */
function answerOf(returnType: string | undefined): string | undefined {
  if (!returnType) return undefined;
  const t = unwrapAnswer(parseRustType(returnType));
  if (t.kind === 'path' && baseName(t) === 'usize') return undefined; // row counts of updates/deletes
  return rustTypeText(t);
}

/** `src/models/order_placement.rs` and `src/models/order_placement/mod.rs` → `order_placement`. */
function moduleNameOf(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/');
  const last = parts.pop()!.replace(/\.rs$/, '');
  return last === 'mod' ? (parts.pop() ?? '') : last;
}

/** Two routes of handlers with the same name (or one handler on two routes) get the method appended, then a number. */
function nameUniquely(eps: ApiEndpoint[]): void {
  const count = (n: string): number => eps.filter((e) => e.fnName === n).length;
  for (const e of eps) if (count(e.fnName) > 1) e.fnName = `${e.fnName}${e.method.charAt(0)}${e.method.slice(1).toLowerCase()}`;
  const seen = new Map<string, number>();
  for (const e of eps) {
    const n = (seen.get(e.fnName) ?? 0) + 1;
    seen.set(e.fnName, n);
    if (n > 1) e.fnName = `${e.fnName}${n}`;
  }
}
