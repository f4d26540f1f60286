import { describe, expect, it } from 'vitest';
import { formatLimit, StepTimeoutError, withinLimit } from '../../../src/core/timeLimit';

describe('withinLimit', () => {
  it('gives the work its result, or its error, when it ends in time', async () => {
    await expect(withinLimit('a step', Promise.resolve(7), 1000)).resolves.toBe(7);
    await expect(withinLimit('a step', Promise.reject(new Error('broken')), 1000)).rejects.toThrow('broken');
  });

  it('work that never ends: a StepTimeoutError naming the step, after `onLate` ran', async () => {
    let late = false;
    const never = new Promise<number>(() => undefined);
    const err = await withinLimit('Saving to the database', never, 50, () => (late = true)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepTimeoutError);
    expect(err).toMatchObject({ step: 'Saving to the database', limitMs: 50, message: 'Saving to the database did not finish within 50 ms' });
    expect(late).toBe(true);
  });

  it('an error of the work after the limit is dropped, not an unhandled rejection', async () => {
    let fail!: (e: Error) => void;
    const work = new Promise<number>((_, reject) => (fail = reject));
    await expect(withinLimit('a step', work, 10)).rejects.toBeInstanceOf(StepTimeoutError);
    fail(new Error('too late'));
    await new Promise((r) => setTimeout(r, 20));
  });

  it('says limits the way people read them', () => {
    expect([formatLimit(300), formatLimit(5000), formatLimit(90_000), formatLimit(960_000)]).toEqual(['300 ms', '5 s', '90 s', '16 min']);
  });
});
