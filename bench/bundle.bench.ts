// What ships: the production bundles (minified, as `npm run package` builds them) built into a
// scratch folder, plain and gzipped, beside what dist/ holds now (`npm run build` is a development
// build), the wasm files, how long loading each extension bundle takes (require() in a fresh Node
// process), and the extension's activation time as measured in a real extension host by the
// exthost test layer.
//   npm run bench -- bundle
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as { activationMs?: unknown; coreLoadMs?: unknown; coreFirstUse?: unknown };
      const ms = recorded.activationMs;
      // The core loads on first use, off the activation path: how long that took, and what needed it.
      const core: BenchRow = typeof recorded.coreLoadMs === 'number' ? { coreLoadMs: recorded.coreLoadMs, coreFirstUse: String(recorded.coreFirstUse) } : {};
      if (typeof ms === 'number') return { item: 'activation in the extension host', ms, ...core, from: path.relative(ROOT, file), at: statSync(file).mtime.toISOString() };
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

const LOAD_RUNS = 5;
/** A stand-in for the `vscode` module: every property, call and construction gives another stand-in. */
const VSCODE_STUB = `const mk = () => new Proxy(function () {}, { get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : mk()), apply: () => mk(), construct: () => mk() });
for (const k of ['window', 'workspace', 'commands', 'env', 'extensions', 'languages', 'Uri', 'EventEmitter', 'Disposable', 'StatusBarAlignment', 'ThemeIcon', 'ThemeColor', 'ProgressLocation', 'ConfigurationTarget', 'RelativePattern', 'FileType', 'l10n']) exports[k] = mk();`;

/**
 * How long `require()` of a bundle takes in a fresh Node process (the extension host's cost of
 * loading it before `activate()` runs), `vscode` stubbed; median of LOAD_RUNS processes.
 */
function loadTime(bundle: string): BenchRow {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nocodo-bench-load-'));
  try {
    const stub = path.join(dir, 'vscode.cjs');
    writeFileSync(stub, VSCODE_STUB);
    const script = `const M = require('module'); const r = M._resolveFilename; M._resolveFilename = function (q, ...a) { return q === 'vscode' ? ${JSON.stringify(stub)} : r.call(this, q, ...a); };
const t = performance.now(); require(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
    const times: number[] = [];
    for (let i = 0; i < LOAD_RUNS; i++) {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      const ms = Number(r.stdout);
      if (r.status !== 0 || !Number.isFinite(ms)) return { loadMs: `failed: ${(r.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? r.status}` };
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    return { loadMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10, loadMinMs: Math.round(times[0]! * 10) / 10, loadMaxMs: Math.round(times[times.length - 1]! * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
    const { cliOptions, extensionOptions } = await import('../scripts/lib/bundles.mjs');
    const choices = { production: true, logLevel: 'silent' as const };
    await Promise.all([...extensionOptions(ROOT, out, choices), cliOptions(ROOT, path.join(out, 'cli.js'), choices)].map((o) => esbuild.build(o)));
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'webview/vite.config.ts'), mode: 'production', logLevel: 'silent', build: { outDir: path.join(out, 'webview'), emptyOutDir: true } });
    const goal = (row: BenchRow, kb: number): BenchRow => ({ ...row, goal: `gzipped < ${kb} KB: ${(row.gzipKB as number) < kb ? 'met' : 'NOT met'}` });
    return [
      { ...sizeRow('production extension.js (minified; activation)', [path.join(out, 'extension.js')]), ...loadTime(path.join(out, 'extension.js')) },
      { ...sizeRow('production core.js (minified; loaded on first use)', [path.join(out, 'core.js')]), ...loadTime(path.join(out, 'core.js')) },
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
  // What the extension host spends before activate() returns: loading the activation bundle, then activate().
  const entry = rows.find((r) => String(r.item).startsWith('production extension.js'));
  if (typeof act?.ms === 'number' && typeof entry?.loadMs === 'number') {
    const total = Math.round((entry.loadMs + act.ms) * 10) / 10;
    goals.push({ goal: 'same, with loading extension.js (require, median of 5 here) first', on: `${entry.kB} KB bundle`, median: total, unit: 'ms', met: total < 50 });
  }
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
  for (const name of ['extension.js', 'core.js', 'cli.js']) {
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
