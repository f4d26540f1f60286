import examplesMd from '../../prompts/solid/solid-detail/examples.md';
import systemMd from '../../prompts/solid/solid-detail/system.md';
import { diag } from '../../src/core/diagnostics';
import { type Mode, described } from '../../src/pipeline/mode';
import { parseExamples } from '../../src/pipeline/promptBank';
import { promptFor, runModelMode } from '../../src/pipeline/runner';
import { componentSpec, targetType } from '../solid-common/component';
import { descriptor } from './descriptor';

const examples = parseExamples(examplesMd, 'prompts/solid/solid-detail/examples.md');

/** A page showing one record: the id from the route, the GET route answering `T`, a DaisyUI card. */
const spec = componentSpec({
  mode: 'solid-detail',
  bank: { system: systemMd, examples },
  plan(sp, input) {
    const type = targetType(sp, input);
    if (typeof type !== 'string') return type;
    const get = sp.api.endpoints.find((e) => e.method === 'GET' && e.response === type && e.pathParams.length === 1);
    if (!get) {
      return [diag('error', 'no-get-route', `No API route returns one \`${type}\` by id (a GET handler with one path parameter answering \`${type}\`): add one first (actix-handler), then regenerate the API client.`)];
    }
    const param = get.pathParams[0]!;
    const note = param.ts === 'number' ? 'route parameter: id' : `route parameter: id (a ${param.ts}: pass params.id as it is, no Number())`;
    return { component: `${type}Detail`, file: `src/pages/${type}Detail.tsx`, endpoints: [get], types: [type], notes: [note] };
  },
});

export const solidDetailMode: Mode = {
  ...described(descriptor),
  buildPrompt: (input) => promptFor(spec, input),
  run: (input, opts) => runModelMode(spec, input, opts, 'component'),
};

export default solidDetailMode;
