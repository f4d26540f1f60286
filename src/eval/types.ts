import { z } from 'zod';
import { MODE_DESCRIPTORS, ModeId } from '../domain';
import type { TokenCountLabel } from './tokens';

/**
 * An eval task is data: eval/tasks/<set>/<task>/task.json, plus an optional `project/` folder of
 * files laid over the project and a reference answer file. Paths inside task.json are relative to
 * the task's folder.
 */

const RelPath = z.string().trim().min(1);
/** One pattern, or several alternatives (any one may match). */
const Patterns = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/**
 * A listed check: exactly one of the kinds. Patterns are Rust token sequences in which `...`
 * matches any balanced run of tokens: `.filter(orders::customer_id.eq(...))`.
 */
export const TaskCheck = z
  .object({
    /** The code must contain the pattern (or one of the alternatives). */
    contains: Patterns.optional(),
    /** The code must not contain the pattern (nor any of them). */
    absent: Patterns.optional(),
    /** The function's return type, whitespace-insensitive (`QueryResult<Vec<Order>>`). */
    returns: Patterns.optional(),
    /** The function is (true) or is not (false) `async`. */
    async: z.boolean().optional(),
    /** A file of the change set whose path ends with `path` contains `text` (migrations, mod lines). */
    fileIncludes: z.object({ path: RelPath, text: z.string().min(1) }).strict().optional(),
    /** Why the check matters, for the report. */
    why: z.string().optional(),
  })
  .strict()
  .refine((c) => ['contains', 'absent', 'returns', 'async', 'fileIncludes'].filter((k) => c[k as keyof typeof c] !== undefined).length === 1, {
    message: 'a check needs exactly one of contains, absent, returns, async, fileIncludes',
  });
export type TaskCheck = z.infer<typeof TaskCheck>;

/**
 * How `nocodo eval --render` shows a Solid answer in headless Chromium against the task project's
 * own backend, running on a throwaway PostgreSQL with `seed` loaded (see src/eval/render/).
 */
