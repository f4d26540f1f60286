/**
 * A quick, synchronous token estimate for budgeting prompt text before it is sent. Calibrated on
 * the Qwen3 tokenizer over every eval task's variable prompt part (Rust code and English):
 * 3.24–4.15 characters per token, median 3.82 (`npm run bench -- prompt` prints the real counts
 * beside it). 3.5 errs on the side of a smaller prompt; chars/4 was 6% low.
 */
export const CHARS_PER_TOKEN = 3.5;

export function estimatePromptTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
