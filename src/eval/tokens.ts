import { countTokens } from '../llm';

/**
 * Prompt token counts for the report: the server's own tokenizer (llama-server's /tokenize) when
 * it has one, else a chars/4 estimate, labelled as such. Texts repeat (every call of a mode shares
 * its system prompt), so counts are cached by text.
 */

export type TokenSource = 'server' | 'estimate';

export interface TokenCounter {
  count(text: string): Promise<number>;
  /** Which sources the counts so far came from. */
  sources(): Set<TokenSource>;
}

export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function createTokenCounter(baseUrl: string | undefined, opts: { apiKey?: string; timeoutMs?: number } = {}): TokenCounter {
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
      if (serverWorks && baseUrl) {
        n = await countTokens(baseUrl, text, { timeoutMs: opts.timeoutMs ?? 10_000, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
        if (n === undefined) serverWorks = false;
      }
      if (n === undefined) {
        n = estimateTokens(text);
        used.add('estimate');
      } else used.add('server');
      cache.set(text, n);
      return n;
    },
  };
}
