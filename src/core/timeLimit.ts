/**
 * Time limits for steps that wait on something outside nocodo's control (a child process, the
 * file system, the editor): a step that never ends must end as an error naming the step, never
 * as a command that hangs with its notification spinning and its project held.
 */

/** A step did not finish within its limit. `step` says which, in words for the user and the log. */
export class StepTimeoutError extends Error {
  constructor(
    readonly step: string,
    readonly limitMs: number,
  ) {
    super(`${step} did not finish within ${formatLimit(limitMs)}`);
    this.name = 'StepTimeoutError';
  }
}

/** "500 ms", "5 s", "2 min" (limits are round numbers). */
export function formatLimit(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * `work`, or a StepTimeoutError once `limitMs` passed (`onLate` runs first: abort what can be
 * aborted). The work itself goes on unless `onLate` stops it; its later result or error is dropped.
 */
export async function withinLimit<T>(step: string, work: PromiseLike<T>, limitMs: number, onLate?: () => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onLate?.();
      } finally {
        reject(new StepTimeoutError(step, limitMs));
      }
    }, limitMs);
  });
  const settled = Promise.resolve(work);
  settled.catch(() => undefined); // a rejection after the limit is nobody's to handle
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
