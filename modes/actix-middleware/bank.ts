import examplesMd from '../../prompts/actix/actix-middleware/examples.md';
import systemMd from '../../prompts/actix/actix-middleware/system.md';
import { lazyExamples } from '../../src/pipeline/promptBank';

/** The instructions (prompts/actix/actix-middleware/system.md), the same for every project. */
export const middlewareSystemText = systemMd;

/** The examples, parsed once. */
export const middlewareExamples = lazyExamples(examplesMd, 'prompts/actix/actix-middleware/examples.md');
