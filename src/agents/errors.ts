export type TeamErrorKind =
  /** Another step of this session is still running. */
  | 'busy'
  /** The step does not fit where the session is (e.g. planning before the summary is confirmed). */
  | 'wrong-phase'
  | 'not-found'
  /** An empty or unusable message. */
  | 'invalid-input'
  /** The user's answers do not fit the questions asked. */
  | 'invalid-answer'
  /** The user's edited summary is not a valid ProductSummary. */
  | 'invalid-summary'
  /** The task cannot run (state, missing mode, unfinished dependencies). */
  | 'not-runnable'
  | 'cancelled';

/** A refusal of the team, with a message written for the person using nocodo. */
export class TeamError extends Error {
  constructor(
    readonly kind: TeamErrorKind,
    message: string,
    /** One line per problem (answers, summary fields), for forms that show errors beside fields. */
    readonly details: readonly string[] = [],
  ) {
    super(details.length ? `${message}\n${details.map((d) => `- ${d}`).join('\n')}` : message);
    this.name = 'TeamError';
  }
}

/** What a cancelled step tells the user. */
export const CANCELLED_MESSAGE = 'Cancelled. Nothing was lost: continue when you are ready.';

/** A cancelled TeamError or ModelError (both carry `kind`), or a raw abort. */
export const isCancellation = (e: unknown): boolean =>
  e instanceof Error && ((e as { kind?: unknown }).kind === 'cancelled' || e.name === 'AbortError');

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TeamError('cancelled', 'Cancelled.');
}
