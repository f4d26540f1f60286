import DOMPurify from 'dompurify';
import type { Config } from 'dompurify';
import { Marked } from 'marked';
import { createMemo } from 'solid-js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// HTML a model writes is shown as the text it is, and images as their alt text: the markup handed to
// the sanitiser never has event handlers or remote URLs (parsing those alone makes the CSP complain).
const marked = new Marked({
  async: false,
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => escapeHtml(text),
  },
});

// Model output is untrusted. Markdown is rendered by marked and then sanitised: no scripts, no event
// handlers, no styles (the CSP would refuse them anyway), no images, no forms or frames.
const PURIFY: Config = {
  FORBID_TAGS: ['style', 'img', 'picture', 'video', 'audio', 'source', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math', 'link', 'meta', 'base'],
  FORBID_ATTR: ['style', 'class', 'id', 'srcset', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
};

export function renderMarkdown(text: string): string {
  const html = marked.parse(text) as string;
  return DOMPurify.sanitize(html, { ...PURIFY, RETURN_TRUSTED_TYPE: false });
}

export function Markdown(props: { text: string; class?: string }) {
  const html = createMemo(() => renderMarkdown(props.text));
  return <div class={`markdown ${props.class ?? ''}`} innerHTML={html()} />;
}
