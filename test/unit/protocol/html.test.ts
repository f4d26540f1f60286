import { describe, it, expect } from 'vitest';
import { renderWebviewHtml } from '../../../src/protocol/html';

const opts = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'q1w2e3r4t5y6u7i8o9p0aa==',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUris: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.css'],
  title: 'nocodo <team>',
};

describe('renderWebviewHtml', () => {
  it('sets the strict CSP and loads only the nonce\'d bundle and the stylesheets', () => {
    const html = renderWebviewHtml(opts);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    expect(csp).toBe(
      "default-src &#39;none&#39;; script-src &#39;nonce-q1w2e3r4t5y6u7i8o9p0aa==&#39;; style-src https://file+.vscode-resource.vscode-cdn.net &#39;nonce-q1w2e3r4t5y6u7i8o9p0aa==&#39;; img-src https://file+.vscode-resource.vscode-cdn.net data:",
    );
    expect(html).toContain(`<script nonce="${opts.nonce}" src="${opts.scriptUri}"></script>`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<style|style="/);
    expect(html.match(/<link rel="stylesheet"/g)).toHaveLength(1);
    expect(html).toContain('<title>nocodo &lt;team&gt;</title>');
    expect(html).toContain('<div id="app"></div>');
    expect(html).toContain(`<meta property="csp-nonce" content="${opts.nonce}">`);
  });

  it('escapes URIs and refuses a nonce or CSP source that could break out of the policy', () => {
    expect(renderWebviewHtml({ ...opts, scriptUri: 'x" onload="alert(1)' })).toContain('src="x&quot; onload=&quot;alert(1)"');
    expect(() => renderWebviewHtml({ ...opts, nonce: "abc' 'unsafe-inline" })).toThrow(/nonce/);
    expect(() => renderWebviewHtml({ ...opts, nonce: 'short' })).toThrow(/nonce/);
    expect(() => renderWebviewHtml({ ...opts, cspSource: "x; script-src 'unsafe-eval'" })).toThrow(/cspSource/);
  });
});
