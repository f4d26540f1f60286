import { describe, it, expect } from 'vitest';
import { ServerWatch } from '../../../src/llm/serverWatch';
import type { ServerState } from '../../../src/llm/types';
import type { RunRecord } from '../../../src/domain';

const URL = 'http://127.0.0.1:9999/v1';
const down: ServerState = { kind: 'unreachable', baseUrl: URL, detail: 'refused' };
const up: ServerState = { kind: 'ready', baseUrl: URL, models: ['m'] };

/** A watch with a hand-driven clock: `timers` holds the planned probes. */
function harness(answers: ServerState[]) {
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const seen: Array<string | undefined> = [];
  let probes = 0;
  const watch = new ServerWatch(URL, {
    probe: async () => {
      probes++;
      return answers.shift() ?? up;
    },
    onChange: (s, checking) => seen.push(checking ? 'checking' : s?.kind),
    setTimer: (fn, ms) => timers.push({ fn, ms }) - 1,
    clearTimer: () => undefined,
    backoff: { firstMs: 2000, maxMs: 8000 },
  });
  return { watch, timers, seen, probes: () => probes };
}

const run = (over: Partial<RunRecord>): Pick<RunRecord, 'baseUrl' | 'outcome' | 'diagnostics' | 'error'> => ({ baseUrl: URL, outcome: 'ok', diagnostics: [], ...over });

describe('ServerWatch', () => {
  it('probes again with a growing delay while the server is down, and stops once it answers', async () => {
    const h = harness([down, down, down, down, up]);
    await h.watch.check();
    expect(h.watch.state?.kind).toBe('unreachable');
    const delays: number[] = [];
    while (h.timers.length) {
      const t = h.timers.shift()!;
      delays.push(t.ms);
      t.fn();
      await new Promise((r) => setImmediate(r));
    }
    expect(delays).toEqual([2000, 4000, 8000, 8000]);
    expect(h.watch.state).toEqual(up);
    expect(h.watch.nextProbeInMs).toBeUndefined();
  });

  it('believes a call that got an answer, and a call whose connection was refused', async () => {
    const h = harness([down]);
    await h.watch.check();
    h.watch.observe(run({ outcome: 'invalid' }));
    expect(h.watch.state?.kind).toBe('ready');
    h.watch.observe(run({ outcome: 'error', error: 'refused', diagnostics: [{ severity: 'error', code: 'unreachable', message: 'refused' }] }));
    expect(h.watch.state).toEqual({ kind: 'unreachable', baseUrl: URL, detail: 'refused' });
    expect(h.timers.at(-1)?.ms).toBe(2000);
  });

  it('ignores calls to other servers and failures that do not say the server is gone', async () => {
    const h = harness([up]);
    await h.watch.check();
    h.watch.observe(run({ baseUrl: 'http://elsewhere/v1', outcome: 'error', diagnostics: [{ severity: 'error', code: 'unreachable', message: 'x' }] }));
    h.watch.observe(run({ outcome: 'error', diagnostics: [{ severity: 'error', code: 'timeout', message: 'slow' }] }));
    expect(h.watch.state).toEqual(up);
  });

  it('shares one probe between concurrent checks and reports checking, then the state', async () => {
    const h = harness([down]);
    await Promise.all([h.watch.check(), h.watch.check()]);
    expect(h.probes()).toBe(1);
    expect(h.seen).toEqual(['checking', 'unreachable']);
  });

  it('a retarget while a probe of the old server is in flight probes the new server (never keeps the old answer)', async () => {
    const OTHER = 'http://127.0.0.1:7777/v1';
    let release!: () => void;
    const probed: string[] = [];
    let target = URL;
    const watch = new ServerWatch(URL, {
      // The probe reads the target when it starts, as ModelServerFeature's does.
      probe: async () => {
        const at = target;
        probed.push(at);
        if (probed.length === 1) await new Promise<void>((r) => (release = r));
        return at === URL ? up : { kind: 'error', baseUrl: OTHER, detail: 'asks first' };
      },
      onChange: () => undefined,
      setTimer: () => 0,
      clearTimer: () => undefined,
    });
    const first = watch.check();
    target = OTHER;
    const second = watch.retarget(OTHER);
    release();
    await first;
    expect(await second).toEqual({ kind: 'error', baseUrl: OTHER, detail: 'asks first' });
    expect(probed).toEqual([URL, OTHER]);
    expect(watch.state).toEqual({ kind: 'error', baseUrl: OTHER, detail: 'asks first' });
  });
});
