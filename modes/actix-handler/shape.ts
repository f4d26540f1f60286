import type { FnSig, HttpMethod, Table } from '../../src/rust';
import { pascalCase, pluralWord, singularWord } from '../diesel-common/naming';

/**
 * What a handler for one Diesel model function must look like, decided from the function's name,
 * parameters and return type alone: HTTP method, route, extractors, the exact call, the status
 * codes. The model then only writes boilerplate around a call it is told verbatim.
 */

export type HandlerVerb = 'get' | 'list' | 'create' | 'update' | 'delete' | 'count' | 'action';
export type ReturnKind = 'option' | 'vec' | 'one' | 'count' | 'rows' | 'unit' | 'other';

export interface ParamPlan {
  name: string;
  /** Type in the model function: `i32`, `&NewOrder`, `&str`. */
  type: string;
  source: 'path' | 'json' | 'query';
  /** Owned type for the extractor: `i32`, `NewOrder`, `String`. */
  owned: string;
  /** The argument in the call: `order_id`, `&new_order`, `&query.email`, `query.limit`. */
  arg: string;
}

export interface QueryStruct {
  name: string;
  fields: { name: string; type: string }[];
  code: string;
}

export interface HandlerShape {
  verb: HandlerVerb;
  method: HttpMethod;
  /** Route from the table root: `/customers/{customer_id}/orders`, `/orders/{order_id}`. */
  fullPath: string;
  params: ParamPlan[];
  /** The model call exactly as the handler must write it. */
  call: string;
  returns: { kind: ReturnKind; type: string };
  /** `200`, `201`, `204`. */
  status: 200 | 201 | 204;
  /** 404 on None / 0 rows. */
  notFound: boolean;
  name: string;
  /** A `Deserialize` struct for the query parameters, when there are any. */
  query?: QueryStruct;
  /** Extractor parameters the handler takes, in order (after the pool). */
  extractors: { pattern: string; type: string }[];
}

const VERBS: [RegExp, HandlerVerb][] = [
  [/^(?:find|get|fetch|load|one|by|show|read)$/, 'get'],
  [/^(?:list|all|search|recent|latest|filter|top|page|paginate)$/, 'list'],
  [/^(?:create|insert|add|new|register|save)$/, 'create'],
  [/^(?:update|edit|change|modify|rename|replace)$/, 'update'],
  [/^(?:delete|remove|destroy|drop|purge)$/, 'delete'],
  [/^count$/, 'count'],
];
const ID_TYPES = /^(?:i16|i32|i64|u32|u64|Uuid|uuid::Uuid)$/;

/** `QueryResult<Option<Order>>` → option `Order`. */
export function returnKind(returnType: string | undefined): { kind: ReturnKind; type: string } {
  const inner = /^(?:diesel::)?(?:QueryResult|Result)<\s*([\s\S]+?)\s*(?:,[^<>]*)?>$/.exec(returnType ?? '')?.[1] ?? returnType ?? '()';
  const opt = /^Option<([\s\S]+)>$/.exec(inner);
  if (opt) return { kind: 'option', type: opt[1]! };
  const vec = /^Vec<([\s\S]+)>$/.exec(inner);
  if (vec) return { kind: 'vec', type: vec[1]! };
  if (inner === 'usize') return { kind: 'rows', type: inner };
  if (/^(?:i64|i32|u64)$/.test(inner)) return { kind: 'count', type: inner };
  if (inner === '()' || inner === '') return { kind: 'unit', type: '()' };
  if (/^[A-Z]\w*$/.test(inner)) return { kind: 'one', type: inner };
  return { kind: 'other', type: inner };
}

function verbOf(fnName: string, ret: ReturnKind): HandlerVerb {
  const first = fnName.split('_')[0] ?? '';
  const hit = VERBS.find(([re]) => re.test(first))?.[1];
  if (hit === 'get' && ret === 'vec') return 'list';
  if (hit) return hit;
  if (ret === 'vec') return 'list';
  if (ret === 'option') return 'get';
  return 'action';
}

const isConn = (p: { pattern: string; type: string }): boolean => /Connection\b|\bconn$/.test(`${p.type} ${p.pattern}`) && /&\s*mut/.test(p.type);
const kebab = (words: readonly string[]): string => words.join('-');

/** The table an `<x>_id` parameter points to (`customer_id` → `customers`), if the schema has it. */
function tableOfId(param: string, tables: readonly Table[]): string | undefined {
  const base = /^(\w+?)_id$/.exec(param)?.[1];
  if (!base) return undefined;
  const cands = [pluralWord(base), base, `${base}s`];
  return tables.find((t) => cands.includes(t.name))?.name;
}

