import OpenAI from 'openai';
import type { Diagnostic } from '../core/diagnostics';
import { diag } from '../core/diagnostics';
import { newId } from '../core/ids';
import type { ModelRole, RunMessage, RunOutcome, RunRecord } from '../domain';
import { AttemptFailure, runAttempt, type AttemptResult, type ServerTimings } from './attempt';
import { answerCharCap, REPEAT_PENALTY_WINDOW, roleSetting, type LlmConfig } from './config';
import { countTokens } from './endpoints';
import { ModelError, cancelledError, type Knobs } from './errors';
import { checkServer } from './health';
import { checkStructuredAnswer, jsonShapeOf, reaskMessages, structuredRequestFields, toJsonSchema, withShapeInstructions } from './structured';
import type { ChatRequest, ChatResult, ModelClient, RoleConfig, ServerState, StructuredRequest, StructuredResult } from './types';

export interface ModelClientOptions {
  /** Resolved configuration, or a getter so settings changes apply to the next call. */
  config: Pick<LlmConfig, 'roles' | 'timeouts' | 'maxRetries'> | (() => Pick<LlmConfig, 'roles' | 'timeouts' | 'maxRetries'>);
  /** API key for a server (the host backs it with SecretStorage). Keys never reach settings or runs. */
  getApiKey?: (baseUrl: string) => Promise<string | undefined>;
  /** Called with every run — ok, invalid, cancelled or failed — before the call returns or throws. */
  onRun?: (run: RunRecord) => void | Promise<void>;
  /** First retry delay; doubles each retry (default 500 ms). */
  retryDelayMs?: number;
  /** Stream answers (default). Off only for servers without SSE; then firstTokenMs bounds the whole answer. */
  stream?: boolean;
  /** How messages name the values the user can change (the CLI passes its flags). */
  knobs?: Knobs;
  /**
   * Called before any request goes to a role's server; returns the URL to use instead. The host
   * asks the user here before sending anything to a server that only the workspace chose.
   */
  vetBaseUrl?: (role: ModelRole, baseUrl: string) => Promise<string>;
  /**
   * Send JSON schemas and grammars so the server constrains decoding (default). Off: structured
   * answers rely on the shape described in the prompt alone (what a server without grammars does);
   * the eval measures the difference with it.
   */
  constrainedDecoding?: boolean;
}

/** The request fields that constrain decoding. */
const CONSTRAINT_FIELDS = ['response_format', 'json_schema', 'grammar'];

/** Fields a strict server may reject; on such a 400 the request is sent once more without them. */
const EXTENSION_FIELDS = ['response_format', 'json_schema', 'grammar', 'chat_template_kwargs', 'stream_options', 'repeat_penalty', 'repeat_last_n'];
// llama-server ignores the key but the SDK insists on one; a visible placeholder, never a secret.
const NO_KEY = 'sk-no-key-required';

interface Extra {
  /** Messages to send instead of req.messages (structured output adds the shape). */
  messages?: RunMessage[];
  body?: Record<string, unknown>;
  jsonSchema?: boolean;
}

interface Executed {
  content: string;
  reasoning: string;
  run: RunRecord;
}

