import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTasks, runEval, type TaskResult } from '../../src/eval';
import { EmbeddedRuntime, type RuntimeEndpoint } from '../../src/localModel/runtime';
import { clientFor, ROOT, SOURCE_ENTRY, testModelPath } from './model';

// One Diesel mode end to end on the real model: context → prompt → Gemma 3 270M → post-
// processing → validation → (re-ask) → score. Whatever the model writes, the pipeline must end
// in a scored result with the raw answer kept and, when it fails, a reason a person can read.

let runtime: EmbeddedRuntime;
let ep: RuntimeEndpoint;

beforeAll(async () => {
  runtime = new EmbeddedRuntime({ modelPath: testModelPath(), idleStopMs: 0, threads: 1, entry: SOURCE_ENTRY });
  ep = await runtime.ensure();
});
afterAll(() => runtime?.stop());

describe('diesel-model-fn on the real model', () => {
  it('runs the whole pipeline and scores the first answer', async () => {
    const tasks = (await loadTasks(path.join(ROOT, 'eval/tasks/bakery'))).filter((t) => t.id.endsWith('customer-by-email'));
    expect(tasks).toHaveLength(1);
    const client = clientFor(ep, 96);
    const report = await runEval({ tasks, tasksDir: 'eval/tasks/bakery', baseUrl: ep.baseUrl, models: [ep.modelId], clientFor: () => client, apiKey: ep.token });
    const r: TaskResult = report.results[0]!;
    console.log(`[real-model] diesel-model-fn: pass=${r.score.pass} stage=${r.score.failure ?? 'ok'} calls=${r.calls} latency=${r.latencyMs} ms`);
    expect(r.mode).toBe('diesel-model-fn');
    expect(r.calls).toBeGreaterThanOrEqual(1);
    expect(r.calls).toBeLessThanOrEqual(2); // first answer and at most one re-ask
    expect(typeof r.answer).toBe('string');
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.promptTokens?.stable).toBeGreaterThan(1000); // counted by the runtime's /tokenize
    if (r.score.pass) expect(r.code).toMatch(/fn /);
    else expect(r.score.failure ?? r.errors.join(' ')).toMatch(/\w{4,}/);
  });
});
