import { posix } from 'node:path';
import { diag, type Diagnostic } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';
import type {
  ActixConfigureFn,
  ActixDataReg,
  ActixErrorType,
  ActixHandler,
  ActixInfo,
  ActixMiddlewareUse,
  ActixPool,
  ActixRoute,
  ActixSite,
  PoolKind,
  RouteMethod,
  TypeAlias,
} from './actixTypes';
import { unwrapOnce, type DataReg, type TypeGuess } from './actixData';
import { readActixFile, type ActixFileRead, type FnRead, type RawReg } from './actixFile';
import { initRustParser } from './parser';
import { locateSchema } from './project';

export { readActixFile, moduleOfFile, classifyExtractor, routeAttrsOf, type ActixFileRead, type FnRead, type RawReg, type RawRoot } from './actixFile';

/** Scope prefix + route path the way Actix joins them; doubled slashes collapsed for display and comparison. */
export function joinRoutePath(prefix: string, path: string): string {
  if (!path) return prefix || '/';
  const joined = `${prefix}${path.startsWith('/') || !prefix ? '' : '/'}${path}`.replace(/\/{2,}/g, '/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** Route shape for collision checks: parameter names do not matter (`/orders/{id}` = `/orders/{order_id}`). */
export function routeShape(path: string): string {
  const p = path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
  return p || '/';
}

/** Two routes answer the same requests: same shape, and the same method (or one answers any). */
export function routesCollide(a: { method: RouteMethod; path: string }, b: { method: RouteMethod; path: string }): boolean {
  return routeShape(a.path) === routeShape(b.path) && (a.method === b.method || a.method === 'ANY' || b.method === 'ANY');
}

/** Parameter names in a route path: `/customers/{id}/orders/{order_id:\d+}` → `id`, `order_id`. */
export function routeParams(path: string): string[] {
  return [...path.matchAll(/\{([^}:]+)(?::[^}]*)?\}/g)].map((m) => m[1]!.trim());
}

interface Ctx {
  prefix: string;
  mounted: boolean;
  file: string;
  fn: string;
  fnModule?: string;
  scopesInFn: string[];
}

class Analyzer {
  readonly info: ActixInfo;
  private readonly fnsByName = new Map<string, FnRead[]>();
  private readonly configureVisits = new Map<FnRead, string[]>();
  private readonly factoryVisited = new Set<FnRead>();
  private readonly regCount = new Map<FnRead, number>();
  private readonly handlerFns = new Set<FnRead>();
  private readonly stack: FnRead[] = [];
  private readonly dataRegs: { reg: DataReg; at: Pick<ActixDataReg, 'file' | 'line' | 'prefix' | 'mounted'> }[] = [];

  constructor(private readonly reads: readonly ActixFileRead[]) {
    this.info = {
      files: reads.map((r) => r.file),
      apps: [],
      routes: [],
      handlers: [],
      configureFns: [],
      sites: [],
      middleware: [],
      middlewareDefs: [],
      errorTypes: [],
      appData: [],
      typeAliases: reads.flatMap((r) => r.typeAliases),
      rust: reads.map((r) => r.rust),
      diagnostics: reads.flatMap((r) => r.diagnostics),
    };
    for (const r of reads) {
      for (const f of r.fns) {
        const list = this.fnsByName.get(f.name) ?? [];
        list.push(f);
        this.fnsByName.set(f.name, list);
        if (f.routeAttrs.length) this.handlerFns.add(f);
      }
    }
  }

  /** Modules a path's first segment may stand for, seen from `module` (use imports, child module, crate root). */
  private resolveModule(first: string, module: string | undefined, file: string): string[] {
    if (first === 'crate') return ['crate'];
    if (!module) return [];
    if (first === 'self') return [module];
    if (first === 'super') return [module.split('::').slice(0, -1).join('::') || 'crate'];
    const read = this.reads.find((r) => r.file === file);
    const uses = read?.uses.get(module) ?? [];
    const out: string[] = [];
    for (const u of uses) {
      const alias = / as (\w+)$/.exec(u)?.[1];
      const path = u.replace(/ as \w+$/, '');
      const bound = alias ?? path.split('::').pop();
      if (bound === first) out.push(this.absolute(path, module));
    }
    out.push(`${module}::${first}`, `crate::${first}`);
    return out;
  }

