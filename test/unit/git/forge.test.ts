import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultApiBase, ForgeError, guessForge, openPullRequest, parseRemoteUrl, retryAfterMs } from '../../../src/git';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Handler = (req: Seen, res: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A fake forge on 127.0.0.1 that records every request and answers through `handlers` in order. */
async function fakeForge(handlers: Handler[]): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      seen.push(s);
      const h = handlers.shift();
      if (!h) {
        res.writeHead(500).end('unexpected request');
        return;
      }
      h(s, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const pr = { title: 'diesel-model-fn: Orders of a customer', body: 'Request: orders of a customer', head: 'nocodo/task_1-orders', base: 'main', token: 'tok-123' };

describe('GitHub pull requests', () => {
  it('POST /repos/{owner}/{repo}/pulls with the documented headers and body', async () => {
    const f = await fakeForge([(_, res) => json(res, 201, { html_url: 'https://github.example/acme/shop/pull/7', number: 7 })]);
    const out = await openPullRequest({ kind: 'github', apiBase: `${f.base}/api/v3`, repo: 'acme/shop', ...pr });
    expect(out).toEqual({ url: 'https://github.example/acme/shop/pull/7', number: 7, reused: false });
    const [req] = f.seen;
    expect(req).toMatchObject({ method: 'POST', url: '/api/v3/repos/acme/shop/pulls', body: { title: pr.title, head: pr.head, base: 'main', body: pr.body } });
    expect(req!.headers).toMatchObject({ authorization: 'Bearer tok-123', accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' });
    expect(req!.headers['user-agent']).toBeTruthy();
  });

  it('a bad token is a 401 with a clear next step', async () => {
    const f = await fakeForge([(_, res) => json(res, 401, { message: 'Bad credentials' })]);
    const err = await openPullRequest({ kind: 'github', apiBase: f.base, repo: 'acme/shop', ...pr }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect(err).toMatchObject({ status: 401, kind: 'auth' });
    expect((err as Error).message).toMatch(/refused the token/);
    expect((err as Error).message).not.toContain('tok-123');
  });

  it('422 "already exists": the open pull request for the branch is reused', async () => {
    const f = await fakeForge([
      (_, res) => json(res, 422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:nocodo/task_1-orders.' }] }),
      (req, res) => {
        expect(req.method).toBe('GET');
        const u = new URL(req.url, 'http://x');
        expect(u.pathname).toBe('/repos/acme/shop/pulls');
        expect(Object.fromEntries(u.searchParams)).toEqual({ head: 'acme:nocodo/task_1-orders', base: 'main', state: 'open' });
        json(res, 200, [{ html_url: 'https://github.com/acme/shop/pull/3', number: 3 }]);
      },
    ]);
    expect(await openPullRequest({ kind: 'github', apiBase: f.base, repo: 'acme/shop', ...pr })).toEqual({ url: 'https://github.com/acme/shop/pull/3', number: 3, reused: true });
  });

  it('waits out a 429 with Retry-After, then succeeds; a long wait is reported instead', async () => {
    const f = await fakeForge([(_, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '2' }), (_, res) => json(res, 201, { html_url: 'u', number: 1 })]);
    const waits: number[] = [];
    const out = await openPullRequest({ kind: 'github', apiBase: f.base, repo: 'acme/shop', ...pr }, { sleep: async (ms) => void waits.push(ms) });
    expect(out.number).toBe(1);
    expect(waits).toEqual([2000]);

    const g = await fakeForge([(_, res) => json(res, 403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '3600' })]);
    const err = await openPullRequest({ kind: 'github', apiBase: g.base, repo: 'acme/shop', ...pr }, { sleep: async () => undefined }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate-limited' });
    expect((err as Error).message).toMatch(/try again in 3600 s/);
  });
});

describe('GitLab merge requests', () => {
  it('POST /projects/:id/merge_requests with the URL-encoded path and PRIVATE-TOKEN', async () => {
    const f = await fakeForge([(_, res) => json(res, 201, { web_url: 'https://gitlab.example/g/sub/app/-/merge_requests/4', iid: 4 })]);
    const out = await openPullRequest({ kind: 'gitlab', apiBase: `${f.base}/api/v4`, repo: 'g/sub/app', ...pr });
    expect(out).toEqual({ url: 'https://gitlab.example/g/sub/app/-/merge_requests/4', number: 4, reused: false });
    const [req] = f.seen;
    expect(req).toMatchObject({
      method: 'POST',
      url: '/api/v4/projects/g%2Fsub%2Fapp/merge_requests',
      body: { source_branch: pr.head, target_branch: 'main', title: pr.title, description: pr.body },
    });
    expect(req!.headers['private-token']).toBe('tok-123');
  });

  it('409: the open merge request for the branch is reused; 401 is a clear error', async () => {
    const f = await fakeForge([
      (_, res) => json(res, 409, { message: ['Another open merge request already exists for this source branch: !2'] }),
      (req, res) => {
        const u = new URL(req.url, 'http://x');
        expect(Object.fromEntries(u.searchParams)).toEqual({ source_branch: pr.head, target_branch: 'main', state: 'opened' });
        json(res, 200, [{ web_url: 'https://gitlab.example/g/app/-/merge_requests/2', iid: 2 }]);
      },
      (_, res) => json(res, 401, { message: '401 Unauthorized' }),
    ]);
    expect(await openPullRequest({ kind: 'gitlab', apiBase: f.base, repo: 'g/app', ...pr })).toMatchObject({ number: 2, reused: true });
    await expect(openPullRequest({ kind: 'gitlab', apiBase: f.base, repo: 'g/app', ...pr })).rejects.toMatchObject({ status: 401, kind: 'auth' });
  });

  it('no token: refused before any request', async () => {
    await expect(async () => openPullRequest({ kind: 'gitlab', apiBase: 'http://127.0.0.1:9', repo: 'g/app', ...pr, token: '' })).rejects.toMatchObject({ kind: 'auth' });
  });
});

describe('remotes', () => {
  it('parses scp-like, https and ssh URLs and drops credentials', () => {
    expect(parseRemoteUrl('git@github.com:acme/shop.git')).toEqual({ host: 'github.com', path: 'acme/shop' });
    expect(parseRemoteUrl('https://user:secret@GitLab.Example.com/g/sub/app.git')).toEqual({ host: 'gitlab.example.com', path: 'g/sub/app' });
    expect(parseRemoteUrl('ssh://git@git.example.com:2222/g/app.git/')).toEqual({ host: 'git.example.com', path: 'g/app' });
    expect(parseRemoteUrl('/srv/git/app.git')).toBeUndefined();
    expect(parseRemoteUrl('file:///srv/git/app.git')).toBeUndefined();
  });

  it('knows the API roots of github.com, GitHub Enterprise and GitLab', () => {
    expect(defaultApiBase('github', 'github.com')).toBe('https://api.github.com');
    expect(defaultApiBase('github', 'ghe.acme.com')).toBe('https://ghe.acme.com/api/v3');
    expect(defaultApiBase('gitlab', 'gitlab.acme.com')).toBe('https://gitlab.acme.com/api/v4');
    expect(guessForge('github.com')).toBe('github');
    expect(guessForge('gitlab.acme.com')).toBe('gitlab');
    expect(guessForge('git.acme.com')).toBeUndefined();
  });

  it('reads Retry-After in seconds and as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '5' }))).toBe(5000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
  });
});
