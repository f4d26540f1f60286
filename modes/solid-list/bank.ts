import examplesMd from '../../prompts/solid/solid-list/examples.md';
import systemMd from '../../prompts/solid/solid-list/system.md';
import { solidBank } from '../solid-common/bank';

/** The instructions and examples of solid-list (prompts/solid/solid-list/). */
export const bank = solidBank(systemMd, examplesMd, 'prompts/solid/solid-list/examples.md');
