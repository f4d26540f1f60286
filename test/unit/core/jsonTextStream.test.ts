import { describe, expect, it } from 'vitest';
import { JsonTextStream } from '../../../src/core/jsonTextStream';

const feed = (text: string, size: number): string => {
  const s = new JsonTextStream();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += s.push(text.slice(i, i + size));
  return out;
};

describe('JsonTextStream', () => {
  const json = '{"reflection": "You sell \\"bread\\" and cakes.", "questions": [{"text": "Who orders?", "kind": "single", "options": ["Customers", "Staff"]}], "done": false}';

  it('keeps string values, one per line, and drops keys and punctuation', () => {
    expect(feed(json, 1000)).toBe('You sell "bread" and cakes.\nWho orders?\nsingle\nCustomers\nStaff');
  });

  it('gives the same text whatever the chunking', () => {
    for (const size of [1, 2, 3, 7]) expect(feed(json, size)).toBe(feed(json, 1000));
  });

  it('decodes escapes and ignores prose and fences around the JSON', () => {
    expect(feed('Sure!\n```json\n{"a": "caf\\u00e9\\nbar"}\n```', 4)).toBe('café\nbar');
  });
});
