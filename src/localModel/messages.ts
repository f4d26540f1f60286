import type { ChatHistoryItem } from 'node-llama-cpp';

// OpenAI chat messages → node-llama-cpp's chat history. The model's own chat template (read from
// the GGUF, or the architecture's known format) renders the history; nocodo never formats turns.

export interface OpenAiMessage {
  role: string;
  content: unknown;
}

/** Text of a message whose content may be a string or an array of `{type:"text", text}` parts. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'object' && p && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return '';
}

/** Throws a message fit for a 400 answer when the messages cannot be a chat. */
export function toChatHistory(messages: unknown): ChatHistoryItem[] {
  if (!Array.isArray(messages) || messages.length === 0) throw new BadRequest('`messages` must be a non-empty array');
  const history: ChatHistoryItem[] = [];
  for (const [i, m] of messages.entries()) {
    if (typeof m !== 'object' || m === null) throw new BadRequest(`messages[${i}] is not an object`);
    const { role, content } = m as OpenAiMessage;
    const text = messageText(content);
    if (role === 'system' || role === 'developer') history.push({ type: 'system', text });
    else if (role === 'user') history.push({ type: 'user', text });
    else if (role === 'assistant') history.push({ type: 'model', response: [text] });
    else throw new BadRequest(`messages[${i}].role "${String(role)}" is not one of system, user, assistant`);
  }
  return history;
}

/** A number field of the request body; undefined when absent. */
export function numberField(v: unknown, name: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BadRequest(`\`${name}\` must be a number`);
  return v;
}

/** An error in the request: answered with HTTP 400 and the message. */
export class BadRequest extends Error {}
