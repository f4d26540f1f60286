import { describe, expect, it } from 'vitest';
import { OnFirstUse } from '../../../src/host/onFirstUse';

// The extension's core bundle loads on first use (src/extension.ts): nothing before, once however
// many ask, and a failure every caller sees instead of a command that never runs.

describe('OnFirstUse', () => {
  it('loads nothing until something asks, then once for every caller, after the asking turn', async () => {
    const loads: string[] = [];
    const lazy = new OnFirstUse('the thing', (why) => {
      loads.push(why);
      return { value: 42 };
    });
    expect(loads).toEqual([]);
    expect(lazy.firstUse).toBeUndefined();
    const a = lazy.use('a command');
    const b = lazy.use('the view');
    // The caller that asked first finishes its own turn before the load blocks the thread.
    expect(loads).toEqual([]);
    expect(lazy.firstUse).toBe('a command');
    const [x, y] = await Promise.all([a, b]);
    expect(x).toBe(y);
    expect(x.value).toBe(42);
    await lazy.use('later');
    expect(loads).toEqual(['a command']);
  });

  it('gives every caller, then and later, the same clear error and reports it once', async () => {
    const failures: Error[] = [];
    let loads = 0;
    const lazy = new OnFirstUse(
      "nocodo's features (dist/core.js)",
      () => {
        loads++;
        throw new Error("Cannot find module '/ext/dist/core.js'");
      },
      (e) => failures.push(e),
    );
    const first = lazy.use('the command nocodo.runApp');
    const second = lazy.use('the Team view');
    const message = "nocodo's features (dist/core.js) could not be loaded (first needed for the command nocodo.runApp): Cannot find module '/ext/dist/core.js'";
    await expect(first).rejects.toThrow(message);
    await expect(second).rejects.toThrow(message);
    await expect(lazy.use('the command nocodo.newApp')).rejects.toThrow(message);
    expect(loads).toBe(1);
    expect(failures.map((e) => e.message)).toEqual([message]);
  });

  it('a background use that nobody awaits does not leave an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const lazy = new OnFirstUse('the thing', () => {
        throw new Error('broken');
      });
      void lazy.use('start-up is over');
      await expect(lazy.use('a command')).rejects.toThrow(/broken/);
      // Unhandled rejections are reported after the microtask queue drains: let a macrotask pass.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
