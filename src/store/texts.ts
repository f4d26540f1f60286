import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database } from './sqljs';
import { queryOne } from './sqljs';

/*
 * Large texts (prompts, raw answers, reasoning, proposal change sets) live in `texts`, gzipped and
 * keyed by the SHA-256 of the text; rows hold the key. Why: sql.js saves rewrite the whole file, so
 * file size is the cost of every save. Measured by `npm run bench -- store` (2-core VM, 1,000 runs
 * of ~8 KB prompts whose 6 KB system prompt is shared per mode, as real mode prompts are):
 *   plain TEXT 9.25 MB, save 15-19 ms (export 8 ms) | gzip per row 4.14 MB, 9 ms (export 2-3 ms) |
 *   gzip + content-addressed 1.86 MB, 3.5-4.3 ms (export 0.6 ms).
 * With every prompt unique, content addressing costs ~13% over gzip per row (4.67 vs 4.14 MB, keys
 * and index), still half of plain. Side files were not needed: one file keeps saves atomic.
 */

export function textKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Stores a text once (idempotent) and returns its key. */
export function putText(db: Database, text: string): string {
  const key = textKey(text);
  db.run('INSERT OR IGNORE INTO texts (key, size, gz) VALUES (?, ?, ?)', [key, Buffer.byteLength(text, 'utf8'), gzipSync(text)]);
  return key;
}

/** The text for a key; undefined when the key is missing or the blob does not decompress. */
export function getText(db: Database, key: string): string | undefined {
  const row = queryOne(db, 'SELECT gz FROM texts WHERE key = ?', [key]);
  const gz = row?.gz;
  if (!(gz instanceof Uint8Array)) return undefined;
  try {
    return gunzipSync(gz).toString('utf8');
  } catch {
    return undefined;
  }
}
