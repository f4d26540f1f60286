import type { z } from 'zod';
import type { ModelRole, RunMessage, RunRecord } from '../domain';

/** Resolved settings for one role (settings → env → defaults, see ./config). */
export interface RoleConfig {
  role: ModelRole;
  baseUrl: string;
  model: string;
  temperature: number;
  maxTokens: number;
  /** llama.cpp's repeat_penalty (1 = off): lowers tokens seen among the last REPEAT_PENALTY_WINDOW, against loops. */
  repeatPenalty: number;
  apiKey?: string;
}

export interface Timeouts {
  /** Time to open the connection to the server. */
  connectMs: number;
  /**
   * Time from sending the request to the first token: prompt processing on a slow CPU, plus
   * waiting for a busy slot. (llama-server sends response headers only after prompt processing,
   * so "headers" can't mark the end of connecting.)
   */
  firstTokenMs: number;
  /** Longest silence between two tokens once streaming (chunks without text do not count as tokens). */
  idleMs: number;
  /** Deadline for the whole call, however the server behaves (an endless stream ends here). Default 900 s. */
  totalMs?: number;
}

export interface StreamDelta {
  content?: string;
  reasoning?: string;
}

export interface ChatRequest {
  role: ModelRole;
  messages: RunMessage[];
  mode?: string;
  taskId?: string;
  sessionId?: string;
  parentRunId?: string;
  signal?: AbortSignal;
  onDelta?: (d: StreamDelta) => void;
  /** Overrides of the role's settings for this call. */
  temperature?: number;
  maxTokens?: number;
  repeatPenalty?: number;
  /** Characters of the prompt that are identical across calls of the mode (for token accounting). */
  stablePrefixChars?: number;
  /** A GBNF grammar the answer must follow (llama.cpp's `grammar` field; dropped for servers that refuse it). */
  grammar?: string;
}

export interface ChatResult {
  /** Answer text with reasoning removed. */
  content: string;
  reasoning: string;
  run: RunRecord;
}

export interface StructuredRequest<T> extends ChatRequest {
  schema: z.ZodType<T>;
  /** Short name for the schema (used in the prompt and JSON schema title). */
  schemaName: string;
}

export interface StructuredResult<T> {
  value: T;
  /** Every call made (first answer, and the re-ask if there was one). */
  runs: RunRecord[];
}

export type ServerState =
  | { kind: 'ready'; baseUrl: string; models: string[] }
  | { kind: 'loading'; baseUrl: string; detail: string }
  | { kind: 'unreachable'; baseUrl: string; detail: string }
  | { kind: 'error'; baseUrl: string; detail: string };

/** The one way agents and modes talk to models. */
export interface ModelClient {
  chat(req: ChatRequest): Promise<ChatResult>;
  structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>>;
  health(role?: ModelRole): Promise<ServerState>;
  roleConfig(role: ModelRole): RoleConfig;
}
