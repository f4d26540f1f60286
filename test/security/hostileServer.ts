import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A model server that misbehaves on purpose, one behaviour per server: what an attacker or a
 * broken proxy could send. Every open response is ended on close(), so no test leaks a socket.
 */
export type Behaviour =
  /** One token, then empty chunks forever (keep-alive spam). */
  | 'token-then-empty'
  /** A token every few milliseconds, forever. */
  | 'endless-tokens'
  /** 64 KB content chunks as fast as the socket takes them. */
  | 'flood';

export interface HostileServer {
  baseUrl: string;
  /** Chat requests received so far. */
  requests: number;
  close(): Promise<void>;
}

const chunk = (content: string): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: content ? { content } : {} }] })}\n\n`;

export async function startHostileServer(behaviour: Behaviour): Promise<HostileServer> {
  const open = new Set<http.ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const state: HostileServer = { baseUrl: '', requests: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    req.resume();
    if (!req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    state.requests++;
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk('pub'));
    if (behaviour === 'flood') {
      const big = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk(big)));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    const t = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      res.write(chunk(behaviour === 'endless-tokens' ? ' x' : ''));
    }, 5);
    timers.add(t);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = async () => {
    for (const t of timers) clearInterval(t);
    for (const res of open) res.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return state;
}
