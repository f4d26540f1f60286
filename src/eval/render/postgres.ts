import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * A throwaway PostgreSQL for tests: Debian's `postgresql` package, initdb + pg_ctl in a temp
 * folder, listening only on a Unix socket in that folder (no TCP port, no system service, nothing
 * shared with another test run). PostgreSQL refuses to run as root, so as root (CI) the server
 * runs as the `postgres` user the package creates.
 */
export interface TestPostgres {
  /** The folder holding the data directory, the socket and the log. */
  readonly dir: string;
  /** The folder of the server's Unix socket (libpq's `host`). */
  readonly socketDir: string;
  readonly user: string;
  /** A libpq/Diesel URL of `database` over the socket. */
  url(database: string): string;
  /** Runs SQL through psql (stops at the first error) and returns the rows, fields split. */
  query(database: string, sql: string): string[][];
  /** Runs a SQL file through psql, stopping at the first error. */
  runFile(database: string, file: string): void;
  /** Stops the server (fast shutdown) and removes the folder. */
  stop(): void;
}

const USER = 'nocodo';

/** The folder with initdb and pg_ctl: $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error(`PostgreSQL's server programs are not installed (no ${root}/<version>/bin/initdb): apt-get install postgresql`);
  return path.join(root, versions[0]!, 'bin');
}

/** The uid/gid the server runs as: ours, or the `postgres` user's when we are root. */
function serverIdentity(): { uid: number; gid: number; asUser?: string } {
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0) return { uid, gid: process.getgid?.() ?? 0 };
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g'), asUser: 'postgres' };
  } catch {
    throw new Error('PostgreSQL does not run as root and there is no `postgres` user to run it as (apt-get install postgresql creates one)');
  }
}

export function startPostgres(): TestPostgres {
  const bin = postgresBinDir();
  const who = serverIdentity();
  const dir = mkdtempSync(path.join(tmpdir(), 'nocodo-pg-'));
  const data = path.join(dir, 'data');
  const socketDir = path.join(dir, 'socket');
  const log = path.join(dir, 'server.log');
  mkdirSync(socketDir);
  for (const p of [dir, socketDir]) {
    chmodSync(p, 0o755);
    chownSync(p, who.uid, who.gid);
  }
  const asServer = (program: string, args: string[]) => {
    const [cmd, argv] = who.asUser ? ['runuser', ['-u', who.asUser, '--', path.join(bin, program), ...args]] : [path.join(bin, program), args];
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${program} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}${r.stdout}${serverLog}`);
    }
  };
  const psql = (database: string, args: string[]): string => {
    const r = spawnSync(path.join(bin, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-U', USER, '-d', database, ...args], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`psql on ${database} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  };

  let running = false;
  const stop = () => {
    try {
      if (running) asServer('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '120']);
      running = false;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    // --no-sync: a test database need not survive a power cut, and fsync is slow on a busy disk.
    asServer('initdb', ['-D', data, '-U', USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    // -w waits until the server accepts connections; listen_addresses='' means the socket only.
    asServer('pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '120', '-o', `-c listen_addresses='' -k ${socketDir} -c fsync=off`]);
    running = true;
  } catch (e) {
    stop();
    throw e;
  }
  return {
    dir,
    socketDir,
    user: USER,
    url: (database) => `postgres://${USER}@/${database}?host=${encodeURIComponent(socketDir)}`,
    query: (database, sql) =>
      psql(database, ['-A', '-t', '-F', '\t', '-c', sql])
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t')),
    runFile: (database, file) => void psql(database, ['-f', file]),
    stop,
  };
}
