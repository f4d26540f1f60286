import examplesMd from '../../prompts/diesel/diesel-model-fn/examples.md';
import systemMd from '../../prompts/diesel/diesel-model-fn/system.md';
import { fillTemplate, lazyExamples } from '../../src/pipeline/promptBank';
import { backendDisplayName, type ProjectStyle } from '../diesel-common/style';
import { connParam } from '../diesel-common/validate';

/** The examples, parsed once. */
export const fnExamples = lazyExamples(examplesMd, 'prompts/diesel/diesel-model-fn/examples.md');

/**
 * The fixed instructions for one project: its Diesel version, backend (or backend-neutral code when
 * nothing decides it), connection parameter, and sync / diesel-async / async-wrapper style.
 */
export function fnSystemText(style: ProjectStyle, opts: { asyncWrapper?: string; queryMacro?: string } = {}): string {
  const asyncRule = style.async
    ? `The project uses diesel-async: write \`pub async fn\` and put \`.await\` after every query call, like \`.load(conn).await\`.`
    : opts.asyncWrapper
      ? `The existing functions are \`async fn\` that run synchronous Diesel inside ${opts.asyncWrapper}: write the new function the same way.`
      : 'The function is synchronous: no `async`, no `.await`.';
  const selectRule = style.diesel1
    ? 'This is Diesel 1.x: there is no `Selectable`; load rows with `.load::<Struct>(conn)` or `.first::<Struct>(conn)`.'
    : 'Load rows with `.select(Struct::as_select())` when the struct derives Selectable.';
  // The project's own macro (`db_run! { conn: { … } }`): its example function is in the Context.
  const macroRule = opts.queryMacro
    ? `\n- The project runs every query inside its own \`${opts.queryMacro}!\` macro: write the body the same way as the existing function in the Context (the same macro, the same arms), with the query inside it.`
    : '';
  const backendRule = style.neutralBackends
    ? `\n- The backend is not fixed (${style.neutralBackends.map(backendDisplayName).join(', ')}): write backend-neutral code (no \`ilike\`, no \`returning\`, no \`get_result\` after an insert) and take the connection type the existing functions take.`
    : '';
  return fillTemplate(
    systemMd,
    { DIESEL: style.diesel1 ? 'Diesel 1.x' : 'Diesel 2', BACKEND: style.neutralBackends ? 'multi-backend' : style.backendName, CONN_PARAM: connParam(style), SELECT_RULE: selectRule, ASYNC_RULE: asyncRule, BACKEND_RULE: `${backendRule}${macroRule}` },
    'prompts/diesel/diesel-model-fn/system.md',
  );
}
