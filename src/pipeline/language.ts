import { modeDescriptor, type ModeLanguage } from '../domain';

/**
 * The language-specific parts of the shared pipeline (src/pipeline/runner.ts, the answer
 * clean-up): which fenced blocks hold the answer, which lines can start code (what comes before
 * is prose), and how the re-ask asks for the answer again. A mode's descriptor names its language;
 * the parsing, edits and checks of each language live next to it (src/pipeline/rust, src/pipeline/tsx).
 */
export interface LanguageAdapter {
  id: ModeLanguage;
  /** For messages: "writes Rust". */
  name: string;
  /** Fence info strings of this language's code ('' = a fence that names no language). */
  fenceLangs: ReadonlySet<string>;
  /** A line that can start code in this language; prose before it is dropped. */
  codeStart: RegExp;
  /** The re-ask's last line when the mode gives none: "Write the whole corrected <what> again, <this>". */
  answerInstruction: string;
}

export const RUST_LANGUAGE: LanguageAdapter = {
  id: 'rust',
  name: 'Rust',
  fenceLangs: new Set(['', 'rust', 'rs', 'rust,ignore', 'rust,no_run']),
  codeStart: /^\s*(?:(?:pub(?:\([\w:\s]+\))?\s+|async\s+|const\s+|unsafe\s+)*(?:fn|impl|use|struct|enum|mod|type|extern|trait)\b|#!?\[|\/\/|\/\*|(?:diesel::)?(?:table|joinable|allow_tables_to_appear_in_same_query)!)/,
  answerInstruction: 'using only the tables and columns in the Context. Answer with one ```rust block and nothing else.',
};

export const TSX_LANGUAGE: LanguageAdapter = {
  id: 'tsx',
  name: 'SolidJS (TSX)',
  fenceLangs: new Set(['', 'tsx', 'typescript', 'ts', 'jsx', 'typescriptreact', 'javascript', 'js']),
  codeStart: /^\s*(?:import\b|export\b|(?:async\s+)?function\b|const\b|let\b|type\b|interface\b|\/\/|\/\*)/,
  answerInstruction: 'as one complete component file. Use only the types and client functions in the Context, Solid (not React) and DaisyUI classes. Answer with one ```tsx block and nothing else.',
};

export const LANGUAGES: Record<ModeLanguage, LanguageAdapter> = { rust: RUST_LANGUAGE, tsx: TSX_LANGUAGE };

/** The adapter of a mode's language (Rust for an id without a descriptor). */
export function languageOf(modeId: string): LanguageAdapter {
  return LANGUAGES[modeDescriptor(modeId)?.language ?? 'rust'];
}
