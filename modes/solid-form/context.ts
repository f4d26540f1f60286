import { diag, type Diagnostic } from '../../src/core/diagnostics';
import type { ApiEndpoint } from '../../src/frontend';
import type { ModeInput } from '../../src/pipeline/mode';
import type { ComponentPlan } from '../solid-common/component';
import { fieldNotes, readFields, type FormField } from '../solid-common/fields';
import { entityPath } from '../solid-common/naming';
import type { SolidProject } from '../solid-common/project';

export interface FormPlan extends ComponentPlan {
  body: string;
  fields: FormField[];
}

const WRITE = new Set(['POST', 'PUT', 'PATCH']);
/** `NewOrder`, `CreateOrder`, `UpdateOrderRequest` → `Order`. */
const entityOfBody = (name: string): string => name.replace(/^(New|Create|Update|Edit|Patch)(?=[A-Z])/, '').replace(/(Input|Request|Form|Payload|Body|Data)$/, '') || name;

/**
 * Which route the form submits to: one taking the struct as its JSON body (or answering with it
 * and taking a body). A create route (POST, no path parameter) is preferred; an edit route takes
 * the record's id from the path and is prefilled through the GET route of the same record.
 */
export function planForm(sp: SolidProject, input: ModeInput, type: string): FormPlan | Diagnostic[] {
  const writes = sp.api.endpoints.filter((e) => WRITE.has(e.method) && e.body?.encoding === 'json' && e.pathParams.length <= 1);
  const byBody = writes.filter((e) => e.body?.ts === type);
  const candidates = byBody.length ? byBody : writes.filter((e) => e.response === type);
  const wantEdit = /\b(edit|change|update|modify)\b/i.test(input.request ?? '');
  const ranked = [...candidates].sort((a, b) => rank(a, wantEdit) - rank(b, wantEdit));
  const submit = ranked[0];
  if (!submit) {
    return [diag('error', 'no-write-route', `No API route takes \`${type}\` as its JSON body (a POST/PUT handler with \`web::Json<${type}>\`, or one answering \`${type}\`): add one first (actix-handler), then regenerate the API client.`)];
  }
  const body = submit.body!.ts;
  const fields = readFields(sp.ts, sp.api.types, body);
  if (!fields) return [diag('error', 'body-not-struct', `The body of ${submit.fnName} is \`${body}\`, not a struct with fields: nocodo's forms edit one struct.`)];
  if (!fields.length) return [diag('error', 'body-empty', `\`${body}\` has no fields to put in a form.`)];
  const edit = submit.pathParams.length === 1;
  const entity = /^[A-Z]\w*$/.test(submit.response) ? submit.response : entityOfBody(body);
  const component = edit ? `Edit${entity}Form` : `New${entity}Form`;
  const get = edit ? sp.api.endpoints.find((e) => e.method === 'GET' && e.pathParams.length === 1 && e.response === submit.response) : undefined;
  const after = afterSave(sp, submit);
  const notes = [
    ...(edit ? [`route parameter: id → ${submit.pathParams[0]!.ts === 'number' ? 'Number(params.id)' : 'params.id'} (the record to edit)`] : []),
    ...fieldNotes(body, fields),
    ...(get ? [`prefill: onMount → ${get.fnName}(id), then setForm with the fields of ${body}`] : []),
    `submit: ${submit.fnName}(${edit ? 'id, ' : ''}{ ...form }); on !result.ok show result.error.message in an alert alert-error; then ${after}`,
  ];
  // The body, the record it answers with, and the unions its selects use (`OrderStatus`).
  const named = (t: string): boolean => /^[A-Z]\w*$/.test(t);
  const unions = fields.filter((f) => f.kind === 'select').map((f) => f.ts.replace(/\s*\|\s*null$/, '')).filter(named);
  const types = [...new Set([body, ...(named(submit.response) ? [submit.response] : []), ...unions])];
  return { component, file: `src/pages/${component}.tsx`, endpoints: [submit, ...(get ? [get] : [])], mustCall: get ? 2 : 1, types, notes, body, fields };
}

function rank(e: ApiEndpoint, wantEdit: boolean): number {
  const isEdit = e.pathParams.length === 1;
  return (isEdit === wantEdit ? 0 : 2) + (e.method === 'POST' ? 0 : 1);
}

/** Where the page goes after saving: the record's detail page when one can exist, else the list. */
function afterSave(sp: SolidProject, submit: ApiEndpoint): string {
  const t = submit.response;
  const base = entityPath(t);
  const hasDetail = sp.api.endpoints.some((e) => e.method === 'GET' && e.pathParams.length === 1 && e.response === t);
  const hasId = new RegExp(`export interface ${t} \\{[^}]*\\n\\s+id: (number|string);`).test(sp.api.types);
  if (hasDetail && hasId) return `navigate(\`${base}/\${result.data.id}\`)`;
  if (sp.api.endpoints.some((e) => e.method === 'GET' && e.response === `${t}[]`)) return `navigate('${base}')`;
  return 'show a short success alert (alert alert-success)';
}
