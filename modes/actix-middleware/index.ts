import { ONE_FN_GRAMMAR } from '../../src/pipeline/rust/fnGrammar';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { EditOp, FileChange } from '../../src/domain';
import { loadActix } from '../../src/rust';
import { applyOps, fileChange } from '../../src/pipeline/rust/applyOps';
import { extractFunction } from '../../src/pipeline/rust/artifact';
import { planActixImports } from '../actix-common/imports';
import { ProposedProjectFs } from '../../src/core/projectFs';
import { refFromSite } from '../actix-common/register';
import { useCoverage } from '../diesel-common/imports';
import { type BuiltPrompt, type Mode, type ModeInput, described } from '../../src/pipeline/mode';
import { cleanAnswer } from '../../src/pipeline/postprocess';
import { buildPromptMessages } from '../diesel-common/examples';
import { promptFor, runModelMode, type ModelModeSpec, type Processed } from '../../src/pipeline/runner';
import { formatRust, type RustfmtSetting } from '../../src/pipeline/rust/rustfmt';
import { buildMiddlewareContext, type MiddlewareContext } from './context';
import { validateMiddleware } from './validate';
import { middlewareExamples, middlewareSystemText } from './bank';
import { descriptor } from './descriptor';

/** Module the middleware lands in, once its name is known. */
function targetModule(ctx: MiddlewareContext, name: string): string {
  if (ctx.appendTo) return ctx.appendTo.module ?? 'crate::middleware';
  if (ctx.folder) return `${ctx.folder.module}::${name}`;
  return ctx.create!.module;
}

export async function processMiddlewareAnswer(answer: { content: string; reasoning?: string }, ctx: MiddlewareContext, opts: { rustfmt?: RustfmtSetting } = {}): Promise<Processed> {
  const cleaned = cleanAnswer(answer.content, { ...(answer.reasoning ? { reasoning: answer.reasoning } : {}), looksLikeAnswer: /\bfn\s+\w+/ });
  if (hasErrors(cleaned.diagnostics)) return { diagnostics: cleaned.diagnostics };
  const fn = extractFunction(cleaned.code);
  const diagnostics = [...cleaned.diagnostics, ...fn.diagnostics];
  if (!('code' in fn)) return { diagnostics };
  const plan = planActixImports(fn.code, fn.uses, { ap: ctx.ap, module: targetModule(ctx, fn.name), localNames: new Set() });
  diagnostics.push(...plan.diagnostics);
  const code = await formatRust(fn.code, opts.rustfmt);
  return { code, uses: plan.uses, diagnostics };
}

/** The middleware's file (appended, or new with its `mod` line) and its `.wrap(from_fn(…))`. */
export async function middlewareChanges(ctx: MiddlewareContext, processed: Processed & { code: string }, input: ModeInput): Promise<{ files: FileChange[]; diagnostics: Diagnostic[]; ref: string }> {
  const name = /\bfn\s+(\w+)/.exec(processed.code)?.[1] ?? 'middleware';
  const uses = processed.uses ?? [];
  const byFile = new Map<string, { original?: string; ops: EditOp[] }>();
  const add = (path: string, original: string | undefined, ops: EditOp[]): void => {
    const cur = byFile.get(path);
    if (cur) cur.ops.push(...ops);
    else byFile.set(path, { ...(original !== undefined ? { original } : {}), ops: [...ops] });
  };
  const body: EditOp[] = [{ op: 'addUses', uses }, { op: 'appendItem', code: processed.code }];
  if (ctx.appendTo) add(ctx.appendTo.file, ctx.appendTo.original, body);
  else if (ctx.folder) {
    add(`${ctx.folder.dir}/${name}.rs`, undefined, body);
    add(ctx.folder.modFile, ctx.folder.modText, [{ op: 'addMod', name, pub: true }]);
  } else {
    add(ctx.create!.file, undefined, body);
    add(ctx.create!.root, ctx.create!.rootText, [{ op: 'addMod', name: ctx.create!.name, pub: false }]);
  }
  const ref = refFromSite(ctx.ap, ctx.site, { name, module: targetModule(ctx, name) });
  const siteText = byFile.get(ctx.site.file)?.original ?? (await input.project.readFile(ctx.site.file)) ?? '';
  const siteUses = ctx.ap.actix.rust.find((r) => r.file === ctx.site.file)?.uses.flatMap((u) => u.items ?? [u.path]) ?? [];
  const coverage = useCoverage('actix_web::middleware::from_fn', siteUses);
  const wrapOps: EditOp[] = [];
  if (coverage === 'missing') wrapOps.push({ op: 'addUses', uses: ['actix_web::middleware::from_fn'] });
  const call = coverage === 'conflict' ? 'actix_web::middleware::from_fn' : 'from_fn';
  wrapOps.push({ op: 'actixRegister', fn: ctx.site.fn, scopes: ctx.site.scopesInFn, method: 'wrap', args: `${call}(${ref})` });
  add(ctx.site.file, siteText, wrapOps);

  const files: FileChange[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [path, { original, ops }] of byFile) {
    if (original === undefined) {
      const text = applyOps('', ops).text;
      files.push({ path, original: null, proposed: text, ops: [{ op: 'createFile', content: text }] });
      continue;
    }
    const fc = fileChange(path, original, ops);
    diagnostics.push(...fc.diagnostics);
    files.push(fc.change);
  }
  return { files, diagnostics, ref };
}

