import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { BASE_URL_SETTING } from './config';
import { listModels } from './endpoints';
import {
  ModelError,
  authError,
  cancelledError,
  contextTooLongError,
  disconnectedError,
  loadingError,
  modelNotFoundError,
  timeoutError,
  unreachableError,
  type Knobs,
  type TimeoutPhase,
} from './errors';
import type { Timeouts } from './types';

export interface FailureContext {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeouts: Timeouts;
  /** Why our own controller aborted the request, if it did. */
  abortedBy?: TimeoutPhase | 'cancelled';
  /** Whether answer tokens had arrived before the failure. */
  streamed: boolean;
  knobs?: Knobs;
}

const CONTEXT_RE = /exceed(s|ed)? the available context|context (size|length|window)|n_ctx|maximum context|too many tokens|prompt is too long/i;
const MODEL_MISSING_RE = /model.*(not found|does not exist|not exist|unknown|not available)|(unknown|invalid) model/i;

/** Turns anything the SDK, undici or the stream throws into a ModelError with a helpful message. */
export async function classifyFailure(err: unknown, ctx: FailureContext): Promise<ModelError> {
  const { baseUrl, model } = ctx;
  if (err instanceof ModelError) return err;
  if (ctx.abortedBy === 'cancelled') return cancelledError(baseUrl, model);
  if (ctx.abortedBy) return timeoutError(ctx.abortedBy, ctx.timeouts[ctx.abortedBy] ?? 0, baseUrl, model, ctx.knobs);
  if (err instanceof APIUserAbortError) return cancelledError(baseUrl, model);
  if (err instanceof APIConnectionTimeoutError) return timeoutError('firstTokenMs', ctx.timeouts.firstTokenMs, baseUrl, model, ctx.knobs);
  if (err instanceof APIConnectionError) {
    // fetch() failed before any response: "unreachable", unless the socket had connected and then died.
    return isBrokenConnection(err) ? disconnectedError(baseUrl, model, ctx.streamed, err) : unreachableError(baseUrl, model, err, ctx.knobs);
  }
  if (err instanceof APIError) return classifyApiError(err, ctx);
  if (err instanceof SyntaxError) {
    return new ModelError('bad-response', `The model server at ${baseUrl} sent a malformed answer (${err.message}). Is ${baseUrl} an OpenAI-compatible server?`, { baseUrl, model, cause: err });
  }
  if (isNetworkError(err)) return disconnectedError(baseUrl, model, ctx.streamed, err);
  return new ModelError('bad-response', `Talking to the model server at ${baseUrl} failed: ${err instanceof Error ? err.message : String(err)}`, { baseUrl, model, cause: err });
}

async function classifyApiError(err: APIError, ctx: FailureContext): Promise<ModelError> {
  const { baseUrl, model } = ctx;
  const body = (err.error ?? {}) as Record<string, unknown>;
  const status = err.status ?? (typeof body.code === 'number' ? body.code : undefined);
  const message = typeof body.message === 'string' ? body.message : err.message;
  const type = typeof body.type === 'string' ? body.type : '';

  if (type === 'exceed_context_size_error' || ((status === undefined || status === 400 || status === 413 || status >= 500) && CONTEXT_RE.test(message))) {
    const nPrompt = typeof body.n_prompt_tokens === 'number' ? body.n_prompt_tokens : undefined;
    const nCtx = typeof body.n_ctx === 'number' ? body.n_ctx : undefined;
    return contextTooLongError(baseUrl, model, status, nPrompt, nCtx, message);
  }
  if (status === 503 && (type === 'unavailable_error' || /loading/i.test(message))) return loadingError(baseUrl, model);
  if (status === 401 || status === 403) return authError(baseUrl, model, status, message);
  if (status === 404 || body.code === 'model_not_found' || (status === 400 && MODEL_MISSING_RE.test(message))) {
    const models = await listModels(baseUrl, { apiKey: ctx.apiKey, timeoutMs: ctx.timeouts.connectMs });
    if (models && !models.includes(model)) return modelNotFoundError(baseUrl, model, models);
    if (!models && (body.code === 'model_not_found' || MODEL_MISSING_RE.test(message))) return modelNotFoundError(baseUrl, model, undefined);
    if (status === 404) {
      return new ModelError('bad-request', `The server at ${baseUrl} answered 404 to the chat request (${message}). Check \`${ctx.knobs?.baseUrl ?? BASE_URL_SETTING}\`: for llama-server it ends with /v1 (e.g. http://localhost:8080/v1).`, {
        baseUrl,
        model,
        status,
      });
    }
  }
  if (status === undefined) {
    // An error event inside the stream.
    return new ModelError('server', `The model server at ${baseUrl} reported an error while answering: ${message}`, { baseUrl, model, retryable: !ctx.streamed });
  }
  if (status >= 500) {
    return new ModelError('server', `The model server at ${baseUrl} failed (${status}: ${message}).`, { baseUrl, model, status, retryable: !ctx.streamed });
  }
  return new ModelError('bad-request', `The model server at ${baseUrl} rejected the request (${status}: ${message}).`, { baseUrl, model, status });
}

const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCodes(err: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function isBrokenConnection(err: unknown): boolean {
  return errorCodes(err).some((c) => BROKEN_CODES.has(c));
}

function isNetworkError(err: unknown): boolean {
  if (errorCodes(err).some((c) => c.startsWith('E') || c.startsWith('UND_ERR'))) return true;
  return err instanceof TypeError && /terminated|fetch failed|socket|network/i.test(err.message);
}
