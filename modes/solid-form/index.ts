import { type Mode, described } from '../../src/pipeline/mode';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec, targetType } from '../solid-common/component';
import { bank } from './bank';
import { planForm, type FormPlan } from './context';
import { checkForm } from './validate';
import { descriptor } from './descriptor';

/** A create or edit form for one request type: inputs by field type, `required` checks, submit through the client, server errors shown. */
const spec = componentSpec({
  mode: 'solid-form',
  bank,
  plan(sp, input) {
    const type = targetType(sp, input);
    return typeof type === 'string' ? planForm(sp, input, type) : type;
  },
  check(code, ctx) {
    const plan = ctx.plan as FormPlan;
    return checkForm(ctx.sp.ts, code, plan.body, plan.fields);
  },
});

export const solidFormMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default solidFormMode;
