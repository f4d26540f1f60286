import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ModeInput } from '../../src/pipeline/mode';
import { targetType, type ComponentPlan } from '../solid-common/component';
import type { SolidProject } from '../solid-common/project';

/** The list page of the struct the input names: the GET route answering `T[]` (the one with the fewest path parameters). */
export function planList(sp: SolidProject, input: ModeInput): ComponentPlan | Diagnostic[] {
  const type = targetType(sp, input);
  if (typeof type !== 'string') return type;
  const list = sp.api.endpoints.filter((e) => e.method === 'GET' && e.response === `${type}[]`).sort((a, b) => a.pathParams.length - b.pathParams.length)[0];
  if (!list) {
    return [diag('error', 'no-list-route', `No API route returns a list of \`${type}\` (a GET handler answering \`Vec<${type}>\`): add one first (actix-handler), then regenerate the API client.`)];
  }
  return { component: `${type}List`, file: `src/pages/${type}List.tsx`, endpoints: [list], types: [type] };
}
