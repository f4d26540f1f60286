import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../core/diagnostics';
import { typecheckTsx, type TsxUnit } from './typecheck';
import type { TypecheckReply, TypecheckRequest } from './typecheckWorker';

/**
 * typecheckTsx with a time limit, in a worker thread. A type check builds a TypeScript program of
 * the file and everything it imports: seconds on a small frontend, without bound on a big one, and
 * run on the extension host it would freeze the editor meanwhile. The worker is kept between
 * checks (it keeps the parsed library files, most of a check's time) and terminated when a check
 * runs out of time; the next check starts a new one.
 */

export type TimedTypecheck =
  | { kind: 'done'; diagnostics: Diagnostic[] }
  /** The check did not finish within `limitMs`; it was stopped. */
  | { kind: 'timeout'; limitMs: number }
  /** The caller's signal was aborted (the user's Stop); the check was stopped. */
  | { kind: 'cancelled' };

/**
 * How long one type check may take: the accept's checks together (src/proposals/tsxCheck.ts) and
 * the check of a proposed file while generating (checkTsx). 3–8 s cold, under 1 s warm on the
 * bakery frontend (a 2-core machine under load).
 */
export const TYPECHECK_LIMIT_MS = 20_000;

/** `20 s`, `5 ms`: a limit as messages say it. */
export const limitText = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

/**
 * What the worker threads do, for whoever must know when: 'check' (the frontend-relative file) when
 * a check is sent to a worker; 'exit' (exit code) when a worker thread has ended (a check stopped
 * for its time or by Stop ends its thread).
 */
export const typecheckEvents = new EventEmitter();

/** A check's worker was terminated for another caller's check (its time ran out, or it was cancelled). */
class WorkerStopped extends Error {}

/** How to start the worker: the bundle beside this file, else the TypeScript source through tsx (tests). */
function workerEntry(): { file: string } | { code: string } | undefined {
  const bundled = path.join(__dirname, 'typecheckWorker.js');
  if (existsSync(bundled)) return { file: bundled };
  const source = path.join(__dirname, 'typecheckWorker.ts');
  if (!existsSync(source)) return undefined;
  const tsx = createRequire(__filename).resolve('tsx/cjs/api');
  return { code: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(source)});` };
}

interface Waiting {
  resolve: (d: Diagnostic[]) => void;
  reject: (e: Error) => void;
}

class TypecheckWorker {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private next = 0;
  private stopped = false;
  dead = false;

  constructor(entry: { file: string } | { code: string }) {
    this.worker = 'file' in entry ? new Worker(entry.file) : new Worker(entry.code, { eval: true });
    // An idle worker must not keep the CLI (or a test run) alive.
    this.worker.unref();
    this.worker.on('message', (m: TypecheckReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if ('error' in m) w.reject(new Error(`The type check failed: ${m.error}`));
      else w.resolve(m.diagnostics);
    });
    const fail = (e: Error): void => {
      this.dead = true;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      fail(this.stopped ? new WorkerStopped('The type-check worker was stopped.') : new Error(`The type-check worker stopped (exit code ${code}).`));
      typecheckEvents.emit('exit', code);
    });
  }

  check(unit: TsxUnit): Promise<Diagnostic[]> {
    const id = ++this.next;
    const request: TypecheckRequest = { id, unit };
    return new Promise<Diagnostic[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Referenced while a check is waiting: the caller awaits it.
      this.worker.ref();
      this.worker.postMessage(request);
      typecheckEvents.emit('check', unit.file);
    }).finally(() => {
      if (!this.waiting.size && !this.dead) this.worker.unref();
    });
  }

  stop(): void {
    this.dead = true;
    this.stopped = true;
    void this.worker.terminate();
  }
}

let shared: TypecheckWorker | undefined;

/**
 * Type-checks `unit` in the worker thread, giving up after `limitMs` or when `signal` is aborted
 * (the worker is then terminated: a runaway check takes no CPU after its time, and Stop stops
 * it). Every TypeScript check of nocodo that could take long goes through here: the accept's
 * (src/proposals/tsxCheck.ts) and the generation's (checkTsx). Without a worker entry in this
 * installation the check runs here, without a limit, as it did before.
 */
export async function typecheckTsxWithin(unit: TsxUnit, limitMs: number, signal?: AbortSignal): Promise<TimedTypecheck> {
  if (signal?.aborted) return { kind: 'cancelled' };
  let ended: TimedTypecheck | undefined;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<TimedTypecheck>((resolve) => {
    const end = (outcome: TimedTypecheck): void => resolve((ended ??= outcome));
    timer = setTimeout(() => end({ kind: 'timeout', limitMs }), Math.max(0, limitMs));
    onAbort = () => end({ kind: 'cancelled' });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // The shared worker may be stopped for another caller's check while this one waits in its
    // queue: this check then goes on in a new worker, within what is left of its own time.
    for (;;) {
      if (ended) return ended;
      if (!shared || shared.dead) {
        const entry = workerEntry();
        if (!entry) return { kind: 'done', diagnostics: typecheckTsx(unit) };
        shared = new TypecheckWorker(entry);
      }
      const worker = shared;
      const checked = worker.check(unit).then(
        (diagnostics): TimedTypecheck | 'restart' => ({ kind: 'done', diagnostics }),
        (e: unknown) => {
          if (e instanceof WorkerStopped) return 'restart' as const;
          throw e;
        },
      );
      const outcome = await Promise.race([checked, stop]);
      if (outcome === 'restart') continue;
      if (outcome.kind !== 'done') {
        worker.stop();
        if (shared === worker) shared = undefined;
      }
      return outcome;
    }
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
