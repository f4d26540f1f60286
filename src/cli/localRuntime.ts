import * as os from 'node:os';
import { EmbeddedRuntime, type RuntimeEndpoint } from '../localModel/runtime';

/** The embedded runtime for one CLI run: started now, stopped by the caller. */
export interface LocalRuntime {
  endpoint: RuntimeEndpoint;
  runtime: EmbeddedRuntime;
  stop(): Promise<void>;
}

export async function startLocalRuntime(modelPath: string, opts: { threads?: number; port?: number; token?: string; maxContextSize?: number; log?: (line: string) => void }): Promise<LocalRuntime> {
  const runtime = new EmbeddedRuntime({
    modelPath,
    idleStopMs: 0,
    // On a small shared machine two spinning threads lose to one: leave a core for everything else.
    threads: opts.threads ?? Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    ...(opts.maxContextSize !== undefined ? { maxContextSize: opts.maxContextSize } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const endpoint = await runtime.ensure();
  return { endpoint, runtime, stop: () => runtime.stop() };
}