  /** `super::x`/`self::x` made absolute from `module`. */
  private absolute(path: string, module: string): string {
    const segs = path.split('::');
    let base = module.split('::');
    if (segs[0] === 'crate') return path;
    let i = 0;
    if (segs[0] === 'self') i = 1;
    while (segs[i] === 'super') {
      base = base.slice(0, -1);
      i++;
    }
    if (i === 0) return path;
    return [...(base.length ? base : ['crate']), ...segs.slice(i)].join('::');
  }

  /** The function a reference names (`orders::get_order`, `get_order`, `crate::api::config`), seen from `ctx`. */
  resolveFn(ref: string, module: string | undefined, file: string, pred: (f: FnRead) => boolean = () => true): FnRead | undefined {
    let segs = ref.replace(/^::/, '').split('::');
    if (segs.length === 1 && module) {
      // `use crate::orders::list as list_orders;` then `.service(list_orders)`.
      const read = this.reads.find((r) => r.file === file);
      const aliased = read?.uses.get(module)?.find((u) => / as (\w+)$/.exec(u)?.[1] === segs[0]);
      if (aliased) segs = this.absolute(aliased.replace(/ as \w+$/, ''), module).split('::');
    }
    const name = segs[segs.length - 1]!;
    const cands = (this.fnsByName.get(name) ?? []).filter(pred);
    if (!cands.length) return undefined;
    const wanted = new Set<string>();
    if (segs.length === 1) {
      if (module) wanted.add(module);
      const read = this.reads.find((r) => r.file === file);
      for (const u of read?.uses.get(module ?? '') ?? []) {
        const path = u.replace(/ as \w+$/, '');
        const bound = / as (\w+)$/.exec(u)?.[1] ?? path.split('::').pop();
        if (bound === name && module) wanted.add(this.absolute(path, module).split('::').slice(0, -1).join('::'));
        if (path.endsWith('::*') && module) wanted.add(this.absolute(path.slice(0, -3), module));
      }
    } else {
      const rest = segs.slice(1, -1);
      for (const m of this.resolveModule(segs[0]!, module, file)) wanted.add([m, ...rest].join('::'));
    }
    const exact = cands.find((f) => f.module !== undefined && wanted.has(f.module));
    if (exact) return exact;
    // Re-exports and paths we could not follow: a unique name, or the one whose module ends like the reference.
    const tail = segs.slice(0, -1).join('::');
    const bySuffix = tail ? cands.filter((f) => f.module?.endsWith(`::${tail}`)) : [];
    if (bySuffix.length === 1) return bySuffix[0];
    return cands.length === 1 ? cands[0] : undefined;
  }

  run(): void {
    const apps = this.reads.flatMap((r) => r.roots.filter((x) => x.kind === 'app').map((root) => ({ r, root })));
    for (const { r, root } of apps) {
      this.info.apps.push({ file: r.file, fn: root.fn, line: root.line });
      const ctx: Ctx = { prefix: '', mounted: true, file: r.file, fn: root.fn, ...(root.fnModule ? { fnModule: root.fnModule } : {}), scopesInFn: [] };
      this.site('app', ctx, root.line);
      this.evalRegs(root.regs, ctx);
    }
    // Configure functions and factories nothing mounts still declare routes: read them, flagged unmounted.
    for (const r of this.reads) {
      for (const root of r.roots) {
        const fn = r.fns.find((f) => f.name === root.fn && f.module === root.fnModule);
        if (!fn) continue;
        if (root.kind === 'configure' && !this.configureVisits.has(fn)) this.mountConfigure(fn, { prefix: '', mounted: false, file: r.file, fn: root.fn, scopesInFn: [] });
        if (root.kind === 'factory' && !this.factoryVisited.has(fn)) this.mountFactory(fn, { prefix: '', mounted: false, file: r.file, fn: root.fn, scopesInFn: [] });
      }
    }
    this.collect();
  }

