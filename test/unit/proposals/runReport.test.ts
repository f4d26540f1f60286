import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src/domain';
import { renderRunReport, runChain } from '../../../src/proposals';

const base: RunRecord = {
  id: 'run_a',
  role: 'rustEngineer',
  mode: 'diesel-model-fn',
  baseUrl: 'http://127.0.0.1:8080/v1',
  model: 'tiny',
  params: { temperature: 0.1, maxTokens: 512 },
  messages: [
    { role: 'system', content: 'You write Diesel.' },
    { role: 'user', content: 'List products.' },
  ],
  raw: 'Here:\n```rust\nfn list() {}\n```',
  reasoning: 'think think',
  extracted: 'fn list() {}',
  diagnostics: [{ severity: 'error', code: 'unknown-column', message: 'No column `prize`.', line: 3 }],
  timings: { startedAt: 0, firstTokenMs: 120, totalMs: 2500, tokensPerSecond: 31.5 },
  outcome: 'invalid',
};

describe('renderRunReport', () => {
  it('shows prompt, raw answer, reasoning, extracted code, diagnostics and timings', () => {
    const reask: RunRecord = { ...base, id: 'run_b', parentRunId: 'run_a', outcome: 'ok', diagnostics: [] };
    const md = renderRunReport({ runs: [base, reask], diagnostics: [{ severity: 'info', message: 'fixed after re-ask' }], timings: { modelMs: 2400, totalMs: 2600 }, proposalId: 'prop_1' });
    expect(md).toMatch(/^# nocodo run: diesel-model-fn/);
    expect(md).toContain('Attempt 1 of 2 — invalid');
    expect(md).toContain('Attempt 2 of 2 — ok (re-ask)');
    expect(md).toContain('You write Diesel.');
    expect(md).toContain('think think');
    expect(md).toContain('```rust\nfn list() {}\n```');
    expect(md).toContain('`unknown-column`: No column `prize`.');
    expect(md).toContain('first token 120 ms · total 2.5 s · 31.5 tokens/s');
    expect(md).toContain('Timings: model 2.4 s · total 2.6 s');
    expect(md).toContain('Proposal `prop_1`');
  });

  it('fences answers that contain fences so they cannot break out', () => {
    const md = renderRunReport({ runs: [base] });
    // The raw answer holds ``` itself: its fence must be longer.
    expect(md).toContain('````\nHere:\n```rust\nfn list() {}\n```\n````');
  });

  it('says so when no model was called', () => {
    expect(renderRunReport({ runs: [], mode: 'diesel-model-struct' })).toContain('No model was called');
  });
});

describe('runChain', () => {
  it('walks parents oldest first and stops on cycles and gaps', () => {
    const a = { ...base, id: 'a' };
    const b = { ...base, id: 'b', parentRunId: 'a' };
    const c = { ...base, id: 'c', parentRunId: 'b' };
    const all = new Map([a, b, c].map((r) => [r.id, r]));
    expect(runChain(c, (id) => all.get(id)).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(runChain({ ...base, id: 'x', parentRunId: 'missing' }, (id) => all.get(id)).map((r) => r.id)).toEqual(['x']);
    const loop = { ...base, id: 'l', parentRunId: 'l' };
    expect(runChain(loop, () => loop).map((r) => r.id)).toEqual(['l']);
  });
});
