import type { StreamDelta } from './types';

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Separates `<think>…</think>` reasoning from the answer while it streams.
 *
 * Handles: tags split across chunks, a think block never closed (everything after `<think>` is
 * reasoning), and a `</think>` with no opening tag — Qwen-style templates put `<think>` in the
 * prompt, so the output is "reasoning</think>answer": the text before the stray tag is moved to
 * the reasoning. Deltas already handed out as content can't be taken back, so the live deltas are
 * a preview; `content` / `reasoning` after `finish()` are authoritative.
 */
export class ReasoningSplitter {
  private inThink = false;
  private pending = '';
  private skipWs = true;
  private contentText = '';
  private reasoningText = '';
  private sawStrayClose = false;
  private finished = false;
  private lastReasoningSource: 'server' | 'tags' | undefined;

  /** Answer text (may contain tags); returns what can be shown now. */
  push(text: string): StreamDelta {
    const out = { content: '', reasoning: '' };
    let s = this.pending + text;
    this.pending = '';
    while (s.length > 0) {
      const lower = s.toLowerCase();
      if (this.inThink) {
        const i = lower.indexOf(CLOSE);
        if (i >= 0) {
          this.addReasoning(s.slice(0, i), out);
          s = s.slice(i + CLOSE.length);
          this.inThink = false;
          this.skipWs = true;
          continue;
        }
        const hold = partialTagSuffix(lower, [CLOSE]);
        this.addReasoning(s.slice(0, s.length - hold), out);
        this.pending = s.slice(s.length - hold);
        break;
      }
      const io = lower.indexOf(OPEN);
      const ic = lower.indexOf(CLOSE);
      if (io >= 0 && (ic < 0 || io < ic)) {
        this.addContent(s.slice(0, io), out);
        s = s.slice(io + OPEN.length);
        this.inThink = true;
        continue;
      }
      if (ic >= 0) {
        this.addContent(s.slice(0, ic), out);
        // Stray closing tag: what came before was reasoning after all.
        this.addReasoning(this.contentText, { reasoning: '' });
        this.contentText = '';
        this.sawStrayClose = true;
        s = s.slice(ic + CLOSE.length);
        this.skipWs = true;
        continue;
      }
      const hold = partialTagSuffix(lower, [OPEN, CLOSE]);
      this.addContent(s.slice(0, s.length - hold), out);
      this.pending = s.slice(s.length - hold);
      break;
    }
    return compact(out);
  }

  /** Reasoning the server already separated (`reasoning_content` / `reasoning` deltas). */
  pushReasoning(text: string): StreamDelta {
    const out = { content: '', reasoning: '' };
    this.addReasoning(text, out, 'server');
    return compact(out);
  }

  /** Flushes a held partial tag. Call once the stream ended. */
  finish(): StreamDelta {
    const out = { content: '', reasoning: '' };
    if (!this.finished) {
      this.finished = true;
      if (this.pending) {
        if (this.inThink) this.addReasoning(this.pending, out);
        else this.addContent(this.pending, out);
        this.pending = '';
      }
    }
    return compact(out);
  }

  get content(): string {
    return this.contentText;
  }

  get reasoning(): string {
    return this.reasoningText.trim();
  }

  /** The answer opened a think block and never closed it. */
  get unclosedThink(): boolean {
    return this.inThink;
  }

  /** A `</think>` arrived without `<think>`, so earlier content was moved to the reasoning. */
  get movedContentToReasoning(): boolean {
    return this.sawStrayClose;
  }

  private addContent(text: string, out: { content: string }): void {
    if (this.skipWs) {
      text = text.replace(/^\s+/, '');
      if (!text) return;
      this.skipWs = false;
    }
    this.contentText += text;
    out.content += text;
  }

  private addReasoning(text: string, out: { reasoning: string }, source: 'server' | 'tags' = 'tags'): void {
    if (!text) return;
    // Reasoning from reasoning_content and from <think> tags are separate passages.
    if (this.lastReasoningSource && this.lastReasoningSource !== source && this.reasoningText && !this.reasoningText.endsWith('\n')) text = `\n${text}`;
    this.lastReasoningSource = source;
    this.reasoningText += text;
    out.reasoning += text;
  }
}

/** Splits a whole answer at once. */
export function splitReasoning(text: string): { content: string; reasoning: string; unclosedThink: boolean } {
  const s = new ReasoningSplitter();
  s.push(text);
  s.finish();
  return { content: s.content, reasoning: s.reasoning, unclosedThink: s.unclosedThink };
}

/** Length of the longest suffix of `s` that is a proper prefix of one of the tags. */
function partialTagSuffix(s: string, tags: readonly string[]): number {
  let best = 0;
  for (const tag of tags) {
    for (let k = Math.min(tag.length - 1, s.length); k > best; k--) {
      if (s.endsWith(tag.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
}

function compact(d: { content: string; reasoning: string }): StreamDelta {
  const out: StreamDelta = {};
  if (d.content) out.content = d.content;
  if (d.reasoning) out.reasoning = d.reasoning;
  return out;
}
