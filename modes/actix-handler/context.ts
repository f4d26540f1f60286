import { posix } from 'node:path';
import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp } from '../../src/domain';
import { joinRoutePath, type ActixHandler, type ActixSite, type FnSig, type HttpMethod, type StructRef, type Table } from '../../src/rust';
import { wantedFunctionName } from '../../src/pipeline/rust/artifact';
import type { DataAccess } from '../actix-common/dataAccess';
import { handlerCall, handlerWays, neighbourExtractors, type ExtraExtractor } from '../actix-common/handlerCall';
import type { ActixImportEnv } from '../actix-common/imports';
import { describeFn, resolveModelFn } from '../actix-common/modelFns';
import { handlerDirs, openActixProject, type ActixProject } from '../actix-common/project';
import { chooseSite, registrationSites, registrationStyle, routeTakenBy, takenMessage, type RegisterStyle } from '../actix-common/register';
import { servedStruct, type DieselFn } from '../../src/rust/dieselFns';
import type { ModeInput } from '../../src/pipeline/mode';
import { resolveTargetStruct } from '../diesel-common/project';
import { renderImplSignatures, renderStruct } from '../diesel-common/render';
import { joinPosix } from '../diesel-common/style';
import { handlerShape, relativeRoute, responseRule, type HandlerShape } from './shape';

/** Everything actix-handler decided before asking the model, and the text the model sees. */
export interface HandlerContext {
  ap: ActixProject;
  /** The model struct the handler serves, when the function names one. */
  target?: StructRef;
  table: Table;
  modelFn: FnSig;
  /** The indexed function: where it lives and how it gets a connection. */
  dfn: DieselFn;
  /** `db_actions::find_vehicle`, `Customer::find`, `Database::get_patient`. */
  fnLabel: string;
  /** How the handler reaches the database (undefined when the function gets its own connection). */
  access?: DataAccess;
  /** Extractors the neighbouring handlers use besides the standard ones (session guards, auth users). */
  extras: ExtraExtractor[];
  /** Imports the call needs in the handler file (`crate::db_actions`). */
  callUses: string[];
  /** The project's handlers run Diesel inside `web::block` (so one that does not is wrong here). */
  blockingStyle: boolean;
  shape: HandlerShape;
  /** The handler's name. */
  name: string;
  /** The user or task gave the name (`--handler`, "called x"): it is kept whatever the model writes. */
  nameGiven: boolean;
  method: HttpMethod;
  /** Path in the route attribute (relative to the site). */
  attrPath: string;
  /**
   * How the handler is registered, following its neighbours: `service` (a route attribute,
   * `.service(h)`) or `route` (a plain function, `.route("/path", web::get().to(h))`).
   */
  registerAs: RegisterStyle;
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

/** The table a function's body queries (`vehicles::table`), when it names no model struct. */
function bodyTable(ap: ActixProject, f: DieselFn): string | undefined {
  const m = /\b(\w+)::table\b/.exec(f.sig.signature + (f.returnType ?? ''));
  if (m && ap.p.info.findTable(m[1]!)) return m[1];
  for (const t of ap.p.info.schema.tables) if (f.name.includes(t.name) || f.name.includes(t.name.replace(/s$/, ''))) return t.name;
  return undefined;
}

/** How handlers get a connection, as the model should copy it. */
function accessLine(ap: ActixProject, a: DataAccess | undefined): string {
  if (!a) return poolLine(ap);
  const where = a.registeredAt ? ` (registered in ${a.registeredAt.file}:${a.registeredAt.line})` : '';
  const how =
    a.kind === 'repo'
      ? `call its methods: \`${a.param}.method(…)\``
      : `${ap.asyncDb ? `\`let mut conn = ${a.poolExpr}.get().await?;\`` : `\`let mut conn = ${a.poolExpr}.get()?;\` inside \`web::block\``}`;
  const pool = a.kind === 'pool' && ap.pool?.definition && ap.pool.name === a.dataType ? `\npub type ${ap.pool.name} = ${ap.pool.definition};` : '';
  return `// Database access: take \`${a.param}: ${a.extractor}\`${where}; ${how}${pool}`;
}

