import { oneFnGrammar } from '../../src/pipeline/rust/fnGrammar';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { joinRoutePath, loadActix, routeParams, routeShape } from '../../src/rust';
import { applyOps, fileChange } from '../../src/pipeline/rust/applyOps';
import { extractFunction } from '../../src/pipeline/rust/artifact';
import { isRegistered, registrationsKnown, typeKey } from '../actix-common/dataAccess';
import { extractorTypeNames } from '../actix-common/handlerCall';
import { planActixImports } from '../actix-common/imports';
import { structFunctions } from '../actix-common/project';
import { ProposedProjectFs } from '../../src/core/projectFs';
import { planRegistration, routeTakenBy, takenMessage } from '../actix-common/register';
import { type BuiltPrompt, type Mode, type ModeInput, described } from '../../src/pipeline/mode';
import { cleanAnswer } from '../../src/pipeline/postprocess';
import { buildPromptMessages } from '../diesel-common/examples';
import { promptFor, runModelMode, type ModelModeSpec, type Processed } from '../../src/pipeline/runner';
import { formatRust, type RustfmtSetting } from '../../src/pipeline/rust/rustfmt';
import { examplesFor, handlerSystemText } from './bank';
import { buildHandlerContext, type HandlerContext } from './context';
import { validateHandler, type HandlerCheckEnv } from './validate';
import { descriptor } from './descriptor';

const ROUTE_ATTR = /^([ \t]*)#\[\s*(?:actix_web::)?(get|post|put|patch|delete|head|route)\s*\((?:[^()\n]|\([^()\n]*\))*\)\s*\][ \t]*$/m;

/** `#[get("/customers/{id}")]`: the route attribute the mode plans for the handler. */
export const plannedRouteAttribute = (ctx: Pick<HandlerContext, 'method' | 'attrPath'>): string => `#[${ctx.method.toLowerCase()}(${JSON.stringify(ctx.attrPath)})]`;

/**
 * The planned route attribute and name win over the model's when nothing else depends on them:
 * same number of `{…}` segments (so its `web::Path` still fits) → the attribute is rewritten; a
 * different name → renamed. Everything else is left for validation to report.
 */
