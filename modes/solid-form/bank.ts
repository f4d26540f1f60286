import examplesMd from '../../prompts/solid/solid-form/examples.md';
import systemMd from '../../prompts/solid/solid-form/system.md';
import { solidBank } from '../solid-common/bank';

/** The instructions and examples of solid-form (prompts/solid/solid-form/). */
export const bank = solidBank(systemMd, examplesMd, 'prompts/solid/solid-form/examples.md');
