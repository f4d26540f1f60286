import { posix } from 'node:path';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp } from '../../src/domain';
import { joinRoutePath, moduleOfFile, type ActixHandler, type ActixSite, type FnSig, type HttpMethod, type StructRef, type Table } from '../../src/rust';
import { wantedFunctionName } from '../diesel-model-fn/context';
import type { ActixImportEnv } from '../actix-common/imports';
import { handlerDirs, openActixProject, structFunctions, type ActixProject } from '../actix-common/project';
import { chooseSite, registrationSites, routeTakenBy, takenMessage } from '../actix-common/register';
import type { ModeInput } from '../../src/pipeline/mode';
import { resolveTargetStruct } from '../diesel-common/project';
import { renderImplSignatures, renderStruct } from '../diesel-common/render';
import { joinPosix } from '../diesel-common/style';
import { handlerShape, relativeRoute, responseRule, type HandlerShape } from './shape';

/** Everything actix-handler decided before asking the model, and the text the model sees. */
export interface HandlerContext {
  ap: ActixProject;
  target: StructRef;
  table: Table;
  modelFn: FnSig;
  shape: HandlerShape;
  /** The handler's name. */
  name: string;
  method: HttpMethod;
  /** Path in the route attribute (relative to the site). */
  attrPath: string;
  /** Full path from the App root. */
  fullPath: string;
  /** The user fixed the route with --route. */
  userRoute: boolean;
  site: ActixSite;
  /** File the handler goes into; `original` undefined when the file is new. */
  file: string;
  original?: string;
  module?: string;
  /** Other files a new handler file needs (`pub mod x;` lines, a new mod.rs). */
  extra: { path: string; original?: string; ops: EditOp[] }[];
  /** Functions the target file already has. */
  existingNames: string[];
  importEnv: ActixImportEnv;
  /** The per-request Rust context and the request line with the handler spec. */
  rendered: string;
  request: string;
}

const HTTP = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/i;

/** `GET /a/{id}` or `/a/{id}` from --route. */
function parseRoute(route: string | undefined): { method?: HttpMethod; path: string } | undefined {
  const r = route?.trim();
  if (!r) return undefined;
  const m = HTTP.exec(r);
  const path = (m ? r.slice(m[0].length) : r).trim();
  if (!path.startsWith('/')) return undefined;
  return { ...(m ? { method: m[1]!.toUpperCase() as HttpMethod } : {}), path };
}

