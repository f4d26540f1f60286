import type { LLamaContextualRepeatPenalty, Token } from 'node-llama-cpp';
import { BadRequest, numberField as finite } from './messages';

// llama-server's repetition fields of a chat completion body, and what they become for
// node-llama-cpp, so that one request samples alike on both runtimes.

/** The penalties a request asked for (llama.cpp's names and defaults). */
export interface RepeatPenalty {
  /** repeat_penalty: divides a positive logit (multiplies a negative one) of every token in the window. */
  penalty: number;
  /** repeat_last_n: how many of the most recent tokens form the window. */
  lastTokens: number;
  /** frequency_penalty: subtracted once per occurrence in the window. */
  frequencyPenalty: number;
  /** presence_penalty: subtracted once for any occurrence in the window. */
  presencePenalty: number;
}

/** llama-server's defaults: no penalty, a 64-token window. */
const DEFAULT_LAST_N = 64;

/**
 * The penalties of a chat completion body, or undefined when they are off (llama-server's
 * defaults: repeat_penalty 1, frequency and presence 0, or a window of 0). repeat_last_n -1 means
 * the whole context, as in llama-server.
 */
export function repeatPenaltyFromBody(body: Readonly<Record<string, unknown>>, contextSize: number): RepeatPenalty | undefined {
  const penalty = finite(body.repeat_penalty, 'repeat_penalty') ?? 1;
  const frequencyPenalty = finite(body.frequency_penalty, 'frequency_penalty') ?? 0;
  const presencePenalty = finite(body.presence_penalty, 'presence_penalty') ?? 0;
  const lastN = finite(body.repeat_last_n, 'repeat_last_n') ?? DEFAULT_LAST_N;
  if (!Number.isInteger(lastN) || lastN < -1) throw new BadRequest('`repeat_last_n` must be a whole number: -1 (the whole context), 0 (off) or more');
  if (penalty <= 0) throw new BadRequest('`repeat_penalty` must be above 0 (1 is off)');
  const lastTokens = lastN === -1 ? contextSize : lastN;
  if (lastTokens === 0 || (penalty === 1 && frequencyPenalty === 0 && presencePenalty === 0)) return undefined;
  return { penalty, lastTokens, frequencyPenalty, presencePenalty };
}

/**
 * node-llama-cpp's `repeatPenalty` option for a request. llama-server feeds the prompt's tokens to
 * its sampler before the answer's, so its window starts on the prompt's last tokens; node-llama-cpp
 * would punish only the answer's, so the prompt's tail is put in front. llama.cpp punishes newlines
 * like any token; node-llama-cpp spares them unless told. `false`: no penalty at all.
 */
export function nodeLlamaRepeatPenalty(p: RepeatPenalty | undefined, promptTokens: readonly Token[]): false | LLamaContextualRepeatPenalty {
  if (!p) return false;
  const promptTail = promptTokens.slice(-p.lastTokens);
  return {
    penalty: p.penalty,
    lastTokens: p.lastTokens,
    frequencyPenalty: p.frequencyPenalty,
    presencePenalty: p.presencePenalty,
    penalizeNewLine: true,
    punishTokensFilter: (answerTokens) => [...promptTail, ...answerTokens].slice(-p.lastTokens),
  };
}
