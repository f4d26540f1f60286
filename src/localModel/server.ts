import * as http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Engine, GenerateResult } from './engine';
import { BadRequest, numberField as num, toChatHistory } from './messages';
import { repeatPenaltyFromBody } from './sampling';
import { ContextTooLong, RuntimeFault } from './faults';

// The embedded runtime's HTTP face: the subset of llama-server's API nocodo uses — OpenAI chat
// completions (streamed or not, with `response_format: json_schema` or a `grammar` enforced as a
// llama.cpp grammar), `/v1/models`, `/health` and `/tokenize`. Every route but /health needs the
// per-start bearer token. Answers carry llama-server's `timings` so runs record prefill and cache.

export interface ServeOptions {
  host?: string;
  /** 0 (default): any free port. A taken port falls back to a free one. */
  port?: number;
  /** Required bearer token; empty disables the check (only for a user-started `nocodo serve`). */
  token: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 8 * 2 ** 20;

export async function startRuntimeServer(engine: Engine, opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;
  let lastCancelMs: number | undefined;
  const log = opts.log ?? (() => {});

  const server = http.createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      const status = err instanceof BadRequest || (err instanceof RuntimeFault && (err.kind === 'bad-grammar' || err.kind === 'context-too-long')) ? 400 : 500;
      // llama-server's body for a prompt over the context, which nocodo's client turns into its context message.
      const context = err instanceof ContextTooLong ? { type: 'exceed_context_size_error', n_prompt_tokens: err.promptTokens, n_ctx: err.contextSize } : undefined;
      if (!res.headersSent) sendJson(res, status, { error: { message: (err as Error).message, type: status === 400 ? 'invalid_request_error' : 'server_error', ...context } });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://runtime');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (req.method === 'GET' && p === '/health') return sendJson(res, 200, { status: 'ok', model: engine.info.modelId, busy, last_cancel_ms: lastCancelMs });
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) return sendJson(res, 401, { error: { message: 'Invalid API key: this runtime takes only the token it was started with.', type: 'authentication_error' } });
    if (req.method === 'GET' && (p === '/v1/models' || p === '/models')) return sendJson(res, 200, models());
    if (req.method === 'POST' && (p === '/tokenize' || p === '/v1/tokenize')) {
      const body = await readBody(req);
      if (typeof body.content !== 'string') throw new BadRequest('`content` must be a string');
      return sendJson(res, 200, { tokens: engine.tokenize(body.content, body.add_special === true) });
    }
    if (req.method === 'POST' && (p === '/v1/chat/completions' || p === '/chat/completions')) return chatCompletions(req, res, await readBody(req));
    sendJson(res, 404, { error: { message: `No route ${req.method} ${p}`, type: 'not_found_error' } });
  }

  function models() {
    const i = engine.info;
    return {
      object: 'list',
      data: [{ id: i.modelId, object: 'model', created: 0, owned_by: 'nocodo-embedded', meta: { path: i.modelPath, size: i.fileBytes, n_ctx: i.contextSize, n_ctx_train: i.trainContextSize, chat_template: i.chatTemplate, threads: i.threads, load_ms: i.loadMs } }],
    };
  }

  async function chatCompletions(req: http.IncomingMessage, res: http.ServerResponse, body: Record<string, unknown>): Promise<void> {
    const history = toChatHistory(body.messages);
    const rf = body.response_format as { type?: unknown; json_schema?: { schema?: unknown }; schema?: unknown } | undefined;
    const jsonSchema = rf?.type === 'json_schema' ? (rf.json_schema?.schema ?? rf.schema ?? {}) : rf?.type === 'json_object' ? { type: 'object' } : undefined;
    if (body.grammar !== undefined && typeof body.grammar !== 'string') throw new BadRequest('`grammar` must be a GBNF string');
    const maxTokens = num(body.max_completion_tokens ?? body.max_tokens, 'max_tokens') ?? Math.min(2048, engine.info.contextSize);
    const temperature = num(body.temperature, 'temperature') ?? 0.8;
    const repeatPenalty = repeatPenaltyFromBody(body, engine.info.contextSize);
    const stop = typeof body.stop === 'string' ? [body.stop] : Array.isArray(body.stop) ? body.stop.filter((s): s is string => typeof s === 'string') : undefined;
    const stream = body.stream === true;
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const model = engine.info.modelId;

    const ctl = new AbortController();
    let abortedAt: number | undefined;
    res.on('close', () => {
      if (!res.writableFinished) {
        abortedAt = performance.now();
        ctl.abort();
      }
    });
    const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;

    // Headers go out once the request is accepted (its grammar built), so a bad grammar is still a
    // 400, but before the prompt is read: a long prefill on a slow CPU must not run into the
    // client's wait for response headers (Node's fetch gives up after 300 s). Until the first
    // token, an SSE comment every 20 s keeps the client's wait for body data from running out too.
    let keepAlive: NodeJS.Timeout | undefined;
    const startStream = () => {
      if (res.headersSent) return;
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.write(chunk({ role: 'assistant', content: '' }, null));
      keepAlive = setInterval(() => res.write(': reading the prompt\n\n'), 20_000);
    };
    // One generation at a time (one context sequence, like llama-server with one slot).
    const run = queue.then(async (): Promise<GenerateResult | undefined> => {
      if (ctl.signal.aborted) return undefined;
      busy = true;
      try {
        return await engine.generate({
          history,
          maxTokens,
          temperature,
          ...(typeof body.top_p === 'number' ? { topP: body.top_p } : {}),
          ...(typeof body.seed === 'number' ? { seed: body.seed } : {}),
          ...(stop?.length ? { stop } : {}),
          ...(repeatPenalty ? { repeatPenalty } : {}),
          ...(typeof body.grammar === 'string' ? { grammar: body.grammar } : jsonSchema !== undefined ? { jsonSchema } : {}),
          signal: ctl.signal,
          onStart: () => {
            if (stream && !ctl.signal.aborted) startStream();
          },
          onText: (text) => {
            clearInterval(keepAlive);
            if (stream && !ctl.signal.aborted) {
              startStream();
              res.write(chunk({ content: text }, null));
            }
          },
        });
      } finally {
        clearInterval(keepAlive);
        busy = false;
      }
    });
    queue = run.catch(() => undefined);
    const r = await run;
    if (!r) return;
    if (r.finishReason === 'cancelled') {
      if (abortedAt !== undefined) lastCancelMs = Math.round(performance.now() - abortedAt);
      log(`cancelled after ${r.completionTokens} tokens; generation stopped ${lastCancelMs} ms after the client left`);
      return;
    }
    const usage = { prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, total_tokens: r.promptTokens + r.completionTokens };
    const evaluated = r.promptTokens - r.cachedTokens;
    const timings = {
      cache_n: r.cachedTokens,
      prompt_n: evaluated,
      prompt_ms: r.promptMs,
      prompt_per_second: r.promptMs > 0 ? (evaluated * 1000) / r.promptMs : undefined,
      predicted_n: r.completionTokens,
      predicted_ms: r.predictedMs,
      predicted_per_second: r.predictedMs > 0 ? (r.completionTokens * 1000) / r.predictedMs : undefined,
    };
    log(`answered: prompt ${r.promptTokens} tokens (${r.cachedTokens} cached) in ${Math.round(r.promptMs)} ms, ${r.completionTokens} tokens in ${Math.round(r.predictedMs)} ms`);
    if (stream) {
      startStream();
      res.write(chunk({}, r.finishReason, { timings }));
      if (includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
    } else {
      sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: r.text }, finish_reason: r.finishReason }], usage, timings });
    }
  }

  const port = await listen(server, host, opts.port ?? 0, log);
  return {
    port,
    url: `http://${host}:${port}/v1`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Listens on `port`; when it is taken, on any free port instead (and says so). */
function listen(server: http.Server, host: string, port: number, log: (l: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' && port !== 0) {
        log(`port ${port} is taken; using a free port instead`);
        server.listen(0, host);
        port = 0;
        return;
      }
      reject(err);
    };
    server.on('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve((server.address() as { port: number }).port);
    });
    server.listen(port, host);
  });
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new BadRequest(`request body over ${MAX_BODY} bytes`);
    parts.push(c);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new BadRequest('the body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('the body must be a JSON object');
  return body as Record<string, unknown>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
