import { posix } from 'node:path';
import { diag, hasErrors, type Diagnostic } from '../../src/core/diagnostics';
import type { ChangeSet, ModeId } from '../../src/domain';
import type { ApiEndpoint } from '../../src/frontend';
import type { ModeInput } from '../../src/pipeline/mode';
import type { ModelModeSpec } from '../../src/pipeline/runner';
import { checkTsx, TYPECHECK_UNFINISHED } from '../../src/pipeline/tsx';
import { cleanTsxAnswer } from '../../src/pipeline/tsx/answer';
import { reinjectImports } from '../../src/pipeline/tsx/imports';
import { apiOverlay, endpointSignature, importSources, openSolidProject, typeDecl, type SolidProject } from './project';
import type { SolidBank } from './bank';
import { buildSolidPrompt } from './prompt';

/** What a component mode decided before asking the model: the file, the name, the API calls. */
export interface ComponentPlan {
  component: string;
  /** Frontend-relative file: `src/pages/ProductList.tsx`. */
  file: string;
  /** Client functions shown in the context; the first `mustCall` (default 1) must be called. */
  endpoints: ApiEndpoint[];
  mustCall?: number;
  /** Types shown in the context. */
  types: string[];
  /** Extra context lines (route parameter, form fields). */
  notes?: string[];
  /** What the file exports, when it is not a default-exported component (a store module). */
  exports?: string[];
}

export interface ComponentCtx {
  sp: SolidProject;
  plan: ComponentPlan;
  context: string;
  /** Problems with the answer's own imports, by processed code: reported with the other checks, so one re-ask names them all. */
  importProblems: Map<string, Diagnostic[]>;
}

export interface ComponentModeConfig {
  mode: ModeId;
  /** The mode's bank.ts. */
  bank: () => SolidBank;
  /** The mode's context.ts: what to build from the API, or why it cannot be built. */
  plan(sp: SolidProject, input: ModeInput): ComponentPlan | Diagnostic[];
  /** The mode's validate.ts: its checks on the processed code beyond the shared ones, before the real tools run. */
  check?(code: string, ctx: ComponentCtx): Diagnostic[];
}

/** The API client functions and types a prompt shows, plus the file to write. */
export function componentContext(sp: SolidProject, plan: ComponentPlan): string {
  const types = plan.types.map((t) => typeDecl(sp.api.types, t)).filter((t): t is string => !!t);
  return [
    plan.exports ? `// File: ${plan.file} (exports ${plan.exports.join(', ')})` : `// File: ${plan.file} (component ${plan.component}, default export)`,
    ...(plan.notes ?? []).map((n) => `// ${n}`),
    '// from ../api/types',
    ...types,
    '// from ../api/client',
    ...plan.endpoints.map(endpointSignature),
    'export function dataOrThrow<T>(call: Promise<ApiResult<T>>): Promise<T>;',
  ].join('\n');
}

/**
 * The pipeline of a Solid component mode: plan from the API, prompt, clean the TSX, re-inject
 * imports, then the real checks (TypeScript in the project, eslint-plugin-solid, React habits,
 * Tailwind/DaisyUI classes) and a change set with the component (and fresh API files if stale).
 */
