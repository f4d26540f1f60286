import { ForgeError, forgeMessage, requestJson, type ForgeHttpOptions, type JsonResponse } from './http';
import type { ForgeKind } from './remote';

export interface PullRequestInput {
  kind: ForgeKind;
  /** REST root: `https://api.github.com`, `https://ghe.example.com/api/v3`, `https://gitlab.example.com/api/v4`. */
  apiBase: string;
  token: string;
  /** `owner/repo` (GitLab: `group/subgroup/project`). */
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullRequest {
  url: string;
  number: number;
  /** True when an open pull/merge request for the branch existed and was reused. */
  reused: boolean;
}

const api = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

function failure(kind: ForgeKind, res: JsonResponse, what: string): ForgeError {
  const detail = forgeMessage(res.body);
  const name = kind === 'github' ? 'GitHub' : 'GitLab';
  if (res.status === 401) return new ForgeError(401, `${name} refused the token (401). Set a valid token with "nocodo: Set Git Host Token".`, 'auth');
  if (res.status === 403) return new ForgeError(403, `${name} says the token may not ${what}${detail ? `: ${detail}` : ''}.`, 'auth');
  if (res.status === 404) return new ForgeError(404, `${name} does not know this repository, or the token cannot see it (404).`, 'not-found');
  if (res.status === 422 || res.status === 400) return new ForgeError(res.status, `${name} refused to ${what}: ${detail || `HTTP ${res.status}`}.`, 'invalid');
  return new ForgeError(res.status, `${name} failed to ${what} (HTTP ${res.status})${detail ? `: ${detail}` : ''}.`, 'server');
}

async function github(input: PullRequestInput, opts: ForgeHttpOptions): Promise<PullRequest> {
  const headers = {
    accept: 'application/vnd.github+json',
    authorization: `Bearer ${input.token}`,
    'x-github-api-version': '2022-11-28',
    'user-agent': 'nocodo-vscode',
  };
  const [owner, name] = input.repo.split('/');
  const res = await requestJson(
    api(input.apiBase, `/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(name!)}/pulls`),
    { method: 'POST', headers, body: { title: input.title, head: input.head, base: input.base, body: input.body } },
    opts,
  );
  if (res.status === 201) {
    const pr = res.body as { html_url: string; number: number };
    return { url: pr.html_url, number: pr.number, reused: false };
  }
  // 422 "A pull request already exists for owner:branch": find it and reuse it.
  if (res.status === 422 && /already exists/i.test(forgeMessage(res.body))) {
    const q = new URLSearchParams({ head: `${owner}:${input.head}`, base: input.base, state: 'open' });
    const list = await requestJson(api(input.apiBase, `/repos/${encodeURIComponent(owner!)}/${encodeURIComponent(name!)}/pulls?${q}`), { method: 'GET', headers }, opts);
    const found = Array.isArray(list.body) ? (list.body as { html_url: string; number: number }[])[0] : undefined;
    if (list.status === 200 && found) return { url: found.html_url, number: found.number, reused: true };
    throw failure('github', list.status === 200 ? res : list, 'open a pull request');
  }
  throw failure('github', res, 'open a pull request');
}

async function gitlab(input: PullRequestInput, opts: ForgeHttpOptions): Promise<PullRequest> {
  const headers = { 'private-token': input.token, accept: 'application/json' };
  const project = api(input.apiBase, `/projects/${encodeURIComponent(input.repo)}/merge_requests`);
  const res = await requestJson(project, { method: 'POST', headers, body: { source_branch: input.head, target_branch: input.base, title: input.title, description: input.body } }, opts);
  if (res.status === 201) {
    const mr = res.body as { web_url: string; iid: number };
    return { url: mr.web_url, number: mr.iid, reused: false };
  }
  // 409 "Another open merge request already exists for this source branch".
  if (res.status === 409) {
    const q = new URLSearchParams({ source_branch: input.head, target_branch: input.base, state: 'opened' });
    const list = await requestJson(`${project}?${q}`, { method: 'GET', headers }, opts);
    const found = Array.isArray(list.body) ? (list.body as { web_url: string; iid: number }[])[0] : undefined;
    if (list.status === 200 && found) return { url: found.web_url, number: found.iid, reused: true };
    throw failure('gitlab', list.status === 200 ? res : list, 'open a merge request');
  }
  throw failure('gitlab', res, 'open a merge request');
}

/** Opens a pull request (GitHub) or merge request (GitLab) for a pushed branch, reusing an open one. */
export function openPullRequest(input: PullRequestInput, opts: ForgeHttpOptions = {}): Promise<PullRequest> {
  if (!input.token) throw new ForgeError(401, 'No token is set for this git host. Set one with "nocodo: Set Git Host Token".', 'auth');
  return input.kind === 'github' ? github(input, opts) : gitlab(input, opts);
}