/** The model function the input names: `--function`, else a function of the struct the request mentions. */
function resolveModelFn(ap: ActixProject, struct: string, input: ModeInput): FnSig | Diagnostic {
  const fns = structFunctions(ap, struct).filter((f) => f.name);
  const list = fns.length ? ` \`${struct}\` has: ${fns.map((f) => f.name).join(', ')}.` : ` \`${struct}\` has no functions yet: write one with diesel-model-fn first.`;
  const wanted = input.function?.trim().replace(/^.*::/, '').replace(/\(.*$/, '');
  if (wanted) return fns.find((f) => f.name === wanted) ?? diag('error', 'unknown-model-fn', `\`${struct}::${wanted}\` does not exist.${list}`);
  const words = new Set(input.request.match(/[a-z_][a-z0-9_]*/g) ?? []);
  const named = fns.filter((f) => words.has(f.name));
  if (named.length === 1) return named[0]!;
  return diag('error', 'no-model-fn', `Say which \`${struct}\` function the handler calls (--function name).${list}`);
}

/** Where a handler for `table` goes: beside the handlers that already use the struct, else a new file in the handlers folder. */
async function placeHandler(ap: ActixProject, input: ModeInput, struct: string, table: Table): Promise<Pick<HandlerContext, 'file' | 'original' | 'extra'>> {
  const fs = input.project;
  const crateDir = ap.p.info.crateDir;
  const modelFiles = new Set(ap.p.info.files.map((f) => f.file));
  // The file the command was invoked on, when it is a handler file (not a model, the schema or main.rs).
  const dirs = handlerDirs(ap);
  const isHandlerFile = (f: string): boolean => ap.actix.handlers.some((h) => h.file === f) || dirs.some((d) => posix.dirname(f) === d && !/(?:^|\/)(?:main|lib|mod)\.rs$/.test(f));
  if (input.file && input.file.endsWith('.rs') && !modelFiles.has(input.file) && !ap.p.info.schemaPaths.includes(input.file) && isHandlerFile(input.file)) {
    const original = await fs.readFile(input.file);
    if (original !== undefined) return { file: input.file, original, extra: [] };
  }
  const counts = new Map<string, number>();
  for (const h of ap.actix.handlers) if (h.calls.some((c) => c.startsWith(`${struct}::`))) counts.set(h.file, (counts.get(h.file) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (best) return { file: best, original: (await fs.readFile(best)) ?? '', extra: [] };

  const src = joinPosix(crateDir, 'src');
  const dir = dirs[0] ?? joinPosix(src, 'handlers');
  const file = posix.join(dir, `${table.name}.rs`);
  const existing = await fs.readFile(file);
  if (existing !== undefined) return { file, original: existing, extra: [] };
  const extra: HandlerContext['extra'] = [];
  const addMod = (name: string): EditOp => ({ op: 'addMod', name, pub: true });
  if (dir === src) {
    const root = (await fs.readFile(joinPosix(src, 'main.rs'))) !== undefined ? joinPosix(src, 'main.rs') : joinPosix(src, 'lib.rs');
    extra.push({ path: root, original: (await fs.readFile(root)) ?? '', ops: [{ op: 'addMod', name: table.name, pub: false }] });
    return { file, extra };
  }
  for (const modFile of [posix.join(dir, 'mod.rs'), `${dir}.rs`]) {
    const text = await fs.readFile(modFile);
    if (text !== undefined) {
      extra.push({ path: modFile, original: text, ops: [addMod(table.name)] });
      return { file, extra };
    }
  }
  // No handlers folder yet: create it, with its mod.rs, and declare it in the crate root.
  extra.push({ path: posix.join(dir, 'mod.rs'), ops: [{ op: 'createFile', content: `pub mod ${table.name};\n` }] });
  const root = (await fs.readFile(joinPosix(src, 'main.rs'))) !== undefined ? joinPosix(src, 'main.rs') : joinPosix(src, 'lib.rs');
  const parent = posix.relative(src, dir).split('/')[0] ?? 'handlers';
  extra.push({ path: root, original: (await fs.readFile(root)) ?? '', ops: [{ op: 'addMod', name: parent, pub: false }] });
  return { file, extra };
}

/** The error type's source without attributes and docs (they only cost tokens), with what it converts from. */
function renderErrorType(ap: ActixProject, fileText: string): string | undefined {
  const e = ap.error;
  if (!e) return undefined;
  const info = ap.actix.rust.find((f) => f.file === e.file);
  const item = info?.enums.find((x) => x.name === e.name) ?? info?.structs.find((x) => x.name === e.name);
  const froms = e.from.length ? `; converts from ${e.from.join(', ')}` : '';
  const head = `// Error type (${e.file}): implements ResponseError${froms}`;
  const body = item ? sourceSlice(fileText, item.span.startIndex, item.span.endIndex) : undefined;
  return `${head}\n${body?.trim() || `pub enum ${e.name} { ${e.variants.join(', ')} }`}`;
}

function sourceSlice(text: string, start: number | undefined, end: number | undefined): string | undefined {
  if (start === undefined || end === undefined) return undefined;
  return text
    .slice(start, end)
    .split('\n')
    .filter((l) => !/^\s*(?:#\[|\/\/)/.test(l))
    .map((l) => l.replace(/#\[\s*(?:from|source)\s*\]\s*/g, ''))
    .join('\n');
}

/** The shortest existing handler, preferring one in the target file: the project's own style, shown once. */
function styleSample(ap: ActixProject, file: string, texts: ReadonlyMap<string, string>): { h: ActixHandler; code: string } | undefined {
  const withDb = ap.actix.handlers.filter((h) => h.extractors.some((e) => e.kind === 'data') && h.calls.length && texts.has(h.file));
  const rank = (h: ActixHandler): number => (h.file === file ? 0 : 100000) + (h.span.endByte - h.span.startByte);
  const h = [...withDb].sort((a, b) => rank(a) - rank(b))[0];
  if (!h) return undefined;
  const code = texts.get(h.file)!.slice(h.span.startIndex ?? h.span.startByte, h.span.endIndex ?? h.span.endByte).replace(/^(?:\s*\/\/\/[^\n]*\n)+/, '');
  return { h, code };
}

export function poolLine(ap: ActixProject): string {
  const pool = ap.pool;
  if (!pool) return '';
  return pool.definition ? `// Pool (${pool.file})\npub type ${pool.name} = ${pool.definition};` : `// Pool: handlers take \`web::Data<${pool.name}>\``;
}

/** The handler spec sentence (same wording as the examples in prompts/actix/actix-handler). */
export function specLine(c: Pick<HandlerContext, 'name' | 'method' | 'attrPath' | 'shape'>, poolName: string): string {
  const ex = [`pool: web::Data<${poolName}>`, ...c.shape.extractors.map((e) => `${e.pattern}: ${e.type}`)].map((e) => `\`${e}\``).join(', ');
  return `Handler: \`${c.name}\`, route #[${c.method.toLowerCase()}(${JSON.stringify(c.attrPath)})], extractors ${ex}; call \`${c.shape.call}\`. ${responseRule(c.shape)}`;
}

export async function buildHandlerContext(input: ModeInput): Promise<{ ctx: HandlerContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  if (!input.struct) return { diagnostics: [diag('error', 'no-target', 'Say which model struct the handler serves (--struct Order) and which of its functions it calls (--function list_for_customer).')] };
  const ap = await openActixProject(input.project);
  const diagnostics: Diagnostic[] = [];
  if (!ap.p.info.cargo?.actix && ap.p.info.cargo) diagnostics.push(diag('warning', 'no-actix-dependency', 'Cargo.toml does not list actix-web; the handler will not compile until it does.'));
  const resolved = resolveTargetStruct(ap.p, { struct: input.struct });
  if (!('ref' in resolved)) return { diagnostics: resolved.diagnostics };
  const { ref, table } = resolved;
  const modelFn = resolveModelFn(ap, ref.struct.name, input);
  if ('severity' in modelFn) return { diagnostics: [modelFn] };
  if (modelFn.selfParam) return { diagnostics: [diag('error', 'method-not-supported', `\`${ref.struct.name}::${modelFn.name}\` takes \`${modelFn.selfParam}\`; a handler can only call associated functions that take the connection.`)] };
  if (!modelFn.params.some((p) => /Connection\b/.test(p.type) || p.pattern.replace(/^mut\s+/, '') === 'conn')) {
    return { diagnostics: [diag('error', 'no-conn-param', `\`${ref.struct.name}::${modelFn.name}\` takes no connection (\`conn: &mut ${ap.p.style.connType}\`), so a handler cannot call it with one.`)] };
  }
  if (!ap.pool) diagnostics.push(diag('warning', 'no-pool', 'No connection pool type found (e.g. `pub type DbPool = Pool<ConnectionManager<PgConnection>>;`); the handler assumes `DbPool`.'));
  const poolName = ap.pool?.name ?? 'DbPool';

  const shape = handlerShape({ fn: modelFn, struct: ref.struct.name, table, tables: ap.p.info.schema.tables, isProjectStruct: (n) => ap.types.get(n)?.kind === 'struct' });
  const place = await placeHandler(ap, input, ref.struct.name, table);
  const module = moduleOfFile(place.file, ap.p.info.crateDir);

  const userRoute = parseRoute(input.route);
  if (input.route && !userRoute) return { diagnostics: [diag('error', 'bad-route', `--route must look like "GET /customers/{id}/orders" (got "${input.route}").`)] };
  const chosen = chooseSite(ap, { handlerFile: place.file });
  if (!('site' in chosen)) return { diagnostics: [...diagnostics, ...chosen.diagnostics] };
  let site = chosen.site;
  let fullPath: string;
  if (userRoute) {
    fullPath = joinRoutePath('', userRoute.path);
    const under = (prefix: string): boolean => prefix === '' || fullPath === prefix || fullPath.startsWith(`${prefix}/`);
    if (!under(site.prefix)) {
      // The route lives under another scope: the longest mounted prefix that contains it.
      const fit = registrationSites(ap)
        .filter((s) => s.mounted && under(s.prefix))
        .sort((a, b) => b.prefix.length - a.prefix.length)[0];
      if (!fit) return { diagnostics: [diag('error', 'route-outside-scope', `No scope of the app serves ${fullPath}.`)] };
      site = fit;
    }
  } else {
    fullPath = joinRoutePath(site.prefix, relativeRoute(shape.fullPath, site.prefix, table.name));
  }
  const attrPath = fullPath.slice(site.prefix.length);
  const method = userRoute?.method ?? shape.method;
  const taken = routeTakenBy(ap, { method, path: fullPath });
  if (taken) return { diagnostics: [...diagnostics, diag('error', 'route-taken', `${takenMessage({ method, path: fullPath }, taken)} Pass another route with --route "${method} /…".`)] };

  const fileInfo = place.original !== undefined ? ap.actix.rust.find((f) => f.file === place.file) : undefined;
  const existingNames = [...(fileInfo?.functions.map((f) => f.name) ?? []), ...(fileInfo?.structs.map((s) => s.name) ?? [])];
  const name = wantedFunctionName(input.request) ?? shape.name;
  if (existingNames.includes(name)) {
    return { diagnostics: [...diagnostics, diag('error', 'handler-exists', `${place.file} already has \`${name}\`; ask for another name ("called list_open_orders") or use the existing handler.`, { file: place.file })] };
  }
  if (shape.query && existingNames.includes(shape.query.name)) {
    return { diagnostics: [...diagnostics, diag('error', 'query-struct-exists', `${place.file} already has a struct \`${shape.query.name}\`.`, { file: place.file })] };
  }

  const texts = new Map<string, string>();
  for (const h of ap.actix.handlers) if (!texts.has(h.file)) texts.set(h.file, (await input.project.readFile(h.file)) ?? '');
  const parts: string[] = [];
  const pool = poolLine(ap);
  if (pool) parts.push(pool);
  if (ap.error) parts.push(renderErrorType(ap, (await input.project.readFile(ap.error.file)) ?? '')!);
  const modelParts = [`// Model (${ref.file.file})`, renderStruct(ref.struct)];
  const body = shape.params.find((p) => p.source === 'json');
  const bodyStruct = body ? ap.p.info.findStruct(body.owned) : undefined;
  if (bodyStruct && bodyStruct.struct.name !== ref.struct.name) modelParts.push(renderStruct(bodyStruct.struct));
  modelParts.push(renderImplSignatures(ref.struct.name, [modelFn]));
  parts.push(modelParts.join('\n'));
  if (shape.query) parts.push(`// Query parameters (added to ${place.file} with the handler)\n${shape.query.code}`);
  const sample = styleSample(ap, place.file, texts);
  if (sample) parts.push(`// An existing handler (${sample.h.file}): follow its style\n${sample.code.trim()}`);

  const spec = specLine({ name, method, attrPath, shape }, poolName);
  return {
    ctx: {
      ap,
      target: ref,
      table,
      modelFn,
      shape,
      name,
      method,
      attrPath,
      fullPath,
      userRoute: !!userRoute,
      site,
      ...place,
      ...(module ? { module } : {}),
      existingNames,
      importEnv: { ap, ...(module ? { module } : {}), localNames: new Set([...existingNames, ...(shape.query ? [shape.query.name] : [])]) },
      rendered: parts.join('\n\n'),
      request: `${input.request.trim().replace(/\s+/g, ' ')} ${spec}`.trim(),
    },
    diagnostics,
  };
}
