// What ships: bundle and wasm sizes read from dist/ (after `npm run build`), and the extension's
// activation time as measured in a real extension host by the exthost test layer.
//   npm run bench -- bundle
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult, BenchRow } from './run';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;

function sizeRow(item: string, files: string[]): BenchRow {
  let bytes = 0;
  let gz = 0;
  for (const f of files) {
    const data = readFileSync(f);
    bytes += data.length;
    gz += gzipSync(data).length;
  }
  return { item, files: files.length, kB: kb(bytes), gzipKB: kb(gz) };
}

/** activationMs from test/.artifacts/activation.json (or exthost.json), written by the exthost test layer. */
function activation(): BenchRow {
  for (const name of ['activation.json', 'exthost.json']) {
    const file = path.join(ROOT, 'test/.artifacts', name);
    if (!existsSync(file)) continue;
    try {
      const ms = (JSON.parse(readFileSync(file, 'utf8')) as { activationMs?: unknown }).activationMs;
      if (typeof ms === 'number') return { item: 'activation in the extension host', ms, from: path.relative(ROOT, file), at: statSync(file).mtime.toISOString() };
    } catch {
      // unreadable artifact: fall through to the explanation
    }
  }
  return {
    item: 'activation in the extension host',
    ms: 'not measured',
    from: 'the exthost test layer writes {activationMs} to test/.artifacts/activation.json (npm test); or read "nocodo … activated in N ms" in the nocodo output channel',
  };
}

export async function run(): Promise<BenchResult> {
  if (!existsSync(path.join(DIST, 'extension.js')) && !existsSync(path.join(DIST, 'cli.js'))) {
    return { name: 'bundle', rows: [{ item: 'bundles', kB: 'not built: run npm run build' }, activation()] };
  }
  const rows: BenchRow[] = [];
  for (const name of ['extension.js', 'cli.js']) {
    const f = path.join(DIST, name);
    rows.push(existsSync(f) ? sizeRow(`dist/${name}`, [f]) : { item: `dist/${name}`, kB: 'not built: run npm run build' });
  }
  const webview = path.join(DIST, 'webview');
  if (existsSync(webview)) {
    const files = readdirSync(webview, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.endsWith('.map'))
      .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
    rows.push(sizeRow('dist/webview/* (no source maps)', files));
  } else rows.push({ item: 'dist/webview/*', kB: 'not built: run npm run build' });
  for (const name of readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort()) rows.push(sizeRow(`dist/${name}`, [path.join(DIST, name)]));
  rows.push(activation());
  return { name: 'bundle', rows };
}
