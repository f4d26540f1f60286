import examplesMd from '../../prompts/actix/actix-middleware/examples.md';
import systemMd from '../../prompts/actix/actix-middleware/system.md';
import { parseExamples, type Example } from '../../src/pipeline/promptBank';

const SOURCE = 'prompts/actix/actix-middleware/examples.md';
let examples: Example[] | undefined;

/** The instructions (prompts/actix/actix-middleware/system.md), the same for every project. */
export const middlewareSystemText = systemMd;

/** The examples, parsed once. */
export function middlewareExamples(): Example[] {
  examples ??= parseExamples(examplesMd, SOURCE);
  return examples;
}
