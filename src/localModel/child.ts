import { loadEngine } from './engine';
import { RuntimeFault } from './faults';
import { CHILD_OPTIONS_ENV, type ChildMessage, type ChildStartOptions } from './protocol';
import { startRuntimeServer } from './server';

// Entry point of the embedded runtime's child process (dist/localRuntime.mjs). It loads the model,
// serves the API on 127.0.0.1 and tells the parent the port over IPC. It exits when the parent
// goes away, so a crashed editor never leaves a model in memory.

const send = (m: ChildMessage) => process.send?.(m);

async function main(): Promise<void> {
  const opts = JSON.parse(process.env[CHILD_OPTIONS_ENV] ?? '{}') as ChildStartOptions;
  delete process.env[CHILD_OPTIONS_ENV];
  process.on('disconnect', () => process.exit(0));
  const engine = await loadEngine(opts);
  const server = await startRuntimeServer(engine, { token: opts.token, port: opts.port ?? 0, log: (line) => send({ type: 'log', line }) });
  const i = engine.info;
  send({ type: 'ready', port: server.port, info: { modelId: i.modelId, modelPath: i.modelPath, contextSize: i.contextSize, chatTemplate: i.chatTemplate, loadMs: i.loadMs, threads: i.threads } });
  process.on('SIGTERM', () => void server.close().then(() => engine.dispose()).finally(() => process.exit(0)));
}

main().catch((err: unknown) => {
  const fault = err instanceof RuntimeFault ? err : new RuntimeFault('load-failed', (err as Error)?.message ?? String(err));
  send({ type: 'fault', kind: fault.kind, message: fault.message });
  process.exitCode = 3;
  setTimeout(() => process.exit(3), 200).unref();
  process.disconnect?.();
});
