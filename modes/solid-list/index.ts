import { type Mode, described } from '../../src/pipeline/mode';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec } from '../solid-common/component';
import { bank } from './bank';
import { planList } from './context';
import { descriptor } from './descriptor';

/** A list page of one entity: the GET route answering `T[]`, loading/error/empty states, a DaisyUI table. */
const spec = componentSpec({ mode: 'solid-list', bank, plan: planList });

export const solidListMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default solidListMode;