  private site(kind: ActixSite['kind'], ctx: Ctx, line: number): void {
    this.info.sites.push({ kind, file: ctx.file, fn: ctx.fn, ...(ctx.fnModule ? { fnModule: ctx.fnModule } : {}), scopesInFn: [...ctx.scopesInFn], prefix: ctx.prefix, mounted: ctx.mounted, line });
  }

  private route(ctx: Ctx, r: { method: RouteMethod; path: string; ref: string; via: ActixRoute['via']; line: number }, target?: FnRead): void {
    const handler = r.ref.split('::').pop() ?? r.ref;
    this.info.routes.push({
      method: r.method,
      path: r.path,
      handlerRef: r.ref,
      handler,
      ...(target ? { handlerFile: target.file } : {}),
      via: r.via,
      file: ctx.file,
      line: r.line,
      fn: ctx.fn,
      ...(ctx.fnModule ? { fnModule: ctx.fnModule } : {}),
      scopesInFn: [...ctx.scopesInFn],
      mounted: ctx.mounted,
    });
    if (target && ctx.mounted) this.regCount.set(target, (this.regCount.get(target) ?? 0) + 1);
  }

  private handlerTarget(ref: string, ctx: Ctx): FnRead | undefined {
    if (ref === '<closure>' || !ref) return undefined;
    const f = this.resolveFn(ref, ctx.fnModule, ctx.file);
    if (f) this.handlerFns.add(f);
    return f;
  }

  private evalRegs(regs: readonly RawReg[], ctx: Ctx): void {
    for (const reg of regs) {
      switch (reg.kind) {
        case 'service': {
          const f = this.resolveFn(reg.ref, ctx.fnModule, ctx.file);
          if (!f) break; // a service type from a crate (actix_files::Files, …)
          if (f.configureParam) {
            this.info.diagnostics.push(diag('warning', 'configure-as-service', `\`${reg.ref}\` is a configure function; register it with \`.configure(${reg.ref})\`, not \`.service\`.`, { file: ctx.file, line: reg.line }));
            break;
          }
          if (!f.routeAttrs.length) {
            this.info.diagnostics.push(diag('warning', 'service-without-route', `\`${reg.ref}\` is passed to \`.service()\` but has no route attribute such as #[get("/path")].`, { file: ctx.file, line: reg.line }));
            break;
          }
          this.handlerFns.add(f);
          for (const a of f.routeAttrs) this.route(ctx, { method: a.method, path: joinRoutePath(ctx.prefix, a.path), ref: reg.ref, via: 'service', line: reg.line }, f);
          break;
        }
        case 'factory': {
          const f = this.resolveFn(reg.ref, ctx.fnModule, ctx.file);
          if (f) this.mountFactory(f, ctx);
          break;
        }
        case 'scope': {
          const inner: Ctx = { ...ctx, prefix: joinRoutePath(ctx.prefix, reg.path), scopesInFn: [...ctx.scopesInFn, reg.path] };
          this.site('scope', inner, reg.line);
          this.evalRegs(reg.regs, inner);
          break;
        }
        case 'resource':
          for (const rt of reg.routes) {
            const target = this.handlerTarget(rt.ref, ctx);
            this.route(ctx, { method: rt.method, path: joinRoutePath(ctx.prefix, reg.path), ref: rt.ref, via: 'resource', line: rt.line }, target);
          }
          break;
        case 'route': {
          const target = this.handlerTarget(reg.ref, ctx);
          this.route(ctx, { method: reg.method, path: joinRoutePath(ctx.prefix, reg.path), ref: reg.ref, via: 'route', line: reg.line }, target);
          break;
        }
        case 'default': {
          const target = this.handlerTarget(reg.ref, ctx);
          this.route(ctx, { method: 'ANY', path: joinRoutePath(ctx.prefix, '/{tail:.*}'), ref: reg.ref, via: 'default', line: reg.line }, target);
          break;
        }
        case 'configure': {
          const f = this.resolveFn(reg.ref, ctx.fnModule, ctx.file, (x) => x.configureParam !== undefined);
          if (f) this.mountConfigure(f, ctx);
          else this.info.diagnostics.push(diag('warning', 'unknown-configure', `\`.configure(${reg.ref})\`: no configure function \`${reg.ref}\` found in the crate.`, { file: ctx.file, line: reg.line }));
          break;
        }
        case 'data':
          this.dataRegs.push({ reg: reg.reg, at: { file: ctx.file, line: reg.line, prefix: ctx.prefix, mounted: ctx.mounted } });
          break;
        case 'wrap': {
          const use: ActixMiddlewareUse = { kind: reg.mw, expr: reg.expr, prefix: ctx.prefix, file: ctx.file, line: reg.line, fn: ctx.fn, mounted: ctx.mounted, ...(reg.target ? { target: reg.target } : {}) };
          this.info.middleware.push(use);
          break;
        }
      }
    }
  }

