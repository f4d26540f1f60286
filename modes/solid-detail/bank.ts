import examplesMd from '../../prompts/solid/solid-detail/examples.md';
import systemMd from '../../prompts/solid/solid-detail/system.md';
import { solidBank } from '../solid-common/bank';

/** The instructions and examples of solid-detail (prompts/solid/solid-detail/). */
export const bank = solidBank(systemMd, examplesMd, 'prompts/solid/solid-detail/examples.md');
