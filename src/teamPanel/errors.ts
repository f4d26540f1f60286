import { TeamError } from '../agents';
import { IllegalTransitionError } from '../domain';
import { isModelError } from '../llm/errors';
import { clip, RequestError } from '../protocol';

// TeamError messages already list their details.
export const messageOf = (e: unknown): string => clip(e instanceof Error ? e.message : String(e));

/** Maps core errors to reply errors with messages written for the user; anything else passes through. */
export function toRequestError(e: unknown): unknown {
  if (e instanceof RequestError) return e;
  if (e instanceof IllegalTransitionError) return new RequestError('conflict', e.message);
  if (e instanceof TeamError) {
    const code = e.kind === 'cancelled' ? 'cancelled' : e.kind === 'not-found' ? 'not_found' : e.kind === 'busy' || e.kind === 'wrong-phase' || e.kind === 'not-runnable' ? 'conflict' : e.kind === 'invalid-answer' || e.kind === 'invalid-summary' || e.kind === 'invalid-input' ? 'invalid' : 'failed';
    return new RequestError(code, messageOf(e));
  }
  if (isModelError(e)) return new RequestError(e.kind === 'cancelled' ? 'cancelled' : 'failed', clip(e.message), e.run?.id);
  return e;
}