  private mountConfigure(f: FnRead, at: Ctx): void {
    if (this.stack.includes(f)) return;
    const mounts = this.configureVisits.get(f) ?? [];
    if (at.mounted) mounts.push(at.prefix);
    this.configureVisits.set(f, mounts);
    const root = this.reads.find((r) => r.file === f.file)?.roots.find((x) => x.kind === 'configure' && x.fn === f.name && x.fnModule === f.module);
    if (!root) return;
    const ctx: Ctx = { prefix: at.prefix, mounted: at.mounted, file: f.file, fn: f.name, ...(f.module ? { fnModule: f.module } : {}), scopesInFn: [] };
    this.site('configure', ctx, root.line);
    this.stack.push(f);
    this.evalRegs(root.regs, ctx);
    this.stack.pop();
  }

  private mountFactory(f: FnRead, at: Ctx): void {
    if (this.stack.includes(f)) return;
    this.factoryVisited.add(f);
    const root = this.reads.find((r) => r.file === f.file)?.roots.find((x) => x.kind === 'factory' && x.fn === f.name && x.fnModule === f.module);
    if (!root) return;
    this.stack.push(f);
    this.evalRegs(root.regs, { prefix: at.prefix, mounted: at.mounted, file: f.file, fn: f.name, ...(f.module ? { fnModule: f.module } : {}), scopesInFn: [] });
    this.stack.pop();
  }

  private collect(): void {
    for (const f of this.handlerFns) {
      const h: ActixHandler = {
        name: f.name,
        file: f.file,
        ...(f.module ? { module: f.module } : {}),
        isAsync: f.isAsync,
        ...(f.visibility ? { visibility: f.visibility } : {}),
        routeAttrs: f.routeAttrs,
        extractors: f.extractors,
        ...(f.returnType ? { returnType: f.returnType } : {}),
        calls: f.calls,
        registrations: this.regCount.get(f) ?? 0,
        span: f.span,
      };
      this.info.handlers.push(h);
    }
    this.info.handlers.sort((a, b) => a.file.localeCompare(b.file) || a.span.startByte - b.span.startByte);
    for (const r of this.reads) {
      for (const f of r.fns) {
        if (f.configureParam !== undefined) {
          const c: ActixConfigureFn = { name: f.name, file: f.file, ...(f.module ? { module: f.module } : {}), param: f.configureParam, mountedAt: this.configureVisits.get(f) ?? [], span: f.span };
          this.info.configureFns.push(c);
        }
        if (f.fromFnMiddleware) this.info.middlewareDefs.push({ name: f.name, kind: 'from_fn', file: f.file, ...(f.module ? { module: f.module } : {}), span: f.span });
      }
      for (const t of r.transforms) this.info.middlewareDefs.push({ name: t.name, kind: 'transform', file: r.file, ...(t.module ? { module: t.module } : {}), span: t.span });
    }
    this.info.appData = this.dataRegs.map(({ reg, at }) => {
      const type = reg.guess ? this.resolveGuess(reg.guess) : undefined;
      return { ...(type ? { type } : {}), expr: reg.expr, data: reg.data, ...at };
    });
    this.info.errorTypes = this.errorTypes();
    const pool = this.pool();
    if (pool) this.info.pool = pool;
    this.duplicateRoutes();
  }

