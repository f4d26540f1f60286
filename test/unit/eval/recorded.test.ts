import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRecordedSet, REASK_MARKER, replayRules, type EvalTask, type RecordedSet } from '../../../src/eval';

const task = (id: string, request: string, mode: EvalTask['mode'] = 'diesel-model-fn'): EvalTask => ({ id: `s/${id}`, set: 's', dir: '', mode, files: new Map(), request, checks: [], cargo: false });
const tmp = mkdtempSync(path.join(tmpdir(), 'nocodo-eval-rec-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('replay rules for recorded answers', () => {
  const rec: RecordedSet = { answers: { a: { answer: 'A1', reask: 'A2', reasoning: 'R' }, b: { answer: 'B1' } } };

  it('match the whole request line (regex characters escaped); the re-ask gets the second answer or the first again', () => {
    const rules = replayRules([task('a', 'List orders (newest first).'), task('b', 'List orders'), task('st', '', 'diesel-model-struct')], new Map([['s', rec]]));
    expect(rules).toHaveLength(4);
    const [reaskA, firstA, reaskB, firstB] = rules;
    const lineA = { regex: '^Request: List orders \\(newest first\\)\\.(?: [A-Z][A-Za-z]*: [^\\n]*)?$', flags: 'm' };
    expect(firstA).toEqual({ match: { lastUser: lineA }, reply: { content: 'A1', reasoning: 'R' } });
    expect(reaskA).toEqual({ match: { previousUser: lineA, lastUser: REASK_MARKER }, reply: { content: 'A2' } });
    expect(reaskB!.reply).toEqual({ content: 'B1' });
    // "List orders" must not answer the longer request.
    const re = new RegExp((firstB!.match.lastUser as { regex: string }).regex, 'm');
    expect(re.test('Context:\n...\nRequest: List orders\nAnswer:')).toBe(true);
    expect(re.test('Request: List orders (newest first).')).toBe(false);
    // A labelled spec the mode appends to the line (actix-handler) still matches.
    expect(re.test('Request: List orders Handler: `list_orders`, route #[get("/orders")]')).toBe(true);
    expect(re.test('Request: List orders of a customer')).toBe(false);
  });

  it('name the tasks without an answer, and refuse two tasks with the same request', () => {
    expect(() => replayRules([task('a', 'x'), task('c', 'y'), task('d', 'z')], new Map([['s', rec]]))).toThrow('No recorded answer for s/c, s/d.');
    expect(() => replayRules([task('a', 'same'), task('b', 'same')], new Map([['s', rec]]))).toThrow(/same request/);
  });

  it('loading reports bad files clearly', async () => {
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, '{"answers": {"a": {"anser": "typo"}}}');
    await expect(loadRecordedSet(bad)).rejects.toThrow(/bad\.json: answers\.a/);
    writeFileSync(bad, '{');
    await expect(loadRecordedSet(bad)).rejects.toThrow(/not valid JSON/);
    await expect(loadRecordedSet(path.join(tmp, 'none.json'))).rejects.toThrow(/none\.json/);
  });
});