export function componentSpec(cfg: ComponentModeConfig): ModelModeSpec<ComponentCtx> {
  return {
    mode: cfg.mode,
    async prepare(input) {
      const opened = await openSolidProject(input.project, input.file);
      if (!('sp' in opened)) return opened;
      const plan = cfg.plan(opened.sp, input);
      if (Array.isArray(plan)) return { diagnostics: plan };
      return { ctx: { sp: opened.sp, plan, context: componentContext(opened.sp, plan), importProblems: new Map() }, diagnostics: opened.sp.api.diagnostics.filter((d) => d.severity === 'error') };
    },
    prompt(ctx, input) {
      const bank = cfg.bank();
      return buildSolidPrompt(bank.system, bank.examples, ctx.context, input.request, input.notes);
    },
    async postProcess(answer, ctx) {
      const cleaned = cleanTsxAnswer(ctx.sp.ts, answer.content);
      if (!cleaned.code || hasErrors(cleaned.diagnostics)) return { ...(cleaned.code ? { code: cleaned.code } : {}), diagnostics: cleaned.diagnostics };
      const { sources, clientFrom } = importSources(ctx.sp, ctx.plan.file);
      const r = reinjectImports(ctx.sp.ts, cleaned.code, sources, clientFrom);
      ctx.importProblems.set(r.code, r.diagnostics);
      return { code: r.code, diagnostics: cleaned.diagnostics };
    },
    async check(processed, ctx, _input, run) {
      const { sp, plan } = ctx;
      const diagnostics: Diagnostic[] = [...(ctx.importProblems.get(processed.code) ?? [])];
      if (!plan.exports && !/export\s+default\s+function\s+\w+|export\s+default\s+\w+\s*;?\s*$/m.test(processed.code)) {
        diagnostics.push(diag('error', 'no-default-export', `The file must \`export default function ${plan.component}()\`.`));
      }
      for (const e of plan.endpoints.slice(0, plan.mustCall ?? 1)) {
        if (new RegExp(`\\b${e.fnName}\\s*\\(`).test(processed.code)) continue;
        diagnostics.push(diag('error', 'client-not-called', `The ${plan.exports ? 'module' : 'component'} must call \`${e.fnName}(…)\` from the API client (${e.method} ${e.path}).`));
      }
      diagnostics.push(...(cfg.check?.(processed.code, ctx) ?? []));
      const tsx = await checkTsx(
        { frontendAbs: sp.frontendAbs, file: plan.file, text: processed.code, others: apiOverlay(sp) },
        { ...(run.typecheckLimitMs !== undefined ? { typecheckLimitMs: run.typecheckLimitMs } : {}), ...(run.signal ? { signal: run.signal } : {}) },
      );
      diagnostics.push(...tsx);
      if (hasErrors(diagnostics)) return { diagnostics };
      const path = posix.join(sp.frontendDir, plan.file);
      const unfinished = tsx.some((d) => d.code === TYPECHECK_UNFINISHED);
      // Said when tsc ran and found nothing (auto-accept lists the checks that passed).
      if (!unfinished && !tsx.some((d) => d.code === 'frontend-not-installed' || d.code === 'typescript-missing')) diagnostics.push(diag('info', 'typechecks', 'Type-checks (tsc with the frontend’s tsconfig).'));
      const original = (await sp.fs.readFile(path)) ?? null;
      const files: ChangeSet['files'] = [...sp.api.changeSet.files, { path, original, proposed: processed.code, ops: [{ op: 'createFile', content: processed.code }] }];
      const stale = sp.api.changeSet.files.length ? ' (with the regenerated API types and client)' : '';
      const marked = unfinished ? ` — type check not finished (${path} was not type-checked)` : '';
      return { diagnostics, changeSet: { mode: cfg.mode, summary: `${plan.component} in ${path}${stale}.${marked}`, files } };
    },
  };
}

/** `Product` → the GET endpoint answering `Product[]` (the list), or one answering `Product` with a path parameter (a record). */
export function findEndpoint(sp: SolidProject, pred: (e: ApiEndpoint) => boolean): ApiEndpoint | undefined {
  return sp.api.endpoints.find(pred);
}

/** The struct named by the input, checked against types.ts; errors list what exists. */
export function targetType(sp: SolidProject, input: ModeInput): string | Diagnostic[] {
  const name = input.struct?.trim();
  const known = [...sp.api.types.matchAll(/export (?:interface|type) (\w+)/g)].map((m) => m[1]!);
  if (!name) return [diag('error', 'no-struct', `Name the Rust struct to build the view for (--struct); the API has: ${known.join(', ') || 'no types'}.`)];
  if (!known.includes(name)) {
    return [diag('error', 'unknown-struct', `\`${name}\` is not a type the API takes or returns (no handler uses it with serde), so there is nothing to show. API types: ${known.join(', ') || 'none'}.`)];
  }
  return name;
}
