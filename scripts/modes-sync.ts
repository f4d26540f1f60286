/**
 * `npm run modes:sync`: after adding (or changing) a mode folder, writes what is derived from the
 * mode descriptors: modes/descriptors.ts, modes/registry.ts and package.json's mode commands and
 * menus. `--check` writes nothing and exits 1 when a file is out of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ModeDescriptor } from '../src/domain/modeDescriptor';
import { descriptorsSource, isModeFolder, registrySource, syncManifest } from '../modes/manifest';

const ROOT = path.resolve(__dirname, '..');
const MODES = path.join(ROOT, 'modes');

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const folders = readdirSync(MODES, { withFileTypes: true })
    .filter((e) => e.isDirectory() && isModeFolder(e.name))
    .map((e) => e.name)
    .sort();
  const descriptors: ModeDescriptor[] = [];
  for (const name of folders) {
    const file = path.join(MODES, name, 'descriptor.ts');
    if (!existsSync(file)) throw new Error(`modes/${name}/ has no descriptor.ts: every mode folder describes its mode (see README, "Adding a mode").`);
    const d = ((await import(pathToFileURL(file).href)) as { descriptor?: ModeDescriptor }).descriptor;
    if (!d || d.id !== name) throw new Error(`modes/${name}/descriptor.ts must export \`descriptor\` with id "${name}".`);
    descriptors.push(d);
  }
  const pkgPath = path.join(ROOT, 'package.json');
  const pkgText = readFileSync(pkgPath, 'utf8');
  const outputs: [string, string][] = [
    [path.join(MODES, 'descriptors.ts'), descriptorsSource(descriptors)],
    [path.join(MODES, 'registry.ts'), registrySource(descriptors)],
    [pkgPath, `${JSON.stringify(syncManifest(JSON.parse(pkgText), descriptors), null, 2)}\n`],
  ];
  let stale = 0;
  for (const [file, text] of outputs) {
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (before === text) continue;
    stale++;
    const rel = path.relative(ROOT, file);
    if (check) console.error(`${rel} is out of date: run npm run modes:sync`);
    else {
      writeFileSync(file, text);
      console.log(`wrote ${rel}`);
    }
  }
  if (!stale) console.log(`${descriptors.length} modes: everything up to date.`);
  return check && stale ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
