import examplesMd from '../../prompts/diesel/diesel-model-fn/examples.md';
import systemMd from '../../prompts/diesel/diesel-model-fn/system.md';
import { parseExamples, fillTemplate, type Example } from '../../src/pipeline/promptBank';
import type { ProjectStyle } from '../diesel-common/style';

const SOURCE = 'prompts/diesel/diesel-model-fn/examples.md';
let parsed: Example[] | undefined;

/** The examples, parsed once. */
export function fnExamples(): Example[] {
  parsed ??= parseExamples(examplesMd, SOURCE);
  return parsed;
}

export function fnSystemText(style: ProjectStyle): string {
  const asyncRule = style.async
    ? `The project uses diesel-async: write \`pub async fn\` and put \`.await\` after every query call, like \`.load(conn).await\`.`
    : 'The function is synchronous: no `async`, no `.await`.';
  return fillTemplate(systemMd, { BACKEND: style.backendName, CONN: style.connType, ASYNC_RULE: asyncRule }, 'prompts/diesel/diesel-model-fn/system.md');
}
