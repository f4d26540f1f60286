// A stand-in for VS Code around the built team panel: serves dist/webview with the production HTML
// (renderWebviewHtml, so the real CSP applies) and plays the host side of the protocol from Node.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { renderWebviewHtml } from '../../src/protocol/html';
import type { HostMessage, WebviewMessage } from '../../src/protocol/messages';
import { parseWebviewMessage } from '../../src/protocol/validate';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.html': 'text/html; charset=utf-8',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves the panel page at `/` and the built files beside it; nothing else. */
export async function serveWebview(distDir: string): Promise<StaticServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') {
        const html = renderWebviewHtml({
          cspSource: origin,
          nonce: randomBytes(16).toString('base64'),
          scriptUri: `${origin}/main.js`,
          styleUris: [`${origin}/main.css`],
          title: 'nocodo team',
        });
        res.writeHead(200, { 'content-type': TYPES['.html'] }).end(html);
        return;
      }
      if (path === '/favicon.ico') {
        // Chromium asks for one; a webview never does.
        res.writeHead(204).end();
        return;
      }
      const file = normalize(join(distDir, path));
      if (!file.startsWith(distDir) || !TYPES[extname(file)]) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)]! }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((r) => server.close(() => r())) };
}

/** Injected before the page's own scripts: a fake acquireVsCodeApi plus CSP and error recorders. */
export const PAGE_INIT = `
(() => {
  let state;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' [' + e.sample + '] ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber));
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__toHost(JSON.parse(JSON.stringify(m))),
    getState: () => state,
    setState: (s) => { state = s; },
  });
})();
`;

type Waiter = { match(m: WebviewMessage): boolean; resolve(m: WebviewMessage): void };

/**
 * The host side of the conversation. Every message from the page is validated exactly as the real
 * host's router does; invalid ones are kept in `invalid` (the test fails if any arrive).
 */
export class ScriptedHost {
  readonly received: WebviewMessage[] = [];
  readonly invalid: string[] = [];
  private waiters: Waiter[] = [];
  onMessage: (m: WebviewMessage) => void | Promise<void> = () => {};

  constructor(private readonly page: Page) {}

  async attach(): Promise<void> {
    await this.page.exposeFunction('__toHost', (raw: unknown) => {
      const parsed = parseWebviewMessage(raw);
      if (!parsed.ok) {
        this.invalid.push(parsed.error);
        return;
      }
      this.received.push(parsed.message);
      this.waiters = this.waiters.filter((w) => (w.match(parsed.message) ? (w.resolve(parsed.message), false) : true));
      void Promise.resolve(this.onMessage(parsed.message)).catch((e: unknown) => this.invalid.push(`host script failed: ${String(e)}`));
    });
  }

  /** Delivers a message as VS Code does: a `message` event on the page's window. */
  async send(message: HostMessage | Record<string, unknown>): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message as unknown);
  }

  async reply(id: string, result: unknown = null): Promise<void> {
    await this.send({ type: 'reply', id, ok: true, result });
  }

  /** The first message of `type` (matching `pred`) received from now on, or already received if `past`. */
  waitFor<K extends WebviewMessage['type']>(type: K, pred: (m: Extract<WebviewMessage, { type: K }>) => boolean = () => true, timeoutMs = 10_000): Promise<Extract<WebviewMessage, { type: K }>> {
    const match = (m: WebviewMessage) => m.type === type && pred(m as Extract<WebviewMessage, { type: K }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the page did not send ${type} within ${timeoutMs} ms; it sent: ${this.received.map((m) => m.type).join(', ')}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<WebviewMessage, { type: K }>);
        },
      });
    });
  }

  sent<K extends WebviewMessage['type']>(type: K): Extract<WebviewMessage, { type: K }>[] {
    return this.received.filter((m) => m.type === type) as Extract<WebviewMessage, { type: K }>[];
  }
}