export function conformHandler(
  code: string,
  ctx: Pick<HandlerContext, 'name' | 'method' | 'attrPath'> & Partial<Pick<HandlerContext, 'original' | 'nameGiven' | 'existingNames' | 'file' | 'registerAs'>>,
): { code: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const planned = plannedRouteAttribute(ctx);
  let out = code;
  const m = ROUTE_ATTR.exec(out);
  if (ctx.registerAs === 'route') {
    // The route is given at registration (`.route(path, web::get().to(h))`); an attribute too would register a second resource.
    if (m) {
      out = out.replace(new RegExp(`${ROUTE_ATTR.source}\\n?`, 'm'), '');
      diagnostics.push(diag('info', 'route-attribute-dropped', `Dropped the route attribute: this project registers handlers with .route(${JSON.stringify(ctx.attrPath)}, web::${ctx.method.toLowerCase()}().to(…)).`));
    }
  } else if (m) {
    const path = /\(\s*(?:r#*)?"([^"]*)"/.exec(m[0])?.[1] ?? '';
    const same = m[2] === ctx.method.toLowerCase() && path === ctx.attrPath;
    if (!same && routeParams(path).length === routeParams(ctx.attrPath).length && !/\bmethod\s*=/.test(m[0])) {
      out = out.replace(ROUTE_ATTR, `${m[1]}${planned}`);
      if (m[2] !== ctx.method.toLowerCase() || routeShape(path) !== routeShape(ctx.attrPath)) diagnostics.push(diag('info', 'route-adjusted', `Changed the route attribute to the planned ${planned}.`));
    }
  } else if (!/#\[\s*(?:actix_web::)?(?:get|post|put|patch|delete|head|route)\b/.test(out) && routeParams(ctx.attrPath).length > 0 === /web::Path\s*</.test(out)) {
    out = out.replace(/^((?:[ \t]*(?:\/\/\/[^\n]*|#\[[^\n]*\])\n)*)([ \t]*)(pub\b|async\b|fn\b)/, (_, lead: string, ind: string, kw: string) => `${lead}${ind}${planned}\n${ind}${kw}`);
    diagnostics.push(diag('info', 'route-added', `Added the missing route attribute ${planned}.`));
  }
  const name = /\bfn\s+([A-Za-z_]\w*)/.exec(out)?.[1];
  if (name && name !== ctx.name) {
    // The file may already name the answer's handler (an `#[openapi(paths(…))]` list, a registration): renaming would break it.
    const referenced = ctx.original !== undefined && new RegExp(`\\b${name}\\b`).test(ctx.original) && !ctx.existingNames?.includes(name);
    if (referenced && !ctx.nameGiven) {
      diagnostics.push(diag('info', 'name-kept', `Kept the handler name \`${name}\`: ${ctx.file ?? 'the file'} already refers to it.`));
    } else {
      out = out.replace(/\bfn\s+[A-Za-z_]\w*/, `fn ${ctx.name}`);
      if (referenced) diagnostics.push(diag('warning', 'renamed-referenced', `Renamed the handler \`${name}\` to \`${ctx.name}\` as asked; ${ctx.file ?? 'the file'} also refers to \`${name}\`: update that reference.`));
      else diagnostics.push(diag('info', 'renamed', `Renamed the handler \`${name}\` to the planned \`${ctx.name}\`.`));
    }
  }
  return { code: out, diagnostics };
}

export async function processHandlerAnswer(answer: { content: string; reasoning?: string }, ctx: HandlerContext, opts: { rustfmt?: RustfmtSetting } = {}): Promise<Processed> {
  const cleaned = cleanAnswer(answer.content, { ...(answer.reasoning ? { reasoning: answer.reasoning } : {}), looksLikeAnswer: /\bfn\s+\w+/ });
  if (hasErrors(cleaned.diagnostics)) return { diagnostics: cleaned.diagnostics };
  const fn = extractFunction(cleaned.code, { wantedName: ctx.name });
  const diagnostics = [...cleaned.diagnostics, ...fn.diagnostics];
  if (!('code' in fn)) return { diagnostics };
  const conformed = conformHandler(fn.code, ctx);
  diagnostics.push(...conformed.diagnostics);
  const plan = planActixImports(conformed.code, fn.uses, ctx.importEnv);
  diagnostics.push(...plan.diagnostics);
  const code = await formatRust(conformed.code, opts.rustfmt);
  return { code, uses: plan.uses, diagnostics };
}

export function handlerCheckEnv(ctx: HandlerContext, answerUses: readonly string[] = []): HandlerCheckEnv {
  const { ap } = ctx;
  const types = new Map<string, { kind: string; derives: string[] }>(ap.types);
  if (ctx.shape.query) types.set(ctx.shape.query.name, { kind: 'struct', derives: ['Debug', 'Deserialize'] });
  const a = ctx.access;
  const fileUses = ap.actix.rust.find((f) => f.file === ctx.file)?.uses.flatMap((u) => u.items ?? [u.path]) ?? [];
  const aliases = new Map<string, { generics: string[]; type: string }>();
  for (const t of ap.actix.typeAliases) if (!aliases.has(t.name)) aliases.set(t.name, { generics: t.generics ?? [], type: t.type });
  const moduleFns = new Map<string, string[]>();
  for (const f of ap.actix.rust) {
    const mod = f.file ? ap.moduleOf(f.file) : undefined;
    const last = mod?.split('::').pop();
    if (!last || last === 'crate' || !f.functions.length) continue;
    moduleFns.set(last, [...(moduleFns.get(last) ?? []), ...f.functions.map((x) => x.name)]);
  }
  return {
    method: ctx.method,
    attrPath: ctx.attrPath,
    registerAs: ctx.registerAs,
    userRoute: ctx.userRoute,
    struct: ctx.target?.struct.name ?? ctx.dfn.owner ?? '',
    modelFn: ctx.modelFn,
    fnLabel: ctx.fnLabel,
    callee: ctx.shape.call.replace(/\(.*$/s, ''),
    shape: ctx.shape,
    asyncDb: ap.asyncDb,
    poolName: ap.pool?.name ?? 'DbPool',
    ...(a ? { access: { param: a.param, extractor: a.extractor, dataType: a.dataType, kind: a.kind, ...(a.poolExpr ? { poolExpr: a.poolExpr } : {}), ...(a.registeredAt ? { where: `${a.registeredAt.file}:${a.registeredAt.line}` } : {}) } } : {}),
    ...(registrationsKnown(ap.actix) ? { isRegistered: (inner: string) => isRegistered(inner, ap.actix, ap.env) } : {}),
    handlerDataTypes: new Set(ap.actix.handlers.flatMap((h) => h.extractors.filter((e) => e.kind === 'data' && e.inner).map((e) => typeKey(e.inner!)))),
    extractorTypes: extractorTypeNames(ap),
    moduleFns: (m) => moduleFns.get(m),
    resultIsActix: [...fileUses, ...answerUses].some((u) => /^actix_web::Result$/.test(u.trim())),
    aliases,
    errorTypes: ap.actix.errorTypes.map((e) => e.name),
    blockingIsError: !ap.asyncDb && (ctx.ap.actix.handlers.length === 0 || ctx.blockingStyle),
    ...(ap.error ? { error: { name: ap.error.name, variants: ap.error.variants } } : {}),
    types,
    existingNames: ctx.existingNames,
    structFns: (n) => (ap.types.has(n) || ap.p.info.findStruct(n) ? structFunctions(ap, n).map((f) => f.name) : undefined),
    routeTaken: (method, attrPath) => {
      const path = joinRoutePath(ctx.site.prefix, attrPath);
      const by = routeTakenBy(ap, { method, path });
      return by ? takenMessage({ method, path }, by) : undefined;
    },
  };
}

/** The change set: the handler (and its query struct) in its file, its registration, `mod` lines for a new file. */
export async function handlerChanges(ctx: HandlerContext, processed: Processed & { code: string }, input: ModeInput): Promise<{ files: FileChange[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const name = /\bfn\s+(\w+)/.exec(processed.code)?.[1] ?? ctx.name;
  const uses = [...(processed.uses ?? []), ...ctx.callUses];
  if (ctx.shape.query) uses.push('serde::Deserialize');
  const handlerOps: EditOp[] = [{ op: 'addUses', uses }];
  if (ctx.shape.query) handlerOps.push({ op: 'appendItem', code: ctx.shape.query.code });
  handlerOps.push({ op: 'appendItem', code: processed.code });

  const handler = { name, file: ctx.file, ...(ctx.module ? { module: ctx.module } : {}) };
  const reg =
    ctx.registerAs === 'route'
      ? planRegistration(ctx.ap, { ...handler, routeAttrs: [] }, { site: ctx.site, plainRoute: { method: ctx.method, path: ctx.fullPath } })
      : planRegistration(ctx.ap, { ...handler, routeAttrs: [{ method: ctx.method, path: ctx.attrPath, macro: ctx.method.toLowerCase() }] }, { site: ctx.site });
  diagnostics.push(...reg.diagnostics);
  if (!reg.plan) return { files: [], diagnostics };

  const byFile = new Map<string, { original?: string; ops: EditOp[] }>();
  const add = (path: string, original: string | undefined, ops: EditOp[]): void => {
    const cur = byFile.get(path);
    if (cur) cur.ops.push(...ops);
    else byFile.set(path, { ...(original !== undefined ? { original } : {}), ops: [...ops] });
  };
  add(ctx.file, ctx.original, handlerOps);
  for (const e of ctx.extra) add(e.path, e.original, e.ops);
  add(reg.plan.file, reg.plan.file === ctx.file ? ctx.original : await input.project.readFile(reg.plan.file), [reg.plan.op]);

  const files: FileChange[] = [];
  for (const [path, { original, ops }] of byFile) {
    if (original === undefined) {
      // A new file is proposed whole; re-applying to a file created meanwhile would merge blindly.
      const create = ops.find((o): o is Extract<EditOp, { op: 'createFile' }> => o.op === 'createFile');
      const text = applyOps(create?.content ?? '', ops.filter((o) => o.op !== 'createFile')).text;
      files.push({ path, original: null, proposed: text, ops: [{ op: 'createFile', content: text }] });
      continue;
    }
    const fc = fileChange(path, original, ops);
    diagnostics.push(...fc.diagnostics);
    files.push(fc.change);
  }
  return { files, diagnostics };
}

/** Reads the project as it would be after the change: the handler must be registered exactly once, at the planned route. */
async function checkRegistered(ctx: HandlerContext, files: readonly FileChange[], input: ModeInput, name: string): Promise<Diagnostic[]> {
  const overlay = new ProposedProjectFs(input.project, new Map(files.map((f) => [f.path, f.proposed])));
  const after = await loadActix(overlay, { crateDir: ctx.ap.crateDir, deps: ctx.ap.deps });
  const regs = after.routes.filter((r) => r.mounted && r.handler === name && r.handlerFile === ctx.file);
  const want = ctx.fullPath;
  if (regs.length === 1 && routeShape(regs[0]!.path) === routeShape(want) && regs[0]!.method === ctx.method) return [];
  if (!regs.length) return [diag('error', 'not-registered', `After the change \`${name}\` would not be served: registering it in \`${ctx.site.fn}\` (${ctx.site.file}) failed.`)];
  if (regs.length > 1) return [diag('error', 'registered-twice', `After the change \`${name}\` would be registered ${regs.length} times.`)];
  return [diag('error', 'wrong-route', `After the change \`${name}\` would answer ${regs[0]!.method} ${regs[0]!.path}, not ${ctx.method} ${want}.`)];
}

function prompt(ctx: HandlerContext, input: ModeInput): BuiltPrompt {
  return buildPromptMessages(handlerSystemText(ctx.ap), examplesFor(ctx.ap, ctx.access), ctx.ap.p.style, ctx.rendered, ctx.request, input.notes ?? []);
}

const spec: ModelModeSpec<HandlerContext> = {
  mode: 'actix-handler',
  formatter: 'rustfmt',
  // One narrow artifact: an answer longer than this is not what was asked for.
  maxCodeLines: 200,
  prepare: buildHandlerContext,
  prompt,
  // One `fn` with the handler's name (the mode decided it and shows it in the request), right after
  // the planned route attribute (none when the project registers with `.route(…)`).
  grammar: (ctx) => oneFnGrammar(ctx.name, ctx.registerAs === 'route' ? '' : `${plannedRouteAttribute(ctx)}\n`),
  postProcess: (answer, ctx, _input, run) => processHandlerAnswer(answer, ctx, run),
  async check(processed, ctx, input) {
    const diagnostics = validateHandler(processed.code, handlerCheckEnv(ctx, processed.uses ?? []));
    const changes = await handlerChanges(ctx, processed, input);
    const name = /\bfn\s+(\w+)/.exec(processed.code)?.[1] ?? ctx.name;
    const changeSet = {
      mode: 'actix-handler',
      summary: `Add handler \`${name}\` (${ctx.method} ${ctx.fullPath} → \`${ctx.fnLabel}\`) to ${ctx.file}`,
      files: changes.files,
    };
    const draft = changes.files.length ? { draft: changeSet } : {};
    if (hasErrors(diagnostics)) return { diagnostics, ...draft };
    diagnostics.push(...changes.diagnostics);
    if (hasErrors(diagnostics) || !changes.files.length) return { diagnostics };
    diagnostics.push(...(await checkRegistered(ctx, changes.files, input, name)));
    if (hasErrors(diagnostics)) return { diagnostics, ...draft };
    return { diagnostics, changeSet };
  },
};

/** One Actix handler for one Diesel model function, registered where its siblings are. */
export const actixHandlerMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'handler'),
};

export default actixHandlerMode;
