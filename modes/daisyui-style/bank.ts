import examplesMd from '../../prompts/solid/daisyui-style/examples.md';
import systemMd from '../../prompts/solid/daisyui-style/system.md';
import { solidBank } from '../solid-common/bank';

/** The instructions and examples of daisyui-style (prompts/solid/daisyui-style/). */
export const bank = solidBank(systemMd, examplesMd, 'prompts/solid/daisyui-style/examples.md');
