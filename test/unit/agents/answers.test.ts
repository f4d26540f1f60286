import { describe, expect, it } from 'vitest';
import type { Question } from '../../../src/domain';
import { describeAnswers, OTHER_MAX_CHARS, validateAnswers } from '../../../src/agents/answers';

const single: Question = {
  id: 'q1',
  kind: 'single',
  text: 'Who uses the app?',
  allowOther: true,
  options: [
    { id: 'q1_1', label: 'Staff', recommended: true },
    { id: 'q1_2', label: 'Customers' },
  ],
};
const multiple: Question = {
  id: 'q2',
  kind: 'multiple',
  text: 'What does an order contain?',
  allowOther: false,
  options: [
    { id: 'q2_1', label: 'Cake' },
    { id: 'q2_2', label: 'Pickup date' },
    { id: 'q2_3', label: 'Phone' },
  ],
};
const qs = [single, multiple];

function errorsOf(input: unknown): string[] {
  const r = validateAnswers(qs, input);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('validateAnswers', () => {
  it('accepts valid answers and normalises them (question order, option order, trimmed other, no duplicates)', () => {
    const r = validateAnswers(qs, [
      { questionId: 'q2', selected: ['q2_3', 'q2_1', 'q2_3'] },
      { questionId: 'q1', selected: [], other: '  Both, and the owner  ' },
    ]);
    expect(r).toEqual({
      ok: true,
      answers: [
        { questionId: 'q1', selected: [], other: 'Both, and the owner' },
        { questionId: 'q2', selected: ['q2_1', 'q2_3'] },
      ],
    });
  });

  it('single questions take exactly one choice, or the other text instead', () => {
    expect(errorsOf([{ questionId: 'q1', selected: ['q1_1', 'q1_2'] }, { questionId: 'q2', selected: ['q2_1'] }])[0]).toMatch(/takes one choice, but 2 were picked/);
    expect(errorsOf([{ questionId: 'q1', selected: ['q1_1'], other: 'x' }, { questionId: 'q2', selected: ['q2_1'] }])[0]).toMatch(/not both/);
    expect(errorsOf([{ questionId: 'q1', selected: [] }, { questionId: 'q2', selected: ['q2_1'] }])[0]).toMatch(/pick an option or write your own/);
  });

  it('rejects unknown option ids and question ids, duplicates and missing answers', () => {
    const errs = errorsOf([
      { questionId: 'q1', selected: ['nope'] },
      { questionId: 'q1', selected: ['q1_1'] },
      { questionId: 'q9', selected: [] },
    ]);
    expect(errs).toContain('There is no question "q9" in this round.');
    expect(errs.some((e) => /answered twice/.test(e))).toBe(true);
    expect(errs.some((e) => /has no option "nope"/.test(e))).toBe(true);
    expect(errs.some((e) => /"What does an order contain\?" has no answer\./.test(e))).toBe(true);
  });

  it('other text only where allowed, not empty, not too long', () => {
    expect(errorsOf([{ questionId: 'q1', selected: ['q1_1'] }, { questionId: 'q2', selected: [], other: 'Allergies' }])).toEqual([
      expect.stringMatching(/only accepts its listed options/),
      expect.stringMatching(/pick at least one option\./),
    ]);
    expect(errorsOf([{ questionId: 'q1', selected: [], other: '   ' }, { questionId: 'q2', selected: ['q2_1'] }])[0]).toMatch(/is empty/);
    expect(errorsOf([{ questionId: 'q1', selected: [], other: 'x'.repeat(OTHER_MAX_CHARS + 1) }, { questionId: 'q2', selected: ['q2_1'] }])[0]).toMatch(/too long \(1001 characters; at most 1000\)/);
  });

  it('reports malformed input instead of throwing', () => {
    expect(errorsOf('yes please')[0]).toMatch(/malformed/);
    expect(errorsOf([{ questionId: 'q1' }])[0]).toMatch(/malformed at 0\.selected/);
  });

  it('describes answers in words', () => {
    expect(describeAnswers(qs, [{ questionId: 'q1', selected: ['q1_2'] }, { questionId: 'q2', selected: ['q2_1', 'q2_2'] }])).toBe(
      'Who uses the app? → Customers\nWhat does an order contain? → Cake; Pickup date',
    );
  });
});
