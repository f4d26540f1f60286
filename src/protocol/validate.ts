import type { z } from 'zod';
import { checkBounds, LIMITS } from './limits';
import { HostMessage, RequestResults, WebviewMessage } from './messages';
import type { RequestType, ResultOf } from './messages';

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/** The first few zod issues as one readable line (for logs, never shown as HTML). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((i) => `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
}

function typeOf(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return raw === null ? 'null' : typeof raw;
  const t = (raw as { type?: unknown }).type;
  return typeof t === 'string' ? JSON.stringify(t.slice(0, 60)) : '(no type)';
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, maxString: number): Parsed<T> {
  try {
    const bounds = checkBounds(raw, maxString);
    if (bounds) return { ok: false, error: `message ${typeOf(raw)} rejected: ${bounds.path || '(message)'} has ${bounds.problem}` };
    const r = schema.safeParse(raw);
    return r.success ? { ok: true, message: r.data } : { ok: false, error: `message ${typeOf(raw)} rejected: ${describeIssues(r.error)}` };
  } catch (e) {
    // Getters or proxies on a hostile object can throw; a parse must never take the receiver down.
    return { ok: false, error: `message ${typeOf(raw)} rejected: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Checks a message the webview received from the host. Never throws. */
export function parseHostMessage(raw: unknown): Parsed<HostMessage> {
  return parseWith(HostMessage, raw, LIMITS.content);
}

/** Checks a message the host received from the webview. Never throws. */
export function parseWebviewMessage(raw: unknown): Parsed<WebviewMessage> {
  // Nothing the webview legitimately sends is longer than a chat message.
  return parseWith(WebviewMessage, raw, LIMITS.chat);
}

/** Checks the result carried by a successful reply against what that request type returns. */
export function parseResult<K extends RequestType>(type: K, raw: unknown): Parsed<ResultOf<K>> {
  return parseWith(RequestResults[type] as unknown as z.ZodType<ResultOf<K>>, raw, LIMITS.content);
}
