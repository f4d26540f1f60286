import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Real git repositories in a temp folder, isolated from the machine's global git config (no
 * identity unless a test sets one, no hooks, no signing), so the tests see what a fresh user sees.
 */
export const gitEnv = (home: string): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: home,
  GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
});

export interface Sandbox {
  dir: string;
  git(cwd: string, ...args: string[]): string;
  write(path: string, text: string): void;
  cleanup(): void;
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'nocodo-git-test-'));
  const home = join(dir, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
  // simple-git inherits process.env: point it at the sandbox's config as well.
  const saved = { HOME: process.env.HOME, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: process.env.GIT_CONFIG_NOSYSTEM };
  Object.assign(process.env, { HOME: home, GIT_CONFIG_GLOBAL: join(home, '.gitconfig'), GIT_CONFIG_NOSYSTEM: '1' });
  return {
    dir,
    git: (cwd, ...args) => execFileSync('git', args, { cwd, env: gitEnv(home), encoding: 'utf8' }),
    write: (path, text) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    },
    cleanup: () => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A repository with one commit (`src/lib.rs`, `README.md`) on `main`, and a user identity. */
export function seededRepo(sb: Sandbox, name = 'app'): string {
  const repo = join(sb.dir, name);
  mkdirSync(repo, { recursive: true });
  sb.git(repo, 'init', '--initial-branch=main');
  sb.git(repo, 'config', 'user.name', 'Ada');
  sb.git(repo, 'config', 'user.email', 'ada@example.invalid');
  sb.write(join(repo, 'src/lib.rs'), 'pub fn one() -> i32 {\n    1\n}\n');
  sb.write(join(repo, 'README.md'), '# app\n');
  sb.git(repo, 'add', '-A');
  sb.git(repo, 'commit', '-m', 'initial');
  return repo;
}
