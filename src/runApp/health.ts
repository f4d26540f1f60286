/**
 * Waits until `url` answers 2xx. Each attempt is triggered by an event (the caller's `nudge`, e.g.
 * the server printing that it listens) or by a backoff timer (150 ms doubling to 2 s), and stops at
 * the deadline, on abort, or when `gaveUp` resolves (the server process exited).
 */
export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Resolves with a reason when waiting is pointless (the process died). */
  gaveUp?: Promise<string>;
}

export interface Waiter {
  /** Try again now (something happened that may mean it is up). */
  nudge(): void;
  done: Promise<{ ok: true; ms: number; body: string } | { ok: false; reason: string }>;
}

export function waitForHttp(url: string, opts: WaitOptions): Waiter {
  const t0 = Date.now();
  let wake: (() => void) | undefined;
  let pendingNudge = false;
  const nudge = (): void => {
    if (wake) wake();
    else pendingNudge = true;
  };
  const done = (async () => {
    let stop: string | undefined;
    void opts.gaveUp?.then((r) => {
      stop ??= r;
      nudge();
    });
    const onAbort = (): void => {
      stop ??= 'cancelled';
      nudge();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let delay = 150;
    let last = 'no answer yet';
    try {
      for (;;) {
        if (stop) return { ok: false as const, reason: stop };
        const left = opts.timeoutMs - (Date.now() - t0);
        if (left <= 0) return { ok: false as const, reason: `${url} did not answer within ${Math.round(opts.timeoutMs / 1000)} s (${last})` };
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(Math.min(5000, left)) });
          const body = await res.text();
          if (res.ok) return { ok: true as const, ms: Date.now() - t0, body };
          last = `HTTP ${res.status}`;
        } catch (e) {
          last = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        }
        if (pendingNudge) {
          pendingNudge = false;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            wake = undefined;
            resolve();
          }, Math.min(delay, Math.max(0, opts.timeoutMs - (Date.now() - t0))));
          wake = () => {
            clearTimeout(timer);
            wake = undefined;
            resolve();
          };
        });
        delay = Math.min(delay * 2, 2000);
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  })();
  return { nudge, done };
}
