import type { Diagnostic } from '../core/diagnostics';
import type { ProjectFs } from '../core/projectFs';
import type { ChangeSet, ModeDescriptor, ModeId, RunMessage, RunRecord } from '../domain';
import type { ModelClient, StreamDelta } from '../llm/types';
import type { CompileResult } from '../compile';
import type { CompileStepOptions } from './compileStep';
import type { RustfmtSetting } from './rust/rustfmt';

/** What the user (or a task) asks a mode for. */
export interface ModeInput {
  project: ProjectFs;
  /** Project-relative file the command was invoked on (schema.rs, a model file), if any. */
  file?: string;
  /** Target struct (diesel-model-fn, diesel-model-struct). */
  struct?: string;
  /** Target table (diesel-model-struct, diesel-schema). */
  table?: string;
  /** Target function: the Diesel model function an actix-handler calls (`list_for_customer`); actix-router: handler names (comma-separated). */
  function?: string;
  /** actix-handler: the handler's name as the user or task gives it (kept as is). */
  handler?: string;
  /** Actix route: `GET /customers/{id}/orders` for a handler, or the scope path (`/api`) where actix-router/actix-middleware register. */
  route?: string;
  /** What the artifact should do, in the user's words. */
  request: string;
  /** Comments and earlier rejections the specialist should take into account. */
  notes?: string[];
  taskId?: string;
}

export interface ModeRunOptions {
  client: ModelClient;
  signal?: AbortSignal;
  onDelta?: (d: StreamDelta) => void;
  /** Compile-check each validated answer with cargo (absent: no compile check). */
  compile?: CompileStepOptions;
  /** How Rust answers are formatted (absent: rustfmt from PATH when there is one; false: not at all). */
  rustfmt?: RustfmtSetting;
  /** Told each step of the run as it ends, with its time (the editor writes them to nocodo's log at debug level). */
  trace?: (message: string) => void;
  /** Time limits of the steps that wait on the project or on other programs (default STEP_LIMITS; tests shorten them). */
  limits?: Partial<StepLimits>;
  /** The Solid modes' type check of a proposed file, in ms (absent: TYPECHECK_LIMIT_MS, src/pipeline/tsx/typecheckThread.ts). */
  typecheckLimitMs?: number;
}

/**
 * Longest time each step of a mode run may take before it ends as an error naming the step (the
 * model call has its own limits: first token and idle, src/llm; the compile check its own,
 * CompileStepOptions.limitMs). Far above what the steps take on a loaded 2-core machine
 * (reading a project: tens of ms; post-processing with rustfmt: under 1 s, rustfmt itself is
 * stopped after 5 s): reaching one means something hangs, and the user hears which.
 */
export interface StepLimits {
  /** Reading the project and building the context. */
  contextMs: number;
  /** Cleaning and formatting the answer (rustfmt included). */
  postProcessMs: number;
  /**
   * Checking the artifact against the project and building the change. For the Solid modes this
   * holds their type check, which has a limit of its own (TYPECHECK_LIMIT_MS, 20 s) and ends as a
   * marked proposal: this limit leaves it room, with eslint and Tailwind loading cold beside it.
   */
  validateMs: number;
  /** Regenerating the frontend's API files into a Rust change (src/frontend/regenerate.ts). */
  apiFilesMs: number;
}

export const STEP_LIMITS: StepLimits = { contextMs: 60_000, postProcessMs: 30_000, validateMs: 60_000, apiFilesMs: 30_000 };

export const stepLimits = (opts: Pick<ModeRunOptions, 'limits'>): StepLimits => ({ ...STEP_LIMITS, ...opts.limits });

export interface BuiltPrompt {
  messages: RunMessage[];
  /** Length of the leading text that is the same for every call of this mode (cache prefix). */
  stablePrefixChars: number;
}

export interface ModeTimings {
  contextMs: number;
  promptMs: number;
  /** Wall time of the model calls, as the client saw it. */
  modelMs: number;
  /** Of modelMs, the server's own time when it reports it (llama.cpp); the rest is the client's (HTTP, streaming). */
  modelServerMs?: number;
  postProcessMs: number;
  validateMs: number;
  /** `cargo check` of the change in a shadow copy (0 when not asked for). */
  compileMs: number;
  totalMs: number;
}

export interface ModeResult {
  mode: ModeId;
  ok: boolean;
  prompt: BuiltPrompt;
  /** Final answer text as the model gave it (last attempt). */
  raw?: string;
  /** The artifact after post-processing. */
  code?: string;
  changeSet?: ChangeSet;
  diagnostics: Diagnostic[];
  runs: RunRecord[];
  timings: ModeTimings;
  /** The last compile check (absent when none ran). */
  compile?: CompileResult;
  /** True when the result needed no model (e.g. a deterministic struct). */
  deterministic: boolean;
}

export interface Mode {
  id: ModeId;
  title: string;
  /** One line for pickers and `--help`. */
  description: string;
  /** Which inputs the mode needs: used by the CLI, the commands and the Engineering Manager's checks. */
  needs: { struct?: boolean; table?: boolean; function?: boolean; request: boolean };
  /** The prompt alone (for `--dry-run`, eval prefix accounting and benchmarks). */
  buildPrompt(input: ModeInput): Promise<BuiltPrompt>;
  run(input: ModeInput, opts: ModeRunOptions): Promise<ModeResult>;
}

/** The fields of a Mode that its descriptor (modes/<id>/descriptor.ts) gives. */
export function described(d: ModeDescriptor): Pick<Mode, 'id' | 'title' | 'description' | 'needs'> {
  return { id: d.id as ModeId, title: d.title, description: d.description, needs: d.needs };
}
