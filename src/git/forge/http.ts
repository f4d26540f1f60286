/** A forge answered with an error the user has to act on. `status` is the HTTP status (0: no answer). */
export class ForgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly kind: 'auth' | 'not-found' | 'rate-limited' | 'invalid' | 'network' | 'server' = 'server',
  ) {
    super(message);
    this.name = 'ForgeError';
  }
}

export interface ForgeHttpOptions {
  /** Longest wait for one Retry-After before giving up with a clear message (ms). Default 60 000. */
  maxRetryWaitMs?: number;
  /** Retries after 429 / secondary rate limits. Default 2. */
  maxRetries?: number;
  signal?: AbortSignal;
  /** Test seam for waiting (the real one is a timer that the signal can cut short). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      },
      { once: true },
    );
  });

/** Seconds to wait from Retry-After (seconds or an HTTP date) or a rate-limit reset header. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ra = headers.get('retry-after');
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra) * 1000;
    const at = Date.parse(ra);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    // GitHub sends an epoch second; GitLab's RateLimit-Reset is an epoch second as well.
    return n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000;
  }
  return undefined;
}

const isRateLimited = (r: Response): boolean => r.status === 429 || (r.status === 403 && (r.headers.get('x-ratelimit-remaining') === '0' || r.headers.has('retry-after')));

/** One JSON request with rate-limit retries. Never logs or returns the token. */
export async function requestJson(url: string, init: { method: string; headers: Record<string, string>; body?: unknown }, opts: ForgeHttpOptions = {}): Promise<JsonResponse> {
  const maxRetries = opts.maxRetries ?? 2;
  const maxWait = opts.maxRetryWaitMs ?? 60_000;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        headers: { ...init.headers, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw new ForgeError(0, `Could not reach ${new URL(url).host}: ${e instanceof Error ? e.message : String(e)}`, 'network');
    }
    if (isRateLimited(res) && attempt < maxRetries) {
      const wait = retryAfterMs(res.headers) ?? 1000 * 2 ** attempt;
      if (wait <= maxWait) {
        await res.body?.cancel();
        await sleep(wait, opts.signal);
        continue;
      }
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep the text */
    }
    if (isRateLimited(res)) {
      const wait = retryAfterMs(res.headers);
      throw new ForgeError(res.status, `${new URL(url).host} is rate-limiting requests${wait ? `; try again in ${Math.ceil(wait / 1000)} s` : ''}.`, 'rate-limited');
    }
    return { status: res.status, headers: res.headers, body };
  }
}

/** The forge's own error text, when it sent one (GitHub: message + errors[].message; GitLab: message/error). */
export function forgeMessage(body: unknown): string {
  if (!body || typeof body !== 'object') return typeof body === 'string' ? body.slice(0, 300) : '';
  const b = body as { message?: unknown; error?: unknown; errors?: unknown };
  const parts: string[] = [];
  const msg = b.message ?? b.error;
  if (typeof msg === 'string') parts.push(msg);
  else if (Array.isArray(msg)) parts.push(msg.map(String).join('; '));
  else if (msg && typeof msg === 'object') parts.push(JSON.stringify(msg));
  if (Array.isArray(b.errors)) for (const e of b.errors) parts.push(typeof e === 'string' ? e : String((e as { message?: unknown }).message ?? JSON.stringify(e)));
  return parts.join(' — ').slice(0, 500);
}
