import { type Mode, described } from '../../src/pipeline/mode';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec } from '../solid-common/component';
import { bank } from './bank';
import { planDetail } from './context';
import { descriptor } from './descriptor';

/** A page showing one record: the id from the route, the GET route answering `T`, a DaisyUI card. */
const spec = componentSpec({ mode: 'solid-detail', bank, plan: planDetail });

export const solidDetailMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default solidDetailMode;