/** Where a handler for `table` goes: beside the handlers that already use the struct, else a new file in the handlers folder. */
async function placeHandler(ap: ActixProject, input: ModeInput, struct: string, table: Table, dfn: DieselFn, access: DataAccess | undefined): Promise<Pick<HandlerContext, 'file' | 'original' | 'extra'>> {
  const fs = input.project;
  const crateDir = ap.crateDir;
  const modelFiles = new Set(ap.p.info.files.map((f) => f.file));
  // The file the command was invoked on, when it is a handler file (not a model, the schema or main.rs).
  const dirs = handlerDirs(ap);
  const isHandlerFile = (f: string): boolean => ap.actix.handlers.some((h) => h.file === f) || dirs.some((d) => posix.dirname(f) === d && !/(?:^|\/)(?:main|lib|mod)\.rs$/.test(f));
  if (input.file && input.file.endsWith('.rs') && !modelFiles.has(input.file) && !ap.p.info.schemaPaths.includes(input.file) && isHandlerFile(input.file)) {
    const original = await fs.readFile(input.file);
    if (original !== undefined) return { file: input.file, original, extra: [] };
  }
  const counts = new Map<string, number>();
  for (const h of ap.actix.handlers) if (h.calls.some((c) => c.startsWith(`${struct}::`) || c === struct)) counts.set(h.file, (counts.get(h.file) ?? 0) + 1);
  // Else beside the handlers that call the same query module or repository.
  if (!counts.size) {
    const prefix = dfn.owner ? `${dfn.owner}::` : dfn.module && dfn.module !== 'crate' ? `${dfn.module.split('::').pop()}::` : undefined;
    for (const h of ap.actix.handlers) {
      const text = ((await fs.readFile(h.file)) ?? '').slice(h.span.startIndex ?? h.span.startByte, h.span.endIndex ?? h.span.endByte);
      const sameData = access !== undefined && h.extractors.some((e) => e.kind === 'data' && e.inner?.replace(/\s+/g, '') === access.dataType.replace(/\s+/g, ''));
      // Sharing only the pool says nothing (every handler has it); sharing a repository or a query module does.
      const weight = (prefix && text.includes(prefix)) || (dfn.conn.kind === 'self' && sameData) ? 1 : 0;
      if (weight) counts.set(h.file, (counts.get(h.file) ?? 0) + weight);
    }
  }
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

/** The shortest existing handler that reaches the database the same way, preferring one in the target file: the project's own style, shown once. */
function styleSample(ap: ActixProject, file: string, texts: ReadonlyMap<string, string>, access: DataAccess | undefined): { h: ActixHandler; code: string } | undefined {
  const withDb = ap.actix.handlers.filter((h) => h.extractors.some((e) => e.kind === 'data') && texts.has(h.file));
  const same = (h: ActixHandler): boolean => !access || h.extractors.some((e) => e.kind === 'data' && e.inner !== undefined && e.inner.replace(/\s+/g, '') === access.dataType.replace(/\s+/g, ''));
  const callsDb = (h: ActixHandler): boolean => h.calls.length > 0 || /\.get\s*\(\s*\)/.test(texts.get(h.file)!.slice(h.span.startIndex ?? h.span.startByte, h.span.endIndex ?? h.span.endByte));
  const rank = (h: ActixHandler): number => (same(h) ? 0 : 1_000_000) + (callsDb(h) ? 0 : 500_000) + (h.file === file ? 0 : 100000) + (h.span.endByte - h.span.startByte);
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
export function specLine(c: Pick<HandlerContext, 'name' | 'method' | 'attrPath' | 'shape'> & Partial<Pick<HandlerContext, 'registerAs'>>, dataParam: string | undefined): string {
  const ex = [...(dataParam ? [dataParam] : []), ...c.shape.extractors.map((e) => `${e.pattern}: ${e.type}`)].map((e) => `\`${e}\``).join(', ');
  const route =
    c.registerAs === 'route'
      ? `a plain async fn without a route attribute (registered as .route(${JSON.stringify(c.attrPath)}, web::${c.method.toLowerCase()}().to(${c.name})))`
      : `route #[${c.method.toLowerCase()}(${JSON.stringify(c.attrPath)})]`;
  return `Handler: \`${c.name}\`, ${route}, extractors ${ex}; call \`${c.shape.call}\`. ${responseRule(c.shape)}`;
}

export async function buildHandlerContext(input: ModeInput): Promise<{ ctx: HandlerContext; diagnostics: Diagnostic[] } | { diagnostics: Diagnostic[] }> {
  const ap = await openActixProject(input.project);
  const diagnostics: Diagnostic[] = [];
  // In a workspace the Actix crate is another member (ap.crateDir), found by its actix-web dependency.
  if (ap.crateDir === ap.p.info.crateDir && !ap.p.info.cargo?.actix && ap.p.info.cargo) diagnostics.push(diag('warning', 'no-actix-dependency', 'Cargo.toml does not list actix-web; the handler will not compile until it does.'));
  const isModel = (n: string): boolean => !!ap.p.info.findStruct(n)?.struct.tableName && !!ap.p.info.findTable(ap.p.info.findStruct(n)!.struct.tableName!);
  if (input.struct && !ap.p.info.findStruct(input.struct) && !ap.types.has(input.struct)) {
    const resolved = resolveTargetStruct(ap.p, { struct: input.struct });
    if (!('ref' in resolved)) return { diagnostics: resolved.diagnostics };
  }
  const dfn = resolveModelFn(ap.fns, input, isModel);
  if ('severity' in dfn) return { diagnostics: [...diagnostics, dfn] };
  const modelFn = dfn.sig;
  const structName = (input.struct && isModel(input.struct) ? input.struct : undefined) ?? servedStruct(dfn, isModel);
  const target = structName ? ap.p.info.findStruct(structName) : undefined;
  const tableName = target?.struct.tableName ?? bodyTable(ap, dfn);
  const table = tableName ? ap.p.info.findTable(tableName) : undefined;
  if (!table) return { diagnostics: [...diagnostics, diag('error', 'unknown-table', `Cannot tell which table \`${describeFn(dfn)}\` (${dfn.file}) works on: it names no model struct of the schema's tables.`)] };
  const ways = handlerWays(ap, dfn);
  if ('severity' in ways) return { diagnostics: [...diagnostics, ways] };
  const { access } = ways;
  if (!access && dfn.conn.kind !== 'own') diagnostics.push(diag('warning', 'no-pool', 'No connection pool registered with `.app_data(web::Data::new(…))` was found; the handler assumes `pool: web::Data<DbPool>`.'));

  const place = await placeHandler(ap, input, structName ?? dfn.owner ?? '', table, dfn, access);
  const module = ap.moduleOf(place.file);
  const call = handlerCall(dfn, access, module);
  const shape = handlerShape({ fn: modelFn, struct: structName ?? dfn.owner ?? '', table, tables: ap.p.info.schema.tables, isProjectStruct: (n) => ap.types.get(n)?.kind === 'struct', callee: call.callee, connArgs: call.connArgs });

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
        // Ties: the handler's own file (its configure function) before a scope elsewhere.
        .sort((a, b) => b.prefix.length - a.prefix.length || Number(b.file === place.file) - Number(a.file === place.file) || Number(b.kind === 'configure') - Number(a.kind === 'configure'))[0];
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
  const given = input.handler?.trim() || wantedFunctionName(input.request);
  const name = given || shape.name;
  if (existingNames.includes(name)) {
    return { diagnostics: [...diagnostics, diag('error', 'handler-exists', `${place.file} already has \`${name}\`; ask for another name ("called list_open_orders") or use the existing handler.`, { file: place.file })] };
  }
  if (shape.query && existingNames.includes(shape.query.name)) {
    return { diagnostics: [...diagnostics, diag('error', 'query-struct-exists', `${place.file} already has a struct \`${shape.query.name}\`.`, { file: place.file })] };
  }

  const texts = new Map<string, string>();
  for (const h of ap.actix.handlers) if (!texts.has(h.file)) texts.set(h.file, (await input.project.readFile(h.file)) ?? '');
  const parts: string[] = [];
  const accessText = accessLine(ap, access);
  if (accessText) parts.push(accessText);
  if (ap.error) parts.push(renderErrorType(ap, (await input.project.readFile(ap.error.file)) ?? '')!);
  const modelParts = target ? [`// Model (${target.file.file})`, renderStruct(target.struct)] : [];
  const body = shape.params.find((p) => p.source === 'json');
  const bodyStruct = body ? ap.p.info.findStruct(body.owned) : undefined;
  if (bodyStruct && bodyStruct.struct.name !== target?.struct.name) modelParts.push(renderStruct(bodyStruct.struct));
  modelParts.push(`// The function the handler calls (${dfn.file})`);
  modelParts.push(dfn.owner ? renderImplSignatures(dfn.owner, [modelFn]) : `${modelFn.signature};`);
  parts.push(modelParts.join('\n'));
  if (shape.query) parts.push(`// Query parameters (added to ${place.file} with the handler)\n${shape.query.code}`);
  const extras = neighbourExtractors(ap, place.file);
  if (extras.length) parts.push(`// Other extractors the handlers here take (keep them when the handler needs the same guard)\n${extras.map((e) => `${e.pattern}: ${e.type}`).join('\n')}`);
  const sample = styleSample(ap, place.file, texts, access);
  if (sample) parts.push(`// An existing handler (${sample.h.file}): follow its style\n${sample.code.trim()}`);

  const registerAs = registrationStyle(ap, site, place.file);
  const spec = specLine({ name, method, attrPath, shape, registerAs }, access ? `${access.param}: ${access.extractor}` : undefined);
  return {
    ctx: {
      ap,
      ...(target ? { target } : {}),
      table,
      modelFn,
      dfn,
      fnLabel: call.label,
      nameGiven: !!given,
      ...(access ? { access } : {}),
      extras,
      callUses: call.uses,
      blockingStyle: [...texts.values()].some((t) => /\bweb::block\s*\(/.test(t)),
      shape,
      name,
      method,
      attrPath,
      registerAs,
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
