import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { classifyFailure, type FailureContext } from './classify';
import { probeConnect } from './endpoints';
import { ModelError, type Knobs, type TimeoutPhase } from './errors';
import { ReasoningSplitter } from './reasoning';
import type { StreamDelta, Timeouts } from './types';

/** The whole-call deadline when a caller's timeouts leave it out (same as the setting's default). */
const TOTAL_MS_DEFAULT = 900_000;

// One HTTP request for one chat completion, with the three timeouts and cancellation.
// Retrying is the caller's business (client.ts); this only reports what happened.

export interface AttemptInput {
  openai: OpenAI;
  /** The request body (OpenAI fields plus server extensions such as chat_template_kwargs). */
  body: Record<string, unknown>;
  stream: boolean;
  /** Ask for the final usage chunk (`stream_options.include_usage`). */
  streamOptions: boolean;
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeouts: Timeouts;
  signal?: AbortSignal;
  onDelta?: (d: StreamDelta) => void;
  /** Most characters (answer plus reasoning) kept; the stream is closed once they are reached. */
  maxChars: number;
  knobs?: Knobs;
  /** Replaces the TCP connect probe (tests: a stalled SYN can't be produced on loopback). */
  probe?: typeof probeConnect;
}

/** Usage fields as OpenAI-compatible servers send them, plus llama.cpp's `timings`. */
export interface ServerUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}
export interface ServerTimings {
  prompt_n?: number;
  cache_n?: number;
  predicted_n?: number;
  predicted_per_second?: number;
  prompt_ms?: number;
  predicted_ms?: number;
}

export interface AttemptResult {
  content: string;
  reasoning: string;
  unclosedThink: boolean;
  movedContentToReasoning: boolean;
  finishReason?: string;
  usage?: ServerUsage;
  timings?: ServerTimings;
  /** Epoch ms of the first answer token (content or reasoning). */
  firstTokenAt?: number;
  /** Set when the server sent more than `maxChars`: the answer was cut there. */
  cutAtChars?: number;
}

/** Thrown by runAttempt: the classified error and whether tokens had already streamed. */
export class AttemptFailure extends Error {
  constructor(
    readonly error: ModelError,
    readonly streamed: boolean,
    readonly partial: { content: string; reasoning: string; firstTokenAt?: number },
  ) {
    super(error.message);
  }
}

