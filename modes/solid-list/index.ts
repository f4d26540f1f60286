import examplesMd from '../../prompts/solid/solid-list/examples.md';
import systemMd from '../../prompts/solid/solid-list/system.md';
import { type Mode, described } from '../../src/pipeline/mode';
import { parseExamples } from '../../src/pipeline/promptBank';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { diag } from '../../src/core/diagnostics';
import { componentSpec, targetType } from '../solid-common/component';
import { descriptor } from './descriptor';

const examples = parseExamples(examplesMd, 'prompts/solid/solid-list/examples.md');

/** A list page of one entity: the GET route answering `T[]`, loading/error/empty states, a DaisyUI table. */
const spec = componentSpec({
  mode: 'solid-list',
  bank: { system: systemMd, examples },
  plan(sp, input) {
    const type = targetType(sp, input);
    if (typeof type !== 'string') return type;
    const list = sp.api.endpoints.filter((e) => e.method === 'GET' && e.response === `${type}[]`).sort((a, b) => a.pathParams.length - b.pathParams.length)[0];
    if (!list) {
      return [diag('error', 'no-list-route', `No API route returns a list of \`${type}\` (a GET handler answering \`Vec<${type}>\`): add one first (actix-handler), then regenerate the API client.`)];
    }
    return { component: `${type}List`, file: `src/pages/${type}List.tsx`, endpoints: [list], types: [type] };
  },
});

export const solidListMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default solidListMode;
