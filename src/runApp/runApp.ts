import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findCargo } from '../compile';
import { attributeBuildFailure, describeBuildFailure, firstBuildError, type BuildFailure } from './buildErrors';
import { waitForHttp } from './health';
import { findAppLayout } from './layout';
import { choosePort } from './ports';
import { AppProcess } from './processes';

export type AppPart = 'backend' | 'frontend';

export interface StartAppOptions {
  dir: string;
  host?: string;
  backendPort?: number;
  frontendPort?: number;
  /** Longest wait for the health route, the first build included (default 15 min). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Every output line, for a terminal (cargo's JSON build messages arrive already rendered). */
  onLine?: (part: AppPart, line: string) => void;
  /** Steps worth telling the user ("port 8088 is in use, using 8123"). */
  onNote?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  cargo?: string;
  npm?: string;
}

export interface RunningApp {
  backendUrl: string;
  healthUrl: string;
  /** The page to open (the Vite dev server), or the API when the app has no frontend. */
  appUrl: string;
  backendPort: number;
  frontendPort?: number;
  /** ms from start until the health route answered. */
  healthMs: number;
  /** Resolves with a sentence when the backend or the frontend stops by itself. */
  ended: Promise<string>;
  /** Stops both (the whole process groups) and resolves once they are gone. */
  stop(): Promise<void>;
}

export class AppStartError extends Error {
  constructor(
    message: string,
    readonly buildFailure?: BuildFailure,
  ) {
    super(message);
  }
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * `nocodo run` / Run App: builds and starts the backend (`cargo run`) and the frontend (Vite's dev
 * server, after `npm ci` when its packages are missing) on free ports, wires them to each other
 * (API_URL for Vite's proxy, FRONTEND_ORIGINS for CORS), and resolves once `GET /api/health`
 * answers. A backend that stops first rejects with the first compiler error, its file and the
 * task that wrote it; nothing is left running after a failure.
 */
export async function startApp(opts: StartAppOptions): Promise<RunningApp> {
  const t0 = Date.now();
  const layout = findAppLayout(opts.dir);
  const host = opts.host ?? '127.0.0.1';
  const env = opts.env ?? process.env;
  const note = (t: string) => opts.onNote?.(t);
  const backendPort = await choosePort(opts.backendPort ?? 8088, host);
  if (backendPort.preferredInUse) note(`Port ${opts.backendPort ?? 8088} is in use; the backend gets port ${backendPort.port}.`);
  const frontendPort = layout.frontend ? await choosePort(opts.frontendPort ?? 5173, host, [backendPort.port]) : undefined;
  if (frontendPort?.preferredInUse) note(`Port ${opts.frontendPort ?? 5173} is in use; the frontend gets port ${frontendPort.port}.`);

  // An editor's extension host often has a shorter PATH than the user's shell (code-server and a
  // desktop editor started from the dock resolve a login shell without ~/.cargo/bin): find cargo
  // the way the compile check does, and say so plainly when it is missing.
  const cargo = opts.cargo ?? findCargo(env);
  if (!cargo) throw new AppStartError('cargo was not found (neither on PATH nor in ~/.cargo/bin): install Rust from https://rustup.rs to run the app.');

  const procs: AppProcess[] = [];
  const stopAll = async () => {
    await Promise.all(procs.map((p) => p.stop()));
  };
  const crateDir = path.relative(layout.dir, layout.backend).split(path.sep).join('/');
  let cargoJson = '';
  const backend = new AppProcess('backend', cargo, ['run', '--message-format=json'], {
    cwd: layout.backend,
    env: {
      ...env,
      HOST: host,
      PORT: String(backendPort.port),
      FRONTEND_ORIGINS: frontendPort ? `http://${host}:${frontendPort.port},http://localhost:${frontendPort.port}` : (env.FRONTEND_ORIGINS ?? ''),
      CARGO_TERM_COLOR: 'never',
    },
  });
  procs.push(backend);
  const backendUrl = `http://${host}:${backendPort.port}`;
  const healthUrl = `${backendUrl}/api/health`;
  const health = waitForHttp(healthUrl, {
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(opts.signal ? { signal: opts.signal } : {}),
    gaveUp: backend.exited.then((e) => (backend.spawnError ? `the backend could not start: ${backend.spawnError}` : `the backend stopped (exit ${e.code ?? e.signal}) before answering`)),
  });
  backend.on('line', (line, stream) => {
    if (stream === 'stdout' && line.startsWith('{"reason":')) {
      cargoJson += `${line}\n`;
      const msg = JSON.parse(line) as { reason?: string; message?: { rendered?: string } };
      if (msg.reason === 'compiler-message' && msg.message?.rendered) for (const l of msg.message.rendered.trimEnd().split('\n')) opts.onLine?.('backend', l);
      return;
    }
    opts.onLine?.('backend', line);
    if (/listening on|Starting \d+ workers/i.test(line)) health.nudge();
  });

  let frontend: AppProcess | undefined;
  if (layout.frontend && frontendPort) {
    const fe = layout.frontend;
    if (!existsSync(path.join(fe, 'node_modules', '.package-lock.json'))) {
      note('Installing the frontend packages (npm ci)…');
      const install = new AppProcess('frontend', opts.npm ?? 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: fe, env });
      procs.push(install);
      install.on('line', (l) => opts.onLine?.('frontend', l));
      const r = await install.exited;
      if (r.code !== 0) {
        await stopAll();
        if (install.spawnError) throw new AppStartError(`The frontend's packages could not be installed: ${install.spawnError}. Install Node.js (with npm), or run npm ci in ${fe}.`);
        throw new AppStartError(`npm ci in ${fe} failed (exit ${r.code ?? r.signal}); see the frontend output.`);
      }
    }
    frontend = new AppProcess('frontend', process.execPath, [path.join(fe, 'node_modules', 'vite', 'bin', 'vite.js'), '--host', host, '--port', String(frontendPort.port), '--strictPort'], {
      cwd: fe,
      env: { ...env, API_URL: backendUrl },
    });
    procs.push(frontend);
    frontend.on('line', (l) => opts.onLine?.('frontend', l));
  }

  const ready = await health.done;
  if (!ready.ok) {
    await stopAll();
    const failure = firstBuildError(cargoJson, crateDir);
    if (failure) {
      const attributed = await attributeBuildFailure(layout.dir, failure);
      throw new AppStartError(describeBuildFailure(attributed), attributed);
    }
    throw new AppStartError(`The app did not start: ${ready.reason}.`);
  }
  const appUrl = frontendPort ? `http://${host}:${frontendPort.port}/` : healthUrl;
  if (frontend) {
    const vite = frontend;
    const page = await waitForHttp(appUrl, { timeoutMs: 120_000, gaveUp: vite.exited.then((e) => (vite.spawnError ? `the frontend could not start: ${vite.spawnError}` : `the frontend stopped (exit ${e.code ?? e.signal})`)) }).done;
    if (!page.ok) {
      await stopAll();
      throw new AppStartError(`The frontend did not start: ${page.reason}.`);
    }
  }
  let stopping = false;
  const ended = Promise.race(
    procs
      .filter((p) => p.running)
      .map((p) => p.exited.then((e) => (stopping ? 'stopped' : `the ${p.label} stopped by itself (exit ${e.code ?? e.signal})`))),
  );
  return {
    backendUrl,
    healthUrl,
    appUrl,
    backendPort: backendPort.port,
    ...(frontendPort ? { frontendPort: frontendPort.port } : {}),
    healthMs: Date.now() - t0,
    ended,
    stop: async () => {
      stopping = true;
      await stopAll();
    },
  };
}
