import type { RunRecord } from '../../src/domain';
import type { ModelClient } from '../../src/llm/types';

/**
 * A model that answers with a fixed text, at once or after `delayMs` (the run record is what the
 * real client makes). A delay lets work that overlaps the model call (rustfmt's start-up) do so.
 */
export function stubClient(answer: string, delayMs = 0): ModelClient {
  const roleConfig = () => ({ role: 'rustEngineer' as const, baseUrl: 'http://stub', model: 'stub', temperature: 0.1, maxTokens: 1024, repeatPenalty: 1 });
  return {
    roleConfig,
    health: async () => ({ kind: 'ready', baseUrl: 'http://stub', models: ['stub'] }),
    structured: async () => {
      throw new Error('not used');
    },
    async chat(req) {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const run: RunRecord = {
        id: `run_${Math.random().toString(36).slice(2)}`,
        role: req.role,
        ...(req.mode ? { mode: req.mode } : {}),
        baseUrl: 'http://stub',
        model: 'stub',
        params: { temperature: 0.1, maxTokens: 1024 },
        messages: req.messages,
        raw: answer,
        reasoning: '',
        diagnostics: [],
        timings: { startedAt: Date.now(), totalMs: 0 },
        outcome: 'ok',
      };
      return { content: answer, reasoning: '', run };
    },
  };
}
