import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser, chromium } from 'playwright-core';
import type { ChangeSet } from '../../domain';
import { loadPackage } from '../../pipeline/tsx/packages';
import type { EvalTask, RenderOutcome } from '../types';
import { backendCrate, startBackend, type RunningBackend } from './backend';
import { buildAnswerFrontend, checkPage, RenderFailure, serveBuilt } from './page';

/**
 * The eval's `--render` (issue #19): after a Solid answer typechecked and passed its checks, its
 * frontend is built with `vite build` and the page is opened in headless Chromium against the
 * task project's own backend (cargo, a throwaway PostgreSQL, the task's seed rows). The rows must
 * show; a form must create its row. Backends are started on first use, one per distinct crate and
 * seed, and kept until dispose().
 */

export interface RenderStep {
  /** Why nothing can be rendered on this machine (no Chromium, no playwright-core), else undefined. */
  unavailable(): string | undefined;
  render(task: EvalTask, changeSet: ChangeSet): Promise<{ outcome: RenderOutcome; detail: string }>;
  dispose(): Promise<void>;
}

export interface RenderStepOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: $NOCODO_CHROMIUM, else /usr/bin/chromium. */
  chromium?: string;
  onNotice?: (message: string) => void;
}

type Playwright = { chromium: typeof chromium };

export { listenOnPortFromEnv, startBackend, type RunningBackend } from './backend';
export { startPostgres, type TestPostgres } from './postgres';

export function createRenderStep(opts: RenderStepOptions = {}): RenderStep {
  const env = opts.env ?? process.env;
  const chromiumPath = opts.chromium ?? env.NOCODO_CHROMIUM ?? '/usr/bin/chromium';
  // playwright-core stays out of the CLI bundle: it is loaded from node_modules when rendering.
  const playwright = loadPackage<Playwright>(process.cwd(), 'playwright-core');
  const why = !existsSync(chromiumPath) ? `${chromiumPath} is missing (install Chromium or set NOCODO_CHROMIUM)` : !playwright ? 'playwright-core is not installed next to nocodo' : undefined;
  const backends = new Map<string, Promise<RunningBackend>>();
  let browser: Promise<Browser> | undefined;

  const backendFor = (crate: Map<string, string>, seed: string): Promise<RunningBackend> => {
    const key = JSON.stringify([[...crate].sort(([a], [b]) => a.localeCompare(b)), seed]);
    let b = backends.get(key);
    if (!b) {
      b = startBackend(crate, seed, { env, ...(opts.onNotice ? { onNotice: opts.onNotice } : {}) });
      backends.set(key, b);
    }
    return b;
  };

  return {
    unavailable: () => why,
    async render(task, changeSet) {
      if (why) return { outcome: 'skipped', detail: why };
      if (!task.render) return { outcome: 'not-run', detail: 'the task has no render spec' };
      const crate = backendCrate(task.files);
      if ('problem' in crate) return { outcome: 'skipped', detail: crate.problem };
      let backend: RunningBackend;
      try {
        backend = await backendFor(crate.files, task.render.seed.sql);
      } catch (err) {
        return { outcome: 'skipped', detail: `the backend did not start: ${(err as Error).message.split('\n')[0]}` };
      }
      const scratch = mkdtempSync(path.join(tmpdir(), 'nocodo-render-'));
      let server: Awaited<ReturnType<typeof serveBuilt>> | undefined;
      try {
        const dist = await buildAnswerFrontend(task, changeSet, task.render, scratch);
        server = await serveBuilt(dist, backend.origin);
        browser ??= playwright!.chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
        const detail = await checkPage(await browser, `http://127.0.0.1:${(server.address() as { port: number }).port}`, backend.origin, task.render);
        return { outcome: 'pass', detail: `vite build ok; ${detail}` };
      } catch (err) {
        if (err instanceof RenderFailure) return { outcome: 'fail', detail: err.message };
        throw err;
      } finally {
        server?.close();
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    async dispose() {
      const b = browser;
      browser = undefined;
      await b?.then((x) => x.close()).catch(() => undefined);
      const all = [...backends.values()];
      backends.clear();
      for (const p of all) await p.then((x) => x.stop()).catch(() => undefined);
    },
  };
}
