import type { Node } from 'web-tree-sitter';
import type { Diagnostic } from '../core/diagnostics';
import type { ActixExtractor, ExtractorKind, HttpMethod, MiddlewareKind, RouteAttr, RouteMethod, TypeAlias } from './actixTypes';
import { dataReg, type DataReg, type LetBinding } from './actixData';
import { lastSegment, leadingAttrs, type Meta } from './attrs';
import { normalizeType, parseRustFile } from './models';
import { readOrSkipDeep, withRustTree } from './parser';
import { SpanMaker } from './spans';
import { forEachNode } from './walk';
import { collapse, unquote } from './tokens';
import type { RustFileInfo, Span } from './types';

/**
 * Reads one Rust file for Actix Web: functions (with route attributes and extractors), the
 * registration chains of `App::new()`, configure functions and scope factories as raw trees, type
 * aliases, `ResponseError`/`Transform`/`From` impls. Cross-file resolution (which handler a
 * `.service(orders::get)` names, full paths through `.configure`) happens in ./actix. Never throws
 * on bad Rust: tree-sitter recovers and the file's syntax errors come back as diagnostics.
 */

/** One step of a registration chain, before handler and configure references are resolved. */
export type RawReg =
  | { kind: 'service'; ref: string; line: number }
  /** `.service(books::scope())`: a project function that returns a scope or resource. */
  | { kind: 'factory'; ref: string; line: number }
  | { kind: 'scope'; path: string; regs: RawReg[]; line: number }
  | { kind: 'resource'; path: string; routes: { method: RouteMethod; ref: string; line: number }[]; line: number }
  | { kind: 'route'; path: string; method: RouteMethod; ref: string; line: number }
  | { kind: 'configure'; ref: string; line: number }
  | { kind: 'wrap'; mw: MiddlewareKind; expr: string; target?: string; line: number }
  /** `.app_data(web::Data::new(x))` / `.data(x)`: shared data handlers extract. */
  | { kind: 'data'; reg: DataReg; line: number }
  | { kind: 'default'; ref: string; line: number };

export interface RawRoot {
  /** `app`: an `App::new()` chain; `configure`: a configure function's body; `factory`: a function returning a scope. */
  kind: 'app' | 'configure' | 'factory';
  fn: string;
  fnModule?: string;
  regs: RawReg[];
  line: number;
}

export interface FnRead {
  name: string;
  module?: string;
  file: string;
  isAsync: boolean;
  visibility?: string;
  routeAttrs: RouteAttr[];
  extractors: ActixExtractor[];
  returnType?: string;
  calls: string[];
  /** Name of the `&mut ServiceConfig` parameter when this is a configure function. */
  configureParam?: string;
  /** Shaped like a `middleware::from_fn` function: `(ServiceRequest, Next<…>)`. */
  fromFnMiddleware: boolean;
  span: Span;
}

export interface ActixFileRead {
  file: string;
  module?: string;
  fns: FnRead[];
  roots: RawRoot[];
  /** Expanded `use` items per module path (inline modules have their own). */
  uses: Map<string, string[]>;
  /** Inline `mod x { … }` modules declared in the file. */
  modules: string[];
  typeAliases: TypeAlias[];
  transforms: { name: string; module?: string; span: Span }[];
  responseErrors: string[];
  fromImpls: { target: string; from: string }[];
  /** thiserror `#[from]` sources per enum. */
  fromAttrs: { target: string; from: string }[];
  rust: RustFileInfo;
  diagnostics: Diagnostic[];
}

const METHODS: Record<string, HttpMethod> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  head: 'HEAD',
  options: 'OPTIONS',
  trace: 'TRACE',
  connect: 'CONNECT',
};
const GUARDS: Record<string, HttpMethod> = Object.fromEntries(Object.values(METHODS).map((m) => [m[0] + m.slice(1).toLowerCase(), m]));
const TEST_ATTR = /^(?:test|(?:actix_web|actix_rt|tokio)::test)\b/;

