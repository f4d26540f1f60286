// Entry of the type-check worker thread (dist/typecheckWorker.js; the source through tsx in the
// tests): runs typecheckTsx off the caller's thread, one request at a time, so that a big
// frontend's check cannot freeze the extension host. See typecheckThread.ts.
import { parentPort } from 'node:worker_threads';
import { typecheckTsx, type TsxUnit } from './typecheck';

export interface TypecheckRequest {
  id: number;
  unit: TsxUnit;
}

export type TypecheckReply = { id: number; diagnostics: ReturnType<typeof typecheckTsx> } | { id: number; error: string };

parentPort?.on('message', (m: TypecheckRequest) => {
  let reply: TypecheckReply;
  try {
    reply = { id: m.id, diagnostics: typecheckTsx(m.unit) };
  } catch (e) {
    reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort?.postMessage(reply);
});
