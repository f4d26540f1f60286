#!/usr/bin/env node
// Checks what a packaged nocodo.vsix contains: exactly the run-time files (dist/ without source
// maps, media/, README.md, LICENSE, package.json), everything the manifest and the webview
// stylesheets point at, and nothing else (no sources, tests, maps, node_modules).
//
//   node scripts/check-vsix.mjs [nocodo.vsix] [--json]
//
// Reads the zip's central directory itself (no unzip needed). Exit code 1 when a rule fails.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_BYTES = 25 * 1024 * 1024;

/** Entries of a zip file: name, sizes and a reader for the content. */
export function readZip(buf) {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end-of-central-directory record)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`corrupt central directory at entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    entries.push({
      name,
      size,
      compressedSize,
      read() {
        const lNameLen = buf.readUInt16LE(localOffset + 26);
        const lExtraLen = buf.readUInt16LE(localOffset + 28);
        const start = localOffset + 30 + lNameLen + lExtraLen;
        const data = buf.subarray(start, start + compressedSize);
        if (method === 0) return Buffer.from(data);
        if (method === 8) return inflateRawSync(data);
        throw new Error(`${name}: unsupported compression method ${method}`);
      },
    });
  }
  return entries;
}

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/readme\.md$/i,
  /^extension\/license(\.txt)?$/i,
  /^extension\/media\/[^/].*$/,
  /^extension\/dist\/.+$/,
];

const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/core.js',
  'extension/dist/cli.js',
  'extension/dist/typecheckWorker.js',
  'extension/dist/sql-wasm.wasm',
  'extension/dist/web-tree-sitter.wasm',
  'extension/dist/tree-sitter-rust.wasm',
  'extension/dist/webview/main.js',
  'extension/dist/webview/main.css',
];

/** Returns `{ entries, checks }`; each check is `{ name, ok, detail }`. */
const TEMPLATES = 'extension/dist/templates/';

/** The repository's template files (relative, posix), as the build copies them into dist/templates. */
function templateFiles() {
  const root = fileURLToPath(new URL('../templates/', import.meta.url));
  if (!existsSync(root)) return [];
  const out = [];
  const walk = (rel) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'target') walk(r);
      } else out.push(r);
    }
  };
  walk('');
  return out;
}

export function checkVsix(file) {
  const buf = readFileSync(file);
  const entries = readZip(buf);
  const names = new Set(entries.map((e) => e.name));
  const checks = [];
  const check = (name, problems) => checks.push({ name, ok: problems.length === 0, detail: problems.join('; ') });

  check('only run-time files', entries.map((e) => e.name).filter((n) => !ALLOWED.some((re) => re.test(n))));
  // The New App templates are data the extension writes into a new project: their sources belong.
  check('no source maps, sources, tests or node_modules', entries.map((e) => e.name).filter((n) => !n.startsWith(TEMPLATES) && /\.map$|\.tsx?$|(^|\/)(node_modules|src|test|webview\/src|scripts|\.tools|out)\//.test(n)));
  check('every New App template file', templateFiles().map((f) => `${TEMPLATES}${f}`).filter((n) => !names.has(n)));
  check('required files', REQUIRED.filter((r) => !names.has(r)));
  // vsce renames these (readme.md, LICENSE.txt).
  check('README and licence', [
    ...([...names].some((n) => /^extension\/readme\.md$/i.test(n)) ? [] : ['no README.md']),
    ...([...names].some((n) => /^extension\/license(\.txt)?$/i.test(n)) ? [] : ['no LICENSE']),
  ]);

  const manifestEntry = entries.find((e) => e.name === 'extension/package.json');
  const pkg = manifestEntry ? JSON.parse(manifestEntry.read().toString('utf8')) : {};
  const refs = [];
  if (pkg.main) refs.push(pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`);
  if (pkg.icon) refs.push(pkg.icon);
  for (const c of pkg.contributes?.viewsContainers?.activitybar ?? []) if (typeof c.icon === 'string') refs.push(c.icon);
  for (const views of Object.values(pkg.contributes?.views ?? {})) for (const v of views) if (typeof v.icon === 'string' && !v.icon.startsWith('$(')) refs.push(v.icon);
  check('files package.json points at', refs.map((r) => `extension/${posix.normalize(r).replace(/^\.\//, '')}`).filter((r) => !names.has(r)));

  // Stylesheets in the webview load fonts and images by relative URL: each must be in the package.
  const broken = [];
  for (const e of entries.filter((x) => x.name.startsWith('extension/dist/') && x.name.endsWith('.css'))) {
    const css = e.read().toString('utf8');
    for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
      const ref = m[2].split(/[?#]/)[0];
      if (!ref || /^(data:|https?:|#)/.test(ref)) continue;
      const target = posix.normalize(posix.join(posix.dirname(e.name), ref));
      if (!names.has(target)) broken.push(`${e.name} -> ${ref}`);
    }
  }
  check('stylesheet urls resolve inside the package', broken);
  check(`size below ${MAX_BYTES / 1024 / 1024} MiB`, buf.length > MAX_BYTES ? [`${buf.length} bytes`] : []);
  return { entries: entries.map((e) => ({ name: e.name, size: e.size })), checks };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const file = args.find((a) => !a.startsWith('--')) ?? join(fileURLToPath(new URL('..', import.meta.url)), 'nocodo.vsix');
  let result;
  try {
    result = checkVsix(file);
  } catch (e) {
    result = { entries: [], checks: [{ name: 'read the package', ok: false, detail: `${file}: ${e instanceof Error ? e.message : e}` }] };
  }
  const failed = result.checks.filter((c) => !c.ok);
  if (json) {
    console.log(JSON.stringify({ file, passed: result.checks.length - failed.length, failed: failed.length, ...result }, null, 2));
  } else {
    for (const e of result.entries) console.log(`  ${String(e.size).padStart(10)}  ${e.name}`);
    for (const c of result.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.detail}`}`);
    console.log(`${result.checks.length - failed.length} passed, ${failed.length} failed`);
  }
  process.exit(failed.length ? 1 : 0);
}
