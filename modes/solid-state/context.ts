import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ApiEndpoint } from '../../src/frontend';
import type { ComponentPlan } from '../solid-common/component';
import { pluralName } from '../solid-common/naming';
import type { SolidProject } from '../solid-common/project';

export interface StorePlan extends ComponentPlan {
  provider: string;
  hook: string;
}

const oneId = (e: ApiEndpoint): boolean => e.pathParams.length === 1;

/**
 * The store of one entity: its rows from the list route, plus add/update/remove for the write
 * routes the API has (each found by method and types, so the store offers only what exists).
 */
export function planStore(sp: SolidProject, type: string): StorePlan | Diagnostic[] {
  const eps = sp.api.endpoints;
  const list = eps.filter((e) => e.method === 'GET' && e.response === `${type}[]`).sort((a, b) => a.pathParams.length - b.pathParams.length)[0];
  if (!list || list.pathParams.length) {
    return [diag('error', 'no-list-route', `No API route returns all \`${type}\` rows (a GET handler without path parameters answering \`Vec<${type}>\`): a shared store starts from that list. Add one first (actix-handler), then regenerate the API client.`)];
  }
  const create = eps.find((e) => e.method === 'POST' && !e.pathParams.length && e.body?.encoding === 'json' && e.response === type);
  const update = eps.find((e) => (e.method === 'PUT' || e.method === 'PATCH') && oneId(e) && e.body?.encoding === 'json' && e.response === type);
  const remove = eps.find((e) => e.method === 'DELETE' && oneId(e));
  const provider = `${type}Provider`;
  const hook = `use${pluralName(type)}`;
  const idTs = (e: ApiEndpoint): string => e.pathParams[0]!.ts;
  const notes = [
    `store state: { rows: ${type}[]; loading: boolean; error: string | null }`,
    `load(): ${list.fnName}() → rows (called once when the provider is created)`,
    ...(create ? [`add(body: ${create.body!.ts}): ${create.fnName}(body) → append result.data`] : []),
    ...(update ? [`update(id: ${idTs(update)}, body: ${update.body!.ts}): ${update.fnName}(id, body) → replace the row with that id`] : []),
    ...(remove ? [`remove(id: ${idTs(remove)}): ${remove.fnName}(id) → drop the row with that id`] : []),
    'every call: on !result.ok set state.error to result.error.message (and return false)',
  ];
  const endpoints = [list, ...[create, update, remove].filter((e): e is ApiEndpoint => !!e)];
  const bodies = endpoints.map((e) => e.body?.ts).filter((t): t is string => !!t && /^[A-Z]\w*$/.test(t));
  return {
    component: `${type}Store`,
    file: `src/state/${type}Store.tsx`,
    endpoints,
    mustCall: endpoints.length,
    types: [...new Set([type, ...bodies])],
    notes,
    exports: [provider, hook],
    provider,
    hook,
  };
}