async function checkWrapped(ctx: MiddlewareContext, files: readonly FileChange[], input: ModeInput, name: string): Promise<Diagnostic[]> {
  const overlay = new ProposedProjectFs(input.project, new Map(files.map((f) => [f.path, f.proposed])));
  const after = await loadActix(overlay, { crateDir: ctx.ap.crateDir, deps: ctx.ap.deps });
  const uses = after.middleware.filter((m) => m.kind === 'from_fn' && m.target?.split('::').pop() === name && m.prefix === ctx.site.prefix && m.mounted);
  if (uses.length === 1) return [];
  const where = ctx.site.prefix ? `the scope ${ctx.site.prefix}` : 'the app';
  return [diag('error', uses.length ? 'registered-twice' : 'not-registered', `After the change \`${name}\` would wrap ${where} ${uses.length} times instead of once.`)];
}

function prompt(ctx: MiddlewareContext, input: ModeInput): BuiltPrompt {
  return buildPromptMessages(middlewareSystemText, middlewareExamples(), ctx.ap.p.style, ctx.rendered, input.request, input.notes ?? []);
}

const spec: ModelModeSpec<MiddlewareContext> = {
  mode: 'actix-middleware',
  formatter: 'rustfmt',
  // One narrow artifact: an answer longer than this is not what was asked for.
  maxCodeLines: 200,
  prepare: buildMiddlewareContext,
  prompt,
  // One `fn` item (the examples' shape): without it the base model answered in prose on both tasks.
  grammar: ONE_FN_GRAMMAR,
  postProcess: (answer, ctx, _input, run) => processMiddlewareAnswer(answer, ctx, run),
  async check(processed, ctx, input) {
    const diagnostics = validateMiddleware(processed.code, { existingNames: ctx.existingNames, deps: ctx.ap.p.style.deps, crateModules: ctx.crateModules });
    const changes = await middlewareChanges(ctx, processed, input);
    const name = /\bfn\s+(\w+)/.exec(processed.code)?.[1] ?? 'middleware';
    const where = ctx.site.prefix ? `scope ${ctx.site.prefix}` : 'the app';
    const changeSet = { mode: 'actix-middleware', summary: `Add middleware \`${name}\` and wrap ${where} with \`from_fn(${changes.ref})\``, files: changes.files };
    const draft = changes.files.length ? { draft: changeSet } : {};
    if (hasErrors(diagnostics)) return { diagnostics, ...draft };
    diagnostics.push(...changes.diagnostics);
    if (hasErrors(diagnostics)) return { diagnostics };
    diagnostics.push(...(await checkWrapped(ctx, changes.files, input, name)));
    if (hasErrors(diagnostics)) return { diagnostics, ...draft };
    return { diagnostics, changeSet };
  },
};

/** One `from_fn` middleware (logging, guards, headers), registered with `.wrap(from_fn(…))`. */
export const actixMiddlewareMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'middleware'),
};

export default actixMiddlewareMode;
