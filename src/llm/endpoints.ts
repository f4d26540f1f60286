import * as net from 'node:net';

// Plain-HTTP calls to the server besides chat: llama-server's root endpoints (/health,
// /tokenize) sit at the server root, not under /v1; /models sits under the base URL.

/** `http://host:8080/v1` → `http://host:8080` (the base URL itself when it doesn't end in /v1). */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export interface HttpResult {
  status: number;
  /** Parsed JSON, or undefined when the body was not JSON. */
  json: unknown;
  text: string;
}

export interface RequestOpts {
  apiKey?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A JSON request with a deadline. Throws on network errors, timeouts and aborts (not on HTTP status). */
export async function requestJson(method: 'GET' | 'POST', url: string, body: unknown, opts: RequestOpts): Promise<HttpResult> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  const onAbort = () => ctl.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.apiKey) headers.Authorization = `Bearer ${opts.apiKey}`;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: ctl.signal });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** Model ids from `GET <baseUrl>/models`; undefined when the server can't list them. */
export async function listModels(baseUrl: string, opts: RequestOpts): Promise<string[] | undefined> {
  try {
    const r = await requestJson('GET', `${baseUrl}/models`, undefined, opts);
    return r.status === 200 ? modelIds(r.json) : undefined;
  } catch {
    return undefined;
  }
}

export function modelIds(json: unknown): string[] | undefined {
  const data = (json as { data?: unknown })?.data ?? (json as { models?: unknown })?.models;
  if (!Array.isArray(data)) return undefined;
  return data.map((m) => (m as { id?: unknown; name?: unknown; model?: unknown })).map((m) => m.id ?? m.model ?? m.name).filter((id): id is string => typeof id === 'string');
}

/** Token count from llama-server's `POST /tokenize`; undefined on any failure (other servers lack it). */
export async function countTokens(baseUrl: string, text: string, opts: RequestOpts): Promise<number | undefined> {
  try {
    const r = await requestJson('POST', `${serverRoot(baseUrl)}/tokenize`, { content: text, add_special: false }, opts);
    const tokens = (r.json as { tokens?: unknown })?.tokens;
    return r.status === 200 && Array.isArray(tokens) ? tokens.length : undefined;
  } catch {
    return undefined;
  }
}

export type ProbeResult = 'connected' | 'timeout' | 'failed' | 'aborted';

/**
 * Opens (and closes) a TCP connection to the server. llama-server sends response headers only
 * after prompt processing, so the chat request itself can't tell "no server" from "slow
 * prompt"; this probe gives the connect timeout its meaning.
 */
export function probeConnect(baseUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return Promise.resolve('failed');
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve('aborted');
    const socket = net.connect({ host, port });
    const done = (r: ProbeResult) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(r);
    };
    const onAbort = () => done('aborted');
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done('connected'));
    socket.once('error', () => done('failed'));
  });
}
