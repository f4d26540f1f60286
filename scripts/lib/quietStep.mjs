// A long setup step (npm ci, installing code-server) that keeps its noise in a log file and shows
// the user only what matters: what runs, that it is still running, where the log is, and the
// end of the log when it fails. Only Node built-ins: this runs before node_modules exist.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the logs of setup steps go (inside the checkout, ignored by git). */
export const LOG_DIR = join(repoRoot, '.tools', 'logs');

const elapsed = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

/**
 * Runs `cmd args`, its output into `.tools/logs/<name>.log`. Prints a line every `everyMs` while
 * it runs. Resolves to the exit code (the last 30 lines of the log are printed when it is not 0).
 */
export function quietStep(name, cmd, args, { say = (m) => console.log(m), everyMs = 30_000, cwd = repoRoot, env = process.env, expect = '' } = {}) {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const out = createWriteStream(logFile);
  const started = Date.now();
  say(`${name}: running ${[cmd, ...args].join(' ')}${expect ? ` (${expect})` : ''}; its output goes to ${logFile}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setInterval(() => say(`${name}: still running (${elapsed(Date.now() - started)})…`), everyMs);
    const done = (code) => {
      clearInterval(timer);
      out.end(() => {
        if (code === 0) say(`${name}: done in ${elapsed(Date.now() - started)}`);
        else {
          const tail = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
          say(`${name}: failed (exit ${code}) after ${elapsed(Date.now() - started)}. The end of ${logFile}:\n${tail}`);
        }
        resolve(code);
      });
    };
    child.on('error', (e) => {
      out.write(`\n${e.message}\n`);
      done(127);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}