export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const timeouts: Required<Timeouts> = { totalMs: TOTAL_MS_DEFAULT, ...input.timeouts };
  const ctl = new AbortController();
  let abortedBy: TimeoutPhase | 'cancelled' | undefined;
  const abort = (why: TimeoutPhase | 'cancelled') => {
    if (abortedBy) return;
    abortedBy = why;
    ctl.abort();
  };
  const onUserAbort = () => abort('cancelled');
  if (input.signal?.aborted) onUserAbort();
  input.signal?.addEventListener('abort', onUserAbort, { once: true });

  const splitter = new ReasoningSplitter();
  let firstTokenAt: number | undefined;
  let responded = false;
  let timer = setTimeout(() => abort('firstTokenMs'), timeouts.firstTokenMs);
  // The one limit no server behaviour can stretch: an endless stream of tokens ends here.
  const deadline = setTimeout(() => abort('totalMs'), timeouts.totalMs);
  const armIdle = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort('idleMs'), timeouts.idleMs);
  };
  void (input.probe ?? probeConnect)(input.baseUrl, timeouts.connectMs, ctl.signal).then((r) => {
    if (r === 'timeout' && !responded) abort('connectMs');
  });

  const emit = (d: StreamDelta) => {
    if (d.content || d.reasoning) input.onDelta?.(d);
  };
  const failureCtx = (): FailureContext => ({
    baseUrl: input.baseUrl,
    model: input.model,
    apiKey: input.apiKey,
    timeouts,
    abortedBy,
    streamed: firstTokenAt !== undefined,
    knobs: input.knobs,
  });
  // Text beyond the cap is dropped; `take` returns what still fits.
  let received = 0;
  let cut = false;
  const take = (text: string): string => {
    if (!text || cut) return '';
    const room = input.maxChars - received;
    if (text.length <= room) {
      received += text.length;
      return text;
    }
    cut = true;
    received = input.maxChars;
    return text.slice(0, Math.max(0, room));
  };

  try {
    // The SDK's own timeout only backs ours up; its retries are off (client.ts retries).
    const requestOptions = { signal: ctl.signal, maxRetries: 0, timeout: Math.min(timeouts.connectMs + timeouts.firstTokenMs + 1000, timeouts.totalMs + 1000) };
    const result: AttemptResult = { content: '', reasoning: '', unclosedThink: false, movedContentToReasoning: false };

    if (input.stream) {
      const body = { ...input.body, stream: true, ...(input.streamOptions ? { stream_options: { include_usage: true } } : {}) } as unknown as OpenAI.ChatCompletionCreateParamsStreaming;
      const stream = await input.openai.chat.completions.create(body, requestOptions);
      responded = true;
      for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
        const choice = chunk.choices?.[0];
        const delta = choice?.delta as (ChatCompletionChunk.Choice.Delta & { reasoning_content?: unknown; reasoning?: unknown }) | undefined;
        const reasoning = take(typeof delta?.reasoning_content === 'string' ? delta.reasoning_content : typeof delta?.reasoning === 'string' ? delta.reasoning : '');
        const content = take(typeof delta?.content === 'string' ? delta.content : '');
        // Only text is progress: empty chunks (keep-alives, a stuck server) never re-arm the idle timer.
        if (reasoning || content) {
          firstTokenAt ??= Date.now();
          armIdle();
        }
        if (reasoning) emit(splitter.pushReasoning(reasoning));
        if (content) emit(splitter.push(content));
        if (cut) break; // leaving the loop closes the stream
        if (choice?.finish_reason) result.finishReason = choice.finish_reason;
        if (chunk.usage) result.usage = chunk.usage;
        const timings = (chunk as { timings?: ServerTimings }).timings;
        if (timings && typeof timings === 'object') result.timings = timings;
      }
      // The SDK ends the iteration quietly when the request is aborted.
      if (abortedBy) throw new Error('aborted');
    } else {
      const body = { ...input.body, stream: false } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
      const completion = (await input.openai.chat.completions.create(body, requestOptions)) as ChatCompletion & { timings?: ServerTimings };
      responded = true;
      const choice = completion.choices?.[0];
      if (!choice) throw new ModelError('bad-response', `The model server at ${input.baseUrl} answered without any choice. Is it an OpenAI-compatible server?`, { baseUrl: input.baseUrl, model: input.model });
      const message = choice.message as ChatCompletion.Choice['message'] & { reasoning_content?: unknown; reasoning?: unknown };
      const reasoning = take(typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : '');
      const content = take(typeof message.content === 'string' ? message.content : '');
      if (reasoning || content) firstTokenAt = Date.now();
      if (reasoning) emit(splitter.pushReasoning(reasoning));
      if (content) emit(splitter.push(content));
      result.finishReason = choice.finish_reason ?? undefined;
      result.usage = completion.usage;
      result.timings = completion.timings;
    }
    emit(splitter.finish());

    if (!splitter.content && !splitter.reasoning && !result.finishReason) {
      throw new ModelError('bad-response', `The model server at ${input.baseUrl} ended its answer without sending anything. Is it an OpenAI-compatible server, and is the model loaded?`, {
        baseUrl: input.baseUrl,
        model: input.model,
      });
    }
    result.content = splitter.content;
    result.reasoning = splitter.reasoning;
    result.unclosedThink = splitter.unclosedThink;
    result.movedContentToReasoning = splitter.movedContentToReasoning;
    result.firstTokenAt = firstTokenAt;
    if (cut) {
      result.cutAtChars = input.maxChars;
      result.finishReason = 'length';
    }
    return result;
  } catch (err) {
    splitter.finish();
    const error = await classifyFailure(err, failureCtx());
    throw new AttemptFailure(error, firstTokenAt !== undefined, { content: splitter.content, reasoning: splitter.reasoning, firstTokenAt });
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
    input.signal?.removeEventListener('abort', onUserAbort);
    // Ends the connect probe, and the HTTP request if it is somehow still open.
    ctl.abort();
  }
}
