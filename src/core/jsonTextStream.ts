/**
 * Agents answer in JSON, which is no pleasure to watch stream by. This turns a streamed JSON text
 * into the readable part — the string values, one per line, keys and punctuation dropped — so the
 * chat can show the Product Owner "typing" while the structured answer is still arriving.
 */
export class JsonTextStream {
  private inString = false;
  private escape = false;
  private unicode: string | undefined;
  private isKey = false;
  private started = false;
  /** Per nesting level: true for objects (where strings before ':' are keys). */
  private readonly stack: boolean[] = [];
  private expectKey = false;
  private emitted = 0;

  /** Feeds raw JSON text; returns readable text to append (may be empty). */
  push(chunk: string): string {
    let out = '';
    // Value characters are streamed as they come; a separator goes before each value's first one.
    const put = (text: string): void => {
      if (this.isKey || !text) return;
      if (!this.started) {
        if (!text.trim()) return;
        out += this.emitted++ ? '\n' : '';
        this.started = true;
      }
      out += text;
    };
    for (const ch of chunk) {
      if (this.inString) {
        if (this.unicode !== undefined) {
          this.unicode += ch;
          if (this.unicode.length === 4) {
            const code = Number.parseInt(this.unicode, 16);
            if (!Number.isNaN(code)) put(String.fromCharCode(code));
            this.unicode = undefined;
          }
        } else if (this.escape) {
          this.escape = false;
          if (ch === 'u') this.unicode = '';
          else put(ch === 'n' ? '\n' : ch === 't' ? ' ' : ch);
        } else if (ch === '\\') this.escape = true;
        else if (ch === '"') this.inString = false;
        else put(ch);
        continue;
      }
      switch (ch) {
        case '"':
          this.inString = true;
          this.isKey = this.expectKey;
          this.started = false;
          break;
        case '{':
          this.stack.push(true);
          this.expectKey = true;
          break;
        case '[':
          this.stack.push(false);
          this.expectKey = false;
          break;
        case '}':
        case ']':
          this.stack.pop();
          this.expectKey = false;
          break;
        case ':':
          this.expectKey = false;
          break;
        case ',':
          this.expectKey = this.stack[this.stack.length - 1] === true;
          break;
        default:
      }
    }
    return out;
  }
}
