import type { RunRecord } from '../domain';
import { BASE_URL_SETTING, TIMEOUT_SETTINGS } from './config';
import { llamaServerCommandLine } from './localServer';
import type { Timeouts } from './types';

export type ModelErrorKind =
  /** No connection to the server (refused, DNS, network). */
  | 'unreachable'
  /** The connection broke while the answer was streaming. */
  | 'disconnected'
  /** llama-server answers 503 while it loads the model. */
  | 'loading'
  | 'model-not-found'
  | 'context-too-long'
  | 'timeout'
  | 'cancelled'
  /** The server refused the API key (401/403). */
  | 'auth'
  /** A 5xx that is none of the above. */
  | 'server'
  /** A 4xx that is none of the above. */
  | 'bad-request'
  /** The server answered something that is not a chat completion (malformed JSON/SSE, empty stream). */
  | 'bad-response'
  /** The model answered, but not in the shape asked for (after the re-ask). */
  | 'invalid-output';

export type TimeoutPhase = keyof Timeouts;

/**
 * How the user changes a value, as messages name it. The editor names its settings (the
 * defaults); the CLI passes its flags, so a terminal user is never told about a VS Code setting.
 */
export type Knobs = Partial<Record<TimeoutPhase | 'baseUrl' | 'maxTokens', string>>;

export interface ModelErrorDetails {
  baseUrl?: string;
  model?: string;
  status?: number;
  timeout?: TimeoutPhase;
  /** Models the server offers (model-not-found). */
  models?: string[];
  /** Raw answers kept for the user and the run inspector (invalid-output). */
  raws?: string[];
  /** The run produced for the failed call (set by the client before throwing). */
  run?: RunRecord;
  /** Every run of a structured call. */
  runs?: RunRecord[];
  /** Whether the same request may succeed if sent again (connection errors, 5xx). */
  retryable?: boolean;
  cause?: unknown;
}

/** Every failure of the model client, with a message written for the person using nocodo. */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly baseUrl?: string;
  readonly model?: string;
  readonly status?: number;
  readonly timeout?: TimeoutPhase;
  readonly models?: string[];
  readonly raws?: string[];
  readonly retryable: boolean;
  run?: RunRecord;
  runs?: RunRecord[];

  constructor(kind: ModelErrorKind, message: string, details: ModelErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'ModelError';
    this.kind = kind;
    this.baseUrl = details.baseUrl;
    this.model = details.model;
    this.status = details.status;
    this.timeout = details.timeout;
    this.models = details.models;
    this.raws = details.raws;
    this.retryable = details.retryable ?? false;
    this.run = details.run;
    this.runs = details.runs;
  }
}

export const isModelError = (e: unknown): e is ModelError => e instanceof ModelError;

// ---------------------------------------------------------------------------------------------
// Message builders: one place for the wording the user sees.

export function unreachableError(baseUrl: string, model: string, cause?: unknown, knobs: Knobs = {}): ModelError {
  const why = causeText(cause);
  return new ModelError(
    'unreachable',
    `nocodo can't reach the model server at ${baseUrl} — start it with \`${llamaServerCommandLine(model, baseUrl)}\` or change \`${knobs.baseUrl ?? BASE_URL_SETTING}\`.${why ? ` (${why})` : ''}`,
    { baseUrl, model, retryable: true, cause },
  );
}

export function disconnectedError(baseUrl: string, model: string, streamed: boolean, cause?: unknown): ModelError {
  const why = causeText(cause);
  return new ModelError(
    'disconnected',
    `The connection to the model server at ${baseUrl} broke ${streamed ? 'while the answer was streaming' : 'before the answer arrived'}${why ? ` (${why})` : ''}. Check that llama-server is still running, then try again.`,
    { baseUrl, model, retryable: !streamed, cause },
  );
}

export function loadingError(baseUrl: string, model: string): ModelError {
  return new ModelError('loading', `The model server at ${baseUrl} is still loading the model. Wait until it is ready (downloading a model the first time can take minutes), then try again.`, {
    baseUrl,
    model,
    status: 503,
  });
}

export function modelNotFoundError(baseUrl: string, model: string, models: string[] | undefined): ModelError {
  const offer =
    models === undefined
      ? 'nocodo could not list the models it offers.'
      : models.length === 0
        ? 'It offers no models.'
        : `It offers: ${models.map((m) => `\`${m}\``).join(', ')}.`;
  return new ModelError('model-not-found', `The model server at ${baseUrl} has no model \`${model}\`. ${offer} Change the role's model setting to one of them, or start llama-server with \`-hf ${model}\`.`, {
    baseUrl,
    model,
    status: 404,
    models,
  });
}

export function contextTooLongError(baseUrl: string, model: string, status: number | undefined, promptTokens?: number, nCtx?: number, serverMessage?: string): ModelError {
  const sizes = promptTokens !== undefined && nCtx !== undefined ? ` The prompt is ${promptTokens} tokens; the server's context holds ${nCtx}.` : serverMessage ? ` (${serverMessage})` : '';
  // Double the context, or more when the prompt alone needs it (with room left for the answer).
  const suggest = nCtx !== undefined ? nextPow2(Math.max(nCtx * 2, (promptTokens ?? 0) + 1024)) : 8192;
  return new ModelError(
    'context-too-long',
    `The request is too long for the model's context at ${baseUrl}.${sizes} Restart llama-server with a bigger context (e.g. \`-c ${suggest}\`), or make the request smaller.`,
    { baseUrl, model, status },
  );
}

export function timeoutError(phase: TimeoutPhase, ms: number, baseUrl: string, model: string, knobs: Knobs = {}): ModelError {
  const what: Record<TimeoutPhase, string> = {
    connectMs: `could not connect to the model server at ${baseUrl} within ${seconds(ms)}`,
    firstTokenMs: `the model at ${baseUrl} did not start answering within ${seconds(ms)} (a slow CPU needs long for a big prompt)`,
    idleMs: `the model at ${baseUrl} stopped sending tokens for ${seconds(ms)}`,
    totalMs: `the answer from ${baseUrl} was not complete after ${seconds(ms)}, the longest a call may take`,
  };
  return new ModelError('timeout', `Timed out: ${what[phase]}. If the server is just slow, raise \`${knobs[phase] ?? TIMEOUT_SETTINGS[phase]}\`.`, { baseUrl, model, timeout: phase });
}

export function cancelledError(baseUrl: string, model: string): ModelError {
  return new ModelError('cancelled', 'Cancelled.', { baseUrl, model });
}

export function authError(baseUrl: string, model: string, status: number, serverMessage: string): ModelError {
  return new ModelError('auth', `The model server at ${baseUrl} refused the request (${status}: ${serverMessage}). Check the API key nocodo has for this server (kept in the editor's secret storage, never in settings).`, {
    baseUrl,
    model,
    status,
  });
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function nextPow2(n: number): number {
  let p = 1024;
  while (p < n) p *= 2;
  return p;
}

/** A short reason from a Node/undici error chain (ECONNREFUSED, ENOTFOUND…), without secrets. */
export function causeText(cause: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = cause;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  if (cause instanceof Error && cause.message && !/^Connection error\.?$/.test(cause.message)) return cause.message;
  return '';
}
