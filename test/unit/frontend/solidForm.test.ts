import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { readFields } from '../../../modes/solid-common/fields';
import { solidFormMode } from '../../../modes/solid-form';
import { checkForm } from '../../../modes/solid-form/validate';
import { NodeProjectFs } from '../../../src/core/projectFs';
import { BAKERY, firstThenReask, fixtureModel, ROOT, tsxBlock } from './helpers';

const model = fixtureModel();

/** The bakery's order form as the bank teaches it (the eval's reference; imports left out: nocodo writes them). */
export const GOOD_FORM = readFileSync(path.join(ROOT, 'eval/tasks/solid/new-order-form/reference.tsx'), 'utf8');

// A small model's React habits: onChange on text inputs, no required on the total, errors swallowed.
const REACT_FORM = `Sure! Here is the form:
\`\`\`tsx
import { createOrder } from '../api/client';
export default function NewOrderForm() {
  const [form, setForm] = createStore<NewOrder>({ customer_id: 0, status: '', pickup_at: null, notes: null, total_cents: 0 });
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    await createOrder({ ...form });
  };
  return (
    <form className="card" onSubmit={submit}>
      <input class="input" type="number" required value={form.customer_id} onInput={(e) => setForm('customer_id', e.currentTarget.valueAsNumber)} />
      <input class="input" required value={form.status} onChange={(e) => setForm('status', e.currentTarget.value)} />
      <input class="input" type="number" value={form.total_cents / 100} onInput={(e) => setForm('total_cents', Math.round(e.currentTarget.valueAsNumber * 100))} />
      <button class="btn btn-primary" type="submit">Save</button>
    </form>
  );
}
\`\`\`
Let me know if you need more fields!`;

describe('solid-form', () => {
  it('the prompt names each field with its control, the store, the submit call and what follows', async () => {
    const prompt = await solidFormMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'NewOrder', request: 'a form for new orders' });
    const user = prompt.messages[1]!.content;
    expect(user).toContain('// File: src/pages/NewOrderForm.tsx (component NewOrderForm, default export)');
    expect(user).toContain('// field customer_id: number, required → <input type="number">');
    expect(user).toContain('// field pickup_at: string | null, optional, empty → null → <input type="datetime-local">');
    expect(user).toContain('// field total_cents: number, required → money in cents');
    expect(user).toContain("// form store: createStore<NewOrder>({ customer_id: 0, status: '', pickup_at: null, notes: null, total_cents: 0 })");
    expect(user).toContain('then navigate(`/orders/${result.data.id}`)');
    expect(user).toContain('export function createOrder(body: NewOrder): Promise<ApiResult<Order>>; // POST /api/orders');
    expect(prompt.messages[0]!.content.match(/## Example \d+/g)).toHaveLength(12);
    // The response type answers the same route, so naming it gives the same form.
    const byResponse = await solidFormMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Order', request: 'x' });
    expect(byResponse.messages[1]!.content).toContain('createStore<NewOrder>');
  });

  it('the form checks: submit, required controls, the server error shown', () => {
    const types = 'export interface NewOrder {\n  customer_id: number;\n  status: string;\n  pickup_at?: string | null;\n  total_cents: number;\n}\n';
    const fields = readFields(ts, types, 'NewOrder')!;
    expect(fields.map((f) => `${f.name}:${f.kind}:${f.initial}`)).toEqual(['customer_id:number:0', "status:text:''", 'pickup_at:datetime:null', 'total_cents:money:0']);
    const codes = checkForm(ts, REACT_FORM.split('```tsx\n')[1]!.split('```')[0]!, 'NewOrder', fields).map((d) => `${d.code}: ${d.message}`);
    expect(codes).toEqual([
      'form-required-missing: `total_cents` is required in NewOrder: give its <input> the `required` attribute.',
      'form-server-error-hidden: Show what the server said when saving fails: `if (!result.ok) setError(result.error.message)`, rendered in a `<div role="alert" class="alert alert-error">`.',
    ]);
    expect(checkForm(ts, GOOD_FORM, 'NewOrder', fields)).toEqual([]);
    expect(checkForm(ts, GOOD_FORM.replace(/<label class="fieldset">\s*<span class="fieldset-legend">Status[^]*?<\/label>/, ''), 'NewOrder', fields).map((d) => d.code)).toEqual(['form-field-missing']);
  });

  it('a React-style form is re-asked with every problem named, then the good one is proposed', async () => {
    model.server().setScript(firstThenReask(REACT_FORM, tsxBlock(GOOD_FORM)));
    const r = await solidFormMode.run({ project: new NodeProjectFs(BAKERY), struct: 'NewOrder', request: 'A form to take a new order.' }, { client: model.client() });
    const first = r.runs[0]!.diagnostics.map((d) => d.code);
    expect(first).toEqual(expect.arrayContaining(['react-classname', 'react-onchange', 'form-required-missing', 'form-server-error-hidden']));
    // The outcome in the message: under load the reason the re-ask was not sent is what matters.
    expect(model.server().chatRequests(), JSON.stringify(r.diagnostics)).toHaveLength(2);
    const reask = model.server().chatRequests()[1]!.body.messages[3].content as string;
    expect(reask).toContain('`total_cents` is required in NewOrder');
    expect(reask).toContain('use `onInput=');
    expect(r.ok).toBe(true);
    expect(r.changeSet!.files.map((f) => f.path)).toEqual(['frontend/src/pages/NewOrderForm.tsx']);
    expect(r.code!.split('\n').slice(0, 5)).toEqual([
      "import { createSignal, Show } from 'solid-js';",
      "import { createStore } from 'solid-js/store';",
      "import { useNavigate } from '@solidjs/router';",
      "import { createOrder } from '../api/client';",
      "import type { NewOrder } from '../api/types';",
    ]);
  }, 180_000);

  it('bad input: a type no route takes as a body is named with what to add first', async () => {
    await expect(solidFormMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'x' })).rejects.toThrow('No API route takes `Product` as its JSON body');
    await expect(solidFormMode.buildPrompt({ project: new NodeProjectFs(BAKERY), struct: 'Nope', request: 'x' })).rejects.toThrow('`Nope` is not a type the API takes or returns');
  });
});
