import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitError, gitStderr } from './errors';

export interface GitOptions {
  /** The git executable (default: `git` on PATH). */
  binary?: string;
}

export interface CommitInfo {
  hash: string;
  short: string;
  subject: string;
  /** Repository-relative paths, forward slashes. */
  files: string[];
}

/** Who commits when the user never told git: nocodo's commits must not fail on a fresh machine. */
const FALLBACK_IDENTITY = { name: 'nocodo', email: 'nocodo@localhost' };

const isMissingBinary = (e: unknown): boolean => /ENOENT|spawn .* ENOENT|not found/i.test(e instanceof Error ? e.message : String(e));

function gitFor(dir: string, opts: GitOptions): SimpleGit {
  // simple-git refuses unsafe option overrides by default (e.g. -c core.sshCommand from a caller);
  // we only pass our own arguments.
  return simpleGit({
    baseDir: dir,
    binary: opts.binary ?? 'git',
    maxConcurrentProcesses: 2,
    trimmed: false,
    // simple-git only fails a command that wrote to stderr; a merge conflict exits 1 with its
    // report on stdout. Every non-zero exit is a failure here.
    errors(error, result) {
      if (error) return error;
      if (result.exitCode === 0) return undefined;
      return Buffer.concat([...result.stdOut, ...result.stdErr]);
    },
  });
}

/** Runs a git call, turning "git is not installed" into one clear error. */
async function guarded<T>(what: () => Promise<T>): Promise<T> {
  try {
    return await what();
  } catch (e) {
    if (e instanceof GitError) throw e;
    if (isMissingBinary(e)) throw new GitError('git-missing', 'git is not installed (or not on PATH). Install git to let nocodo keep a history of its changes.');
    throw new GitError('git-failed', gitStderr(e));
  }
}

/**
 * One git repository, driven through simple-git. Every method works on the real repository; there
 * is no cached state, so VS Code's own Git extension and the user's terminal can act in between.
 */
export class GitRepository {
  private constructor(
    /** Absolute top-level folder of the work tree. */
    readonly root: string,
    readonly git: SimpleGit,
    private readonly opts: GitOptions,
  ) {}

  /** The repository containing `dir`, or undefined when there is none. Throws `git-missing`. */
  static async find(dir: string, opts: GitOptions = {}): Promise<GitRepository | undefined> {
    if (!existsSync(dir)) return undefined;
    const git = gitFor(dir, opts);
    return guarded(async () => {
      try {
        const top = (await git.revparse(['--show-toplevel'])).trim();
        return new GitRepository(resolve(top), gitFor(top, opts), opts);
      } catch (e) {
        if (isMissingBinary(e)) throw e;
        if (/not a git repository/i.test(String(e))) return undefined;
        throw e;
      }
    });
  }

  /** `git init` with `main` as the first branch. */
  static async init(dir: string, opts: GitOptions = {}): Promise<GitRepository> {
    const git = gitFor(dir, opts);
    await guarded(() => git.raw(['init', '--initial-branch=main']));
    const repo = await GitRepository.find(dir, opts);
    if (!repo) throw new GitError('git-failed', `git init did not create a repository in ${dir}.`);
    return repo;
  }

  /** Repository-relative path (forward slashes) of an absolute or root-relative path; throws for paths outside. */
  rel(path: string): string {
    const abs = isAbsolute(path) ? path : resolve(this.root, path);
    const r = relative(this.root, abs);
    if (!r || r.startsWith('..') || isAbsolute(r)) throw new GitError('git-failed', `${path} is not inside the repository ${this.root}.`);
    return r.split(sep).join('/');
  }

  raw(args: string[]): Promise<string> {
    return guarded(() => this.git.raw(args));
  }

  /** The checked-out branch, or null on a detached HEAD (or before the first commit has a name… it has). */
  async currentBranch(): Promise<string | null> {
    const out = await guarded(() => this.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => ''));
    return out.trim() || null;
  }

  async hasCommits(): Promise<boolean> {
    return guarded(() =>
      this.git
        .raw(['rev-parse', '--verify', '--quiet', 'HEAD'])
        .then((o) => o.trim().length > 0)
        .catch(() => false),
    );
  }

  async branchExists(name: string): Promise<boolean> {
    return guarded(() =>
      this.git
        .raw(['rev-parse', '--verify', '--quiet', `refs/heads/${name}`])
        .then((o) => o.trim().length > 0)
        .catch(() => false),
    );
  }

  /** Files with uncommitted changes (staged, unstaged or untracked, not ignored), repository-relative. */
  async changedFiles(): Promise<string[]> {
    const out = await this.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    const files: string[] = [];
    const entries = out.split('\0');
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (e.length < 4) continue;
      files.push(e.slice(3));
      // A rename lists its source next; skip it.
      if (e[0] === 'R' || e[0] === 'C') i++;
    }
    return files;
  }

  /** `-c user.*` arguments for commands that commit, when the user never configured an identity. */
  async identityArgs(): Promise<string[]> {
    const get = (key: string) => this.git.raw(['config', '--get', key]).then((o) => o.trim()).catch(() => '');
    const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
    const args: string[] = [];
    if (!name) args.push('-c', `user.name=${FALLBACK_IDENTITY.name}`);
    if (!email) args.push('-c', `user.email=${FALLBACK_IDENTITY.email}`);
    return args;
  }

  /**
   * Commits exactly `paths` (absolute or root-relative; new, changed or deleted files), whatever
   * else is changed or staged in the work tree: other files, staged or not, stay as they are.
   */
  async commitPaths(paths: readonly string[], message: string): Promise<CommitInfo> {
    const rels = [...new Set(paths.map((p) => this.rel(p)))];
    if (!rels.length) throw new GitError('nothing-to-commit', 'There is nothing to commit.');
    const changed = new Set(await this.changedFiles());
    const mine = rels.filter((r) => changed.has(r));
    if (!mine.length) throw new GitError('nothing-to-commit', 'The accepted files have no changes to commit (they match the last commit).');
    const identity = await this.identityArgs();
    // `add -A -- paths` records new and deleted files; `commit --only -- paths` then commits those
    // paths alone and leaves anything else the user staged untouched in the index.
    await this.raw(['add', '-A', '--', ...mine]);
    // The message is one argv element: no shell, so newlines and quotes arrive as written.
    await this.raw([...identity, 'commit', '--only', '-m', message, '--', ...mine]);
    return this.commitInfo('HEAD');
  }

  async commitInfo(ref: string): Promise<CommitInfo> {
    const out = await this.raw(['show', '--no-renames', '--name-only', '--format=%H%x1f%h%x1f%s%x1e', ref, '--']);
    const [head = '', rest = ''] = out.split('\x1e');
    const [hash = '', short = '', subject = ''] = head.trim().split('\x1f');
    const files = rest
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return { hash, short, subject, files };
  }
}
