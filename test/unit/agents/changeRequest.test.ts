import { describe, expect, it } from 'vitest';
import type { Message, ProductSummary } from '../../../src/domain';
import { describeChange, requestMessages, requestRounds, requestState, requestTranscript, summaryDelta, withChange } from '../../../src/agents/changeRequest';

const app: ProductSummary = {
  appName: 'Bakery Orders',
  users: [{ name: 'Staff', description: 'see and update the orders' }],
  entities: [
    { name: 'Customer', fields: [{ name: 'name', type: 'text', required: true }] },
    { name: 'Order', fields: [{ name: 'status', type: 'text', required: true }] },
  ],
  features: ['Staff see the open orders for a pickup date'],
  constraints: ['Only staff use the app'],
};

let t = 0;
const msg = (author: Message['author'], content: string, extra: Partial<Message> = {}): Message => ({ id: `m${++t}`, sessionId: 's', author, content, createdAt: t, ...extra });
const questions = [{ id: 'q1', kind: 'single' as const, text: 'Who writes reviews?', options: [{ id: 'a', label: 'Customers' }, { id: 'b', label: 'Staff' }], allowOther: true }];

describe('change requests after the plan', () => {
  const planned = [msg('user', 'I run a bakery'), msg('product_owner', 'Here is what I understood.', { summary: app }), msg('user', 'Confirmed the summary.'), msg('project_manager', 'I planned "Bakery Orders" as 3 tasks.'), msg('engineering_manager', 'Shaped the tasks: 3 ready.')];

  it('has no request until the user writes after the last plan', () => {
    expect(requestState(planned)).toBe('none');
    expect(requestMessages(planned)).toEqual([]);
  });

  it('a message after the plan is a request for the Product Owner; its questions wait for answers; answers go back to the Product Owner', () => {
    const asked = [...planned, msg('user', 'Customers should leave reviews'), msg('product_owner', 'A question first:', { questions })];
    expect(requestState(planned.concat(asked.slice(planned.length, -1)))).toBe('product-owner');
    expect(requestState(asked)).toBe('answers');
    expect(requestRounds(asked)).toBe(1);
    const answered = [...asked, msg('user', 'Who writes reviews? → Customers', { answers: [{ questionId: 'q1', selected: ['a'] }] })];
    expect(requestState(answered)).toBe('product-owner');
    // Shaping in the middle of the request does not end it; only a new plan does.
    expect(requestMessages([...answered, msg('engineering_manager', 'Shaped.')]).map((m) => m.author)).toEqual(['user', 'product_owner', 'user']);
    expect(requestState([...answered, msg('product_owner', 'Here is the change I understood: …'), msg('project_manager', 'I added …')])).toBe('none');
  });

  it('shows the Product Owner the app so far, then the request', () => {
    const request = [...planned, msg('user', 'Customers should leave reviews')];
    const transcript = requestTranscript(app, request);
    expect(transcript.map((m) => m.author)).toEqual(['product_owner', 'user']);
    expect(transcript[0]!.summary).toEqual(app);
    expect(transcript[1]!.content).toBe('Customers should leave reviews');
  });

  it('the delta keeps only what is new: entities, fields of existing entities, users, features, constraints', () => {
    const next: ProductSummary = {
      ...app,
      appName: 'Renamed by the model',
      users: [...app.users, { name: 'Customer', description: 'leaves reviews' }],
      entities: [
        { name: 'customer', fields: [{ name: 'Name', type: 'text', required: true }, { name: 'email', type: 'text', required: false }] },
        // The model left Order out of its summary: a request never removes anything.
        { name: 'Review', fields: [{ name: 'rating', type: 'integer', required: true }, { name: 'comment', type: 'text', required: false }] },
      ],
      features: ['staff see the open orders for a pickup date.', 'Customers leave a review of an order'],
      constraints: app.constraints,
    };
    const delta = summaryDelta(app, next)!;
    expect(delta).toEqual({
      appName: 'Bakery Orders',
      users: [{ name: 'Customer', description: 'leaves reviews' }],
      entities: [
        { name: 'Customer', fields: [{ name: 'email', type: 'text', required: false }] },
        { name: 'Review', fields: [{ name: 'rating', type: 'integer', required: true }, { name: 'comment', type: 'text', required: false }] },
      ],
      features: ['Customers leave a review of an order'],
      constraints: [],
    });
    const merged = withChange(app, delta);
    expect(merged.entities.map((e) => [e.name, e.fields.map((f) => f.name)])).toEqual([
      ['Customer', ['name', 'email']],
      ['Order', ['status']],
      ['Review', ['rating', 'comment']],
    ]);
    expect(merged.features).toEqual([...app.features, 'Customers leave a review of an order']);
    expect(describeChange(delta, app)).toBe(
      [
        'Here is the change I understood:',
        '- Customer gets email',
        '- New data: Review (rating, comment)',
        '- New user: Customer (leaves reviews)',
        '- Customers leave a review of an order',
      ].join('\n'),
    );
  });

  it('nothing new is no change', () => {
    expect(summaryDelta(app, { ...app, features: [...app.features].reverse() })).toBeUndefined();
  });
});