  /** A registered value's type: the written one, or the return type of the function that made it. */
  private resolveGuess(g: TypeGuess): string | undefined {
    let t = g.type;
    if (g.call) {
      const segs = g.call.split('::');
      const name = segs.pop()!;
      const owner = segs.length && /^[A-Z]/.test(segs[segs.length - 1]!) ? segs[segs.length - 1] : undefined;
      const sigs = this.reads.flatMap((r) => (owner ? r.rust.impls.filter((i) => lastName(i.typeName) === owner && !i.trait).flatMap((i) => i.functions) : r.rust.functions));
      const sig = sigs.find((f) => f.name === name);
      t = sig?.returnType?.replace(/\bSelf\b/g, owner ?? 'Self');
      // A constructor we cannot see (`Database::new` from a macro) still makes its type.
      if (!sig && owner) t = owner;
      if (!t) return undefined;
      for (let i = 0; i < g.unwrap; i++) t = unwrapOnce(t, 'Result') ?? unwrapOnce(t, 'Option') ?? t;
    }
    if (!t) return undefined;
    for (let i = 0; i < g.arcs; i++) t = `Arc<${t}>`;
    for (let i = 0; i > g.arcs; i--) t = unwrapOnce(t, 'Arc') ?? t;
    return t;
  }

  private errorTypes(): ActixErrorType[] {
    const out: ActixErrorType[] = [];
    const responseErrors = new Set(this.reads.flatMap((r) => r.responseErrors));
    for (const r of this.reads) {
      const from = (name: string): string[] => [
        ...new Set(this.reads.flatMap((x) => [...x.fromImpls, ...x.fromAttrs]).filter((x) => x.target === name).map((x) => x.from)),
      ];
      for (const e of r.rust.enums) {
        if (!responseErrors.has(e.name)) continue;
        out.push({ name: e.name, kind: 'enum', file: r.file, ...(r.module ? { module: r.module } : {}), variants: e.variants, responseError: true, from: from(e.name) });
      }
      for (const s of r.rust.structs) {
        if (!responseErrors.has(s.name)) continue;
        out.push({ name: s.name, kind: 'struct', file: r.file, ...(r.module ? { module: r.module } : {}), variants: [], responseError: true, from: from(s.name) });
      }
    }
    return out;
  }

