import { once } from 'node:events';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { solidListMode } from '../../../modes/solid-list';
import { checksOf } from '../../../src/agents/autoAccept';
import { NodeProjectFs } from '../../../src/core/projectFs';
import type { ModelClient } from '../../../src/llm';
import { STEP_LIMITS } from '../../../src/pipeline/mode';
import { checkTsx } from '../../../src/pipeline/tsx';
import { TYPECHECK_LIMIT_MS, typecheckEvents } from '../../../src/pipeline/tsx/typecheckThread';
import type { ModelServer } from '../../fixtures/model-server/server.mjs';
import { BAKERY, fixtureModel, tsxBlock } from './helpers';

/**
 * The type check a Solid mode runs while generating goes through the accept's worker thread
 * (src/pipeline/tsx/typecheckThread.ts): a time limit, the calling thread free meanwhile, and the
 * run's Stop ending it. Sizes: a cold check (new worker: TypeScript loaded, lib.dom.d.ts parsed)
 * takes 3–8 s on a loaded 2-core machine, a warm one under 1 s.
 */

const FRONTEND = path.join(BAKERY, 'frontend');
const LIST = `export default function ProductList() {
  const [products] = createResource(() => dataOrThrow(listProducts()));
  return (
    <ul class="menu">
      <For each={products()}>{(p) => <li>{p.name}</li>}</For>
    </ul>
  );
}
`;
// A type error the check must find when it finishes (Product has no `title`).
const TYPO = `import type { Product } from '../api/types';\nexport const title = (p: Product): string => p.title;\n`;
const typeOnly = { lint: false, classes: false } as const;

const model = fixtureModel();
const server = (): ModelServer => model.server();
const client = (): ModelClient => model.client();
afterEach(() => server().requests.splice(0));

