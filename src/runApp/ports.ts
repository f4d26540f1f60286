import { createServer } from 'node:net';

/** Whether `port` can be listened on at `host` right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A port the OS says is free (listen on 0, read it, close). */
function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('the OS gave no free port'))));
    });
  });
}

export interface ChosenPort {
  port: number;
  /** The preferred port was taken (by another program or an earlier run). */
  preferredInUse: boolean;
}

/** `preferred` when free, else a free port: a port in use is reported, never fatal. */
export async function choosePort(preferred: number, host = '127.0.0.1', avoid: readonly number[] = []): Promise<ChosenPort> {
  if (!avoid.includes(preferred) && (await isPortFree(preferred, host))) return { port: preferred, preferredInUse: false };
  for (let i = 0; i < 20; i++) {
    const port = await anyFreePort(host);
    if (!avoid.includes(port)) return { port, preferredInUse: true };
  }
  throw new Error(`no free port found on ${host}`);
}
