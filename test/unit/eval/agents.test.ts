import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listModes } from '../../../modes';
import { AgentCases, agentCases, runAgentCases, summariseAgentResults, type RunGate } from '../../../src/eval/agents';
import { createModelClient } from '../../../src/llm';
import { configFor, useModelServer } from '../llm/helpers';

const cases = AgentCases.parse(JSON.parse(readFileSync(path.join(__dirname, '../../../eval/agents/cases.json'), 'utf8')));

describe('team agents on a real model: the cases', () => {
  it('builds every agent prompt from the cases, each ending with the case input', () => {
    const calls = agentCases(cases, listModes());
    expect(calls).toHaveLength(cases.apps.reduce((n, a) => n + 3 + a.tasks.length, 0));
    expect(calls.slice(0, cases.apps.length).every((c) => c.step === 'po-turn')).toBe(true);
    const em = calls.find((c) => c.step === 'em-shape')!;
    expect(em.prompt.messages.at(-1)!.content).toContain(`Task: ${cases.apps[0]!.tasks[0]!.title}`);
    expect(em.prompt.messages[0]!.content).toContain('diesel-model-fn');
    expect(calls.find((c) => c.step === 'pm-plan')!.prompt.messages.at(-1)!.content).toContain(cases.apps[0]!.summary.appName);
  });
});

describe('team agents on a real model: scoring the first answer', () => {
  const srv = useModelServer();

  it('counts a valid first answer, and an invalid one without sending the re-ask', async () => {
    const gate: RunGate = {};
    const client = createModelClient({ config: configFor(srv().baseUrl, {}), onRun: (run) => gate.onRun?.(run) });
    const [turn] = agentCases({ apps: [cases.apps[0]!] }, listModes());
    srv().setScript([{ reply: { content: '{"reflection":"You groom dogs.","questions":[],"done":true}' } }]);
    const ok = await runAgentCases(client, gate, [turn!]);
    srv().setScript([{ reply: { content: 'Sure! Here are my questions.' } }]);
    const bad = await runAgentCases(client, gate, [turn!]);
    expect(ok[0]).toMatchObject({ step: 'po-turn', valid: true });
    expect(bad[0]).toMatchObject({ step: 'po-turn', valid: false });
    expect(bad[0]!.problem).toMatch(/JSON/);
    // Two first answers, no re-ask.
    expect(srv().chatRequests()).toHaveLength(2);
    expect(summariseAgentResults([...ok, ...bad]).all).toEqual({ valid: 1, total: 2 });
  });
});
