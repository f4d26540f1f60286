import type { ChangeSet } from '../domain';
import type { ProjectFs } from '../core/projectFs';
import type { GeneratedCode } from './attribute';
import type { CARGO_CHECK_MODES } from '../settings';

/** `nocodo.validation.cargoCheck`: auto runs when cargo is there and the dependencies resolve. */
export type CargoCheckSetting = (typeof CARGO_CHECK_MODES)[number];

export interface CompileError {
  message: string;
  /** In the generated code when the error lies inside it; otherwise in `file`. */
  line?: number;
  column?: number;
  /** Project-relative file and line of the error in the project (with the change applied). */
  file?: string;
  fileLine?: number;
  /** `E0308` */
  code?: string;
  /** What the compiler says at the spot (`expected \`i32\`, found \`&str\``), and its help lines. */
  label?: string;
  help?: string[];
  /** The compiler's full text (source excerpt, notes, help). */
  rendered: string;
}

export interface CompileResult {
  /** `cargo check` ran to the end (false: skipped, cancelled, timed out). */
  ran: boolean;
  /** The project compiles with the change. */
  ok: boolean;
  ms: number;
  /** Errors the change caused: these block the proposal and go into the re-ask. */
  errors: CompileError[];
  /** Errors that were there before the change: reported, never blocking. */
  preExisting: CompileError[];
  /** Why the check did not run or finish, one line ("skipped: dependencies not available (…)"). */
  skipped?: string;
  cancelled?: boolean;
  /** What the compiler printed (errors rendered), for the run inspector. */
  output: string;
  /** Size of the check's build folder after the check. */
  cacheBytes?: number;
  /** Things the user should know (the build folder was over its cap and was cleared). */
  notes: string[];
}

export interface CompileProgress {
  phase: 'fetch' | 'check' | 'baseline';
  elapsedMs: number;
}

export interface CompileRequest {
  project: ProjectFs;
  changeSet: ChangeSet;
  /** Where the generated artifact went, to map errors back to its lines. */
  generated?: GeneratedCode;
  signal?: AbortSignal;
  onProgress?: (p: CompileProgress) => void;
}

/** The one entry point the modes use: check a proposed change by compiling a shadow copy. */
export interface CompileChecker {
  check(req: CompileRequest): Promise<CompileResult>;
  /** Why no check can run in this session (cargo missing), once known. */
  unavailable(): string | undefined;
  dispose(): Promise<void>;
}

/** The progress text of a running check, in Generate…'s notification and on the board alike. */
export const cargoProgressLabel = (seconds: number): string => `Checking with cargo… ${seconds} s`;

export const compileSummary = (r: CompileResult): string =>
  r.cancelled
    ? 'not checked with cargo: cancelled'
    : r.skipped
      ? `not checked with cargo: ${r.skipped}`
      : r.ok
        ? 'compiles'
        : r.errors.length
          ? `does not compile (${r.errors.length} error${r.errors.length === 1 ? '' : 's'})`
          : `the project did not compile before this change (${r.preExisting.length} error${r.preExisting.length === 1 ? '' : 's'} elsewhere); the change added none`;

/** A checker that never runs cargo, saying why (Restricted Mode): the run still records the reason. */
export function skippingChecker(reason: string): CompileChecker {
  return {
    check: async () => ({ ran: false, ok: false, ms: 0, errors: [], preExisting: [], skipped: reason, output: '', notes: [] }),
    unavailable: () => reason,
    dispose: async () => undefined,
  };
}