export const RenderSpec = z
  .object({
    /** SQL run after the migrations: the rows the page must show. */
    seed: RelPath,
    /** The URL path opened in the page (`/orders/1`). */
    path: z.string().regex(/^\//, 'starts with /'),
    /** The router pattern the view is mounted at (`/orders/:id`); default: `path`. */
    route: z.string().regex(/^\//, 'starts with /').optional(),
    /** A component in the task folder mounted instead of the generated file (a store's consumer, a restyled component with its props). */
    view: RelPath.optional(),
    /** Mount the frontend's own app (src/index.tsx) instead of one view: for route changes. */
    app: z.boolean().default(false),
    /** A link to follow first, by its text (the menu entry a route change added). */
    click: z.string().min(1).optional(),
    /** Texts that must be visible on the page (the seeded rows). */
    expect: z.array(z.string().min(1)).default([]),
    /** Form fields to fill, by label, then submit: the backend must then hold the row. */
    submit: z
      .object({
        fields: z.record(z.string().min(1), z.string()),
        /** A GET on the backend after the submit (`/api/customers/3`) whose body holds every text. */
        then: z.object({ get: z.string().regex(/^\//, 'starts with /'), includes: z.array(z.string().min(1)).min(1) }).strict(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((r) => r.expect.length > 0 || r.submit !== undefined, { message: 'a render needs texts to expect or a form to submit' });
export type RenderSpec = z.infer<typeof RenderSpec>;

/** Where the reference answer is: a file in the task folder, or a function cut from a fixture file. */
const Reference = z.union([RelPath, z.object({ file: RelPath, fn: z.string().min(1) }).strict()]);

export const TaskFile = z
  .object({
    /** Defaults to the folder name. */
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, ".", "_" and "-"')
      .optional(),
    mode: ModeId,
    title: z.string().optional(),
    /** Where the task comes from (an upstream function, a README entry). */
    source: z.string().optional(),
    project: z
      .object({
        /** A folder whose files make up the project (e.g. ../../../../test/fixtures/bakery). */
        fixture: RelPath.optional(),
        /** Project path → fixture-relative source; when given, only these fixture files are used. */
        files: z.record(RelPath, RelPath).optional(),
        /** Folders laid over the fixture, in order (shared crate scaffolding: Cargo.toml, lib.rs); the task's own project/ folder comes last. */
        overlay: z.array(RelPath).optional(),
        /** Functions cut out of project files (the reference answer, when it lives in the model file). */
        mask: z.array(z.object({ file: RelPath, fn: z.string().min(1) }).strict()).optional(),
      })
      .strict()
      .default({}),
    file: RelPath.optional(),
    struct: z.string().min(1).optional(),
    table: z.string().min(1).optional(),
    /** actix-handler: the model function the handler calls (`find`); actix-router: handler names, comma-separated. */
    function: z.string().trim().min(1).optional(),
    /** Actix route: `GET /api/customers/{id}` for a handler, or the scope (`/admin`) to register or wrap in. */
    route: z.string().trim().min(1).optional(),
    /** actix-handler: the handler name the task gives (kept as is). */
    handler: z.string().trim().min(1).optional(),
    /** The request, phrased as a user would. */
    request: z.string().default(''),
    reference: Reference.optional(),
    checks: z.array(TaskCheck).default([]),
    /** The project file the artifact must land in (where the project keeps such functions). */
    expectFile: RelPath.optional(),
    /** `false` for project fragments (corpus files) that cannot build on their own. */
    cargo: z.boolean().default(true),
    /**
     * A folder with a crate that builds where the task project cannot (see src/eval/harness.ts):
     * with `--cargo`, the answer's change is compiled there instead, as written.
     */
    harness: RelPath.optional(),
    /** Solid tasks: the page to render with --render, and what it must show. */
    render: RenderSpec.optional(),
  })
  .strict();
export type TaskFile = z.infer<typeof TaskFile>;

/** Modes whose code is generated without a model (no prompt, nothing to record or replay): the descriptors' `deterministic`. */
export const MODEL_FREE_MODES: ReadonlySet<string> = new Set(MODE_DESCRIPTORS.filter((d) => d.deterministic).map((d) => d.id));

/** A loaded task: everything resolved, files read, ready to run. */
export interface EvalTask {
  /** `<set>/<id>` */
  id: string;
  set: string;
  dir: string;
  mode: ModeId;
  title?: string;
  source?: string;
  /** Project-relative path → text (masks applied). */
  files: Map<string, string>;
  /** The fixture folder on disk (TSX checks run the frontend's installed TypeScript, solid-js and Tailwind from there). */
  fixtureDir?: string;
  file?: string;
  struct?: string;
  table?: string;
  function?: string;
  handler?: string;
  route?: string;
  request: string;
  reference?: string;
  checks: TaskCheck[];
  expectFile?: string;
  cargo: boolean;
  /** The compile harness crate (path → text), when the task has one. */
  harness?: { dir: string; files: Map<string, string> };
  /** The render spec with its files read (seed SQL, harness view). */
  render?: LoadedRender;
  /**
   * In the held-out half of its set, named in the set's `heldout.json` (never tune prompts on
   * it); undefined when the set has no such file (src/eval/split.ts then halves it by position).
   */
  heldOut?: boolean;
}

export interface LoadedRender extends Omit<RenderSpec, 'seed' | 'view'> {
  seed: { path: string; sql: string };
  view?: { path: string; text: string };
}

/** What the render step made of an answer (with --render, Solid tasks with a render spec). */
export type RenderOutcome = 'pass' | 'fail' | 'skipped' | 'not-run';

export type CargoOutcome = 'pass' | 'fail' | 'skipped' | 'not-run';

export interface CheckOutcome {
  label: string;
  ok: boolean;
  detail?: string;
}

/** The five criteria for one answer; `pass` is pass@1. */
export interface TaskScore {
  /** Post-processing found a usable artifact (thinking, fences, prose removed). */
  cleaned: boolean;
  /** The artifact parses as Rust without syntax errors. */
  parses: boolean;
  /** The mode's validation against the project passed (columns, types, style) and a change set was built. */
  consistent: boolean;
  /** Same normalised syntax tree as the reference, or every listed check holds. */
  matches: boolean;
  matchedBy?: 'reference' | 'checks';
  checks: CheckOutcome[];
  cargo: CargoOutcome;
  cargoDetail?: string;
  /** --render: `vite build` of the frontend with the answer, then the page in Chromium against the running backend. */
  render?: RenderOutcome;
  renderDetail?: string;
  /** Static checks vs rustc on this answer (only when cargo ran): the goal is no false reject. */
  rustcVerdict?: 'agree' | 'false-accept' | 'false-reject';
  pass: boolean;
  /** The first answer failed, the re-ask (with the diagnostics) produced a passing one. */
  fixedByReask: boolean;
  /** A right answer (the reference's syntax tree) that validation threw away: the count that must stay 0. */
  falseReject: boolean;
  /** Validation accepted the answer and built a change set, but `cargo check` of it failed. */
  acceptedNotCompiling: boolean;
  /** Why it did not pass, one line. */
  failure?: string;
}

export interface PromptTokens {
  stable: number;
  variable: number;
}

export interface TaskResult {
  taskId: string;
  set: string;
  mode: ModeId;
  model: string;
  request: string;
  deterministic: boolean;
  score: TaskScore;
  /** Model calls made (1, or 2 with the re-ask). */
  calls: number;
  /** First answer: request to last token; for deterministic modes the whole generation. */
  latencyMs: number;
  firstTokenMs?: number;
  tokensPerSecond?: number;
  completionTokens?: number;
  promptTokens?: PromptTokens;
  /** Everything except the model call (context, prompt, post-processing, validation, compile check). */
  overheadMs: number;
  /** Of the model time, what the client itself spent (HTTP, streaming) when the server reports its own time. */
  modelClientMs?: number;
  /** Time in `cargo check` (all attempts), with --cargo. */
  compileMs?: number;
  /** First answer as the model gave it, and what post-processing kept. */
  answer?: string;
  code?: string;
  errors: string[];
}

export interface Stats {
  mean: number;
  p50: number;
  p95: number;
}

export interface SummaryRow {
  model: string;
  /** A mode id, or `all`. */
  mode: string;
  tasks: number;
  passed: number;
  /** passed / tasks */
  pass1: number;
  cleaned: number;
  parses: number;
  consistent: number;
  matches: number;
  fixedByReask: number;
  /** Right answers rejected by validation (goal 0). */
  falseRejects: number;
  /** Accepted answers whose change does not compile (goal 0; counted where cargo ran). */
  acceptedNotCompiling: number;
  cargo: { pass: number; fail: number; skipped: number };
  /** --render: answers whose page built and showed its rows, did not, or could not be rendered. */
  render: { pass: number; fail: number; skipped: number };
  latencyMs?: Stats;
  /** Mean prompt tokens per call. */
  stableTokens?: number;
  variableTokens?: number;
  /** Stable prefix tokens / all prompt tokens. */
  stableShare?: number;
  tokensPerSecond?: number;
}

export interface EvalReport {
  version: 1;
  startedAt: string;
  finishedAt: string;
  baseUrl: string;
  models: string[];
  tasksDir: string;
  sets: string[];
  /** How prompt tokens were counted. */
  tokenCount: TokenCountLabel;
  cargo: string;
  /** --render: used, not requested, or why it was skipped. */
  render?: string;
  /** Tasks left out (mode not implemented, filtered). */
  skipped: { taskId: string; reason: string }[];
  /** Tasks a time budget (--stop-after) left for a resume; absent when the run finished. */
  unfinished?: number;
  summary: SummaryRow[];
  results: TaskResult[];
}