  /** The pool handlers share: the most used `web::Data<T>` that looks like a pool, else a `type X = …Pool<…>` alias. */
  private pool(): ActixPool | undefined {
    const aliases = this.info.typeAliases;
    const looksLikePool = (t: string): boolean => /Pool\b/.test(t) || aliases.some((a) => a.name === lastName(t) && /Pool\s*</.test(a.type));
    const counts = new Map<string, number>();
    for (const h of this.info.handlers) {
      for (const e of h.extractors) {
        if (e.kind === 'data' && e.inner && looksLikePool(e.inner)) counts.set(e.inner, (counts.get(e.inner) ?? 0) + 1);
      }
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const alias = best ? aliases.find((a) => a.name === lastName(best)) : aliases.find((a) => /Pool\s*</.test(a.type));
    const name = best ?? alias?.name;
    if (!name) return undefined;
    const read = alias ? this.reads.find((r) => r.file === alias.file) : undefined;
    const kind = poolKind(alias?.type ?? name, read?.uses.get(alias?.module ?? '') ?? []);
    return {
      name,
      ...(alias ? { definition: alias.type, file: alias.file, ...(alias.module ? { module: alias.module } : {}) } : {}),
      kind,
      async: kind === 'deadpool' || kind === 'bb8' || kind === 'mobc' || /Async\w*Connection/.test(alias?.type ?? ''),
    };
  }

  private duplicateRoutes(): void {
    const live = this.info.routes.filter((r) => r.mounted && r.via !== 'default');
    const seen: ActixRoute[] = [];
    for (const r of live) {
      const prev = seen.find((s) => routesCollide(s, r) && !(s.file === r.file && s.line === r.line && s.handler === r.handler));
      if (prev) {
        this.info.diagnostics.push(
          diag('warning', 'duplicate-route', `${r.method} ${r.path} (\`${r.handler}\`) is also registered for \`${prev.handler}\` (${prev.file}:${prev.line}); Actix uses the first one.`, { file: r.file, line: r.line }),
        );
      }
      seen.push(r);
    }
  }
}

const lastName = (t: string): string => t.replace(/<[\s\S]*$/, '').split('::').pop() ?? t;

function poolKind(type: string, uses: readonly string[]): PoolKind {
  const text = `${type} ${uses.join(' ')}`;
  if (/\bdeadpool\b/.test(text)) return 'deadpool';
  if (/\bbb8\b/.test(text)) return 'bb8';
  if (/\bmobc\b/.test(text)) return 'mobc';
  if (/\br2d2\b|ConnectionManager\s*</.test(text)) return 'r2d2';
  return 'unknown';
}

/** Resolves registrations across files: the full route table, handlers, configure functions, middleware, pool. */
export function analyzeActix(reads: readonly ActixFileRead[]): ActixInfo {
  const a = new Analyzer(reads);
  a.run();
  return a.info;
}

/** Files with more than this many characters are skipped (generated code, vendored blobs). */
const MAX_FILE_CHARS = 1_000_000;

/**
 * Reads a crate's Actix Web setup from its `src/` (every `.rs` file). `crateDir` defaults to the
 * crate `loadProject` would pick. Never throws on bad Rust: syntax errors are diagnostics.
 */
/** A library crate of the workspace the Actix crate depends on: its folder and the name its code is used by (`app`). */
export interface DependencyCrate {
  dir: string;
  name: string;
}

export async function loadActix(fs: ProjectFs, opts: { crateDir?: string; deps?: readonly DependencyCrate[] } = {}): Promise<ActixInfo> {
  await initRustParser();
  const crateDir = opts.crateDir ?? (await locateSchema(fs)).crateDir;
  const reads: ActixFileRead[] = [];
  const skipped: Diagnostic[] = [];
  // The Actix crate, then the workspace crates it uses (their items are named `app::…` from it).
  for (const { dir, root } of [{ dir: crateDir, root: 'crate' }, ...(opts.deps ?? []).map((d) => ({ dir: d.dir, root: d.name }))]) {
    for (const file of await fs.listFiles(dir ? posix.join(dir, 'src') : 'src', ['.rs'])) {
      const text = await fs.readFile(file);
      if (text === undefined) continue;
      if (text.length > MAX_FILE_CHARS) {
        skipped.push(diag('info', 'file-skipped', `${file} is larger than ${MAX_FILE_CHARS} characters; not read for Actix routes.`, { file }));
        continue;
      }
      reads.push(readActixFile(text, file, dir, root));
    }
  }
  const info = analyzeActix(reads);
  info.diagnostics.unshift(...skipped);
  if (!info.apps.length && !info.configureFns.length) info.diagnostics.push(diag('info', 'no-actix-app', 'No `App::new()` and no configure function found: the routes table is empty.'));
  return info;
}

/** Type aliases by name (first wins), for checks of extractor types. */
export function aliasMap(info: Pick<ActixInfo, 'typeAliases'>): Map<string, TypeAlias> {
  const m = new Map<string, TypeAlias>();
  for (const a of info.typeAliases) if (!m.has(a.name)) m.set(a.name, a);
  return m;
}
