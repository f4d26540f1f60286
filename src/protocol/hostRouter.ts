import { clip, LIMITS } from './limits';
import { ErrorCode, HostMessage, RequestResults } from './messages';
import type { HostMessageOf, ReplyError, RequestOf, RequestType, ResultOf } from './messages';
import { describeIssues, parseWebviewMessage } from './validate';

/** What a handler gets besides the request: its id (to tag stream deltas), an abort signal, and a poster. */
export interface RequestContext {
  requestId: string;
  /** Aborted when the webview sends `cancel` for this request, or the router is disposed. */
  signal: AbortSignal;
  /** Posts a (validated) message to the webview, e.g. `streamDelta` for this request. */
  send(message: HostMessage): void;
}

export type HostHandlers = {
  [K in RequestType]: (request: RequestOf<K>, ctx: RequestContext) => Promise<ResultOf<K>>;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface HostRouterIO {
  /** Delivers a message to the webview (e.g. `webview.postMessage`). May return a promise. */
  post(message: HostMessage): unknown;
  log(level: LogLevel, text: string): void;
}

export interface HostRouter {
  /** Feeds one raw message from the webview. Resolves when its reply has been posted. Never rejects. */
  handle(raw: unknown): Promise<void>;
  /** Validates and posts a host message; an invalid one is logged and dropped. */
  send(message: HostMessage): void;
  /** Ids of requests whose handlers are still running. */
  inFlight(): string[];
  /** Aborts every running request (panel closed, session switched). */
  cancelAll(reason?: string): void;
}

/** Throw this from a handler to answer with a specific error code and a message meant for the user. */
export class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The model call that failed, if any. */
    readonly runId?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

function toReplyError(err: unknown, aborted: boolean): ReplyError {
  if (err instanceof RequestError) return { code: err.code, message: clip(err.message, LIMITS.short), ...(err.runId ? { runId: err.runId } : {}) };
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (aborted || e?.name === 'AbortError') return { code: 'cancelled', message: 'Stopped.' };
  const code = ErrorCode.safeParse(e?.code);
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  return { code: code.success ? code.data : 'failed', message: clip(message, LIMITS.short) };
}

/** A request id that is safe to echo back in an error reply even though its message was invalid. */
function echoableId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  let id: unknown;
  try {
    id = (raw as { id?: unknown }).id;
  } catch {
    // A getter on a hostile object: there is no id to answer to.
    return undefined;
  }
  return typeof id === 'string' && id.length > 0 && id.length <= LIMITS.id ? id : undefined;
}

/**
 * The host side of the protocol, free of VS Code: validates every message from the webview, routes
 * requests to their handlers, answers each with one `reply`, and keeps an AbortController per
 * request id so `cancel` stops the right one. Invalid or unknown messages are logged and answered
 * with an error (when they carry an id) but never reach a handler.
 */
export function createHostRouter(handlers: HostHandlers, io: HostRouterIO): HostRouter {
  const running = new Map<string, AbortController>();

  function send(message: HostMessage): void {
    const r = HostMessage.safeParse(message);
    if (!r.success) {
      io.log('error', `not sending an invalid ${message.type} message to the webview: ${describeIssues(r.error)}`);
      return;
    }
    try {
      Promise.resolve(io.post(r.data)).catch((e: unknown) => io.log('warn', `posting ${message.type} to the webview failed: ${String(e)}`));
    } catch (e) {
      io.log('warn', `posting ${message.type} to the webview failed: ${String(e)}`);
    }
  }

  function reply(id: string, outcome: { result: unknown } | { error: ReplyError }): void {
    const msg: HostMessageOf<'reply'> = 'error' in outcome ? { type: 'reply', id, ok: false, error: outcome.error } : { type: 'reply', id, ok: true, result: outcome.result };
    send(msg);
  }

  async function dispatch<K extends RequestType>(request: RequestOf<K>): Promise<void> {
    const { id, type } = request;
    if (running.has(id)) {
      io.log('warn', `webview reused the id of a running request (${type} ${id}); ignored`);
      reply(id, { error: { code: 'invalid', message: 'This request is already running.' } });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    const handler = handlers[type] as (r: RequestOf<K>, ctx: RequestContext) => Promise<ResultOf<K>>;
    try {
      const result = await handler(request, { requestId: id, signal: controller.signal, send });
      const checked = RequestResults[type].safeParse(result ?? null);
      if (checked.success) reply(id, { result: checked.data });
      else {
        io.log('error', `handler for ${type} returned an invalid result: ${describeIssues(checked.error)}`);
        reply(id, { error: { code: 'failed', message: 'Something went wrong inside nocodo; see the nocodo log.' } });
      }
    } catch (err) {
      const error = toReplyError(err, controller.signal.aborted);
      if (error.code === 'failed') io.log('error', `${type} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      else io.log('debug', `${type} ended: ${error.code}: ${error.message}`);
      reply(id, { error });
    } finally {
      running.delete(id);
    }
  }

  async function handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      io.log('warn', `invalid message from the webview: ${parsed.error}`);
      const id = echoableId(raw);
      // Answer so the webview's pending request does not hang; the message itself is never acted on.
      if (id) reply(id, { error: { code: 'invalid', message: 'nocodo could not accept that request.' } });
      return;
    }
    const msg = parsed.message;
    switch (msg.type) {
      case 'cancel': {
        const c = running.get(msg.requestId);
        if (c) c.abort(new DOMException('Stopped by the user.', 'AbortError'));
        else io.log('debug', `cancel for ${msg.requestId}, which is not running`);
        return;
      }
      case 'reportError':
        io.log('warn', `webview: ${msg.message}`);
        return;
      default:
        return dispatch(msg);
    }
  }

  return {
    handle,
    send,
    inFlight: () => [...running.keys()],
    cancelAll(reason = 'The panel was closed.') {
      for (const c of running.values()) c.abort(new DOMException(reason, 'AbortError'));
    },
  };
}