/**
 * Rust module path of a crate file: `src/handlers/orders.rs` → `crate::handlers::orders`. `root`
 * names the crate as the code that uses it does: `crate` inside it, its name from another crate of
 * the workspace (`app::domains::users`).
 */
export function moduleOfFile(file: string, crateDir: string, root = 'crate'): string | undefined {
  const src = crateDir ? `${crateDir}/src/` : 'src/';
  if (!file.startsWith(src) || !file.endsWith('.rs')) return undefined;
  const parts = file.slice(src.length, -3).split('/');
  if (parts[parts.length - 1] === 'mod') parts.pop();
  if (parts.length === 1 && (parts[0] === 'main' || parts[0] === 'lib')) return root;
  if (parts[0] === 'bin' || parts.some((p) => !/^[A-Za-z_]\w*$/.test(p))) return undefined;
  return [root, ...parts].join('::');
}

const named = (n: Node | null): Node[] => (n ? n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'line_comment' && c.type !== 'block_comment') : []);
const lineOf = (n: Node): number => n.startPosition.row + 1;
const compact = (s: string): string => s.replace(/\s+/g, '');

/** The string a literal node holds; other expressions (a `const`) come back as `<NAME>`. */
function literal(n: Node | undefined): string {
  if (!n) return '';
  if (n.type === 'string_literal' || n.type === 'raw_string_literal') return unquote(n.text);
  if (n.type === 'array_expression') return literal(named(n)[0]);
  return `<${collapse(n.text)}>`;
}

