import examplesMd from '../../prompts/solid/solid-state/examples.md';
import systemMd from '../../prompts/solid/solid-state/system.md';
import { solidBank } from '../solid-common/bank';

/** The instructions and examples of solid-state (prompts/solid/solid-state/). */
export const bank = solidBank(systemMd, examplesMd, 'prompts/solid/solid-state/examples.md');
