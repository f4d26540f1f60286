import type { Span } from './types';

/**
 * Turns JS string offsets into spans with UTF-8 byte offsets and 1-based lines. tree-sitter in
 * JS counts UTF-16 units, while the contract promises bytes; ASCII files need no table.
 */
export class SpanMaker {
  private readonly bytesBefore: Uint32Array | undefined;
  private readonly lineStarts: number[];

  constructor(private readonly text: string) {
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(text)) {
      const table = new Uint32Array(text.length + 1);
      let bytes = 0;
      for (let i = 0; i < text.length; i++) {
        table[i] = bytes;
        const c = text.charCodeAt(i);
        if (c < 0x80) bytes += 1;
        else if (c < 0x800) bytes += 2;
        else if (c >= 0xd800 && c <= 0xdbff) bytes += 4; // high surrogate: the pair is 4 bytes
        else if (c >= 0xdc00 && c <= 0xdfff) bytes += 0;
        else bytes += 3;
      }
      table[text.length] = bytes;
      this.bytesBefore = table;
    }
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  byteAt(index: number): number {
    return this.bytesBefore ? this.bytesBefore[Math.min(index, this.text.length)]! : index;
  }

  /** 1-based line of a string offset. */
  lineAt(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  span(start: number, end: number): Span {
    // The end line is that of the last character, not of the offset after it.
    return {
      startByte: this.byteAt(start),
      endByte: this.byteAt(end),
      startLine: this.lineAt(start),
      endLine: this.lineAt(Math.max(start, end - 1)),
      startIndex: start,
      endIndex: end,
    };
  }
}
