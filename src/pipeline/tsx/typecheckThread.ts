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
  | { kind: 'timeout'; limitMs: number };

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
    this.worker.on('exit', (code) => fail(new Error(`The type-check worker stopped (exit code ${code}).`)));
  }

  check(unit: TsxUnit): Promise<Diagnostic[]> {
    const id = ++this.next;
    const request: TypecheckRequest = { id, unit };
    return new Promise<Diagnostic[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Referenced while a check is waiting: the caller awaits it.
      this.worker.ref();
      this.worker.postMessage(request);
    }).finally(() => {
      if (!this.waiting.size && !this.dead) this.worker.unref();
    });
  }

  stop(): void {
    this.dead = true;
    void this.worker.terminate();
  }
}

let shared: TypecheckWorker | undefined;

/**
 * Type-checks `unit` in the worker thread, giving up after `limitMs` (the worker is then
 * terminated: a runaway check takes no CPU after its time). Without a worker entry in this
 * installation the check runs here, without a limit, as it did before.
 */
export async function typecheckTsxWithin(unit: TsxUnit, limitMs: number): Promise<TimedTypecheck> {
  if (!shared || shared.dead) {
    const entry = workerEntry();
    if (!entry) return { kind: 'done', diagnostics: typecheckTsx(unit) };
    shared = new TypecheckWorker(entry);
  }
  const worker = shared;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<TimedTypecheck>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout', limitMs }), Math.max(0, limitMs));
  });
  try {
    const outcome = await Promise.race([worker.check(unit).then((diagnostics): TimedTypecheck => ({ kind: 'done', diagnostics })), timeout]);
    if (outcome.kind === 'timeout') {
      worker.stop();
      if (shared === worker) shared = undefined;
    }
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