export function createModelClient(opts: ModelClientOptions): ModelClient {
  const config = () => (typeof opts.config === 'function' ? opts.config() : opts.config);
  const retryDelayMs = opts.retryDelayMs ?? 500;
  /** Servers that rejected the extension fields once; later calls go plain from the start. */
  const plainServers = new Set<string>();

  const roleConfig = (role: ModelRole): RoleConfig => ({ ...config().roles[role] });
  /** The role's configuration with the base URL the host agreed to send to. */
  const vettedConfig = async (role: ModelRole): Promise<RoleConfig> => {
    const cfg = roleConfig(role);
    if (opts.vetBaseUrl) cfg.baseUrl = await opts.vetBaseUrl(role, cfg.baseUrl);
    return cfg;
  };

  const readApiKey = async (baseUrl: string, model: string): Promise<string | undefined> => {
    if (!opts.getApiKey) return undefined;
    try {
      return (await opts.getApiKey(baseUrl)) || undefined;
    } catch (err) {
      throw new ModelError('auth', `nocodo could not read the API key for ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`, { baseUrl, model, cause: err });
    }
  };

  const emit = async (run: RunRecord): Promise<void> => {
    await opts.onRun?.(run);
  };
  /** On failure paths the model error matters more than a failing store. */
  const emitQuietly = async (run: RunRecord | undefined): Promise<void> => {
    if (!run) return;
    try {
      await emit(run);
    } catch {
      // the ModelError being thrown carries the run too
    }
  };

  async function execute(req: ChatRequest, extra: Extra = {}): Promise<Executed> {
    const cfg = await vettedConfig(req.role);
    const { timeouts, maxRetries } = config();
    const temperature = req.temperature ?? cfg.temperature;
    const maxTokens = req.maxTokens ?? cfg.maxTokens;
    const repeatPenalty = req.repeatPenalty ?? cfg.repeatPenalty;
    const messages = (extra.messages ?? req.messages).map((m) => ({ role: m.role, content: m.content }));
    const startedAt = Date.now();
    const diagnostics: Diagnostic[] = [];
    const constrained = opts.constrainedDecoding !== false;
    let jsonSchemaSent = constrained && extra.jsonSchema === true;
    let grammarSent = constrained && req.grammar !== undefined;
    let repeatPenaltySent = repeatPenalty !== 1;

    const buildRun = (outcome: RunOutcome, r: Partial<AttemptResult>, prefixTokens: number | undefined, error?: ModelError): RunRecord => {
      const endedAt = Date.now();
      const promptTokens = r.usage?.prompt_tokens ?? sum(r.timings?.prompt_n, r.timings?.cache_n);
      const completionTokens = r.usage?.completion_tokens ?? r.timings?.predicted_n;
      const genSeconds = r.firstTokenAt !== undefined ? (endedAt - r.firstTokenAt) / 1000 : 0;
      const serverRate = r.timings?.predicted_per_second;
      const tokensPerSecond =
        typeof serverRate === 'number' && Number.isFinite(serverRate) && serverRate > 0 ? serverRate : completionTokens && genSeconds > 0 ? completionTokens / genSeconds : undefined;
      if (error) diagnostics.push(diag('error', error.kind, error.message));
      return clean({
        id: newId('run'),
        parentRunId: req.parentRunId,
        role: req.role,
        mode: req.mode,
        taskId: req.taskId,
        sessionId: req.sessionId,
        baseUrl: cfg.baseUrl,
        model: cfg.model,
        params: clean({ temperature, maxTokens, repeatPenalty: repeatPenaltySent ? repeatPenalty : undefined, jsonSchema: jsonSchemaSent || undefined, grammar: grammarSent || undefined }),
        messages,
        raw: r.content ?? '',
        reasoning: r.reasoning ?? '',
        diagnostics: [...diagnostics],
        usage: clean({ promptTokens, completionTokens, stablePrefixTokens: prefixTokens }),
        timings: clean({
          startedAt,
          firstTokenMs: r.firstTokenAt !== undefined ? r.firstTokenAt - startedAt : undefined,
          totalMs: endedAt - startedAt,
          tokensPerSecond,
          serverMs: serverTime(r.timings),
        }),
        outcome,
        error: error?.message,
      }) as RunRecord;
    };
    const fail = (error: ModelError, partial: Partial<AttemptResult>, prefixTokens?: number): never => {
      error.run = buildRun(error.kind === 'cancelled' ? 'cancelled' : 'error', partial, prefixTokens, error);
      throw error;
    };

    if (req.signal?.aborted) fail(cancelledError(cfg.baseUrl, cfg.model), {});
    let apiKey: string | undefined;
    try {
      apiKey = await readApiKey(cfg.baseUrl, cfg.model);
    } catch (err) {
      fail(err as ModelError, {});
    }

    // Prompt-cache accounting runs beside the call; a server without /tokenize just leaves it empty.
    const tokenizeCtl = new AbortController();
    const prefixChars = req.stablePrefixChars ?? 0;
    const prefixTokens =
      prefixChars > 0
        ? countTokens(cfg.baseUrl, promptText(messages).slice(0, prefixChars), { apiKey, timeoutMs: timeouts.connectMs, signal: tokenizeCtl.signal })
        : Promise.resolve(undefined);

    const openai = new OpenAI({ baseURL: cfg.baseUrl, apiKey: apiKey ?? NO_KEY, maxRetries: 0, logLevel: 'off' });
    // A grammar-constrained answer must not spend its tokens thinking (Qwen templates).
    const grammarFields = req.grammar ? { grammar: req.grammar, chat_template_kwargs: { enable_thinking: false } } : {};
    let body: Record<string, unknown> = { model: cfg.model, messages, temperature, max_tokens: maxTokens, ...repeatPenaltyFields(repeatPenalty), ...grammarFields, ...extra.body };
    if (!constrained) body = Object.fromEntries(Object.entries(body).filter(([k]) => !CONSTRAINT_FIELDS.includes(k)));
    let streamOptions = true;
    let droppedExtensions = false;
    const goPlain = () => {
      body = Object.fromEntries(Object.entries(body).filter(([k]) => !EXTENSION_FIELDS.includes(k)));
      streamOptions = false;
      jsonSchemaSent = false;
      grammarSent = false;
      repeatPenaltySent = false;
      droppedExtensions = true;
    };
    if (plainServers.has(cfg.baseUrl)) {
      goPlain();
      if (extra.body) diagnostics.push(diag('info', 'extensions-skipped', 'This server rejected constrained-JSON fields before; the request was sent without them.'));
    }
    let retries = 0;
    let result: AttemptResult | undefined;
    let failure: AttemptFailure | undefined;

    while (!result) {
      try {
        result = await runAttempt({
          openai,
          body,
          stream: opts.stream ?? true,
          streamOptions,
          baseUrl: cfg.baseUrl,
          model: cfg.model,
          apiKey,
          timeouts,
          signal: req.signal,
          onDelta: req.onDelta,
          maxChars: answerCharCap(maxTokens),
          knobs: opts.knobs,
        });
      } catch (err) {
        if (!(err instanceof AttemptFailure)) throw err;
        failure = err;
        const e = err.error;
        const rejected = EXTENSION_FIELDS.filter((f) => (f in body || (f === 'stream_options' && streamOptions)) && e.message.includes(f));
        if (!droppedExtensions && !err.streamed && e.kind === 'bad-request' && rejected.length > 0) {
          goPlain();
          plainServers.add(cfg.baseUrl);
          diagnostics.push(diag('warning', 'extensions-rejected', `The server rejected ${rejected.join(', ')}; sent the request again without server extensions (${e.message}).`));
          continue;
        }
        if (e.retryable && !err.streamed && retries < maxRetries) {
          retries++;
          diagnostics.push(diag('info', 'retry', `Retry ${retries} of ${maxRetries} after: ${e.message}`));
          if (!(await sleep(retryDelayMs * 2 ** (retries - 1), req.signal))) {
            tokenizeCtl.abort();
            fail(cancelledError(cfg.baseUrl, cfg.model), {}, await prefixTokens);
          }
          continue;
        }
        break;
      }
    }

    if (!result) {
      const f = failure as AttemptFailure;
      if (f.error.kind === 'cancelled') tokenizeCtl.abort();
      return fail(f.error, f.partial, await prefixTokens);
    }
    if (result.cutAtChars !== undefined) {
      diagnostics.push(
        diag('warning', 'answer-cut', `The server sent more than ${result.cutAtChars} characters for an answer of at most ${maxTokens} tokens; nocodo kept the first ${result.cutAtChars} and closed the connection.`),
      );
    } else if (result.finishReason === 'length') {
      diagnostics.push(diag('warning', 'max-tokens', `The answer was cut off at ${maxTokens} tokens. Raise \`${opts.knobs?.maxTokens ?? roleSetting(req.role, 'maxTokens')}\` if answers end mid-way.`));
    } else if (!result.finishReason) {
      diagnostics.push(diag('warning', 'no-finish', 'The server ended the answer without saying why; it may be incomplete.'));
    }
    if (result.unclosedThink) diagnostics.push(diag('warning', 'unclosed-think', 'The model never closed its <think> block; its whole answer is in the reasoning.'));
    if (result.movedContentToReasoning) diagnostics.push(diag('info', 'stray-think-close', 'A </think> without <think>: the text before it was taken as reasoning.'));
    return { content: result.content, reasoning: result.reasoning, run: buildRun('ok', result, await prefixTokens) };
  }

  async function chat(req: ChatRequest): Promise<ChatResult> {
    let done: Executed;
    try {
      done = await execute(req);
    } catch (err) {
      if (err instanceof ModelError) await emitQuietly(err.run);
      throw err;
    }
    await emit(done.run);
    return done;
  }

  async function structured<T>(req: StructuredRequest<T>): Promise<StructuredResult<T>> {
    const jsonSchema = toJsonSchema(req.schema, req.schemaName);
    const shape = jsonShapeOf(jsonSchema);
    const messages = withShapeInstructions(req.messages, jsonSchema, req.schemaName);
    const extra: Extra = { messages, body: structuredRequestFields(jsonSchema, req.schemaName), jsonSchema: true };
    const runs: RunRecord[] = [];

    const ask = async (r: ChatRequest, e: Extra): Promise<Executed> => {
      try {
        return await execute(r, e);
      } catch (err) {
        if (err instanceof ModelError) {
          await emitQuietly(err.run);
          if (err.run) runs.push(err.run);
          err.runs = [...runs];
        }
        throw err;
      }
    };
    const settle = async (done: Executed, check: ReturnType<typeof checkStructuredAnswer<T>>): Promise<RunRecord> => {
      const run: RunRecord = { ...done.run, diagnostics: [...done.run.diagnostics, ...check.diagnostics], outcome: check.ok ? 'ok' : 'invalid' };
      if (check.json !== undefined) run.extracted = check.json;
      runs.push(run);
      await emit(run);
      return run;
    };

    const first = await ask(req, extra);
    const check1 = checkStructuredAnswer(req.schema, shape, first.content, first.reasoning);
    const run1 = await settle(first, check1);
    if (check1.ok) return { value: check1.value, runs };

    const previous = first.content || first.reasoning;
    const again = await ask({ ...req, parentRunId: run1.id }, { ...extra, messages: reaskMessages(messages, previous, check1.errors, req.schemaName) });
    const check2 = checkStructuredAnswer(req.schema, shape, again.content, again.reasoning);
    await settle(again, check2);
    if (check2.ok) return { value: check2.value, runs };

    const cfg = roleConfig(req.role);
    throw new ModelError(
      'invalid-output',
      // Said for the user: no type names. What was wrong is in the runs' diagnostics.
      `The model's answer wasn't usable (twice: nocodo told it what was wrong and asked again). Both answers and what was wrong with them are kept in the run.`,
      { baseUrl: cfg.baseUrl, model: cfg.model, raws: [previous, again.content || again.reasoning], runs: [...runs], run: runs[runs.length - 1] },
    );
  }

  async function health(role: ModelRole = 'rustEngineer'): Promise<ServerState> {
    const cfg = await vettedConfig(role);
    let apiKey: string | undefined;
    try {
      apiKey = await readApiKey(cfg.baseUrl, cfg.model);
    } catch (err) {
      return { kind: 'error', baseUrl: cfg.baseUrl, detail: (err as Error).message };
    }
    return checkServer(cfg.baseUrl, { apiKey, timeoutMs: config().timeouts.connectMs, model: cfg.model });
  }

  return { chat, structured, health, roleConfig };
}

/**
 * llama-server's sampling fields for a repeat penalty (its chat completion body takes every
 * /completion option); the embedded runtime maps the same fields onto node-llama-cpp. The window
 * is sent too, so both runtimes look at the same number of tokens whatever their defaults. 1 = off:
 * nothing is sent, and a server without these fields sees the plain OpenAI body.
 */
export function repeatPenaltyFields(penalty: number): Record<string, number> {
  return penalty === 1 ? {} : { repeat_penalty: penalty, repeat_last_n: REPEAT_PENALTY_WINDOW };
}

/** The prompt as one string, for counting the tokens of its stable prefix (contents in order, no separators). */
export function promptText(messages: readonly { content: string }[]): string {
  return messages.map((m) => m.content).join('');
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? undefined : a + (b ?? 0);
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Drops undefined fields so stored runs stay compact. */
function clean<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** llama.cpp reports how long it read the prompt and generated; other servers say nothing. */
function serverTime(t: ServerTimings | undefined): number | undefined {
  const ms = (t?.prompt_ms ?? 0) + (t?.predicted_ms ?? 0);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}
