import { parseExamples, type Example } from '../../src/pipeline/promptBank';

/** A Solid mode's prompt bank: its instructions and its examples (prompts/solid/<mode>/). */
export interface SolidBank {
  system: string;
  examples: Example[];
}

/** The bank of one mode, its examples parsed on first use (a broken bank fails that mode's run, with the file named). */
export function solidBank(systemMd: string, examplesMd: string, source: string): () => SolidBank {
  let bank: SolidBank | undefined;
  return () => (bank ??= { system: systemMd, examples: parseExamples(examplesMd, source) });
}