/** The Meta list item that is a string literal (`"/path"`), unquoted. */
function metaString(m: Meta | undefined): string | undefined {
  if (!m || m.path) return undefined;
  return /^(?:r#*)?"/.test(m.text) ? unquote(m.text) : undefined;
}

export function routeAttrsOf(metas: readonly Meta[]): RouteAttr[] {
  const out: RouteAttr[] = [];
  for (const m of metas) {
    const name = lastSegment(m.path);
    const prefix = m.path.includes('::') ? m.path.slice(0, m.path.lastIndexOf('::')) : '';
    if (prefix && prefix !== 'actix_web' && prefix !== '::actix_web') continue;
    const path = metaString(m.list?.[0]);
    if (path === undefined) continue;
    if (METHODS[name]) out.push({ method: METHODS[name], path, macro: m.path });
    else if (name === 'route') {
      const methods = (m.list ?? []).filter((x) => x.path === 'method' && x.value).map((x) => x.value!.toUpperCase());
      if (!methods.length) out.push({ method: 'ANY', path, macro: m.path });
      for (const me of methods) if (Object.values(METHODS).includes(me as HttpMethod)) out.push({ method: me as HttpMethod, path, macro: m.path });
    }
  }
  return out;
}

const EXTRACTORS: Record<string, ExtractorKind> = {
  Path: 'path',
  Json: 'json',
  Query: 'query',
  Form: 'form',
  Data: 'data',
  ReqData: 'reqData',
  HttpRequest: 'request',
  Payload: 'payload',
  Bytes: 'bytes',
  String: 'string',
};

/** Classifies a handler parameter type: `web::Json<NewOrder>` → json, inner `NewOrder`. */
export function classifyExtractor(pattern: string, type: string): ActixExtractor {
  const t = type.replace(/^&\s*/, '').replace(/^(?:::)?actix_web::/, '').replace(/^web::/, '');
  const m = /^(\w+)\s*(?:<([\s\S]*)>)?$/.exec(t);
  const kind = (m && EXTRACTORS[m[1]!]) ?? 'other';
  const inner = m?.[2]?.trim();
  return { pattern, type, kind, ...(inner ? { inner } : {}) };
}

/** Call chain `base.a(x).b(y)`: the base expression and the calls in source order. */
interface Chain {
  base: Node;
  calls: { name: string; args: Node[]; node: Node }[];
}

function chainOf(node: Node): Chain {
  const calls: Chain['calls'] = [];
  let cur: Node = node;
  for (;;) {
    if (cur.type === 'call_expression') {
      const fn = cur.childForFieldName('function');
      if (fn?.type === 'field_expression') {
        const value = fn.childForFieldName('value');
        calls.unshift({ name: fn.childForFieldName('field')?.text ?? '', args: named(cur.childForFieldName('arguments')), node: cur });
        if (!value) break;
        cur = value;
        continue;
      }
    } else if (cur.type === 'parenthesized_expression' && named(cur)[0]) {
      cur = named(cur)[0]!;
      continue;
    }
    break;
  }
  return { base: cur, calls };
}

/** `web::scope`, `actix_web::web::scope`, `Scope::new` → `scope`; for plain calls only. */
function callPath(n: Node): string | undefined {
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  if (!fn || fn.type === 'field_expression') return undefined;
  return compact(fn.type === 'generic_function' ? (fn.childForFieldName('function')?.text ?? fn.text) : fn.text).replace(/^::/, '');
}

/**
 * The call ends its chain: nothing calls a method on it. A dangling `.service` left by a syntax
 * error (a field access that is never called) also ends it, so broken files keep their chains.
 */
function isChainEnd(n: Node): boolean {
  const p = n.parent;
  if (p?.type !== 'field_expression' || !p.childForFieldName('value')?.equals(n)) return true;
  const call = p.parent;
  return !(call?.type === 'call_expression' && call.childForFieldName('function')?.equals(p));
}

const isPathLike = (n: Node): boolean => n.type === 'identifier' || n.type === 'scoped_identifier' || n.type === 'self' || n.type === 'crate';

function baseKind(path: string | undefined): 'app' | 'scope' | 'resource' | 'route' | 'to' | undefined {
  if (!path) return undefined;
  const p = path.replace(/^actix_web::/, '');
  if (/(?:^|::)App::new$/.test(p)) return 'app';
  if (p === 'web::scope' || p === 'Scope::new' || p === 'scope') return 'scope';
  if (p === 'web::resource' || p === 'Resource::new' || p === 'resource') return 'resource';
  if (/^web::(?:get|post|put|patch|delete|head|trace|method|route)$/.test(p) || p === 'Route::new') return 'route';
  if (p === 'web::to') return 'to';
  return undefined;
}

/** What a middleware argument wraps: `from_fn(auth::check)` → from_fn `auth::check`; `Logger::default()` → `Logger`. */
function middlewareOf(arg: Node): { mw: MiddlewareKind; target?: string } {
  const path = callPath(arg);
  if (path && /(?:^|::)from_fn$/.test(path)) {
    const a = named(arg.childForFieldName('arguments'))[0];
    return { mw: 'from_fn', ...(a ? { target: compact(a.text) } : {}) };
  }
  if (path) {
    const segs = path.split('::');
    const typeEnd = segs.findIndex((s) => /^[A-Z]/.test(s));
    return { mw: 'wrap', target: typeEnd >= 0 ? segs.slice(0, typeEnd + 1).join('::') : path };
  }
  const { base } = chainOf(arg);
  const bp = callPath(base);
  if (bp) return middlewareOf(base);
  return { mw: 'wrap', ...(isPathLike(arg) ? { target: compact(arg.text) } : {}) };
}

class FileWalker {
  readonly out: ActixFileRead;
  private readonly spans: SpanMaker;
  /** `let` bindings of the function being read, so `cfg.service(scope)` finds what `scope` is. */
  private lets = new Map<string, Node>();
  /** The same bindings with their written types, for what `.app_data(x)` registers. */
  private letTypes = new Map<string, LetBinding>();
  private depth = 0;

  constructor(
    private readonly src: string,
    file: string,
    crateDir: string,
    root: string,
  ) {
    this.spans = new SpanMaker(src);
    const module = moduleOfFile(file, crateDir, root);
    this.out = {
      file,
      ...(module ? { module } : {}),
      fns: [],
      roots: [],
      uses: new Map(),
      modules: [],
      typeAliases: [],
      transforms: [],
      responseErrors: [],
      fromImpls: [],
      fromAttrs: [],
      rust: parseRustFile(src, file),
      diagnostics: [],
    };
  }

  private isTest(node: Node): boolean {
    return leadingAttrs(node, this.src).metas.some((m) => (m.path === 'cfg' && m.list?.some((x) => x.path === 'test')) || TEST_ATTR.test(m.path));
  }

  /** Module items; `ranges` collects inline modules so `use`s can be assigned to them. */
  readItems(container: Node, module: string | undefined, ranges: { module: string; start: number; end: number }[]): void {
    for (const node of container.namedChildren) {
      if (!node) continue;
      switch (node.type) {
        case 'function_item':
          if (!this.isTest(node)) this.readFn(node, module);
          break;
        case 'mod_item': {
          const body = node.childForFieldName('body');
          const name = node.childForFieldName('name')?.text;
          if (body && name && !this.isTest(node)) {
            const sub = module ? `${module}::${name}` : undefined;
            if (sub) {
              this.out.modules.push(sub);
              ranges.push({ module: sub, start: body.startIndex, end: body.endIndex });
            }
            this.readItems(body, sub, ranges);
          }
          break;
        }
        case 'type_item': {
          const name = node.childForFieldName('name')?.text;
          const type = node.childForFieldName('type');
          const generics = named(node.childForFieldName('type_parameters')).map((g) => compact(g.text).replace(/[:=].*$/, ''));
          if (name && type) this.out.typeAliases.push({ name, type: normalizeType(type.text), file: this.out.file, ...(module ? { module } : {}), ...(generics.length ? { generics } : {}) });
          break;
        }
        case 'impl_item':
          this.readImpl(node, module);
          break;
        case 'enum_item':
          this.readFromAttrs(node);
          break;
        case 'ERROR':
          this.readItems(node, module, ranges);
          // Statements of a function tree-sitter could not shape still hold App chains.
          this.lets = new Map();
          this.letTypes = new Map();
          this.findApps(node, '', module);
          break;
        default:
          break;
      }
    }
  }

  private readImpl(node: Node, module: string | undefined): void {
    const trait = node.childForFieldName('trait');
    const type = node.childForFieldName('type');
    if (!trait || !type) return;
    const base = type.type === 'generic_type' ? (type.childForFieldName('type') ?? type) : type;
    const target = lastSegment(compact(base.text));
    const traitText = compact(trait.text);
    const traitName = lastSegment(traitText.replace(/<[\s\S]*$/, ''));
    if (traitName === 'ResponseError') this.out.responseErrors.push(target);
    else if (traitName === 'Transform' && /ServiceRequest/.test(traitText)) {
      const lead = leadingAttrs(node, this.src);
      this.out.transforms.push({ name: target, ...(module ? { module } : {}), span: this.spans.span(lead.start, node.endIndex) });
    } else if (traitName === 'From') {
      const from = /<([\s\S]*)>$/.exec(traitText)?.[1];
      if (from) this.out.fromImpls.push({ target, from });
    }
  }

  /** thiserror's `#[from] Source` inside variants. */
  private readFromAttrs(node: Node): void {
    const name = node.childForFieldName('name')?.text;
    if (!name) return;
    for (const m of node.text.matchAll(/#\[\s*from\s*\]\s*(?:pub\s+)?([\w:<>, ]+?)\s*[,)}]/g)) this.out.fromAttrs.push({ target: name, from: compact(m[1]!) });
  }

  private readFn(node: Node, module: string | undefined): void {
    const name = node.childForFieldName('name')?.text;
    const body = node.childForFieldName('body');
    if (!name) return;
    const lead = leadingAttrs(node, this.src);
    const fn: FnRead = {
      name,
      file: this.out.file,
      ...(module ? { module } : {}),
      isAsync: node.children.some((c) => c?.type === 'function_modifiers' && /\basync\b/.test(c.text)),
      routeAttrs: routeAttrsOf(lead.metas),
      extractors: [],
      calls: [],
      fromFnMiddleware: false,
      span: this.spans.span(lead.start, node.endIndex),
    };
    const vis = node.children.find((c) => c?.type === 'visibility_modifier');
    if (vis) fn.visibility = collapse(vis.text);
    const ret = node.childForFieldName('return_type');
    if (ret) fn.returnType = normalizeType(ret.text);
    for (const p of named(node.childForFieldName('parameters'))) {
      if (p.type !== 'parameter') continue;
      const type = p.childForFieldName('type');
      if (!type) continue;
      const pattern = collapse(this.src.slice(p.startIndex, type.startIndex).replace(/:\s*$/, ''));
      const typeText = normalizeType(type.text);
      fn.extractors.push(classifyExtractor(pattern, typeText));
      if (/^&\s*mut\s+(?:(?:::)?actix_web::)?(?:web::)?ServiceConfig$/.test(typeText)) fn.configureParam = pattern.replace(/^mut\s+/, '');
    }
    const types = fn.extractors.map((e) => e.type);
    fn.fromFnMiddleware = fn.isAsync && types.some((t) => /(?:^|::)ServiceRequest$/.test(t)) && types.some((t) => /(?:^|::)Next</.test(t));
    if (body) {
      fn.calls = this.typeCalls(body);
      this.lets = new Map();
      this.letTypes = new Map();
      this.collectLets(body);
      if (fn.configureParam) {
        const regs = this.rootRegs(body, fn.configureParam);
        this.out.roots.push({ kind: 'configure', fn: name, ...(module ? { fnModule: module } : {}), regs, line: lineOf(node) });
      }
      this.findApps(body, name, module);
      if (fn.returnType && /\b(?:Scope|Resource|HttpServiceFactory)\b/.test(fn.returnType)) {
        const tail = named(body).pop();
        if (tail && tail.type !== 'expression_statement' && tail.type !== 'let_declaration') {
          const regs = this.serviceArg(tail);
          if (regs.length) this.out.roots.push({ kind: 'factory', fn: name, ...(module ? { fnModule: module } : {}), regs, line: lineOf(node) });
        }
      }
    }
    this.out.fns.push(fn);
  }

  private collectLets(root: Node): void {
    forEachNode(root, (n) => {
      if (n !== root && n.type === 'function_item') return false;
      if (n.type !== 'let_declaration') return;
      const pat = n.childForFieldName('pattern');
      const value = n.childForFieldName('value');
      if (pat?.type === 'identifier' && value) this.lets.set(pat.text, value);
      const type = n.childForFieldName('type');
      if (pat?.type === 'identifier') this.letTypes.set(pat.text, { ...(value ? { value } : {}), ...(type ? { type: normalizeType(type.text) } : {}) });
    });
  }

  /** `Type::function(` calls: the model functions a handler uses. */
  private typeCalls(body: Node): string[] {
    const out = new Set<string>();
    forEachNode(body, (n) => {
      if (n.type === 'call_expression') {
        const f = n.childForFieldName('function');
        const fnNode = f?.type === 'generic_function' ? f.childForFieldName('function') : f;
        if (fnNode?.type === 'scoped_identifier') {
          const segs = compact(fnNode.text).split('::');
          const i = segs.length - 2;
          if (i >= 0 && /^[A-Z]/.test(segs[i]!) && /^[a-z_]/.test(segs[i + 1]!)) out.add(`${segs[i]}::${segs[i + 1]}`);
        }
      }
    });
    return [...out];
  }

  /** Outermost chains whose base is the `ServiceConfig` parameter, anywhere in a configure function. */
  private rootRegs(body: Node, param: string): RawReg[] {
    const regs: RawReg[] = [];
    forEachNode(body, (n) => {
      if (n !== body && n.type === 'function_item') return false;
      if (n.type === 'call_expression' && isChainEnd(n)) {
        const chain = chainOf(n);
        if (chain.base.type === 'identifier' && chain.base.text === param) {
          regs.push(...this.evalCalls(chain.calls));
          return false;
        }
      }
    });
    return regs;
  }

  findApps(body: Node, fnName: string, module: string | undefined): void {
    forEachNode(body, (n) => {
      if (n !== body && n.type === 'function_item') return false;
      if (n.type === 'call_expression' && isChainEnd(n)) {
        const chain = chainOf(n);
        if (baseKind(callPath(chain.base)) === 'app') {
          this.out.roots.push({ kind: 'app', fn: fnName, ...(module ? { fnModule: module } : {}), regs: this.evalCalls(chain.calls), line: lineOf(chain.base) });
          return false;
        }
      }
    });
  }

  /** Registrations made by the calls of an App, scope or `cfg` chain. */
  private evalCalls(calls: Chain['calls']): RawReg[] {
    const regs: RawReg[] = [];
    for (const c of calls) {
      const line = lineOf(c.node.childForFieldName('function')?.childForFieldName('field') ?? c.node);
      const [a0, a1] = c.args;
      switch (c.name) {
        case 'service':
          if (a0) regs.push(...this.serviceArg(a0));
          break;
        case 'route':
          if (a0 && a1) {
            const r = this.routeBuilder(a1);
            regs.push({ kind: 'route', path: literal(a0), method: r.method, ref: r.ref, line });
          }
          break;
        case 'configure':
          if (a0?.type === 'closure_expression') {
            const param = named(a0.childForFieldName('parameters'))[0];
            const pname = param ? compact(param.type === 'parameter' ? (param.childForFieldName('pattern')?.text ?? '') : param.text).replace(/^mut/, '') : '';
            const body = a0.childForFieldName('body');
            if (body && pname) regs.push(...this.rootRegs(body, pname));
          } else if (a0) regs.push({ kind: 'configure', ref: compact(a0.text), line });
          break;
        case 'wrap':
          if (a0) regs.push({ kind: 'wrap', expr: collapse(a0.text), line, ...middlewareOf(a0) });
          break;
        case 'app_data':
        case 'data': {
          const reg = a0 ? dataReg(c.name === 'data' ? 'data' : 'app_data', a0, this.letTypes, line) : undefined;
          if (reg) regs.push({ kind: 'data', reg, line });
          break;
        }
        case 'wrap_fn':
          if (a0) regs.push({ kind: 'wrap', mw: 'wrap_fn', expr: collapse(a0.text), line });
          break;
        case 'default_service':
          if (a0) regs.push({ kind: 'default', ref: this.routeBuilder(a0).ref || compact(a0.text), line });
          break;
        default:
          break;
      }
    }
    return regs;
  }

  /** What `.service(arg)` registers. */
  private serviceArg(arg: Node): RawReg[] {
    if (this.depth > 20) return [];
    const line = lineOf(arg);
    if (arg.type === 'tuple_expression') return named(arg).flatMap((x) => this.serviceArg(x));
    if (arg.type === 'identifier' && this.lets.has(arg.text)) {
      this.depth++;
      try {
        return this.serviceArg(this.lets.get(arg.text)!);
      } finally {
        this.depth--;
      }
    }
    if (isPathLike(arg)) return [{ kind: 'service', ref: compact(arg.text), line }];
    const chain = chainOf(arg);
    const path = callPath(chain.base);
    const kind = baseKind(path);
    const first = named(chain.base.childForFieldName('arguments'))[0];
    if (kind === 'scope') return [{ kind: 'scope', path: literal(first), regs: this.evalCalls(chain.calls), line }];
    if (kind === 'resource') {
      const routes: { method: RouteMethod; ref: string; line: number }[] = [];
      for (const c of chain.calls) {
        const l = lineOf(c.node.childForFieldName('function')?.childForFieldName('field') ?? c.node);
        if (c.name === 'route' && c.args[0]) {
          const r = this.routeBuilder(c.args[0]);
          routes.push({ method: r.method, ref: r.ref, line: l });
        } else if (c.name === 'to' && c.args[0]) routes.push({ method: 'ANY', ref: compact(c.args[0].text), line: l });
        else if (METHODS[c.name] && c.args[0]) routes.push({ method: METHODS[c.name]!, ref: compact(c.args[0].text), line: l });
      }
      return [{ kind: 'resource', path: literal(first), routes, line }];
    }
    // `.service(books::scope())`: a project function building a scope; `Files::new(…)` and other types are not routes we know.
    if (path && !chain.calls.length && /^[a-z_]/.test(lastSegment(path))) return [{ kind: 'factory', ref: path, line }];
    return [];
  }

  /** `web::get().to(h)`, `web::route().guard(guard::Post()).to(h)`, `web::method(Method::PUT).to(h)`, `web::to(h)`. */
  private routeBuilder(n: Node): { method: RouteMethod; ref: string } {
    const chain = chainOf(n);
    const path = callPath(chain.base)?.replace(/^actix_web::/, '') ?? '';
    let method: RouteMethod = 'ANY';
    let ref = '';
    const verb = /^web::(\w+)$/.exec(path)?.[1];
    if (verb && METHODS[verb]) method = METHODS[verb];
    const firstArg = named(chain.base.childForFieldName('arguments'))[0];
    if (verb === 'method' && firstArg) method = METHODS[lastSegment(compact(firstArg.text)).toLowerCase()] ?? 'ANY';
    if (verb === 'to' && firstArg) ref = handlerRef(firstArg);
    for (const c of chain.calls) {
      const a = c.args[0];
      if (!a) continue;
      if (c.name === 'to') ref = handlerRef(a);
      else if (c.name === 'method') method = METHODS[lastSegment(compact(a.text)).toLowerCase()] ?? method;
      else if (c.name === 'guard') {
        const g = callPath(a) ?? compact(a.text);
        const m = GUARDS[lastSegment(g)];
        if (m) method = m;
      }
    }
    return { method, ref };
  }

  assignUses(ranges: readonly { module: string; start: number; end: number }[]): void {
    for (const u of this.out.rust.uses) {
      const at = u.span.startIndex ?? 0;
      let best: { module: string; start: number; end: number } | undefined;
      for (const r of ranges) if (at >= r.start && at < r.end && (!best || r.start > best.start)) best = r;
      const mod = best?.module ?? this.out.module ?? '';
      const list = this.out.uses.get(mod) ?? [];
      list.push(...(u.items ?? [u.path]));
      this.out.uses.set(mod, list);
    }
  }
}

function handlerRef(n: Node): string {
  return n.type === 'closure_expression' ? '<closure>' : compact(n.text);
}

/**
 * Reads one file for Actix. `crateDir` is the crate folder (`''` for the project root), used for
 * module paths. Needs `await initRustParser()` first.
 */
export function readActixFile(text: string, file: string, crateDir = '', root = 'crate'): ActixFileRead {
  const walker = new FileWalker(text, file, crateDir, root);
  const ranges: { module: string; start: number; end: number }[] = [];
  readOrSkipDeep(
    file,
    () =>
      withRustTree(text, (tree) => {
        walker.readItems(tree.rootNode, walker.out.module, ranges);
        // A file tree-sitter could not shape at all is one ERROR node: its loose statements may still hold the App.
        if (tree.rootNode.type === 'ERROR') walker.findApps(tree.rootNode, '', walker.out.module);
      }),
    // parseRustFile (in the walker) already reported the same file.
    (d) => walker.out.rust.diagnostics.some((x) => x.code === d.code) || walker.out.diagnostics.push(d),
  );
  walker.assignUses(ranges);
  walker.out.diagnostics.push(...walker.out.rust.diagnostics);
  return walker.out;
}
