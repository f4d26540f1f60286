import { lazyExamples, type Example } from '../../src/pipeline/promptBank';

/** A Solid mode's prompt bank: its instructions and its examples (prompts/solid/<mode>/). */
export interface SolidBank {
  system: string;
  examples: Example[];
}

/** The bank of one mode, its examples parsed on first use (a broken bank fails that mode's run, with the file named). */
export function solidBank(systemMd: string, examplesMd: string, source: string): () => SolidBank {
  const examples = lazyExamples(examplesMd, source);
  return () => ({ system: systemMd, examples: examples() });
}
