// What a failed code-server layer leaves behind, so that a CI transcript alone shows the cause:
// code-server's logs (extension host, nocodo's output channel, the server's own), the window's
// console and a screenshot are copied to test/.artifacts/<layer>-logs/, and the tails of the
// extension host log and nocodo's log are printed into the layer's output.
// Only Node built-ins (like codeServer.mjs).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './codeServer.mjs';

const TAIL_LINES = 60;

/**
 * Collects what the window prints to its console (the workbench's own log lines, errors of
 * extensions and webviews) from the moment it is called. Returns a function giving the lines.
 */
export function recordWindowLog(page) {
  const lines = [];
  const keep = (line) => {
    lines.push(`${new Date().toISOString()} ${line}`);
    if (lines.length > 20_000) lines.splice(0, 10_000);
  };
  page.on('console', (m) => keep(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => keep(`[pageerror] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
  return () => lines;
}

/** Every file under `dir` (recursively). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The last `n` lines of a file. */
function tail(file, n = TAIL_LINES) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n).join('\n');
}

/** Newest first by modification time (an extension host restarted: the latest one matters most). */
const newestFirst = (files) => files.map((f) => ({ f, t: statSync(f).mtimeMs })).sort((a, b) => b.t - a.t).map((x) => x.f);

/**
 * Keeps code-server's logs of a failed layer in test/.artifacts/<name>-logs/ and prints the tails
 * of the extension host log and nocodo's output channel log (`print`, default stderr). `name` is
 * the layer (`exthost`, `workbench`, …), with a sub-folder for layers that run several sessions
 * (`exthost-logs/suite`). Best effort: a missing log is said, never thrown.
 *
 * @param {{ name: string, session?: string, userDataDir: string, page?: import('playwright-core').Page, windowLog?: string[], serverOutput?: string, print?: (s: string) => void }} opts
 * @returns {Promise<string>} the folder the logs went to
 */
export async function keepCodeServerLogs({ name, session, userDataDir, page, windowLog, serverOutput, print = (s) => console.error(s) }) {
  const dest = join(repoRoot, 'test', '.artifacts', `${name}-logs`, ...(session ? [session] : []));
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const logsDir = join(userDataDir, 'logs');
  try {
    if (existsSync(logsDir)) cpSync(logsDir, join(dest, 'code-server'), { recursive: true });
  } catch (e) {
    print(`[${name}] could not copy ${logsDir}: ${e instanceof Error ? e.message : e}`);
  }
  if (windowLog?.length) writeFileSync(join(dest, 'window-console.log'), `${windowLog.join('\n')}\n`);
  if (serverOutput) writeFileSync(join(dest, 'code-server-output.log'), serverOutput);
  if (page && !page.isClosed()) await page.screenshot({ path: join(dest, 'screenshot.png'), timeout: 15_000 }).catch(() => undefined);

  const files = filesUnder(join(dest, 'code-server'));
  const show = (what, matches) => {
    const found = newestFirst(files.filter(matches));
    if (!found.length) {
      print(`[${name}] no ${what} under ${logsDir}`);
      return;
    }
    for (const f of found) print(`\n[${name}] ${what}: last ${TAIL_LINES} lines of ${relative(repoRoot, f)}\n${tail(f)}\n[${name}] (end of ${what})`);
  };
  print(`\n[${name}] failed: code-server's logs, the window's console and a screenshot are in ${relative(repoRoot, dest)}/`);
  show('extension host log', (f) => /[\\/]remoteexthost\.log$/.test(f) || /[\\/]exthost\.log$/.test(f));
  show("nocodo's log", (f) => /[\\/]nocodo\.nocodo[\\/]nocodo\.log$/.test(f));
  return dest;
}

/**
 * For a browser layer: records the window's console from now on and returns a cleanup that keeps
 * the logs (keepCodeServerLogs) when `failed()` says the layer failed. Register it after the
 * browser and code-server cleanups, so that it runs before them (cleanups run last first).
 */
export function keepLogsOnFailure({ name, cs, page, failed }) {
  const windowLog = recordWindowLog(page);
  return async () => {
    if (failed()) await keepCodeServerLogs({ name, userDataDir: cs.userDataDir, page, windowLog: windowLog(), serverOutput: cs.output() });
  };
}
