import { parseTrailers, REVERTS_TRAILER, RUN_TRAILER, TASK_TRAILER } from './commitMessage';
import type { GitRepository } from './repository';

export interface TaskCommit {
  hash: string;
  short: string;
  subject: string;
  /** Author date, ms since the epoch. */
  at: number;
  runId?: string;
  /** Hashes this commit reverts, when it is one of nocodo's revert commits. */
  reverts: string[];
  files: string[];
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** Basic-regex escape for `git log --grep`. */
const escapeGrep = (s: string): string => s.replace(/[.[\]*^$\\]/g, '\\$&');

/**
 * The commits of a task on every local branch, newest first, found by their `Nocodo-Task` trailer.
 * The trailer is re-checked after the grep, so a request that merely mentions the id does not count.
 */
export function taskCommits(repo: GitRepository, taskId: string): Promise<TaskCommit[]> {
  return commitsWithTrailer(repo, TASK_TRAILER, taskId);
}

/** The commits of one run (its accepted change, and a revert of it), newest first. */
export function runCommits(repo: GitRepository, runId: string): Promise<TaskCommit[]> {
  return commitsWithTrailer(repo, RUN_TRAILER, runId);
}

async function commitsWithTrailer(repo: GitRepository, key: string, value: string): Promise<TaskCommit[]> {
  if (!(await repo.hasCommits())) return [];
  const out = await repo.raw([
    'log',
    '--branches',
    '--topo-order',
    '--no-renames',
    `--grep=^${escapeGrep(key)}: ${escapeGrep(value)}$`,
    `--format=${RECORD}%H${FIELD}%h${FIELD}%at${FIELD}%B${FIELD}`,
    '--name-only',
  ]);
  const commits: TaskCommit[] = [];
  for (const chunk of out.split(RECORD)) {
    if (!chunk.trim()) continue;
    const [hash = '', short = '', at = '0', body = '', names = ''] = chunk.split(FIELD);
    const trailers = parseTrailers(body);
    if (trailers[key] !== value) continue;
    commits.push({
      hash,
      short,
      subject: body.split('\n')[0] ?? '',
      at: Number(at) * 1000,
      ...(trailers[RUN_TRAILER] ? { runId: trailers[RUN_TRAILER] } : {}),
      reverts: (trailers[REVERTS_TRAILER] ?? '').split(/\s+/).filter(Boolean),
      files: names
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    });
  }
  return commits;
}

/** The task's commits that still stand: not reverts themselves, and not reverted yet. */
export function revertibleCommits(commits: readonly TaskCommit[]): TaskCommit[] {
  const reverted = new Set(commits.flatMap((c) => c.reverts));
  return commits.filter((c) => c.reverts.length === 0 && !reverted.has(c.hash));
}