export interface ShapeInput {
  fn: FnSig;
  struct: string;
  table: Table;
  tables: readonly Table[];
  /** Project struct names (a struct parameter becomes the JSON body). */
  isProjectStruct: (name: string) => boolean;
  /** How the handler names the function (`db_actions::find_vehicle`, `db.get_patient`); default `Struct::fn`. */
  callee?: string;
  /** Arguments the handler passes for the connection or pool parameter, by its position. */
  connArgs?: ReadonlyMap<number, string>;
}

export function handlerShape(input: ShapeInput): HandlerShape {
  const { fn, table } = input;
  const returns = returnKind(fn.returnType);
  const verb = verbOf(fn.name, returns.kind);
  const own = singularWord(table.name);
  const params = fn.params.filter((p, i) => (input.connArgs ? !input.connArgs.has(i) : !isConn(p)));
  const plans: ParamPlan[] = [];
  let ownIdUsed = false;
  const prefixSegs: string[] = [];
  const idSegs: string[] = [];
  for (const p of params) {
    const name = p.pattern.replace(/^mut\s+/, '');
    const bare = p.type.replace(/^&\s*(?:'\w+\s+)?(?:mut\s+)?/, '');
    if (input.isProjectStruct(bare.replace(/<.*$/, '')) && !ID_TYPES.test(bare)) {
      const local = name;
      plans.push({ name, type: p.type, source: 'json', owned: bare, arg: p.type.startsWith('&') ? `&${local}` : local });
      continue;
    }
    if (ID_TYPES.test(bare) && /(?:^|_)id$/.test(name)) {
      const other = tableOfId(name, input.tables);
      if (other && other !== table.name) prefixSegs.push(other, `{${name}}`);
      else if (!ownIdUsed) {
        ownIdUsed = true;
        idSegs.push(`{${name}}`);
      } else idSegs.push(`{${name}}`);
      plans.push({ name, type: p.type, source: 'path', owned: bare, arg: name });
      continue;
    }
    const owned = bare === 'str' ? 'String' : bare.replace(/^&\s*\[(.+)\]$/, 'Vec<$1>');
    const byRef = p.type.startsWith('&');
    plans.push({ name, type: p.type, source: 'query', owned, arg: `${byRef ? '&' : ''}query.${name}` });
  }

  // Words of the function name that say more than the verb and the table: `list_overdue` → overdue.
  const consumed = new Set([table.name, own, ...table.name.split('_'), ...own.split('_'), ...plans.filter((p) => p.source !== 'query').flatMap((p) => [p.name, p.name.replace(/_id$/, '')])]);
  const words = fn.name.split('_').filter(Boolean);
  const verbWord = words[0] ?? '';
  // `search_title` keeps its verb in the path (`/books/search-title`); `list`/`find`/`create`… say nothing the method does not.
  const keepVerb = verb === 'action' || (verb === 'list' && /^(?:search|recent|latest|filter|top|page|paginate)$/.test(verbWord));
  let rest = words.slice(VERBS.some(([re]) => re.test(verbWord)) && !keepVerb ? 1 : 0);
  // `list_all`, `get_all`, `find_all`: "all" is what a list route means anyway (no `/customers/all`).
  if (verb === 'list' && rest[0] === 'all') rest = rest.slice(1);
  rest = rest.filter((w, i) => !consumed.has(w) && !((w === 'for' || w === 'of' || w === 'by') && (!rest[i + 1] || consumed.has(rest[i + 1]!))));
  if (verb === 'get' && !rest.length && plans.some((p) => p.source === 'query')) rest = ['by', ...plans.filter((p) => p.source === 'query').map((p) => p.name)];
  const base = prefixSegs.length ? [...prefixSegs, table.name] : [table.name];
  const segs = [...base, ...idSegs];
  if (rest.length) segs.push(kebab(rest));
  if (verb === 'count' && !rest.length) segs.push('count');
  const method: HttpMethod = verb === 'create' ? 'POST' : verb === 'update' ? 'PUT' : verb === 'delete' ? 'DELETE' : verb === 'action' ? 'POST' : 'GET';

  const status = verb === 'create' && returns.kind !== 'rows' ? 201 : returns.kind === 'rows' || returns.kind === 'unit' ? 204 : 200;
  const notFound = returns.kind === 'option' || (returns.kind === 'rows' && (verb === 'delete' || verb === 'update' || verb === 'action'));
  const name = handlerName(fn.name, verb, own, table.name);
  const queryParams = plans.filter((p) => p.source === 'query');
  const query = queryParams.length ? queryStruct(name, queryParams) : undefined;
  const extractors: { pattern: string; type: string }[] = [];
  // Actix fills a tuple `web::Path` by segment position, so the tuple follows the route.
  const pathParams = plans.filter((p) => p.source === 'path').sort((a, b) => segs.indexOf(`{${a.name}}`) - segs.indexOf(`{${b.name}}`));
  if (pathParams.length === 1) extractors.push({ pattern: 'path', type: `web::Path<${pathParams[0]!.owned}>` });
  else if (pathParams.length > 1) extractors.push({ pattern: 'path', type: `web::Path<(${pathParams.map((p) => p.owned).join(', ')})>` });
  if (query) extractors.push({ pattern: 'query', type: `web::Query<${query.name}>` });
  const body = plans.find((p) => p.source === 'json');
  if (body) extractors.push({ pattern: 'body', type: `web::Json<${body.owned}>` });
  let args = ['&mut conn', ...plans.map((p) => p.arg)];
  if (input.connArgs) {
    const rest = plans.map((p) => p.arg);
    args = fn.params.map((_, i) => input.connArgs!.get(i) ?? rest.shift() ?? '');
  }
  const call = `${input.callee ?? `${input.struct}::${fn.name}`}(${args.join(', ')})`;
  return { verb, method, fullPath: `/${segs.join('/')}`, params: plans, call, returns, status, notFound, name, ...(query ? { query } : {}), extractors };
}

function handlerName(fnName: string, verb: HandlerVerb, own: string, table: string): string {
  // `list_all` / `get_all` → `list_customers`, not `list_customers_all`.
  const words = verb === 'list' && fnName.split('_')[1] === 'all' ? fnName.split('_').filter((w, i) => i !== 1) : fnName.split('_');
  if (words.includes(own) || words.includes(table) || fnName.includes(table)) return fnName;
  // `for_room`, `by_email`: a list or lookup named by what it is filtered on.
  if (/^(?:for|of|by|with|in)$/.test(words[0] ?? '')) return `${verb === 'get' ? `get_${own}` : `list_${table}`}_${fnName}`;
  const rest = words.slice(1);
  const tail = rest.length ? `_${rest.join('_')}` : '';
  switch (verb) {
    case 'get':
      return `get_${own}${tail}`;
    case 'list':
      return words[0] === 'list' || words[0] === 'all' ? `list_${table}${tail}` : `${words[0]}_${table}${tail}`;
    case 'count':
      return `count_${table}${tail}`;
    case 'create':
    case 'update':
    case 'delete':
      return `${verb}_${own}${tail}`;
    default:
      return `${words[0]}_${own}${tail}`;
  }
}

function queryStruct(handler: string, params: readonly ParamPlan[]): QueryStruct {
  const name = `${pascalCase(handler)}Query`;
  const fields = params.map((p) => ({ name: p.name, type: p.owned }));
  const code = `#[derive(Debug, Deserialize)]\npub struct ${name} {\n${fields.map((f) => `    pub ${f.name}: ${f.type},`).join('\n')}\n}`;
  return { name, fields, code };
}

/**
 * The route relative to the site it is registered at: `/books/{id}` under `/api/books` → `/{id}`;
 * `/patients/{patient_id}/appointments` under `/api/patients` → `/{patient_id}/appointments`.
 */
export function relativeRoute(fullPath: string, sitePrefix: string, table: string): string {
  for (const seg of [table, fullPath.split('/')[1] ?? '']) {
    const tail = `/${seg}`;
    if (seg && sitePrefix.endsWith(tail) && (fullPath === tail || fullPath.startsWith(`${tail}/`))) return fullPath.slice(tail.length);
  }
  return fullPath;
}

/** The sentence the model gets about what the response must be. */
export function responseRule(shape: HandlerShape): string {
  if (shape.status === 201) return 'Answer 201 Created with the JSON.';
  if (shape.status === 204) return shape.notFound ? `Answer 204 No Content; 404 when 0 rows were ${shape.verb === 'delete' ? 'deleted' : 'changed'}.` : 'Answer 204 No Content.';
  return shape.notFound ? 'Answer 200 with the JSON; 404 when the result is None.' : 'Answer 200 with the JSON.';
}
