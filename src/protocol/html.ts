export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per render (base64). */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/main.js)`. */
  scriptUri: string;
  /** Stylesheets in order, e.g. `[asWebviewUri(dist/webview/main.css)]`. */
  styleUris: readonly string[];
  title: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The team panel's HTML. The CSP allows only our nonce'd bundle and stylesheets from the extension
 * (icons are inline SVG, no font), and images from the extension or data: URIs: no inline script, no style attributes, no
 * eval, nothing remote. The bundle is built so it needs nothing more (see webview/vite.config.ts).
 *
 * style-src also carries the nonce, published in `<meta property="csp-nonce">`: that is how FAST
 * (under the webview-ui-toolkit) finds it for the one <style> element it inserts, a probe for
 * `:focus-visible` support run when the toolkit loads. Without it the probe is blocked, reported as a
 * violation, and the toolkit falls back to plain `:focus` rings.
 */
export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  // The nonce and CSP source go inside the CSP itself, where escaping would not help: insist on their shape.
  if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(o.nonce)) throw new Error('renderWebviewHtml: the nonce must be at least 16 base64 characters');
  // VS Code's cspSource is a source list such as `'self' https://*.vscode-cdn.net`: quotes and spaces
  // are part of it; a `;`, `"` or angle bracket would end the directive or the attribute.
  if (/[;"<>\r\n]/.test(o.cspSource) || !o.cspSource.trim()) throw new Error('renderWebviewHtml: cspSource contains characters that would break the CSP');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource} data:`,
  ].join('; ');
  const styles = o.styleUris.map((href) => `    <link rel="stylesheet" href="${escapeHtml(href)}">`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <meta property="csp-nonce" content="${escapeHtml(o.nonce)}">
${styles}
    <title>${escapeHtml(o.title)}</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
  </body>
</html>
`;
}
