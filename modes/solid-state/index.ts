import { type Mode, described } from '../../src/pipeline/mode';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec, targetType } from '../solid-common/component';
import { bank } from './bank';
import { planStore, type StorePlan } from './context';
import { checkStore } from './validate';
import { descriptor } from './descriptor';

/** A context + store for one entity, shared by its views: rows, loading, error, and the write calls the API has. */
const spec = componentSpec({
  mode: 'solid-state',
  bank,
  plan(sp, input) {
    const type = targetType(sp, input);
    return typeof type === 'string' ? planStore(sp, type) : type;
  },
  check(code, ctx) {
    const plan = ctx.plan as StorePlan;
    return checkStore(ctx.sp.ts, code, { provider: plan.provider, hook: plan.hook });
  },
});

export const solidStateMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'module'),
};

export default solidStateMode;
