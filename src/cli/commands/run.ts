import * as path from 'node:path';
import { AppStartError, startApp } from '../../runApp';
import { parseCommandArgs, UsageError, type CliCommand } from '../types';

const usage = `Usage: nocodo run [<dir>] [--port <n>] [--frontend-port <n>] [--timeout <s>] [--quiet]

Starts an app made by \`nocodo new\`: the backend with \`cargo run\` and the frontend with Vite's
dev server (after \`npm ci\` when its packages are missing), waits until GET /api/health answers,
prints the address, and runs until Ctrl+C, which stops both (and everything they started).

Options:
  --port <n>           Backend port (default 8088; another free one when it is in use)
  --frontend-port <n>  Frontend port (default 5173; likewise)
  --timeout <s>        Longest wait for the health route, the first build included (default 900)
  --quiet              Do not print the backend's and frontend's output
  -h, --help           Show this help

Exit code: 0 after Ctrl+C, 1 when the app does not build or start (the first compiler error
names its file, and the nocodo task that wrote it when git knows).`;

const port = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`${name} must be a port number (1-65535), not "${v}".`);
  return n;
};

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Start an app made by `nocodo new` (backend and frontend) until Ctrl+C',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, 'frontend-port': { type: 'string' }, timeout: { type: 'string' }, quiet: { type: 'boolean', default: false } }, 1);
    const timeoutS = values.timeout === undefined ? 900 : Number(values.timeout);
    if (!(timeoutS > 0)) throw new UsageError(`--timeout must be a number of seconds, not "${values.timeout}".`);
    const dir = path.resolve(io.cwd, positionals[0] ?? '.');
    const stopRequested = new AbortController();
    const onSignal = () => stopRequested.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      io.stderr(`Starting the app in ${dir}…\n`);
      const app = await startApp({
        dir,
        ...(values.port !== undefined ? { backendPort: port(values.port, '--port') } : {}),
        ...(values['frontend-port'] !== undefined ? { frontendPort: port(values['frontend-port'], '--frontend-port') } : {}),
        timeoutMs: timeoutS * 1000,
        signal: stopRequested.signal,
        onNote: (t) => io.stderr(`${t}\n`),
        ...(values.quiet ? {} : { onLine: (part, line) => io.stderr(`[${part}] ${line}\n`) }),
        env: { ...process.env, ...io.env },
      });
      io.stdout(`App running: ${app.appUrl} (API ${app.backendUrl}, healthy after ${(app.healthMs / 1000).toFixed(1)} s). Ctrl+C stops it.\n`);
      const why = await Promise.race([app.ended, new Promise<string>((r) => stopRequested.signal.addEventListener('abort', () => r('stopped'), { once: true }))]);
      await app.stop();
      if (why !== 'stopped') {
        io.stderr(`nocodo run: ${why}; everything is stopped.\n`);
        return 1;
      }
      io.stdout('Stopped the backend and the frontend.\n');
      return 0;
    } catch (err) {
      if (!(err instanceof AppStartError)) throw err;
      io.stderr(`nocodo run: ${err.message}\n`);
      if (err.buildFailure?.rendered) io.stderr(`${err.buildFailure.rendered}\n`);
      return 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
