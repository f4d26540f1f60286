import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ModeInput } from '../../src/pipeline/mode';
import { targetType, type ComponentPlan } from '../solid-common/component';
import type { SolidProject } from '../solid-common/project';

/** The detail page of the struct the input names: the GET route answering one `T` by its id in the path. */
export function planDetail(sp: SolidProject, input: ModeInput): ComponentPlan | Diagnostic[] {
  const type = targetType(sp, input);
  if (typeof type !== 'string') return type;
  const get = sp.api.endpoints.find((e) => e.method === 'GET' && e.response === type && e.pathParams.length === 1);
  if (!get) {
    return [diag('error', 'no-get-route', `No API route returns one \`${type}\` by id (a GET handler with one path parameter answering \`${type}\`): add one first (actix-handler), then regenerate the API client.`)];
  }
  const param = get.pathParams[0]!;
  const note = param.ts === 'number' ? 'route parameter: id' : `route parameter: id (a ${param.ts}: pass params.id as it is, no Number())`;
  return { component: `${type}Detail`, file: `src/pages/${type}Detail.tsx`, endpoints: [get], types: [type], notes: [note] };
}
