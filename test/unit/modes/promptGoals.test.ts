import { describe, expect, it } from 'vitest';
import { run } from '../../../bench/prompt-prefix.bench';
import { loadQwenTokenizer } from '../../../src/llm/qwenTokenizer';

// Issue #18's prompt goals, as `npm run bench -- prompt-prefix` measures them (Qwen3 tokenizer,
// every eval task and a 70-table schema): each mode's variable part stays within 600 tokens and
// its stable prefix is at least 85% of the prompt. A prompt change that breaks one fails here,
// not only in the bench's table.
describe('prompt goals of issue #18', () => {
  it('variable part ≤ 600 tokens and stable prefix ≥ 85% for every mode and project the bench measures', async () => {
    expect(await loadQwenTokenizer(), 'the counts come from the Qwen3 tokenizer, not chars/4').toBeDefined();
    const { goals = [] } = await run();
    expect(goals.length).toBeGreaterThanOrEqual(10);
    const missed = goals.filter((g) => g.met !== true).map((g) => `${g.goal} on ${g.on}: ${g.median} ${g.unit} (min ${g.min}, max ${g.max})`);
    expect(missed).toEqual([]);
  }, 120_000);
});
