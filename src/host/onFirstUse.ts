/**
 * Something costly that is loaded once, when it is first needed (the extension's core bundle, see
 * src/extension.ts). Every use before it is ready waits for the same load; a failed load is
 * reported once and every use, then and later, gets the same clear error instead of hanging or
 * loading again into a half-started state. vscode-free, so the unit tests drive it directly.
 */
export class OnFirstUse<T> {
  private loading: Promise<T> | undefined;
  private why: string | undefined;

  /**
   * `load` runs on the first `use()`, on a later turn of the event loop (the caller that asked
   * first, e.g. a view being resolved, finishes its own work before the load blocks the thread).
   * `what` names the thing in the error; `onFailure` is told once.
   */
  constructor(
    private readonly what: string,
    private readonly load: (why: string) => T,
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {}

  /** What asked first (undefined until something did). */
  get firstUse(): string | undefined {
    return this.why;
  }

  /** Starts the load if nothing did yet; resolves once it is done. `why` names the use (for the log). */
  use(why: string): Promise<T> {
    if (this.loading) return this.loading;
    this.why = why;
    this.loading = new Promise<T>((resolve, reject) => {
      setImmediate(() => {
        try {
          resolve(this.load(why));
        } catch (e) {
          const cause = e instanceof Error ? e.message : String(e);
          const error = new Error(`${this.what} could not be loaded (first needed for ${why}): ${cause}`, { cause: e });
          this.onFailure(error);
          reject(error);
        }
      });
    });
    // A use that does not await (a background trigger) must not make an unhandled rejection.
    this.loading.catch(() => undefined);
    return this.loading;
  }
}
