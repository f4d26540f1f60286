/** Which REST API serves a repository's pull/merge requests. */
export type ForgeKind = 'github' | 'gitlab';

export interface RemoteRepo {
  /** Host name as in the remote URL (`github.com`, `git.example.com`). */
  host: string;
  /** `owner/repo`, or `group/subgroup/repo` on GitLab. */
  path: string;
}

/**
 * `git@github.com:acme/shop.git`, `https://github.com/acme/shop`, `ssh://git@host:2222/group/sub/app.git`
 * → host and path. Credentials in the URL are dropped, never kept.
 */
export function parseRemoteUrl(url: string): RemoteRepo | undefined {
  const u = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(u);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return clean(scp[1]!, scp[2]!);
  try {
    const parsed = new URL(u);
    if (!/^(https?|ssh|git):$/.test(parsed.protocol)) return undefined;
    return clean(parsed.hostname, decodeURIComponent(parsed.pathname).replace(/^\/+/, '').replace(/\.git\/?$/, '').replace(/\/+$/, ''));
  } catch {
    return undefined;
  }
}

function clean(host: string, path: string): RemoteRepo | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2 || parts.some((p) => p === '..' || p === '.')) return undefined;
  return { host: host.toLowerCase(), path: parts.join('/') };
}

/** The forge a host most likely runs, when the user did not say: by its name. */
export function guessForge(host: string): ForgeKind | undefined {
  if (/(^|\.)github\.com$/.test(host) || /github/.test(host)) return 'github';
  if (/gitlab/.test(host)) return 'gitlab';
  return undefined;
}

/**
 * The REST API root: api.github.com for github.com, `/api/v3` on GitHub Enterprise Server, and
 * `/api/v4` on GitLab (gitlab.com and self-hosted).
 */
export function defaultApiBase(kind: ForgeKind, host: string): string {
  if (kind === 'github') return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
  return `https://${host}/api/v4`;
}
