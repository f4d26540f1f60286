import asyncMd from '../../prompts/actix/actix-handler/examples.async.md';
import syncMd from '../../prompts/actix/actix-handler/examples.md';
import plainMd from '../../prompts/actix/actix-handler/examples.plain.md';
import systemMd from '../../prompts/actix/actix-handler/system.md';
import type { DataAccess } from '../actix-common/dataAccess';
import type { ActixProject } from '../actix-common/project';
import { fillTemplate, lazyExamples, type Example } from '../../src/pipeline/promptBank';

export type HandlerBankKind = 'sync' | 'async' | 'plain';

const BANKS: Record<HandlerBankKind, () => Example[]> = {
  sync: lazyExamples(syncMd, 'prompts/actix/actix-handler/examples.md'),
  async: lazyExamples(asyncMd, 'prompts/actix/actix-handler/examples.async.md'),
  plain: lazyExamples(plainMd, 'prompts/actix/actix-handler/examples.plain.md'),
};

/** The examples of one bank, parsed once, as written (`AppError`, `DbPool`). */
export const handlerExamples = (kind: HandlerBankKind): Example[] => BANKS[kind]();

/** diesel-async projects get the async bank; projects without an error type the `actix_web::Error` one. */
export function bankKind(ap: Pick<ActixProject, 'asyncDb' | 'error'>): HandlerBankKind {
  if (ap.asyncDb) return 'async';
  return ap.error ? 'sync' : 'plain';
}

const rename = (text: string, from: string, to: string): string => (from === to ? text : text.replace(new RegExp(`\\b${from}\\b`, 'g'), to));

/**
 * The bank for this project, with the example error and pool types renamed to the project's own,
 * and the examples' `pool: web::Data<DbPool>` rewritten to the way this app registers it
 * (`state: web::Data<Arc<AppState>>` … `state.pool.get()`), so they show what compiles here.
 */
export function examplesFor(ap: Pick<ActixProject, 'asyncDb' | 'error' | 'pool'>, access?: Pick<DataAccess, 'kind' | 'param' | 'extractor' | 'poolExpr'>): Example[] {
  const errorName = ap.error?.name ?? 'AppError';
  const poolName = ap.pool?.name ?? 'DbPool';
  const viaState = access && access.kind === 'state' && access.poolExpr ? access : undefined;
  const state = (t: string): string => (viaState ? t.replace(/\bpool: web::Data<DbPool>/g, `${viaState.param}: ${viaState.extractor}`).replace(/\bpool\.get\(\)/g, `${viaState.poolExpr}.get()`) : t);
  const fix = (t: string): string => rename(rename(state(t), 'AppError', errorName), 'DbPool', poolName);
  return handlerExamples(bankKind(ap)).map((e) => ({ ...e, context: fix(e.context), request: fix(e.request), answers: e.answers.map((a) => ({ ...a, code: fix(a.code) })) }));
}

export function handlerSystemText(ap: Pick<ActixProject, 'asyncDb' | 'error' | 'pool'>): string {
  const pool = ap.pool?.name ?? 'DbPool';
  const dbRule = ap.asyncDb
    ? 'The project uses diesel-async: `let mut conn = pool.get().await?;` then `.await` the model call. Never use `web::block`.'
    : 'Diesel is synchronous here: call the model function inside `web::block(move || { let mut conn = pool.get()…?; … })` and `.await` the block.';
  const errorRule = ap.error
    ? `Return \`Result<HttpResponse, ${ap.error.name}>\` and use only the variants of \`${ap.error.name}\` shown in the Context.`
    : 'Return `Result<HttpResponse, actix_web::Error>`: map errors with `error::ErrorInternalServerError` and a missing row with `error::ErrorNotFound("… not found")`.';
  return fillTemplate(systemMd, { POOL: pool, DB_RULE: dbRule, ERROR_RULE: errorRule }, 'prompts/actix/actix-handler/system.md');
}
