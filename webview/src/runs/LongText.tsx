import { createMemo, createSignal, Show } from 'solid-js';

/** Characters shown per page: a long run stays readable and the panel stays responsive. */
export const PAGE_CHARS = 20_000;

// Control characters would be invisible (NUL), or reorder what is shown (bidi overrides):
// the inspector shows each one as a visible mark instead, so nothing hides from the reader.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

export function showControls(text: string): string {
  return text.replace(HIDDEN, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `⟦U+${code.toString(16).toUpperCase().padStart(4, '0')}⟧`;
  });
}

/** A long text in a `<pre>`, shown a page at a time with a button for the next page. */
export function LongText(props: { text: string; class?: string }) {
  const [pages, setPages] = createSignal(1);
  const shown = createMemo(() => Math.min(props.text.length, pages() * PAGE_CHARS));
  const left = () => props.text.length - shown();
  return (
    <>
      <pre class={props.class ?? 'code'}>{showControls(props.text.slice(0, shown()))}</pre>
      <Show when={left() > 0}>
        <p class="muted small">
          Showing {shown().toLocaleString('en-US')} of {props.text.length.toLocaleString('en-US')} characters.{' '}
          <button class="link" onClick={() => setPages((p) => p + 1)}>
            Show the next {Math.min(left(), PAGE_CHARS).toLocaleString('en-US')}
          </button>
        </p>
      </Show>
    </>
  );
}
