import examplesMd from '../../prompts/solid/solid-state/examples.md';
import systemMd from '../../prompts/solid/solid-state/system.md';
import { type Mode, described } from '../../src/pipeline/mode';
import { parseExamples } from '../../src/pipeline/promptBank';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec, targetType } from '../solid-common/component';
import { checkStore } from './check';
import { planStore, type StorePlan } from './plan';
import { descriptor } from './descriptor';

const examples = parseExamples(examplesMd, 'prompts/solid/solid-state/examples.md');

/** A context + store for one entity, shared by its views: rows, loading, error, and the write calls the API has. */
const spec = componentSpec({
  mode: 'solid-state',
  bank: { system: systemMd, examples },
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
