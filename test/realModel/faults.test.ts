import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/llm';
import { RuntimeFault } from '../../src/localModel/faults';
import { EmbeddedRuntime } from '../../src/localModel/runtime';
import { clientFor, SOURCE_ENTRY, testModelPath, waitFor } from './model';

// Faults of the embedded runtime with the real model file and real processes: files that are
// not models, too little memory, a crash mid-answer, a taken port.

let dir: string;
let model: string;
const runtimes: EmbeddedRuntime[] = [];
const make = (modelPath: string, extra: Partial<ConstructorParameters<typeof EmbeddedRuntime>[0]> = {}) => {
  const r = new EmbeddedRuntime({ modelPath, idleStopMs: 0, threads: 1, entry: SOURCE_ENTRY, ...extra });
  runtimes.push(r);
  return r;
};
const fault = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a fault'); }, (e: unknown) => e as RuntimeFault);

beforeAll(async () => {
  model = testModelPath();
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'nocodo-faults-'));
});
afterAll(async () => {
  for (const r of runtimes) await r.stop();
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('embedded runtime faults', () => {
  it('a truncated GGUF (a download cut short) gives a clear error naming the file', async () => {
    const file = path.join(dir, 'cut-short.gguf');
    const h = await fsp.open(model, 'r');
    const head = Buffer.alloc(8 * 2 ** 20);
    await h.read(head, 0, head.length, 0);
    await h.close();
    await fsp.writeFile(file, head);
    const rt = make(file);
    const e = await fault(rt.ensure());
    expect(e).toBeInstanceOf(RuntimeFault);
    expect(e.kind).toBe('bad-model-file');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/truncated/);
    expect(rt.status).toMatchObject({ state: 'failed', kind: 'bad-model-file' });
  });

  it('a file that is not a GGUF at all gives a clear error naming the file', async () => {
    const file = path.join(dir, 'notes.gguf');
    await fsp.writeFile(file, 'these are my notes, not a model\n'.repeat(1000));
    const e = await fault(make(file).ensure());
    expect(e.kind).toBe('bad-model-file');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not a usable GGUF/);
  });

  it('too little memory gives a clear error before loading', async () => {
    const e = await fault(make(model, { memoryBudgetBytes: 64 * 2 ** 20 }).ensure());
    expect(e.kind).toBe('out-of-memory');
    expect(e.message).toMatch(/Not enough memory for gemma-3-270m-q4_k_m\.gguf.*needs about \d+ MiB, 64 MiB are available/);
  });

  it('a taken port: the runtime serves on another one', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const rt = make(model, { port: taken });
      const ep = await rt.ensure();
      expect(new URL(ep.baseUrl).port).not.toBe(String(taken));
      expect((await clientFor(ep).health()).kind).toBe('ready');
      await rt.stop();
      expect(rt.status.state).toBe('stopped');
    } finally {
      blocker.close();
    }
  });

  it('a crash mid-answer: the call fails, the runtime restarts once; a second crash is a clear error', async () => {
    const rt = make(model);
    const ep1 = await rt.ensure();
    const killMidAnswer = async (baseUrlClient: ReturnType<typeof clientFor>) => {
      let killed = false;
      const err = await baseUrlClient
        .chat({
          role: 'rustEngineer',
          maxTokens: 300,
          messages: [{ role: 'user', content: 'Write a long story about bread.' }],
          onDelta: () => {
            if (!killed) {
              killed = true;
              process.kill(rt.pid!, 'SIGKILL');
            }
          },
        })
        .then(() => undefined, (e: unknown) => e);
      expect(killed).toBe(true);
      expect(err).toBeInstanceOf(ModelError);
    };
    await killMidAnswer(clientFor(ep1));
    const restarted = await waitFor('the restart', () => (rt.status.state === 'ready' && rt.status.restarts === 1 ? rt.status : undefined), 300_000);
    expect(restarted.lastCrash).toMatch(/stopped unexpectedly \(signal SIGKILL\)/);
    const ep2 = await rt.ensure();
    expect(ep2.token).not.toBe(ep1.token);
    const after = await clientFor(ep2, 4).chat({ role: 'rustEngineer', messages: [{ role: 'user', content: 'hi' }] });
    expect(after.run.outcome).toBe('ok');

    await killMidAnswer(clientFor(ep2));
    const failed = await waitFor('the runtime to give up', () => (rt.status.state === 'failed' ? rt.status : undefined));
    expect(failed.message).toMatch(/stopped unexpectedly .*restarted once after a crash/);
    const e = await fault(rt.ensure());
    expect(e.kind).toBe('crashed');
  });
});
