import { describe, expect, it } from 'vitest';
import { normaliseSummary, normaliseTurn, parseField, parseUser, PoSummarySchema, PoTurnSchema, turnPrompt } from '../../../src/agents/productOwner';
import { productOwnerSummary, productOwnerTurn } from '../../../prompts/team';

let n = 0;
const ids = (prefix: string) => `${prefix}${++n}`;

describe('Product Owner turn normalisation', () => {
  it('generates ids, strips numbering, drops "Other" and duplicates, puts the recommended option first', () => {
    n = 0;
    const { turn, problem } = normaliseTurn(
      {
        reflection: '  You want   a bakery app. ',
        questions: [
          { text: '1. Who uses it?', kind: 'single', options: ['A) Staff', 'B) Customers', 'C) staff', 'Other'], recommended: 1 },
          { text: 'What is in an order?', kind: 'multi-select', options: ['Cake', 'Date', 'Phone', 'Price', 'Notes'] },
        ],
        done: true,
      },
      ids,
    );
    expect(problem).toBeUndefined();
    expect(turn.reflection).toBe('You want a bakery app.');
    expect(turn.done).toBe(false); // questions decide, whatever `done` said
    expect(turn.questions).toEqual([
      {
        id: 'q1',
        kind: 'single',
        text: 'Who uses it?',
        allowOther: true,
        options: [
          { id: 'q1_1', label: 'Customers', recommended: true },
          { id: 'q1_2', label: 'Staff' },
        ],
      },
      {
        id: 'q2',
        kind: 'multiple',
        text: 'What is in an order?',
        allowOther: true,
        options: [
          { id: 'q2_1', label: 'Cake', recommended: true },
          { id: 'q2_2', label: 'Date' },
          { id: 'q2_3', label: 'Phone' },
          { id: 'q2_4', label: 'Price' },
        ],
      },
    ]);
    expect(turn.notes).toEqual(['"What is in an order?" had 5 options; the first 4 are kept.']);
  });

  it('caps questions at 3, drops questions with fewer than 2 distinct options, treats an out-of-range recommendation as the first', () => {
    const q = (text: string, options: string[], recommended?: number) => ({ text, kind: 'single', options, ...(recommended !== undefined ? { recommended } : {}) });
    const { turn } = normaliseTurn({
      reflection: 'ok',
      questions: [q('A?', ['x', 'X', 'other']), q('B?', ['b1', 'b2'], 7), q('C?', ['c1', 'c2']), q('D?', ['d1', 'd2']), q('E?', ['e1', 'e2'])],
      done: false,
    });
    expect(turn.questions.map((x) => x.text)).toEqual(['B?', 'C?', 'D?']);
    expect(turn.questions[0]!.options[0]).toMatchObject({ label: 'b1', recommended: true });
    expect(turn.notes).toContain('"A?" was dropped: it needs at least 2 different options.');
    expect(turn.notes).toContain('Only the first 3 questions are asked; "E?" was left out.');
  });

  it('a turn whose questions are all unusable is a problem for a re-ask, not an empty round', () => {
    const r = PoTurnSchema.safeParse({ reflection: 'x', questions: [{ text: 'Who?', kind: 'single', options: ['Staff'] }], done: false });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/2 to 4 different options/);
    const done = PoTurnSchema.safeParse({ reflection: 'Got it.', questions: [], done: true });
    expect(done.success && done.data.done).toBe(true);
  });

  it('the prompt tells the model the round and the cap', () => {
    const p = turnPrompt({ messages: [{ id: 'm', sessionId: 's', author: 'user', content: 'A bakery app', createdAt: 1 }], round: 3, maxRounds: 3 });
    const last = p.messages[p.messages.length - 1]!.content;
    expect(last).toContain('Customer: A bakery app');
    expect(last).toContain('question round 3 of at most 3. It is the last round');
    expect(p.stablePrefixChars).toBe(p.messages.slice(0, -1).reduce((k, m) => k + m.content.length, 0));
  });
});

describe('Product Owner summary normalisation', () => {
  it('parses "name: type?" fields in the forms small models write', () => {
    expect(parseField('price: decimal')).toEqual({ name: 'price', type: 'decimal', required: true });
    expect(parseField('notes: text?')).toEqual({ name: 'notes', type: 'text', required: false });
    expect(parseField('Pickup Date (date, optional)')).toEqual({ name: 'pickup_date', type: 'date', required: false });
    expect(parseField('- placedAt: timestamp')).toEqual({ name: 'placed_at', type: 'datetime', required: true });
    expect(parseField('in stock: yes/no')).toEqual({ name: 'in_stock', type: 'boolean', required: true });
    expect(parseField('email')).toEqual({ name: 'email', type: 'text', required: true });
    expect(parseField('phone?: string')).toEqual({ name: 'phone', type: 'text', required: false });
    expect(parseField('  ')).toBeUndefined();
  });

  it('parses users and normalises entities (singular PascalCase names, no id fields, no duplicates)', () => {
    expect(parseUser('Staff: sees all orders')).toEqual({ name: 'Staff', description: 'sees all orders' });
    expect(parseUser('Owner')).toEqual({ name: 'Owner', description: '' });
    const { summary, problems } = normaliseSummary({
      appName: ' Bakery ',
      users: ['Staff: sees orders', 'staff - duplicate'],
      entities: [
        { name: 'orders', fields: ['id: integer', 'pickup_date: date', 'Pickup Date: date'] },
        { name: 'order items', fields: ['quantity: int'] },
      ],
      features: ['1. Take orders', 'take orders!'],
    });
    expect(problems).toEqual([]);
    expect(summary).toEqual({
      appName: 'Bakery',
      users: [{ name: 'Staff', description: 'sees orders' }],
      entities: [
        { name: 'Order', fields: [{ name: 'pickup_date', type: 'date', required: true }] },
        { name: 'OrderItem', fields: [{ name: 'quantity', type: 'integer', required: true }] },
      ],
      features: ['Take orders'],
      constraints: [],
    });
  });

  it('an empty summary is a problem for a re-ask', () => {
    const r = PoSummarySchema.safeParse({ appName: '', users: [], entities: [], features: [] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([expect.stringMatching(/^appName/), expect.stringMatching(/^entities/), expect.stringMatching(/^features/)]);
  });
});

describe('Product Owner prompt data', () => {
  it('every example answer is valid for the schema the model is held to', () => {
    for (const ex of productOwnerTurn.examples) expect(PoTurnSchema.safeParse(ex.output).success).toBe(true);
    for (const ex of productOwnerSummary.examples) expect(PoSummarySchema.safeParse(ex.output).success).toBe(true);
  });
});