describe('the type check while generating a Solid component', () => {
  it('its own limit ends well inside the validation step\'s, so a slow check gives a marked proposal, not a step timeout', () => {
    // The validation step also loads eslint and Tailwind cold (several seconds on a loaded machine).
    expect(STEP_LIMITS.validateMs - TYPECHECK_LIMIT_MS).toBeGreaterThanOrEqual(30_000);
  });

  it('out of time: the proposal is offered marked "type check not finished", naming the file, not auto-accepted', async () => {
    server().setScript([{ match: { messageCount: 2 }, reply: { content: tsxBlock(LIST) } }]);
    const input = { project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'a list of products' };
    const t0 = performance.now();
    const r = await solidListMode.run(input, { client: client(), typecheckLimitMs: 5 });
    const ms = performance.now() - t0;
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    expect(server().chatRequests()).toHaveLength(1);
    const unfinished = r.diagnostics.filter((d) => d.code === 'typecheck-unfinished');
    expect(unfinished).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'src/pages/ProductList.tsx',
        message: expect.stringMatching(/^Type check not finished: the type check of src\/pages\/ProductList\.tsx did not finish within 5 ms/),
      }),
    ]);
    expect(r.diagnostics.map((d) => d.code)).not.toContain('typechecks');
    expect(r.changeSet!.summary).toBe('ProductList in frontend/src/pages/ProductList.tsx. — type check not finished (frontend/src/pages/ProductList.tsx was not type-checked)');
    const checks = checksOf(r.diagnostics);
    expect(checks).toMatchObject({ passed: false, ran: ['validation'], notRun: ['tsc'] });
    expect(checks.problems[0]).toContain('type check not finished');
    // Bounded: the run's checks (eslint and Tailwind load cold here) end well before the 20 s default
    // limit would; the type check's own share is measured alone below.
    expect(r.timings.validateMs, `${Math.round(ms)} ms in all`).toBeLessThan(20_000);

    // The type check alone, out of time, answers at its limit, not when the check would end.
    const t1 = performance.now();
    const alone = await checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO }, { ...typeOnly, typecheckLimitMs: 5 });
    expect(alone.map((d) => d.code)).toEqual(['typecheck-unfinished']);
    expect(performance.now() - t1).toBeLessThan(2_000);

    // With its time, the same generation is type-checked.
    server().setScript([{ match: { messageCount: 2 }, reply: { content: tsxBlock(LIST) } }]);
    const full = await solidListMode.run(input, { client: client() });
    expect(full.ok).toBe(true);
    expect(full.diagnostics.map((d) => d.code)).toContain('typechecks');
    expect(full.changeSet!.summary).toBe('ProductList in frontend/src/pages/ProductList.tsx.');
    expect(checksOf(full.diagnostics)).toMatchObject({ passed: true, ran: ['validation', 'tsc'] });
  }, 120_000);

  it('timers on the calling thread keep firing while the check runs', async () => {
    // A check out of time ends its worker: the check below is a cold one (seconds), as a first check is.
    const exited = once(typecheckEvents, 'exit');
    await checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO }, { ...typeOnly, typecheckLimitMs: 1 });
    await exited;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = performance.now();
    let ds;
    try {
      ds = await checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO }, { ...typeOnly, typecheckLimitMs: 60_000 });
    } finally {
      clearInterval(timer);
    }
    const ms = performance.now() - t0;
    expect(ds.map((d) => `${d.code} ${d.line}`)).toEqual(['ts2339 2']);
    // Run on this thread, the check would let no timer fire until it ended (one tick at most).
    expect(ticks, `${ticks} ticks in ${Math.round(ms)} ms`).toBeGreaterThan(Math.min(20, ms / 10 / 4));
  }, 90_000);

  it("Stop ends the check at once and its worker thread; the next check starts a new one", async () => {
    const stop = new AbortController();
    const exited = once(typecheckEvents, 'exit');
    const started = once(typecheckEvents, 'check');
    let stoppedAt = 0;
    const checking = checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO.replace('p.title', 'p.titl') }, { ...typeOnly, typecheckLimitMs: 60_000, signal: stop.signal });
    // A check (warm or cold) takes far longer than this; the worker is busy with it when Stop comes.
    void started.then(() =>
      setTimeout(() => {
        stoppedAt = performance.now();
        stop.abort();
      }, 20),
    );
    const ds = await checking;
    expect(ds).toEqual([expect.objectContaining({ severity: 'error', code: 'cancelled', message: 'Cancelled during the type check; nothing was proposed.' })]);
    expect(performance.now() - stoppedAt).toBeLessThan(2_000);
    await exited;
    // An already stopped run does not start a check.
    expect((await checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO }, { ...typeOnly, signal: stop.signal })).map((d) => d.code)).toEqual(['cancelled']);
    const again = await checkTsx({ frontendAbs: FRONTEND, file: 'src/pages/Typo.tsx', text: TYPO }, typeOnly);
    expect(again.map((d) => d.code)).toEqual(['ts2339']);
  }, 90_000);

  it('Stop during a Solid generation: cancelled, no re-ask, nothing proposed', async () => {
    server().setScript([{ match: { messageCount: 2 }, reply: { content: tsxBlock(LIST.replace('p.name', 'p.nam')) } }]);
    const stop = new AbortController();
    const exited = once(typecheckEvents, 'exit');
    // Stop comes while the worker checks the answer.
    const checking = once(typecheckEvents, 'check');
    void checking.then(() => setTimeout(() => stop.abort(), 20));
    const r = await solidListMode.run({ project: new NodeProjectFs(BAKERY), struct: 'Product', request: 'a list of products' }, { client: client(), signal: stop.signal, typecheckLimitMs: 60_000 });
    expect(r.ok).toBe(false);
    expect(r.changeSet).toBeUndefined();
    expect(server().chatRequests()).toHaveLength(1);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ code: 'cancelled', message: 'Cancelled during the checks; nothing was proposed.' })]);
    expect(await checking).toEqual(['src/pages/ProductList.tsx']);
    expect(r.runs.at(-1)?.outcome).toBe('cancelled');
    await exited;
  }, 90_000);
});
