// What ships: the production bundles (minified, as `npm run package` builds them) built into a
// scratch folder, plain and gzipped, beside what dist/ holds now (`npm run build` is a development
// build), the wasm files, and the extension's activation time as measured in a real extension
// host by the exthost test layer.
//   npm run bench -- bundle
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchResult, BenchRow, GoalRow } from './run';

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

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.map'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));

/** The extension, CLI and webview as `npm run package` builds them (minified, no source maps). */
async function productionRows(): Promise<BenchRow[]> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'nocodo-bench-bundle-'));
  try {
    const esbuild = await import('esbuild');
    const common = {
      bundle: true,
      platform: 'node' as const,
      target: 'node20',
      format: 'cjs' as const,
      minify: true,
      logLevel: 'silent' as const,
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
      loader: { '.md': 'text' as const },
    };
    await esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'src/extension.ts')], outfile: path.join(out, 'extension.js'), external: ['vscode'] });
    await esbuild.build({ ...common, entryPoints: [path.join(ROOT, 'src/cli/main.ts')], outfile: path.join(out, 'cli.js') });
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'webview/vite.config.ts'), mode: 'production', logLevel: 'silent', build: { outDir: path.join(out, 'webview'), emptyOutDir: true } });
    const goal = (row: BenchRow, kb: number): BenchRow => ({ ...row, goal: `gzipped < ${kb} KB: ${(row.gzipKB as number) < kb ? 'met' : 'NOT met'}` });
    return [
      sizeRow('production extension.js (minified)', [path.join(out, 'extension.js')]),
      sizeRow('production cli.js (minified)', [path.join(out, 'cli.js')]),
      goal(sizeRow('production webview/* (minified)', filesUnder(path.join(out, 'webview'))), 150),
    ];
  } catch (e) {
    return [{ item: 'production bundles', kB: `build failed: ${e instanceof Error ? e.message.split('\n')[0]! : String(e)}` }];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The bundle's goals: the production webview gzipped, activation in the extension host. */
function goalsOf(rows: readonly BenchRow[]): GoalRow[] {
  const goals: GoalRow[] = [];
  const webview = rows.find((r) => String(r.item).startsWith('production webview'));
  if (typeof webview?.gzipKB === 'number') goals.push({ goal: 'webview bundle gzipped < 150 KB (production)', on: `${webview.kB} KB plain`, median: webview.gzipKB, unit: 'KB', met: webview.gzipKB < 150 });
  const act = rows.find((r) => r.item === 'activation in the extension host');
  if (typeof act?.ms === 'number') goals.push({ goal: 'activation < 50 ms (time inside activate())', on: `exthost run of ${String(act.at).slice(0, 16)}`, median: act.ms, unit: 'ms', met: act.ms < 50 });
  return goals;
}

export async function run(): Promise<BenchResult> {
  const rows = await bundleRows();
  return { name: 'bundle', rows, goals: goalsOf(rows) };
}

async function bundleRows(): Promise<BenchRow[]> {
  const production = await productionRows();
  if (!existsSync(path.join(DIST, 'extension.js')) && !existsSync(path.join(DIST, 'cli.js'))) {
    return [...production, { item: 'dist/ bundles', kB: 'not built: run npm run build' }, activation()];
  }
  const rows: BenchRow[] = [...production];
  for (const name of ['extension.js', 'cli.js']) {
    const f = path.join(DIST, name);
    rows.push(existsSync(f) ? sizeRow(`dist/${name}`, [f]) : { item: `dist/${name}`, kB: 'not built: run npm run build' });
  }
  const webview = path.join(DIST, 'webview');
  if (existsSync(webview)) {
    rows.push(sizeRow('dist/webview/* (no source maps)', filesUnder(webview)));
  } else rows.push({ item: 'dist/webview/*', kB: 'not built: run npm run build' });
  for (const name of readdirSync(DIST).filter((f) => f.endsWith('.wasm')).sort()) rows.push(sizeRow(`dist/${name}`, [path.join(DIST, name)]));
  rows.push(activation());
  return rows;
}
