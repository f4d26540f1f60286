import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstPerSet, splitTasks } from '../../../src/eval/split';
import { toJsonSchema } from '../../../src/llm';
import { toGrammarSchema } from '../../../src/localModel/gbnfSchema';
import { BadRequest, toChatHistory } from '../../../src/localModel/messages';

describe('toGrammarSchema', () => {
  it('maps a zod-made schema onto the grammar subset', () => {
    const schema = toJsonSchema(z.object({ title: z.string().max(80), tags: z.array(z.enum(['a', 'b'])).max(3), due: z.string().optional(), n: z.number().int().min(0), kind: z.union([z.literal('x'), z.null()]) }), 'T');
    const g = toGrammarSchema(schema);
    expect(g).toMatchObject({
      type: 'object',
      properties: { title: { type: 'string', maxLength: 80 }, tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 3 }, due: { type: 'string' }, n: { type: 'integer' } },
    });
    expect(JSON.stringify(g)).not.toMatch(/"required"|"\$schema"|"minimum"|"anyOf"/);
  });

  it('keeps $defs and rewrites definitions refs', () => {
    expect(toGrammarSchema({ definitions: { A: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/definitions/A' } } })).toEqual({
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' } },
      $defs: { A: { type: 'string' } },
    });
  });

  it('an object without properties admits any keys; unknown shapes admit any scalar', () => {
    expect(toGrammarSchema({ type: 'object' })).toMatchObject({ additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } });
    expect(toGrammarSchema({ description: 'anything' })).toEqual({ type: ['string', 'number', 'boolean', 'null'] });
  });
});

describe('toChatHistory', () => {
  it('maps OpenAI roles, including content parts', () => {
    expect(toChatHistory([{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'text', text: 'u' }] }, { role: 'assistant', content: 'a' }])).toEqual([
      { type: 'system', text: 's' },
      { type: 'user', text: 'u' },
      { type: 'model', response: ['a'] },
    ]);
  });
  it('rejects what is not a chat with a 400-worthy message', () => {
    expect(() => toChatHistory([])).toThrow(BadRequest);
    expect(() => toChatHistory([{ role: 'tool', content: 'x' }])).toThrow(/role "tool"/);
  });
});

describe('eval splits', () => {
  const tasks = ['a/1', 'a/2', 'a/3', 'b/1', 'b/2'].map((id) => ({ id, set: id.split('/')[0]! }));
  it('halves every set by position and never overlaps', () => {
    const tune = splitTasks(tasks, 'tune').map((t) => t.id);
    const hold = splitTasks(tasks, 'holdout').map((t) => t.id);
    expect(tune).toEqual(['a/1', 'a/3', 'b/1']);
    expect(hold).toEqual(['a/2', 'b/2']);
  });
  it("a set's heldout.json (EvalTask.heldOut) decides over the position", () => {
    const pinned = [{ id: 'a/1', set: 'a', heldOut: true }, { id: 'a/2', set: 'a', heldOut: false }, { id: 'a/3', set: 'a', heldOut: false }];
    expect(splitTasks(pinned, 'holdout').map((t) => t.id)).toEqual(['a/1']);
    expect(splitTasks(pinned, 'tune').map((t) => t.id)).toEqual(['a/2', 'a/3']);
  });
  it('takes at most n per set', () => {
    expect(firstPerSet(tasks, 1).map((t) => t.id)).toEqual(['a/1', 'b/1']);
  });
});
