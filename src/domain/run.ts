import { z } from 'zod';
import { ModelRole } from './roles';

export const DiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  code: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
});

export const RunMessage = z.object({ role: z.enum(['system', 'user', 'assistant']), content: z.string() });
export type RunMessage = z.infer<typeof RunMessage>;

export const RunOutcome = z.enum(['ok', 'invalid', 'cancelled', 'error']);
export type RunOutcome = z.infer<typeof RunOutcome>;

/**
 * One model call, kept whole so the run inspector can show exactly what happened.
 * Produced by the model client; modes fill `extracted` and `diagnostics`; the store persists it.
 */
export const RunRecord = z.object({
  id: z.string(),
  /** The run this one re-asks for (validation errors fed back), if any. */
  parentRunId: z.string().optional(),
  role: ModelRole,
  mode: z.string().optional(),
  taskId: z.string().optional(),
  sessionId: z.string().optional(),
  baseUrl: z.string(),
  model: z.string(),
  params: z.object({
    temperature: z.number(),
    maxTokens: z.number(),
    /** The repeat penalty sent (absent: none, 1). */
    repeatPenalty: z.number().optional(),
    /** Whether a JSON schema was sent for constrained decoding. */
    jsonSchema: z.boolean().optional(),
    /** Whether a GBNF grammar constrained the answer. */
    grammar: z.boolean().optional(),
  }),
  messages: z.array(RunMessage),
  /** The answer as streamed, reasoning removed. */
  raw: z.string(),
  reasoning: z.string(),
  /** What post-processing kept (code, or JSON text). */
  extracted: z.string().optional(),
  diagnostics: z.array(DiagnosticSchema),
  usage: z
    .object({
      promptTokens: z.number().optional(),
      completionTokens: z.number().optional(),
      /** Prompt tokens of the part shared by every call of this mode (prompt-cache prefix). */
      stablePrefixTokens: z.number().optional(),
    })
    .optional(),
  timings: z.object({
    startedAt: z.number(),
    firstTokenMs: z.number().optional(),
    totalMs: z.number(),
    tokensPerSecond: z.number().optional(),
    /** The server's own time (llama.cpp's prompt_ms + predicted_ms); totalMs minus this is the client's. */
    serverMs: z.number().optional(),
  }),
  outcome: RunOutcome,
  error: z.string().optional(),
  /** `cargo check` of the proposed change in a shadow copy (absent when the check was not asked for). */
  compile: z
    .object({
      ran: z.boolean(),
      ok: z.boolean(),
      ms: z.number(),
      errors: z.array(z.object({ message: z.string(), line: z.number().optional(), column: z.number().optional(), file: z.string().optional(), fileLine: z.number().optional(), code: z.string().optional() })),
      preExisting: z.number(),
      skipped: z.string().optional(),
      /** Whether the static checks had accepted the answer (the eval measures where they disagree with rustc). */
      staticOk: z.boolean(),
      /** The compiler's rendered output, for the run inspector. */
      output: z.string(),
    })
    .optional(),
  /** Set when the user rejects the proposal produced from this run. */
  rejection: z.object({ at: z.number(), reason: z.string().optional() }).optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;
