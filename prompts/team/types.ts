/** One worked example: the user message an agent gets, and the JSON answer it should copy. */
export interface FewShot {
  input: string;
  output: unknown;
}

/** An agent prompt as data: the system text and a few compact examples a tiny model can copy. */
export interface TeamPrompt {
  system: string;
  examples: readonly FewShot[];
}
