import { describe, it, expect } from 'vitest';
import { createHostRouter, RequestError } from '../../../src/protocol/hostRouter';
import type { HostHandlers, LogLevel } from '../../../src/protocol/hostRouter';
import type { HostMessage } from '../../../src/protocol/messages';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Handlers that fail loudly unless a test overrides them. */
function handlers(over: Partial<HostHandlers> = {}): HostHandlers {
  const none = async () => {
    throw new Error('unexpected call');
  };
  const base = Object.fromEntries(
    ['ready', 'newSession', 'sendChat', 'answerQuestions', 'summarise', 'confirmSummary', 'moveTask', 'addComment', 'runTask', 'acceptProposal', 'rejectProposal', 'openDiff', 'openTask', 'openRun', 'loadEarlier', 'saveViewState'].map((k) => [k, none]),
  ) as unknown as HostHandlers;
  return { ...base, ...over };
}

function setup(over: Partial<HostHandlers> = {}) {
  const posted: HostMessage[] = [];
  const logs: { level: LogLevel; text: string }[] = [];
  const router = createHostRouter(handlers(over), { post: (m) => posted.push(m), log: (level, text) => logs.push({ level, text }) });
  return { router, posted, logs };
}

describe('createHostRouter', () => {
  it('routes a request to its handler and replies with its result under the same id', async () => {
    const seen: unknown[] = [];
    const { router, posted } = setup({
      sendChat: async (req, ctx) => {
        seen.push(req.text, ctx.requestId);
        ctx.send({ type: 'streamDelta', requestId: ctx.requestId, author: 'product_owner', text: 'Hi' });
        return null;
      },
      loadEarlier: async (req) => ({ messages: [], hasMore: req.limit > 10 }),
    });
    await router.handle({ type: 'sendChat', id: 'r1', text: ' hello ' });
    await router.handle({ type: 'loadEarlier', id: 'r2', before: 'm1', limit: 50 });
    expect(seen).toEqual(['hello', 'r1']);
    expect(posted).toEqual([
      { type: 'streamDelta', requestId: 'r1', author: 'product_owner', text: 'Hi' },
      { type: 'reply', id: 'r1', ok: true, result: null },
      { type: 'reply', id: 'r2', ok: true, result: { messages: [], hasMore: true } },
    ]);
    expect(router.inFlight()).toEqual([]);
  });

  it('never calls a handler for an invalid or unknown message; logs it and answers an id-bearing one with an error', async () => {
    let called = false;
    const { router, posted, logs } = setup({ moveTask: async () => ((called = true), null) });
    await router.handle({ type: 'moveTask', id: 'r1', taskId: 't1', to: 'shipped' });
    await router.handle({ type: 'dropTables', id: 'r2' });
    await router.handle({ type: 'moveTask', taskId: 't1', to: 'done' });
    await router.handle('moveTask');
    expect(called).toBe(false);
    expect(posted).toEqual([
      { type: 'reply', id: 'r1', ok: false, error: { code: 'invalid', message: 'nocodo could not accept that request.' } },
      { type: 'reply', id: 'r2', ok: false, error: { code: 'invalid', message: 'nocodo could not accept that request.' } },
    ]);
    expect(logs.filter((l) => l.level === 'warn')).toHaveLength(4);
    expect(logs[0]!.text).toMatch(/moveTask.*to/);
  });

  it('cancel aborts only the request with that id, which replies "cancelled"', async () => {
    const started = { a: deferred(), b: deferred() };
    const finishB = deferred();
    const { router, posted } = setup({
      sendChat: (_req, ctx) =>
        new Promise((_resolve, reject) => {
          started.a.resolve();
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
      runTask: async (_req, ctx) => {
        started.b.resolve();
        await finishB.promise;
        expect(ctx.signal.aborted).toBe(false);
        return { runId: 'run_9' };
      },
    });
    const a = router.handle({ type: 'sendChat', id: 'ra', text: 'x' });
    const b = router.handle({ type: 'runTask', id: 'rb', taskId: 't' });
    await Promise.all([started.a.promise, started.b.promise]);
    expect(router.inFlight().sort()).toEqual(['ra', 'rb']);
    await router.handle({ type: 'cancel', requestId: 'ra' });
    await a;
    expect(posted).toEqual([{ type: 'reply', id: 'ra', ok: false, error: { code: 'cancelled', message: 'Stopped.' } }]);
    finishB.resolve();
    await b;
    expect(posted[1]).toEqual({ type: 'reply', id: 'rb', ok: true, result: { runId: 'run_9' } });
  });

  it('a cancel for an unknown id is ignored; cancelAll aborts everything', async () => {
    const { router, posted } = setup({
      summarise: (_r, ctx) => new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => rej(new Error('aborted')))),
    });
    await router.handle({ type: 'cancel', requestId: 'nope' });
    const p = router.handle({ type: 'summarise', id: 's1' });
    router.cancelAll();
    await p;
    expect(posted).toEqual([{ type: 'reply', id: 's1', ok: false, error: { code: 'cancelled', message: 'Stopped.' } }]);
  });

  it('maps handler errors: RequestError keeps its code and text, anything else is "failed" and logged', async () => {
    const { router, posted, logs } = setup({
      moveTask: async () => {
        throw new RequestError('conflict', 'A task can\'t go from "Draft" to "Done".');
      },
      addComment: async () => {
        throw new TypeError('x is undefined');
      },
    });
    await router.handle({ type: 'moveTask', id: 'm', taskId: 't', to: 'done' });
    await router.handle({ type: 'addComment', id: 'c', taskId: 't', body: 'hi' });
    expect(posted).toEqual([
      { type: 'reply', id: 'm', ok: false, error: { code: 'conflict', message: 'A task can\'t go from "Draft" to "Done".' } },
      { type: 'reply', id: 'c', ok: false, error: { code: 'failed', message: 'x is undefined' } },
    ]);
    expect(logs.some((l) => l.level === 'error' && l.text.includes('TypeError'))).toBe(true);
  });

  it('refuses a second request reusing the id of a running one', async () => {
    const gate = deferred();
    let calls = 0;
    const { router, posted } = setup({
      summarise: async () => {
        calls++;
        await gate.promise;
        return null;
      },
    });
    const first = router.handle({ type: 'summarise', id: 'dup' });
    await router.handle({ type: 'summarise', id: 'dup' });
    expect(posted[0]).toMatchObject({ id: 'dup', ok: false, error: { code: 'invalid' } });
    gate.resolve();
    await first;
    expect(calls).toBe(1);
    expect(posted[1]).toEqual({ type: 'reply', id: 'dup', ok: true, result: null });
  });

  it('does not send an invalid result or an invalid host message', async () => {
    const { router, posted, logs } = setup({ loadEarlier: async () => ({ messages: 'oops' }) as never });
    await router.handle({ type: 'loadEarlier', id: 'l', before: 'm', limit: 5 });
    expect(posted).toEqual([{ type: 'reply', id: 'l', ok: false, error: { code: 'failed', message: expect.stringMatching(/nocodo log/) } }]);
    router.send({ type: 'notice', level: 'fatal', text: 'x' } as never);
    expect(posted).toHaveLength(1);
    expect(logs.some((l) => l.level === 'error' && l.text.includes('notice'))).toBe(true);
  });

  it('survives a post that throws or rejects', async () => {
    const logs: string[] = [];
    const router = createHostRouter(handlers({ ready: async () => null }), {
      post: () => Promise.reject(new Error('webview disposed')),
      log: (_l, t) => logs.push(t),
    });
    await router.handle({ type: 'ready', id: 'r' });
    await new Promise((r) => setTimeout(r, 0));
    expect(logs.some((t) => t.includes('webview disposed'))).toBe(true);
    const throwing = createHostRouter(handlers({ ready: async () => null }), {
      post: () => {
        throw new Error('gone');
      },
      log: (_l, t) => logs.push(t),
    });
    await expect(throwing.handle({ type: 'ready', id: 'r' })).resolves.toBeUndefined();
  });
});
