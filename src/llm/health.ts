import { BASE_URL_SETTING, DEFAULT_MODEL } from './config';
import { requestJson, serverRoot, modelIds, type HttpResult } from './endpoints';
import { authError, loadingError, unreachableError } from './errors';
import type { ServerState } from './types';

export interface HealthOptions {
  apiKey?: string;
  /** Per request. */
  timeoutMs: number;
  /** The model the caller wants (for the "start it with" hint). */
  model?: string;
  signal?: AbortSignal;
}

/**
 * What state the server is in: llama-server's `GET /health` (200 ok, 503 while loading; it sits
 * at the server root), then `GET <baseUrl>/models` for the list. Servers without /health
 * (vLLM behind a proxy, OpenAI) are judged by /models alone. Never throws.
 */
export async function checkServer(baseUrl: string, opts: HealthOptions): Promise<ServerState> {
  const model = opts.model ?? DEFAULT_MODEL;
  let health: HttpResult | undefined;
  try {
    health = await requestJson('GET', `${serverRoot(baseUrl)}/health`, undefined, opts);
  } catch (err) {
    if (opts.signal?.aborted) return { kind: 'error', baseUrl, detail: 'Cancelled.' };
    return { kind: 'unreachable', baseUrl, detail: unreachableError(baseUrl, model, err).message };
  }
  if (health.status === 503) return { kind: 'loading', baseUrl, detail: loadingError(baseUrl, model).message };
  if (health.status >= 500) return { kind: 'error', baseUrl, detail: `The model server at ${baseUrl} reports a problem: ${health.status} ${serverMessage(health) ?? ''}`.trim() };

  let models: HttpResult;
  try {
    models = await requestJson('GET', `${baseUrl}/models`, undefined, opts);
  } catch (err) {
    if (opts.signal?.aborted) return { kind: 'error', baseUrl, detail: 'Cancelled.' };
    return { kind: 'unreachable', baseUrl, detail: unreachableError(baseUrl, model, err).message };
  }
  if (models.status === 503) return { kind: 'loading', baseUrl, detail: loadingError(baseUrl, model).message };
  if (models.status === 401 || models.status === 403) return { kind: 'error', baseUrl, detail: authError(baseUrl, model, models.status, serverMessage(models) ?? 'unauthorized').message };
  if (models.status === 404) {
    return { kind: 'error', baseUrl, detail: `The server at ${baseUrl} has no /models endpoint. Check \`${BASE_URL_SETTING}\`: for llama-server it ends with /v1 (e.g. http://localhost:8080/v1).` };
  }
  if (models.status !== 200) return { kind: 'error', baseUrl, detail: `The model server at ${baseUrl} answered ${models.status} to GET /models: ${serverMessage(models) ?? models.text.slice(0, 200)}` };
  const ids = modelIds(models.json);
  if (!ids) return { kind: 'error', baseUrl, detail: `The server at ${baseUrl} answered GET /models with something that is not a model list. Is it an OpenAI-compatible server?` };
  return { kind: 'ready', baseUrl, models: ids };
}

function serverMessage(r: HttpResult): string | undefined {
  const e = (r.json as { error?: unknown })?.error;
  const msg = typeof e === 'string' ? e : (e as { message?: unknown })?.message;
  return typeof msg === 'string' && msg.trim() ? msg.trim() : undefined;
}
